import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { meetingFacts, meetingForParticipant } from '$lib/server/meetings/booking';
import { meetingCalendarFile } from '$lib/server/meetings/messages';
import { requireParticipant } from '$lib/http/guard';
import type { RequestHandler } from './$types';

/** The meeting's calendar file: the same UID every time, SEQUENCE raised by every move, METHOD:CANCEL once cancelled. */
export const GET: RequestHandler = async (event) => {
	const participant = requireParticipant(event);
	const row = await meetingForParticipant(participant, event.params.id);
	if (!row) error(404, 'Not found');
	const file = meetingCalendarFile(await meetingFacts(await getDb(), row, participant.phone), new Date());
	return new Response(file, {
		headers: {
			'content-type': `text/calendar; method=${row.status === 'cancelled' ? 'CANCEL' : 'REQUEST'}; charset=utf-8`,
			'content-disposition': 'attachment; filename="meeting.ics"',
			'cache-control': 'no-store'
		}
	});
};
