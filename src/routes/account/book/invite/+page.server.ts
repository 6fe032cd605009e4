import { fail, redirect } from '@sveltejs/kit';
import { inviteQuestion, parseHow, parseStart } from '$lib/domain/meetings/booking-forms';
import { bookingErrors, bookingPage } from '$lib/i18n/booking';
import { ukDate } from '$lib/domain/uk-time';
import { parseForm } from '$lib/server/forms';
import { readInvite, setInvite } from '$lib/server/meetings/invite-cookie';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

/** The choices so far, from the address; back to the first step without them. */
function state(url: URL) {
	const how = url.searchParams.get('how') ?? '';
	const start = url.searchParams.get('start') ?? '';
	const at = parseStart(start);
	if (!parseHow(how) || !at) redirect(303, '/account/book');
	return { how, start, day: ukDate(at) };
}

export const load: PageServerLoad = async (event) => {
	requireParticipant(event);
	const { how, start, day } = state(event.url);
	return {
		back: `/account/book/time?how=${encodeURIComponent(how)}&day=${day}&start=${encodeURIComponent(start)}`,
		question: bookingPage({ heading: inviteQuestion.heading, hint: inviteQuestion.hint, fields: inviteQuestion.fields }),
		values: { invite: readInvite(event.cookies) ?? '' }
	};
};

export const actions: Actions = {
	default: async (event) => {
		requireParticipant(event);
		const { how, start } = state(event.url);
		const result = await parseForm(inviteQuestion, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: bookingErrors(result.errors) });
		setInvite(event.cookies, result.values.invite);
		redirect(303, `/account/book/check?how=${encodeURIComponent(how)}&start=${encodeURIComponent(start)}`);
	}
};
