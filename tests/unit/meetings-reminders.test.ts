import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../src/lib/domain/meetings/meeting';
import { isReminderCurrent, reminderChanges, reminderKey, reminderTimes } from '../../src/lib/domain/meetings/reminders';
import { DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';

const meeting = (over: Partial<Pick<Meeting, 'id' | 'version' | 'start' | 'status'>> = {}) => ({
	id: 'm1',
	version: 1,
	start: new Date('2027-03-29T08:00:00Z'), // Monday 09:00 BST, the day after the clocks go forward
	status: 'booked' as const,
	...over
});
const bookedAt = new Date('2027-03-20T12:00:00Z');

describe('reminderTimes', () => {
	it('by default is 24 hours and 2 hours before the start, soonest first', () => {
		expect(reminderTimes(meeting(), DEFAULT_BOOKING_SETTINGS, bookedAt)).toEqual([
			{ key: 'meeting-reminder:m1:v1:1440m', due: new Date('2027-03-28T08:00:00Z'), offsetMinutes: 1440 },
			{ key: 'meeting-reminder:m1:v1:120m', due: new Date('2027-03-29T06:00:00Z'), offsetMinutes: 120 }
		]);
	});
	it('skips reminders whose time has passed when the meeting is booked', () => {
		const late = new Date('2027-03-28T20:00:00Z');
		expect(reminderTimes(meeting(), DEFAULT_BOOKING_SETTINGS, late).map((r) => r.offsetMinutes)).toEqual([120]);
		expect(reminderTimes(meeting(), DEFAULT_BOOKING_SETTINGS, new Date('2027-03-29T07:00:00Z'))).toEqual([]);
	});
	it('gives none for a cancelled meeting, and none twice for a repeated offset', () => {
		expect(reminderTimes(meeting({ status: 'cancelled' }), DEFAULT_BOOKING_SETTINGS, bookedAt)).toEqual([]);
		expect(reminderTimes(meeting(), { reminderOffsets: [120, 120] }, bookedAt)).toHaveLength(1);
	});
	it('makes keys from the meeting, its version and the offset', () => {
		expect(reminderKey('m1', 3, 120)).toBe('meeting-reminder:m1:v3:120m');
		expect(reminderTimes(meeting({ version: 2 }), DEFAULT_BOOKING_SETTINGS, bookedAt).map((r) => r.key)).toEqual([
			'meeting-reminder:m1:v2:1440m',
			'meeting-reminder:m1:v2:120m'
		]);
	});
});

describe('reminderChanges', () => {
	const first = reminderTimes(meeting(), DEFAULT_BOOKING_SETTINGS, bookedAt).map((r) => r.key);

	it('adds all reminders for a new booking', () => {
		expect(reminderChanges([], meeting(), DEFAULT_BOOKING_SETTINGS, bookedAt).add.map((r) => r.key)).toEqual(first);
	});
	it('drops the old time’s reminders and adds new ones on a reschedule', () => {
		const moved = meeting({ version: 2, start: new Date('2027-04-01T13:00:00Z') });
		const changes = reminderChanges(first, moved, DEFAULT_BOOKING_SETTINGS, new Date('2027-03-22T09:00:00Z'));
		expect(changes.drop).toEqual(first);
		expect(changes.add.map((r) => r.key)).toEqual(['meeting-reminder:m1:v2:1440m', 'meeting-reminder:m1:v2:120m']);
		expect(changes.add.map((r) => r.due.toISOString())).toEqual(['2027-03-31T13:00:00.000Z', '2027-04-01T11:00:00.000Z']);
	});
	it('drops every pending reminder on a cancel', () => {
		expect(reminderChanges(first, meeting({ status: 'cancelled', version: 2 }), DEFAULT_BOOKING_SETTINGS, bookedAt)).toEqual({ add: [], drop: first });
	});
	it('changes nothing when nothing changed', () => {
		expect(reminderChanges(first, meeting(), DEFAULT_BOOKING_SETTINGS, bookedAt)).toEqual({ add: [], drop: [] });
	});
});

describe('isReminderCurrent', () => {
	it('is true only for the current version of a booked meeting', () => {
		expect(isReminderCurrent('meeting-reminder:m1:v1:120m', meeting())).toBe(true);
		expect(isReminderCurrent('meeting-reminder:m1:v1:120m', meeting({ version: 2 }))).toBe(false);
		expect(isReminderCurrent('meeting-reminder:m1:v1:120m', meeting({ status: 'cancelled' }))).toBe(false);
		expect(isReminderCurrent('meeting-reminder:m1:v1:120m', meeting({ id: 'm2' }))).toBe(false);
		expect(isReminderCurrent('meeting-reminder:m1:v11:120m', meeting())).toBe(false);
	});
});
