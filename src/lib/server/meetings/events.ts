/**
 * The `meeting.*` events, as written to the event log (event.payload). The public payload sent to case
 * systems is built from this in events/payload.ts. No health details: times, mode, who, and a reason only
 * when the person gave one for a cancel.
 */
import type { Db, Tx } from '../db';
import type { MeetingRow } from '../db/schema';
import { appendEvent } from '../events/log';

export const MEETING_EVENT_TYPES = ['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled', 'meeting.attended', 'meeting.missed'] as const;
export type MeetingEventType = (typeof MEETING_EVENT_TYPES)[number];

/** Who caused a meeting event. */
export type MeetingActor = { kind: 'participant' } | { kind: 'staff'; staffId: string } | { kind: 'system' };

export interface MeetingEventData {
	meetingId: string;
	version: number;
	staffId: string;
	startsAt: string;
	endsAt: string;
	mode: MeetingRow['mode'];
	venueId: string | null;
	status: MeetingRow['status'];
	/** The meeting was the person's first. */
	first: boolean;
	/** meeting.rescheduled: the times (and the way of meeting) before the change. */
	previous?: { startsAt: string; endsAt: string; staffId: string; mode?: MeetingRow['mode']; venueId?: string | null } | null;
	/** meeting.cancelled: the reason given, if any. */
	reason?: string | null;
	actor: MeetingActor;
}

/** Appends a meeting event inside `tx` (last in the transaction, as appendEvent requires). */
export async function appendMeetingEvent(
	tx: Tx | Db,
	type: MeetingEventType,
	row: MeetingRow,
	extra: { first: boolean; actor: MeetingActor; previous?: MeetingEventData['previous']; reason?: string | null }
) {
	const data: MeetingEventData = {
		meetingId: row.id,
		version: row.version,
		staffId: row.staffId,
		startsAt: row.startsAt.toISOString(),
		endsAt: row.endsAt.toISOString(),
		mode: row.mode,
		venueId: row.venueId,
		status: row.status,
		first: extra.first,
		previous: extra.previous ?? null,
		reason: extra.reason ?? null,
		actor: extra.actor
	};
	return appendEvent(tx, { type, referralId: row.referralId, programmeId: row.programmeId, payload: { ...data } });
}
