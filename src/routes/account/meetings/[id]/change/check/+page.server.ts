import { error, fail, redirect } from '@sveltejs/kit';
import { parseStart } from '$lib/domain/meetings/booking-forms';
import { emailWhen } from '$lib/domain/meetings/labels';
import { ukDate } from '$lib/domain/meetings/uk-time';
import { freeSlotsForChange, rescheduleMeeting } from '$lib/server/meetings/booking';
import { ownMeeting } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/server/participants/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

const takenUrl = (id: string, start: Date) => `/account/meetings/${id}/change/time?day=${ukDate(start)}&taken=${encodeURIComponent(start.toISOString())}`;

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, decision } = await ownMeeting(participant, event.params.id);
	const start = parseStart(event.url.searchParams.get('start'));
	if (!decision.ok || !start) redirect(303, `/account/meetings/${row.id}/change`);
	const slot = (await freeSlotsForChange(participant, row)).find((s) => s.start.getTime() === start.getTime());
	if (!slot) redirect(303, takenUrl(row.id, start));
	return {
		id: row.id,
		before: view.when,
		after: emailWhen(slot),
		where: view.where,
		invitee: row.inviteeEmail,
		email: participant.email,
		back: `/account/meetings/${row.id}/change/time?day=${ukDate(start)}&start=${encodeURIComponent(start.toISOString())}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const start = parseStart(event.url.searchParams.get('start'));
		const id = event.params.id;
		if (!start) redirect(303, `/account/meetings/${encodeURIComponent(id)}/change`);
		const result = await rescheduleMeeting(participant, id, start);
		if (result.ok) redirect(303, `/account/meetings/${result.meeting.id}?changed=1`);
		if (result.reason === 'not-found') error(404, 'Not found');
		if (result.reason === 'taken') redirect(303, takenUrl(id, start));
		const helpline = (await getProgramme(participant.programmeId))?.helpline;
		return fail(409, {
			problem: `This meeting can no longer be changed online.${helpline ? ` To change it, call ${helpline.phone} (${helpline.hours}).` : ''}`
		});
	}
};
