/**
 * The specialists' meeting forms on the one form model: the "My meetings" GET filter (a start date and,
 * for team leads and admins, whose meetings), the outcome buttons (a hidden meeting id) and the "Done"
 * button on a task (a hidden task id).
 */
import { z } from 'zod';
import { text, type Field, type FormDefinition } from '../fields';
import { parseUkDate } from '../uk-time';
import { dayFilterField } from '../range-form';
import type { MeetingStatus } from './meeting';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many days "My meetings" shows from its start date. */
export const MEETING_LIST_DAYS = 14;

export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
	booked: 'Booked',
	cancelled: 'Cancelled',
	attended: 'Attended',
	missed: 'Did not attend'
};

export const OUTCOMES = ['attended', 'missed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The filter on "My meetings". `from` is the staff day box (2027-03-30 or 30/3/2027); empty means today.
 * `staff` is drawn only for team leads and admins; empty means yourself.
 */
export function meetingFilterForm(colleagues: { id: string; name: string }[] = []) {
	const fields: Field[] = [dayFilterField('from', 'Show meetings from', 'For example, 30/3/2027 or 2027-03-30. Two weeks are shown.')];
	if (colleagues.length)
		fields.push({ kind: 'select', name: 'staff', label: 'Whose meetings', options: [{ value: '', label: 'My meetings' }, ...colleagues.map((c) => ({ value: c.id, label: c.name }))] });
	const schema = z.object({
		from: text()
			.transform((v) => v.trim())
			.refine((v) => v === '' || parseUkDate(v) !== null, 'Enter a real date, like 30/3/2027 or 2027-03-30')
			.transform((v) => (v ? parseUkDate(v) : null)),
		staff: z
			.string()
			.optional()
			.transform((v) => (v ? v.trim() : ''))
			.refine((v) => v === '' || UUID.test(v), 'Choose someone from the list')
			.transform((v) => v || null)
	});
	return { fields, schema } satisfies FormDefinition;
}

/** The "Attended" and "Did not attend" buttons: the meeting's id. */
export const outcomeForm = {
	fields: [{ kind: 'hidden', name: 'meetingId' }] as Field[],
	schema: z.object({ meetingId: z.string().trim().regex(UUID, 'This meeting was not found') })
} satisfies FormDefinition;

/** The "Done" button on a task: the task's id. */
export const taskDoneForm = {
	fields: [{ kind: 'hidden', name: 'taskId' }] as Field[],
	schema: z.object({ taskId: z.string().trim().regex(UUID, 'This task was not found') })
} satisfies FormDefinition;

/** The list's filter as a query string ("from=2027-03-30&staff=..."), kept on the outcome buttons and after them. */
export function meetingListQuery(values: { from: string | null; staff: string | null }): string {
	const params = new URLSearchParams();
	if (values.from) params.set('from', values.from);
	if (values.staff) params.set('staff', values.staff);
	return params.toString();
}

/** How a follow-up task reaches the person, in words. */
export const CHANNEL_WORDS: Record<string, string> = { phone: 'Phone', text: 'Text message', email: 'Email' };
