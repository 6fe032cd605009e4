import { fail, redirect } from '@sveltejs/kit';
import { parseDay, parseHow, parseStart, timeQuestion } from '$lib/domain/meetings/booking-forms';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForParticipant, meetingMode } from '$lib/server/meetings/booking';
import { placeFor, timeOptions } from '$lib/server/meetings/booking-pages';
import { ukDate } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The free times on the chosen day, in the chosen way; back to an earlier step without valid choices. */
async function times(participant: ParticipantUser, url: URL) {
	const how = url.searchParams.get('how') ?? '';
	const parsed = parseHow(how);
	const mode = parsed && meetingMode(parsed.mode, parsed.venueId);
	if (!parsed || !mode) redirect(303, '/account/book');
	const day = parseDay(url.searchParams.get('day'));
	if (!day) redirect(303, `/account/book/day?how=${encodeURIComponent(how)}`);
	const { slots } = await freeSlotsForParticipant(participant, parsed);
	const options = timeOptions(slots, day, await placeFor(mode));
	return { how, day, options, question: timeQuestion(options, `Free times on ${dayLabel(day)}. Times are UK time.`) };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { how, day, options, question } = await times(participant, event.url);
	const chosen = event.url.searchParams.get('start') ?? '';
	const taken = parseStart(event.url.searchParams.get('taken'));
	return {
		how,
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
		const { how, question } = await times(participant, event.url);
		const result = await parseForm(question, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/book/invite?how=${encodeURIComponent(how)}&start=${encodeURIComponent(result.values.start)}`);
	}
};
