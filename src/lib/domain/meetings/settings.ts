/** A programme's booking settings: meeting length, buffer, notice, how far ahead, reminders. */
import { z } from 'zod';
import { multiChoice, text } from '../fields';

export interface BookingSettings {
	meetingMinutes: number;
	/** Gap kept free before and after every booked meeting. */
	bufferMinutes: number;
	/** The earliest a meeting can start, counted from the moment of booking. */
	minimumNoticeHours: number;
	/** The latest a meeting can end, in UK calendar days from the moment of booking. */
	bookAheadDays: number;
	/** Less than this before the start, a person calls instead of changing or cancelling online. */
	changeNoticeHours: number;
	/** Minutes before the start at which reminders are sent: 1440 is 24 hours, 120 is 2 hours. */
	reminderOffsets: number[];
}

export const DEFAULT_BOOKING_SETTINGS: BookingSettings = Object.freeze({
	meetingMinutes: 45,
	bufferMinutes: 15,
	minimumNoticeHours: 24,
	bookAheadDays: 28,
	changeNoticeHours: 24,
	reminderOffsets: Object.freeze([1440, 120]) as number[]
});

/** The reminder times a programme can choose from (minutes before the meeting). */
export const REMINDER_OPTIONS = [
	{ value: '2880', label: '2 days before' },
	{ value: '1440', label: '24 hours before (the day before)' },
	{ value: '120', label: '2 hours before' },
	{ value: '60', label: '1 hour before' }
] as const;

const wholeNumber = (label: string, min: number, max: number, unit: string) =>
	text()
		.trim()
		.min(1, `Enter the ${label.toLowerCase()}`)
		.refine((v) => /^\d+$/.test(v), `${label} must be a whole number, like ${Math.max(min, 1)}`)
		.transform(Number)
		.refine((n) => n >= min && n <= max, `${label} must be between ${min} and ${max} ${unit}`);

/** Reads the programme settings form. */
export const bookingSettingsSchema = z.object({
	meetingMinutes: wholeNumber('Meeting length', 15, 180, 'minutes'),
	bufferMinutes: wholeNumber('Gap between meetings', 0, 120, 'minutes'),
	minimumNoticeHours: wholeNumber('Minimum notice', 0, 336, 'hours'),
	bookAheadDays: wholeNumber('How far ahead people can book', 1, 400, 'days'),
	changeNoticeHours: wholeNumber('Notice to change or cancel', 0, 336, 'hours'),
	reminderOffsets: multiChoice(
		REMINDER_OPTIONS.map((o) => o.value),
		'Choose reminder times from the list'
	).transform((values) => values.map(Number).sort((a, b) => b - a))
});
