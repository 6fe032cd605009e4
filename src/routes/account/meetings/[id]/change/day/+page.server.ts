import { fail, redirect } from '@sveltejs/kit';
import { dayQuestion, parseDay } from '$lib/domain/meetings/booking-forms';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForChange } from '$lib/server/meetings/booking';
import { changeWay, dayOptions, howOptionsForChange, ownMeeting } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The days with free times in the way chosen on the page before (the meeting's own way without one). */
async function days(participant: ParticipantUser, id: string, url: URL) {
	const { row, view, decision } = await ownMeeting(participant, id);
	const way = await changeWay(row, url.searchParams.get('how'));
	if (!decision.ok || !way) redirect(303, `/account/meetings/${row.id}/change`);
	const options = dayOptions(await freeSlotsForChange(participant, row, undefined, way.query));
	const hint = way.changed
		? `Your meeting is now ${view.when}, ${view.place}. Days with free times to meet ${way.place}. Times are UK time.`
		: `Your meeting is now ${view.when}. Choose a new day: the meeting stays ${view.place}. Times are UK time.`;
	return { row, view, way, options, question: dayQuestion(options, hint) };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, way, options, question } = await days(participant, event.params.id, event.url);
	const chosen = parseDay(event.url.searchParams.get('day'));
	// Back to the "how" page, unless it had only the meeting's own way to offer (then it was skipped).
	const ways = await howOptionsForChange(participant, row);
	const skippedHow = ways.length === 1 && ways[0].value === way.how && !way.changed;
	const howHref = skippedHow ? null : `/account/meetings/${row.id}/change?how=${encodeURIComponent(way.how)}`;
	return {
		id: row.id,
		how: way.how,
		meeting: view,
		place: way.place,
		howHref,
		back: howHref ?? `/account/meetings/${row.id}`,
		question: { heading: question.heading, hint: question.hint, fields: question.fields },
		values: { day: chosen && options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { row, way, question } = await days(participant, event.params.id, event.url);
		const result = await parseForm(question, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/meetings/${row.id}/change/time?how=${encodeURIComponent(way.how)}&day=${result.values.day}`);
	}
};
