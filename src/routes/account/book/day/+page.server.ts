import { fail, redirect } from '@sveltejs/kit';
import { dayQuestion, parseDay, parseHow } from '$lib/domain/meetings/booking-forms';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForParticipant } from '$lib/server/meetings/booking';
import { dayOptions, placeFor } from '$lib/server/meetings/booking-pages';
import { meetingMode } from '$lib/server/meetings/booking';
import { placeWords } from '$lib/domain/meetings/modes';
import { requireParticipant } from '$lib/http/guard';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The days with free times in the way chosen on the page before; back to that page without a valid choice. */
async function days(participant: ParticipantUser, url: URL) {
	const how = url.searchParams.get('how') ?? '';
	const parsed = parseHow(how);
	const mode = parsed && meetingMode(parsed.mode, parsed.venueId);
	if (!parsed || !mode) redirect(303, '/account/book');
	const { slots } = await freeSlotsForParticipant(participant, parsed);
	const options = dayOptions(slots);
	const place = placeWords(await placeFor(mode));
	return { how, options, question: dayQuestion(options, `Days with free times to meet ${place}. Times are UK time.`) };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { how, options, question } = await days(participant, event.url);
	const chosen = parseDay(event.url.searchParams.get('day'));
	return {
		how,
		question: { heading: question.heading, hint: question.hint, fields: question.fields },
		values: { day: chosen && options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { how, question } = await days(participant, event.url);
		const result = await parseForm(question, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		redirect(303, `/account/book/time?how=${encodeURIComponent(how)}&day=${result.values.day}`);
	}
};
