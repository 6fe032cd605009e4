import { error, fail, redirect } from '@sveltejs/kit';
import { cancelQuestion } from '$lib/domain/meetings/booking-forms';
import { bookingErrors, bookingFields } from '$lib/i18n/booking';
import { parseForm } from '$lib/server/forms';
import { cancelMeeting } from '$lib/server/meetings/booking';
import { ownMeeting } from '$lib/http/booking-flow';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, decision } = await ownMeeting(participant, event.params.id);
	return {
		id: row.id,
		meeting: view,
		refused: decision.ok ? null : decision.reason,
		helpline: (await getProgramme(participant.programmeId))?.helpline ?? null,
		fields: bookingFields(cancelQuestion.fields)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const result = await parseForm(cancelQuestion, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: bookingErrors(result.errors) });
		const cancelled = await cancelMeeting(participant, event.params.id, result.values.reason);
		if (cancelled.ok) redirect(303, `/account/meetings/${cancelled.meeting.id}?cancelled=1`);
		if (cancelled.reason === 'not-found') error(404, 'Not found');
		// Already cancelled (a double click or a resent form): show it as cancelled.
		if (cancelled.reason === 'cancelled') redirect(303, `/account/meetings/${encodeURIComponent(event.params.id)}?cancelled=1`);
		// Too late, already past or already cancelled: the page says so and gives the helpline.
		redirect(303, `/account/meetings/${encodeURIComponent(event.params.id)}/cancel`);
	}
};
