/**
 * The staff forms for availability, venues and a programme's booking settings, on the one form model:
 * the fields each page draws and the zod schema that reads them. The availability schemas themselves are
 * in ./availability.ts and the settings schema in ./settings.ts; this file adds the fields (and the
 * schemas only these forms have: the video link, venues, the settings form's version).
 */
import { z } from 'zod';
import { text, wholeNumberField, yesNoField, type Field, type FormDefinition, type Option, type RawValues } from '../fields';
import { normalisePostcode } from '../postcode';
import { WEEKDAYS, extraHoursSchema, leaveDaysSchema, removedHoursSchema, weeklyPatternSchema } from './availability';
import type { ModeKind } from './modes';
import { REMINDER_OPTIONS, bookingSettingsSchema, type BookingSettings } from './settings';
import { minutesOf } from '../uk-time';

/**
 * The availability page's form actions, by name (the routes make them with `guardedActions`; the role
 * matrix, tests/e2e/role-matrix.spec.ts, reads this list to request each one).
 */
export const AVAILABILITY_ACTIONS = ['addPattern', 'removePattern', 'addExtra', 'addRemoved', 'removeChange', 'addLeave', 'removeLeave', 'videoLink'] as const;
export type AvailabilityAction = (typeof AVAILABILITY_ACTIONS)[number];

/** The words on the staff forms for each way of meeting. */
export const MODE_CHOICES: { value: ModeKind; label: string }[] = [
	{ value: 'in-person', label: 'In person' },
	{ value: 'phone', label: 'Phone' },
	{ value: 'video', label: 'Video' }
];

export interface VenueChoice {
	id: string;
	name: string;
}

const TIME_HINT = '24-hour clock, like 09:00 or 17:30';

const time = (name: string, label: string): Field => ({ kind: 'text', name, label, hint: TIME_HINT, width: 'short', inputmode: 'numeric', spellcheck: false });
const day = (name: string, label: string, hint?: string): Field => ({ kind: 'text', type: 'date', name, label, hint, width: 'medium' });

function modesField(): Field {
	// The same forms serve your own page and a team lead's page for someone else: no "you" in them.
	return { kind: 'checkboxes', name: 'modes', label: 'How people can meet at these times', hint: 'Choose all that apply.', options: MODE_CHOICES };
}

function venueField(venues: VenueChoice[]): Field {
	const options: Option[] = [{ value: '', label: 'No venue' }, ...venues.map((v) => ({ value: v.id, label: v.name }))];
	return { kind: 'select', name: 'venueId', label: 'Venue for meetings in person', hint: 'Needed when people can meet in person.', options };
}

export function weeklyPatternForm(venues: VenueChoice[]) {
	const fields: Field[] = [
		{ kind: 'select', name: 'weekday', label: 'Day', options: [{ value: '', label: 'Choose a day' }, ...WEEKDAYS.map((label, i) => ({ value: String(i + 1), label }))] },
		time('start', 'Start time'),
		time('end', 'End time'),
		modesField(),
		venueField(venues)
	];
	return { fields, schema: weeklyPatternSchema } satisfies FormDefinition;
}

export function extraHoursForm(venues: VenueChoice[]) {
	const fields: Field[] = [day('date', 'Date'), time('start', 'Start time'), time('end', 'End time'), modesField(), venueField(venues)];
	return { fields, schema: extraHoursSchema } satisfies FormDefinition;
}

export const removedHoursForm = {
	fields: [day('date', 'Date'), time('start', 'Start time'), time('end', 'End time')] as Field[],
	schema: removedHoursSchema
} satisfies FormDefinition;

export const leaveForm = {
	fields: [day('from', 'First day of leave'), day('to', 'Last day of leave', 'The last day away, not the day back. For one day, give the same date twice.')] as Field[],
	schema: leaveDaysSchema
} satisfies FormDefinition;

/** An https address only: people open it to join a video call. */
export function isVideoLink(value: string): boolean {
	if (/\s/.test(value)) return false;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
	} catch {
		return false;
	}
}

export const videoLinkForm = {
	fields: [
		{
			kind: 'text',
			name: 'videoLink',
			label: 'Video call link',
			hint: 'The https address people open to join a video meeting, like https://video.example.org/sam-specialist. Leave it empty to remove it.',
			type: 'url',
			inputmode: 'url',
			spellcheck: false
		}
	] as Field[],
	schema: z.object({
		videoLink: text()
			.trim()
			.max(500, 'The video call link must be 500 characters or fewer')
			.refine((v) => v === '' || isVideoLink(v), 'Enter a video call link that starts with https://, like https://video.example.org/sam-specialist')
			.transform((v) => (v === '' ? null : v))
	})
} satisfies FormDefinition;

/** One id from a list: the remove buttons carry it in a hidden field. */
export const removeForm = {
	fields: [{ kind: 'hidden', name: 'id' }] as Field[],
	schema: z.object({ id: text().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'That item was not found. It may have been removed already') })
} satisfies FormDefinition;

// ---- venues -------------------------------------------------------------------------------------

