import { fail, redirect } from '@sveltejs/kit';
import { parseDay, parseStart, timeQuestion } from '$lib/domain/meetings/booking-forms';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { ukDate } from '$lib/domain/uk-time';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForChange } from '$lib/server/meetings/booking';
import { changeWay, ownMeeting, timeOptions } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The free times on the chosen day in the chosen way (the meeting's own without one); back to an earlier step without valid choices. */
async function times(participant: ParticipantUser, id: string, url: URL) {
	const { row, view, decision } = await ownMeeting(participant, id);
	const way = await changeWay(row, url.searchParams.get('how'));
	if (!decision.ok || !way) redirect(303, `/account/meetings/${row.id}/change`);
	const day = parseDay(url.searchParams.get('day'));
	if (!day) redirect(303, `/account/meetings/${row.id}/change/day?how=${encodeURIComponent(way.how)}`);
	const options = timeOptions(await freeSlotsForChange(participant, row, undefined, way.query), day, way.placeDetail);
	return { row, view, way, day, options, question: timeQuestion(options, `Free times on ${dayLabel(day)}. Your meeting is now ${view.when}.`) };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, way, day, options, question } = await times(participant, event.params.id, event.url);
	const chosen = event.url.searchParams.get('start') ?? '';
	const taken = parseStart(event.url.searchParams.get('taken'));
	return {
		id: row.id,
		how: way.how,
		day,
		dayWords: dayLabel(day),
		question: { heading: question.heading, hint: question.hint, fields: question.fields },
		values: { start: options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0,
		taken: taken ? `${dayLabel(ukDate(taken))} at ${timeLabel(taken)}` : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { row, way, question } = await times(participant, event.params.id, event.url);
		const result = await parseForm(question, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/meetings/${row.id}/change/check?how=${encodeURIComponent(way.how)}&start=${encodeURIComponent(result.values.start)}`);
	}
};
