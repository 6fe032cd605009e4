import { error, fail, redirect } from '@sveltejs/kit';
import { parseStart } from '$lib/domain/meetings/booking-forms';
import { emailWhen } from '$lib/domain/meetings/labels';
import { ukDate } from '$lib/domain/uk-time';
import { freeSlotsForChange, rescheduleMeeting } from '$lib/server/meetings/booking';
import { changeWay, ownMeeting, whereForWay } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

const takenUrl = (id: string, how: string, start: Date) =>
	`/account/meetings/${id}/change/time?how=${encodeURIComponent(how)}&day=${ukDate(start)}&taken=${encodeURIComponent(start.toISOString())}`;

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, decision } = await ownMeeting(participant, event.params.id);
	const way = await changeWay(row, event.url.searchParams.get('how'));
	const start = parseStart(event.url.searchParams.get('start'));
	if (!decision.ok || !start || !way) redirect(303, `/account/meetings/${row.id}/change`);
	const slot = (await freeSlotsForChange(participant, row, undefined, way.query)).find((s) => s.start.getTime() === start.getTime());
	if (!slot) redirect(303, takenUrl(row.id, way.how, start));
	const after = await whereForWay(row, way, participant);
	const how = encodeURIComponent(way.how);
	return {
		id: row.id,
		before: view.when,
		after: emailWhen(slot),
		timeChanged: slot.start.getTime() !== row.startsAt.getTime(),
		wayChanged: way.changed,
		whereBefore: { where: view.where, videoLink: view.videoLink },
		where: after,
		invitee: row.inviteeEmail,
		email: participant.email,
		back: `/account/meetings/${row.id}/change/time?how=${how}&day=${ukDate(start)}&start=${encodeURIComponent(start.toISOString())}`,
		changeHow: `/account/meetings/${row.id}/change?how=${how}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const start = parseStart(event.url.searchParams.get('start'));
		const id = event.params.id;
		if (!start) redirect(303, `/account/meetings/${encodeURIComponent(id)}/change`);
		const { row } = await ownMeeting(participant, id);
		const way = await changeWay(row, event.url.searchParams.get('how'));
		if (!way) redirect(303, `/account/meetings/${row.id}/change`);
		const result = await rescheduleMeeting(participant, id, { start, mode: way.query.mode, venueId: way.query.venueId ?? null });
		if (result.ok) redirect(303, `/account/meetings/${result.meeting.id}?changed=1`);
		if (result.reason === 'not-found') error(404, 'Not found');
		if (result.reason === 'taken') redirect(303, takenUrl(id, way.how, start));
		const helpline = (await getProgramme(participant.programmeId))?.helpline;
		return fail(409, {
			problem: `This meeting can no longer be changed online.${helpline ? ` To change it, call ${helpline.phone} (${helpline.hours}).` : ''}`
		});
	}
};