export const venueForm = {
	fields: [
		{ kind: 'text', name: 'name', label: 'Name', hint: 'As people know it, like "Central Library, Manchester".' },
		{ kind: 'textarea', name: 'address', label: 'Address', hint: 'Without the postcode. Each part on its own line.', rows: 3 },
		{ kind: 'text', name: 'postcode', label: 'Postcode', width: 'short', autocomplete: 'off', spellcheck: false },
		{
			kind: 'textarea',
			name: 'accessibilityNotes',
			label: 'Accessibility (optional)',
			hint: 'Step-free access, accessible toilets, hearing loops, parking, how to find the room. People read this before they choose.',
			rows: 4
		},
		yesNoField('privateRoom', 'Is there a private room for meetings?', 'Some people will not talk about their health or money in an open space.')
	] as Field[],
	schema: z.object({
		name: text().trim().min(1, 'Enter the name of the venue').max(100, 'The name must be 100 characters or fewer'),
		address: text().trim().min(1, 'Enter the address of the venue').max(300, 'The address must be 300 characters or fewer'),
		postcode: text()
			.trim()
			.min(1, 'Enter the postcode of the venue')
			.transform((v, ctx) => {
				const normal = normalisePostcode(v);
				if (!normal) {
					ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like M2 5PD' });
					return z.NEVER;
				}
				return normal;
			}),
		accessibilityNotes: text().trim().max(1000, 'Accessibility notes must be 1000 characters or fewer'),
		privateRoom: text()
			.refine((v) => v === 'yes' || v === 'no', 'Choose yes if the venue has a private room for meetings')
			.transform((v) => v === 'yes')
	})
} satisfies FormDefinition;

export type VenueValues = z.output<typeof venueForm.schema>;

export function venueFormValues(v: { name: string; address: string; postcode: string; accessibilityNotes: string; privateRoom: boolean }): RawValues {
	return { name: v.name, address: v.address, postcode: v.postcode, accessibilityNotes: v.accessibilityNotes, privateRoom: v.privateRoom ? 'yes' : 'no' };
}

// ---- booking settings ---------------------------------------------------------------------------

export const bookingSettingsForm = {
	fields: [
		{ kind: 'hidden', name: 'version' },
		wholeNumberField('meetingMinutes', 'Meeting length, in minutes', 'From 15 to 180 minutes.', 'minutes'),
		wholeNumberField('bufferMinutes', 'Gap between meetings, in minutes', 'Kept free before and after every meeting, for notes and travel. From 0 to 120 minutes.', 'minutes'),
		wholeNumberField('minimumNoticeHours', 'Minimum notice, in hours', 'How soon a meeting can start after it is booked. From 0 to 336 hours (2 weeks).', 'hours'),
		wholeNumberField('bookAheadDays', 'How far ahead people can book, in days', 'From 1 to 400 days.', 'days'),
		wholeNumberField(
			'changeNoticeHours',
			'Notice to change or cancel, in hours',
			'With less notice than this, people are asked to call the helpline instead of changing a meeting online. From 0 to 336 hours.',
			'hours'
		),
		{
			kind: 'checkboxes',
			name: 'reminderOffsets',
			label: 'Reminders',
			hint: 'Sent by email, and by text to people who agreed to texts. Choose none to send no reminders.',
			options: REMINDER_OPTIONS.map((o) => ({ value: o.value, label: o.label }))
		}
	] as Field[],
	schema: bookingSettingsSchema.extend({
		version: text().transform((v) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : undefined))
	})
} satisfies FormDefinition;

export function bookingSettingsValues(s: BookingSettings, version: number): RawValues {
	return {
		version: String(version),
		meetingMinutes: String(s.meetingMinutes),
		bufferMinutes: String(s.bufferMinutes),
		minimumNoticeHours: String(s.minimumNoticeHours),
		bookAheadDays: String(s.bookAheadDays),
		changeNoticeHours: String(s.changeNoticeHours),
		reminderOffsets: s.reminderOffsets.map(String)
	};
}

// ---- words --------------------------------------------------------------------------------------

/** "9:00am", "12:00pm", "5:30pm" for a UK wall-clock time 'HH:mm' (no date, so no time zone to name). */
export function wallTimeWords(time: string): string {
	const minutes = minutesOf(time);
	const h = Math.floor(minutes / 60);
	const m = String(minutes % 60).padStart(2, '0');
	return `${h % 12 === 0 ? 12 : h % 12}:${m}${h < 12 ? 'am' : 'pm'}`;
}

/** "9:00am to 5:00pm" */
export function wallHoursWords(start: string, end: string): string {
	return `${wallTimeWords(start)} to ${wallTimeWords(end)}`;
}

/** "by phone, by video call and in person at Central Library" */
export function modesWords(modes: ModeKind[], venueName: string | null): string {
	const words = (['in-person', 'phone', 'video'] as const)
		.filter((m) => modes.includes(m))
		.map((m) => (m === 'phone' ? 'by phone' : m === 'video' ? 'by video call' : venueName ? `in person at ${venueName}` : 'in person'));
	return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "Monday" for 1. */
export function weekdayName(weekday: number): string {
	return WEEKDAYS[weekday - 1] ?? '';
}
