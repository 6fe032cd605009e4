/** The referral page's forms (assign, contact attempt, status change) and the inbox filter form, as form definitions. Pure: no I/O. */
import { z } from 'zod';
import { choice, optionalChoice, optionalText, parseFormData, type Field, type FormDefinition, type Option } from '../fields';
import { isSourceCode, SOURCE_CODES, SOURCES } from '../sources';
import { CLOSE_REASON_CODES, CLOSE_REASONS, STATUS_LABELS, STATUSES, type Status } from './statuses';
import { CONTACT_CHANNEL_CODES, CONTACT_CHANNELS, CONTACT_OUTCOME_CODES, CONTACT_OUTCOMES, type ContactPreferences } from './contact-attempts';

export const contactAttemptSchema = z.object({
	channel: choice(CONTACT_CHANNEL_CODES, 'Select how you tried to contact them'),
	outcome: choice(CONTACT_OUTCOME_CODES, 'Select what happened'),
	note: optionalText(1000, 'The note must be 1,000 characters or fewer')
});
export type ContactAttemptInput = z.output<typeof contactAttemptSchema>;

/** A contact attempt that goes against what the person asked for; null when it is fine. */
export function contactConflict(input: Pick<ContactAttemptInput, 'channel'>, prefs: ContactPreferences): { field: 'channel'; message: string } | null {
	if (input.channel === 'letter' && prefs.postAllowed === false)
		return { field: 'channel', message: 'This person asked us not to send letters. Choose another way' };
	return null;
}

export const statusChangeSchema = z
	.object({
		status: choice(STATUSES, 'Select the new status'),
		closeReason: optionalChoice(CLOSE_REASON_CODES, 'Select why the referral is closed')
	})
	.superRefine((v, ctx) => {
		if (v.status === 'closed' && !v.closeReason) ctx.addIssue({ code: 'custom', path: ['closeReason'], message: 'Select why the referral is closed' });
	})
	.transform((v) => ({ status: v.status, closeReason: v.status === 'closed' ? v.closeReason : null }));
export type StatusChangeInput = z.output<typeof statusChangeSchema>;

/** The referral page's forms. Several share the page, so their ids start with the form's name. */
export const contactAttemptForm = {
	fields: [
		{ kind: 'radios', name: 'channel', label: 'How did you try?', options: Object.entries(CONTACT_CHANNELS).map(([value, label]) => ({ value, label })) },
		{ kind: 'radios', name: 'outcome', label: 'What happened?', options: Object.entries(CONTACT_OUTCOMES).map(([value, o]) => ({ value, label: o.label })) },
		{
			kind: 'textarea',
			name: 'note',
			label: 'Note (optional)',
			hint: 'For example, a better time to call. Keep health details out of notes.',
			rows: 3,
			maxLength: 1000
		}
	],
	schema: contactAttemptSchema
} satisfies FormDefinition;

export function statusChangeForm(choices: Status[] = [...STATUSES], current?: string) {
	return {
		fields: [
			{
				kind: 'radios',
				name: 'status',
				label: current ? `New status (now: ${current.toLowerCase()})` : 'New status',
				options: choices.map((value) => ({ value, label: STATUS_LABELS[value] }))
			},
			{
				kind: 'select',
				name: 'closeReason',
				label: 'Reason for closing',
				hint: 'Only needed when you close the referral.',
				options: [{ value: '', label: 'Choose a reason' }, ...CLOSE_REASONS.map((r) => ({ value: r.code, label: `${r.code} ${r.label}` }))]
			}
		],
		schema: statusChangeSchema
	} satisfies FormDefinition;
}

/** "queue" returns the referral to the programme's queue. */
export const assignSchema = z.object({
	staffId: z.union([z.literal('queue'), z.uuid()], { error: 'Select who should hold this referral' })
});

export function assignForm(assignable: { id: string; name: string }[] = [], holder: string | null = null) {
	const options: Option[] = [
		{ value: '', label: 'Choose a person' },
		...assignable.map((p) => ({ value: p.id, label: `${p.name}${p.id === holder ? ' (holds it now)' : ''}` })),
		...(holder ? [{ value: 'queue', label: 'Nobody: return it to the programme’s queue' }] : [])
	];
	return { fields: [{ kind: 'select', name: 'staffId', label: 'Assign to', options }], schema: assignSchema } satisfies FormDefinition;
}

/** The inbox filters from the query string. Anything unexpected falls back to the default. */
export const inboxFilterSchema = z.object({
	programme: z.string().max(100).optional().catch(undefined).transform((v) => v || null),
	status: z
		.enum(['open', 'all', ...STATUSES])
		.optional()
		.catch('open')
		.transform((v) => v ?? 'open'),
	source: z
		.string()
		.optional()
		.catch(undefined)
		.transform((v) => (isSourceCode(v) ? v : null)),
	specialist: z
		.union([z.literal('unassigned'), z.literal('mine'), z.uuid()])
		.optional()
		.catch(undefined)
		.transform((v) => v ?? null)
});
export type InboxFilters = z.output<typeof inboxFilterSchema>;

/**
 * The inbox's GET filter form. The programme choice is drawn only for people in more than one programme,
 * and the specialist choice lists the staff in their programmes; anything unexpected falls back to the default.
 */
export function inboxFilterForm(programmes: { id: string; name: string }[] = [], staff: { id: string; name: string }[] = []) {
	const fields: Field[] = [
		{
			kind: 'select',
			name: 'programme',
			label: 'Programme',
			options: [{ value: '', label: 'All your programmes' }, ...programmes.map((p) => ({ value: p.id, label: p.name }))]
		},
		{
			kind: 'select',
			name: 'status',
			label: 'Status',
			options: [{ value: 'open', label: 'Open (not closed)' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })), { value: 'all', label: 'All' }]
		},
		{ kind: 'select', name: 'source', label: 'Source', options: [{ value: '', label: 'Any source' }, ...SOURCE_FILTER_OPTIONS] },
		{
			kind: 'select',
			name: 'specialist',
			label: 'Specialist',
			options: [
				{ value: '', label: 'Anyone or nobody' },
				{ value: 'mine', label: 'Me' },
				{ value: 'unassigned', label: 'Nobody yet (in the queue)' },
				...staff.map((p) => ({ value: p.id, label: p.name }))
			]
		}
	];
	return { fields, schema: inboxFilterSchema } satisfies FormDefinition;
}

/** The fields the inbox draws: without the programme choice when there is only one programme. */
export function inboxFilterFields(form: FormDefinition, programmeCount: number): Field[] {
	return programmeCount > 1 ? form.fields : form.fields.filter((f) => f.name !== 'programme');
}

export function parseInboxFilters(params: URLSearchParams): InboxFilters {
	const parsed = parseFormData(inboxFilterForm(), params);
	return parsed.ok ? parsed.values : inboxFilterSchema.parse({});
}

export const SOURCE_FILTER_OPTIONS = SOURCE_CODES.map((code) => ({ value: code, label: SOURCES[code].staffLabel }));
