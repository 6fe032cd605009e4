/**
 * The participant's booking questions, one a page, on the one form model: how to meet, which day, which
 * time, whether to invite someone, and (to cancel) an optional reason. The choices depend on the free
 * times, so the radios' forms are made per request from the options offered.
 */
import { z } from 'zod';
import { choice, email, optionalText, type Field, type FormDefinition, type Option } from '../fields';
import { isModeKind, type ModeKind } from './modes';

export interface BookingQuestion<S extends z.ZodType = z.ZodType> extends FormDefinition<S> {
	/** The question: the page heading and title. */
	heading: string;
	hint?: string;
}

function radios<N extends string>(name: N, heading: string, options: Option[], empty: string, hint?: string) {
	const field: Field = { kind: 'radios', name, label: heading, options };
	return {
		heading,
		hint,
		fields: [field],
		schema: z.object({ [name]: choice(options.map((o) => o.value), empty) }) as unknown as z.ZodType<Record<N, string>>
	} satisfies BookingQuestion;
}

export const howQuestion = (options: Option[], hint = 'You can choose another way for later meetings.') =>
	radios('how', 'How would you like to meet?', options, 'Choose how you would like to meet', hint);

export const dayQuestion = (options: Option[], hint?: string) => radios('day', 'Which day would you like?', options, 'Choose a day', hint);

export const timeQuestion = (options: Option[], hint?: string) => radios('start', 'What time would you like?', options, 'Choose a time', hint ?? 'Times are UK time.');

export const inviteQuestion = {
	heading: 'Invite someone to join your meeting (optional)',
	hint: 'You can ask someone to come with you, such as a health worker or the person who referred you. Enter their email address and we will send them the time and place. Leave this empty if you do not want to invite anyone.',
	fields: [{ kind: 'text', type: 'email', name: 'invite', label: 'Invite someone to join your meeting (optional)', autocomplete: 'email', spellcheck: false, inputmode: 'email' }] as Field[],
	schema: z.object({ invite: email(null) })
} satisfies BookingQuestion;

export const cancelQuestion = {
	heading: 'Cancel your meeting',
	fields: [
		{
			kind: 'textarea',
			name: 'reason',
			label: 'Why are you cancelling? (optional)',
			hint: 'This helps us offer times that suit you. You do not have to tell us. Do not include details about your health.',
			rows: 3,
			maxLength: 500
		}
	] as Field[],
	schema: z.object({ reason: optionalText(500, 'Your reason must be 500 characters or fewer') })
} satisfies BookingQuestion;

/** A "how to meet" choice as the form sends it: "phone", "video" or "in-person:<venue id>". */
export function howValue(mode: ModeKind, venueId?: string | null): string {
	return mode === 'in-person' ? `in-person:${venueId}` : mode;
}

export function parseHow(value: string | null | undefined): { mode: ModeKind; venueId?: string } | null {
	if (!value) return null;
	const match = /^in-person:([0-9a-f-]{36})$/i.exec(value);
	if (match) return { mode: 'in-person', venueId: match[1].toLowerCase() };
	return isModeKind(value) && value !== 'in-person' ? { mode: value } : null;
}

/** An instant from a "start" value (ISO, as the time radios send it); null for anything else. */
export function parseStart(value: string | null | undefined): Date | null {
	if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value)) return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

export function parseDay(value: string | null | undefined): string | null {
	return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** "Tuesday 30 March (6 times)" */
export function dayOptionLabel(day: string, count: number, dayLabel: (date: string) => string): string {
	return `${dayLabel(day)} (${count} ${count === 1 ? 'time' : 'times'})`;
}
