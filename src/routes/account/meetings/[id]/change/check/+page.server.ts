import { error, fail, redirect } from '@sveltejs/kit';
import { isolated } from '$lib/i18n/booking';
import { meetingWhenWords } from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import { chosenStart, chosenWay, stillFree, timeHref } from '$lib/http/booking-flow';
import { rescheduleMeeting } from '$lib/server/meetings/booking';
import { whereForWay } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { flow, slot, start } = await stillFree(participant, event.url, event.params.id);
	const { row, view, way } = flow.move!;
	return {
		id: row.id,
		before: view.when,
		after: meetingWhenWords(slot),
		timeChanged: slot.start.getTime() !== row.startsAt.getTime(),
		wayChanged: way.changed,
		whereBefore: { where: view.where, videoLink: view.videoLink, parts: view.whereParts },
		where: await whereForWay(row, way, participant),
		invitee: row.inviteeEmail,
		email: participant.email,
		back: timeHref(flow, start),
		changeHow: `${flow.base}?how=${encodeURIComponent(way.how)}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const id = event.params.id;
		const start = chosenStart(event.url, `/account/meetings/${encodeURIComponent(id)}/change`);
		const way = await chosenWay(participant, event.url, id);
		const { mode, venueId } = way.move!.way.query;
		const result = await rescheduleMeeting(participant, id, { start, mode, venueId: venueId ?? null });
		if (result.ok) redirect(303, `/account/meetings/${result.meeting.id}?changed=1`);
		if (result.reason === 'not-found') error(404, 'Not found');
		if (result.reason === 'taken') redirect(303, timeHref(way, start, 'taken'));
		const helpline = (await getProgramme(participant.programmeId))?.helpline;
		return fail(409, {
			problem: helpline ? m.ab_no_longer_change_call({ phone: isolated(helpline.phone), hours: isolated(helpline.hours) }) : m.ab_no_longer_change()
		});
	}
};
