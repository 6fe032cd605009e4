import { fail, redirect } from '@sveltejs/kit';
import { parseDay, parseStart, timeQuestion } from '$lib/domain/meetings/booking-forms';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { ukDate } from '$lib/domain/meetings/uk-time';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForChange } from '$lib/server/meetings/booking';
import { ownMeeting, timeOptions } from '$lib/server/meetings/booking-pages';
import { placeOf } from '$lib/server/meetings/messages';
import { venuesByIds } from '$lib/server/meetings/availability-store';
import { getDb } from '$lib/server/db';
import { requireParticipant } from '$lib/server/participants/guard';
import type { ParticipantUser } from '$lib/server/participants/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The free times on the chosen day for this meeting; back to the day page without a day or once too late. */
async function times(participant: ParticipantUser, id: string, url: URL) {
	const { row, view, decision } = await ownMeeting(participant, id);
	const day = parseDay(url.searchParams.get('day'));
	if (!decision.ok || !day) redirect(303, `/account/meetings/${row.id}/change`);
	const venue = row.venueId ? ((await venuesByIds(await getDb(), [row.venueId])).get(row.venueId) ?? null) : null;
	const options = timeOptions(await freeSlotsForChange(participant, row), day, placeOf(row, venue));
	return { row, view, day, options, question: timeQuestion(options, `Free times on ${dayLabel(day)}. Your meeting is now ${view.when}.`) };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, day, options, question } = await times(participant, event.params.id, event.url);
	const chosen = event.url.searchParams.get('start') ?? '';
	const taken = parseStart(event.url.searchParams.get('taken'));
	return {
		id: row.id,
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
		const { row, question } = await times(participant, event.params.id, event.url);
		const result = await parseForm(question, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/meetings/${row.id}/change/check?start=${encodeURIComponent(result.values.start)}`);
	}
};
