/**
 * When reminders are due. Offsets are real minutes before the start (1440 = 24 hours). Each reminder has a
 * key made of the meeting, its version and the offset, so a reschedule (a new version) makes new keys and
 * the pending reminders of the old time are dropped; a cancel drops them all.
 */
import type { Meeting } from './meeting';
import type { BookingSettings } from './settings';

export interface Reminder {
	key: string;
	due: Date;
	offsetMinutes: number;
}

type MeetingTime = Pick<Meeting, 'id' | 'version' | 'start' | 'status'>;

export function reminderKey(meetingId: string, version: number, offsetMinutes: number): string {
	return `meeting-reminder:${meetingId}:v${version}:${offsetMinutes}m`;
}

/** Reminders still to send, soonest first; none for a meeting that is not booked or those already past. */
export function reminderTimes(meeting: MeetingTime, settings: Pick<BookingSettings, 'reminderOffsets'>, now: Date): Reminder[] {
	if (meeting.status !== 'booked') return [];
	return [...new Set(settings.reminderOffsets)]
		.map((offsetMinutes) => ({
			key: reminderKey(meeting.id, meeting.version, offsetMinutes),
			due: new Date(meeting.start.getTime() - offsetMinutes * 60_000),
			offsetMinutes
		}))
		.filter((r) => r.due.getTime() > now.getTime())
		.sort((a, b) => a.due.getTime() - b.due.getTime());
}

/**
 * After a booking, reschedule or cancel: which pending reminders (by key) to drop and which to add.
 * `pendingKeys` are the keys of this meeting's reminders not yet sent.
 */
export function reminderChanges(
	pendingKeys: string[],
	meeting: MeetingTime,
	settings: Pick<BookingSettings, 'reminderOffsets'>,
	now: Date
): { add: Reminder[]; drop: string[] } {
	const wanted = reminderTimes(meeting, settings, now);
	const wantedKeys = new Set(wanted.map((r) => r.key));
	return {
		add: wanted.filter((r) => !pendingKeys.includes(r.key)),
		drop: pendingKeys.filter((key) => !wantedKeys.has(key))
	};
}

/** Checked again at send time: a reminder goes only for the current version of a booked meeting. */
export function isReminderCurrent(key: string, meeting: MeetingTime): boolean {
	const offset = /:(\d+)m$/.exec(key)?.[1];
	return meeting.status === 'booked' && offset !== undefined && key === reminderKey(meeting.id, meeting.version, Number(offset));
}
