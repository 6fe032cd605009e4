import { fail, redirect } from '@sveltejs/kit';
import { dayQuestion, parseDay } from '$lib/domain/meetings/booking-forms';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForChange } from '$lib/server/meetings/booking';
import { dayOptions, ownMeeting } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/server/participants/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, decision } = await ownMeeting(participant, event.params.id);
	const helpline = (await getProgramme(participant.programmeId))?.helpline ?? null;
	if (!decision.ok) return { id: row.id, meeting: view, refused: decision.reason, helpline, question: null, values: {}, noTimes: false };
	const options = dayOptions(await freeSlotsForChange(participant, row));
	const question = dayQuestion(options, `Your meeting is now ${view.when}. Choose a new day: the meeting stays ${view.place}. Times are UK time.`);
	const chosen = parseDay(event.url.searchParams.get('day'));
	return {
		id: row.id,
		meeting: view,
		refused: null,
		helpline,
		question: { heading: question.heading, hint: question.hint, fields: question.fields },
		values: { day: chosen && options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { row, decision } = await ownMeeting(participant, event.params.id);
		if (!decision.ok) redirect(303, `/account/meetings/${row.id}/change`);
		const result = await parseForm(dayQuestion(dayOptions(await freeSlotsForChange(participant, row))), event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/meetings/${row.id}/change/time?day=${result.values.day}`);
	}
};
