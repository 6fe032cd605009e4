import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER_MESSAGE } from '../../src/lib/domain/fields';
import { bookingSettingsSchema, DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';

const form = { meetingMinutes: '45', bufferMinutes: '15', minimumNoticeHours: '24', bookAheadDays: '28', changeNoticeHours: '24', reminderOffsets: ['120', '1440'] };
const messages = (raw: Record<string, unknown>) => {
	const parsed = bookingSettingsSchema.safeParse(raw);
	return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]).reverse()) // first message per field, as validate() shows;
};

describe('booking settings', () => {
	it('has the defaults the service works to', () => {
		expect(DEFAULT_BOOKING_SETTINGS).toEqual({
			meetingMinutes: 45,
			bufferMinutes: 15,
			minimumNoticeHours: 24,
			bookAheadDays: 28,
			changeNoticeHours: 24,
			reminderOffsets: [1440, 120]
		});
		expect(Object.isFrozen(DEFAULT_BOOKING_SETTINGS)).toBe(true);
	});
	it('reads the form into numbers, reminders longest first', () => {
		expect(bookingSettingsSchema.parse(form)).toEqual(DEFAULT_BOOKING_SETTINGS);
		expect(bookingSettingsSchema.parse({ ...form, reminderOffsets: [] }).reminderOffsets).toEqual([]);
	});
	it('says what to do in plain English', () => {
		expect(messages({ ...form, meetingMinutes: '' })).toEqual({ meetingMinutes: 'Enter the meeting length' });
		expect(messages({ ...form, bufferMinutes: '10.5' })).toEqual({ bufferMinutes: 'Gap between meetings must be a whole number, like 1' });
		expect(messages({ ...form, bookAheadDays: '401' })).toEqual({ bookAheadDays: 'How far ahead people can book must be between 1 and 400 days' });
		expect(bookingSettingsSchema.parse({ ...form, bookAheadDays: '400' }).bookAheadDays).toBe(400);
		expect(messages({ ...form, meetingMinutes: '5' })).toEqual({ meetingMinutes: 'Meeting length must be between 15 and 180 minutes' });
		expect(messages({ ...form, reminderOffsets: ['999'] })).toEqual({ reminderOffsets: 'Choose reminder times from the list' });
		expect(messages({ ...form, changeNoticeHours: '2\u0000' })).toEqual({ changeNoticeHours: CONTROL_CHARACTER_MESSAGE });
	});
});
