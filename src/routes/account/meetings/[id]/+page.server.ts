import { error } from '@sveltejs/kit';
import { meetingForParticipant } from '$lib/server/meetings/booking';
import { meetingViews } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	// By the meeting's id and the participant's: another person's meeting is not found.
	const row = await meetingForParticipant(participant, event.params.id);
	if (!row) error(404, 'Not found');
	const [meeting] = await meetingViews([row], participant);
	const q = event.url.searchParams;
	const done: 'booked' | 'changed' | 'cancelled' | null = q.has('booked') ? 'booked' : q.has('changed') ? 'changed' : q.has('cancelled') ? 'cancelled' : null;
	return {
		meeting,
		email: participant.email,
		done: done === 'cancelled' && meeting.status !== 'cancelled' ? null : done,
		helpline: (await getProgramme(participant.programmeId))?.helpline ?? null
	};
};
