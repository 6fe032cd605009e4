/**
 * Casework after a referral arrives (DOMAIN.md section 4): statuses and their words for staff and for the
 * person, coded reasons for closing, contact attempts, the working days left to the contact target, the
 * inbox order, and the history in words. Pure: no I/O; bank holidays and "today" are passed in.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { z } from 'zod';
import { choice, dateOfBirth, optionalChoice, optionalText, parseFormData, type Field, type FormDefinition, type Option } from './fields';
import { normaliseReference } from './reference';
import { SOURCES, SOURCE_CODES, isSourceCode } from './sources';
import type { Role } from './staff';
import { UK_TIME_ZONE, formatLongDate, workingDaysBetween } from './working-days';

// ---- statuses -----------------------------------------------------------------------------------

/** In order: the path a referral usually takes. */
export const STATUSES = ['received', 'contacted', 'eligibility-confirmed', 'started', 'in-work', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES = STATUSES.filter((s) => s !== 'closed') as Exclude<Status, 'closed'>[];

export function isStatus(value: unknown): value is Status {
	return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** What staff see. */
export const STATUS_LABELS: Record<Status, string> = {
	received: 'New, not yet contacted',
	contacted: 'Contacted',
	'eligibility-confirmed': 'Eligibility confirmed',
	started: 'Started',
	'in-work': 'In work',
	closed: 'Closed'
};

/** What the person sees when they look up their referral: the status in plain words and what happens next. */
export const STATUS_FOR_PERSON: Record<Status, { title: string; next: string }> = {
	received: {
		title: 'We have your referral',
		next: 'An employment specialist will contact you in the ways and at the times you told us.'
	},
	contacted: {
		title: 'An employment specialist has been in touch',
		next: 'They will talk to you about the work you want and check the service is right for you.'
	},
	'eligibility-confirmed': {
		title: 'The service is right for you',
		next: 'Your employment specialist will arrange your first meeting with you.'
	},
	started: {
		title: 'You are getting support',
		next: 'You are working with your employment specialist. They will keep in touch about your next meeting.'
	},
	'in-work': {
		title: 'You are in work',
		next: 'Your employment specialist can keep supporting you in your job for as long as you need.'
	},
	closed: {
		title: 'Your referral is closed',
		next: 'You can refer yourself again at any time.'
	}
};

// ---- closing -------------------------------------------------------------------------------------

export interface CloseReason {
	code: string;
	key: string;
	/** What staff see. */
	label: string;
	/** What the person sees. */
	forPerson: string;
}

/** Coded reasons for closing (DOMAIN.md section 4, after 001 paragraph 2.15). The code is stored. */
export const CLOSE_REASONS: readonly CloseReason[] = [
	{
		code: '001',
		key: 'not-eligible',
		label: 'Not eligible',
		forPerson: 'The service cannot support you, because you do not meet its rules. Your employment specialist can tell you where else to get help.'
	},
	{
		code: '002',
		key: 'other-programme',
		label: 'On another employment programme',
		forPerson: 'You are getting support from another employment programme. You can only be on one at a time.'
	},
	{
		code: '003',
		key: 'could-not-contact',
		label: 'Could not be contacted',
		forPerson: 'We tried to contact you several times but could not reach you. If you still want support, call us.'
	},
	{
		code: '004',
		key: 'chose-not-to-start',
		label: 'Chose not to start',
		forPerson: 'You decided not to start with the service.'
	},
	{
		code: '005',
		key: 'better-suited-elsewhere',
		label: 'Better suited to another service',
		forPerson: 'You and your employment specialist agreed that another service would suit you better.'
	},
	{
		code: '006',
		key: 'withdrew',
		label: 'Left the service after starting',
		forPerson: 'You decided to stop working with the service.'
	},
	{
		code: '007',
		key: 'moved-away',
		label: 'Moved out of the area',
		forPerson: 'You moved out of the area the service covers.'
	},
	{
		code: '008',
		key: 'support-ended',
		label: 'Support ended',
		forPerson: 'Your time with the service has come to an end.'
	},
	{
		code: '099',
		key: 'other',
		label: 'Another reason',
		forPerson: 'Your referral has been closed. If you would like to know why, call us.'
	}
];
export const CLOSE_REASON_CODES = CLOSE_REASONS.map((r) => r.code);

export function closeReason(code: string | null | undefined): CloseReason | null {
	return CLOSE_REASONS.find((r) => r.code === code) ?? null;
}

/** "003 Could not be contacted" */
export function closeReasonLabel(code: string | null | undefined): string {
	const reason = closeReason(code);
	return reason ? `${reason.code} ${reason.label}` : (code ?? '');
}

// ---- status changes ------------------------------------------------------------------------------

const LEADS: readonly Role[] = ['team-lead', 'admin'];

/**
 * The statuses a referral may be moved to. Any open referral can move to any other status except back to
 * "received" (a corrected mistake is a move to the right status, and it is in the history). A closed
 * referral can only be reopened by a team lead or an administrator.
 */
export function statusChoices(from: Status, role: Role): Status[] {
	if (from === 'closed') return LEADS.includes(role) ? OPEN_STATUSES.filter((s) => s !== 'received') : [];
	return STATUSES.filter((s) => s !== from && s !== 'received');
}

export function canChangeStatus(from: Status, to: Status, role: Role): boolean {
	return statusChoices(from, role).includes(to);
}

/** True for statuses that mean someone has spoken with the person. */
export function meansContacted(status: Status): boolean {
	return status === 'contacted' || status === 'eligibility-confirmed' || status === 'started' || status === 'in-work';
}

// ---- contact attempts ----------------------------------------------------------------------------

export const CONTACT_CHANNELS = {
	phone: 'Phone call',
	text: 'Text message',
	email: 'Email',
	video: 'Video call',
	'in-person': 'In person',
	letter: 'Letter',
	referrer: 'Through the person who referred them'
} as const;
export type ContactChannel = keyof typeof CONTACT_CHANNELS;
export const CONTACT_CHANNEL_CODES = Object.keys(CONTACT_CHANNELS) as ContactChannel[];

export const CONTACT_OUTCOMES = {
	spoke: { label: 'Spoke with the person', successful: true },
	replied: { label: 'The person replied', successful: true },
	'no-answer': { label: 'No answer', successful: false },
	'message-left': { label: 'Left a message', successful: false },
	sent: { label: 'Sent a message, waiting for a reply', successful: false },
	'not-valid': { label: 'The number or address did not work', successful: false }
} as const;
export type ContactOutcome = keyof typeof CONTACT_OUTCOMES;
export const CONTACT_OUTCOME_CODES = Object.keys(CONTACT_OUTCOMES) as ContactOutcome[];

export function isSuccessfulOutcome(outcome: string): boolean {
	return (CONTACT_OUTCOMES as Record<string, { successful: boolean }>)[outcome]?.successful ?? false;
}

export function channelLabel(channel: string): string {
	return (CONTACT_CHANNELS as Record<string, string>)[channel] ?? channel;
}

export function outcomeLabel(outcome: string): string {
	return (CONTACT_OUTCOMES as Record<string, { label: string }>)[outcome]?.label ?? outcome;
}

/** What the person told us about being contacted (from their answers). */
export interface ContactPreferences {
	postAllowed: boolean | null;
	messagesMayNameService: boolean | null;
}

export function contactPreferences(answers: Record<string, unknown>): ContactPreferences {
	const yesNo = (v: unknown) => (v === 'yes' ? true : v === 'no' ? false : null);
	return { postAllowed: yesNo(answers.postAllowed), messagesMayNameService: yesNo(answers.messagesMayNameService) };
}

// ---- form schemas (validated on the server) --------------------------------------------------------

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

export const SOURCE_FILTER_OPTIONS = SOURCE_CODES.map((code) => ({ value: code, label: SOURCES[code].label }));

// ---- working days to the contact target ------------------------------------------------------------

/**
 * Working days from `today` to the contact target: 0 on the day itself, negative once it has passed.
 * A target that has passed is at least one working day late, even on the weekend straight after it.
 */
export function workingDaysLeft(todayIso: string, targetIso: string, bankHolidays: ReadonlySet<string>): number {
	const days = workingDaysBetween(todayIso, targetIso, bankHolidays);
	return targetIso < todayIso ? Math.min(days, -1) : days;
}

/** Null once someone has made contact: the target no longer applies. */
export function contactDaysLeft(
	referral: { status: string; firstContactAt: Date | null; contactTargetDate: string },
	todayIso: string,
	bankHolidays: ReadonlySet<string>
): number | null {
	if (referral.firstContactAt || referral.status !== 'received') return null;
	return workingDaysLeft(todayIso, referral.contactTargetDate, bankHolidays);
}

/** "1 working day", "3 working days" */
export function workingDaysText(n: number): string {
	return `${n} working day${n === 1 ? '' : 's'}`;
}

/** "Overdue by 2 working days", "Due today", "1 working day left"; null when contact was made. */
export function describeDaysLeft(daysLeft: number | null): string | null {
	if (daysLeft === null) return null;
	if (daysLeft < 0) return `Overdue by ${workingDaysText(-daysLeft)}`;
	if (daysLeft === 0) return 'Due today';
	return `${workingDaysText(daysLeft)} left`;
}

export interface InboxOrderKey {
	daysLeft: number | null;
	submittedAt: Date;
	reference: string;
}

/** Overdue first (most overdue first), then fewest working days left, then contacted ones; oldest first within each. */
export function compareInbox(a: InboxOrderKey, b: InboxOrderKey): number {
	const rank = (k: InboxOrderKey) => (k.daysLeft === null ? 2 : k.daysLeft < 0 ? 0 : 1);
	return (
		rank(a) - rank(b) ||
		(a.daysLeft ?? 0) - (b.daysLeft ?? 0) ||
		a.submittedAt.getTime() - b.submittedAt.getTime() ||
		a.reference.localeCompare(b.reference)
	);
}

// ---- caseload ------------------------------------------------------------------------------------

/** Words for a specialist's caseload against the programme's cap. */
export function describeCaseload(open: number, cap: number): { text: string; overCap: boolean } {
	const held = `${open} open referral${open === 1 ? '' : 's'}`;
	if (open > cap) return { text: `${held}: over the cap of ${cap} by ${open - cap}`, overCap: true };
	if (open === cap) return { text: `${held}: at the cap of ${cap}`, overCap: false };
	return { text: `${held} (cap ${cap})`, overCap: false };
}

// ---- dates ---------------------------------------------------------------------------------------

/** "5 December 2026 at 2:05pm", UK time. */
export function formatUkDateTime(instant: Date): string {
	return format(new TZDate(instant.getTime(), UK_TIME_ZONE), "d MMMM yyyy 'at' h:mmaaa");
}

/** "5 Dec 2026", UK time. */
export function formatUkShortDate(instant: Date): string {
	return format(new TZDate(instant.getTime(), UK_TIME_ZONE), 'd MMM yyyy');
}

// ---- history -------------------------------------------------------------------------------------

export interface HistoryEvent {
	id: number;
	type: string;
	payload: Record<string, unknown>;
	createdAt: Date;
}

export interface HistoryAttempt {
	id: string;
	staffId: string;
	channel: string;
	outcome: string;
	note: string | null;
	at: Date;
}

export interface HistoryItem {
	at: Date;
	/** One sentence: what happened. */
	title: string;
	/** Who did it, when known. */
	by: string | null;
	lines: string[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

function attemptLines(a: HistoryAttempt): string[] {
	return a.note ? [`Note: ${a.note}`] : [];
}

/**
 * The referral's events and contact attempts, oldest first, in words. A contact attempt's event carries
 * the attempt's id; its note comes from the attempt itself (notes stay out of the event log).
 */
export function buildHistory(events: HistoryEvent[], attempts: HistoryAttempt[], staffName: (id: string | null) => string | null): HistoryItem[] {
	const items: (HistoryItem & { order: number })[] = [];
	const usedAttempts = new Set<string>();
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const status = (v: unknown) => (isStatus(v) ? STATUS_LABELS[v] : String(v ?? ''));

	for (const e of events) {
		const p = e.payload;
		const actor = p.actor as { type?: string; name?: string } | undefined;
		// Changes sent by the case system carry the API key's name instead of a staff member.
		const by = staffName(str(p.byStaffId)) ?? (actor?.type === 'api-key' && actor.name ? `Case system (${actor.name})` : null);
		const base = { at: e.createdAt, by, order: e.id };
		switch (e.type) {
			case 'referral.submitted': {
				const source = p.source as { code?: string; odsCode?: string | null } | undefined;
				const label = source?.code && isSourceCode(source.code) ? SOURCES[source.code].label : 'not recorded';
				const routed = str(p.assignedStaffId);
				items.push({
					...base,
					by: null,
					title: 'Referral received',
					lines: [
						`Source: ${label}${source?.odsCode ? ` (GP practice ${source.odsCode})` : ''}`,
						routed ? `Sent to ${staffName(routed) ?? 'a specialist'}, who is linked to the source` : 'Sent to the programme’s queue'
					]
				});
				break;
			}
			case 'referral.assigned': {
				const to = str(p.to);
				const how = str(p.how);
				const title =
					how === 'claimed' ? `Claimed by ${staffName(to) ?? 'a specialist'}` : to ? `Assigned to ${staffName(to) ?? 'a specialist'}` : 'Returned to the programme’s queue';
				items.push({ ...base, title, lines: [] });
				break;
			}
			case 'referral.contact_attempted': {
				const attempt = byId.get(String(p.attemptId ?? ''));
				if (attempt) usedAttempts.add(attempt.id);
				const channel = channelLabel(String(p.channel ?? attempt?.channel ?? ''));
				const outcome = outcomeLabel(String(p.outcome ?? attempt?.outcome ?? ''));
				items.push({
					...base,
					at: attempt?.at ?? e.createdAt,
					title: `Contact attempt: ${channel}. ${outcome}`,
					lines: [...(p.firstContact ? ['First contact made'] : []), ...(attempt ? attemptLines(attempt) : [])]
				});
				break;
			}
			case 'referral.status_changed': {
				const to = str(p.to);
				const title = to === 'closed' ? `Closed: ${closeReasonLabel(str(p.closedReason))}` : `Status changed to ${status(to)}`;
				items.push({ ...base, title, lines: [`Was: ${status(p.from)}`] });
				break;
			}
			case 'referral.withdrawn':
				items.push({ ...base, by: null, title: 'The person withdrew their referral', lines: [] });
				break;
			default:
				items.push({ ...base, title: e.type, lines: [] });
		}
	}
	// Attempts without an event (there should be none) are still shown.
	for (const a of attempts) {
		if (usedAttempts.has(a.id)) continue;
		items.push({
			at: a.at,
			by: staffName(a.staffId),
			order: Number.MAX_SAFE_INTEGER,
			title: `Contact attempt: ${channelLabel(a.channel)}. ${outcomeLabel(a.outcome)}`,
			lines: attemptLines(a)
		});
	}
	// Events in the order they were committed (their ids), which clocks on different machines cannot upset.
	items.sort((a, b) => a.order - b.order || a.at.getTime() - b.at.getTime());
	return items.map(({ order: _order, ...item }) => item);
}

/** The status look-up's answer, in the person's words. */
export function statusForPerson(
	referral: { status: string; closedReason: string | null; contactTargetDate: string },
	todayIso: string
): { title: string; lines: string[] } {
	const status: Status = isStatus(referral.status) ? referral.status : 'received';
	const words = STATUS_FOR_PERSON[status];
	const lines: string[] = [];
	if (status === 'received') {
		const by = formatLongDate(referral.contactTargetDate);
		lines.push(
			referral.contactTargetDate >= todayIso
				? `An employment specialist will contact you by ${by}.`
				: `We aimed to contact you by ${by}. We are sorry if you have not heard from us yet: please call us.`
		);
		lines.push(words.next);
	} else if (status === 'closed') {
		const reason = closeReason(referral.closedReason);
		if (reason) lines.push(reason.forPerson);
		lines.push(words.next);
	} else lines.push(words.next);
	return { title: words.title, lines };
}

// ---- the public status look-up form ---------------------------------------------------------------

export const STATUS_LOOKUP_FIELDS: Field[] = [
	{ kind: 'text', name: 'reference', label: 'Reference number', hint: '8 letters and numbers, for example K7MR-4PXD. It was on the page after you sent your referral.', width: 'medium', spellcheck: false },
	{ kind: 'date', name: 'dateOfBirth', label: 'Date of birth', hint: 'For example, 27 3 1985', autocomplete: 'bday' }
];

export const statusLookupSchema = (today: string) =>
	z.object({
		reference: z
			.string()
			.trim()
			.min(1, 'Enter your reference number')
			.transform((v, ctx) => {
				const ref = normaliseReference(v);
				if (!ref) {
					ctx.addIssue({ code: 'custom', message: 'Enter your reference number as it was given to you: 8 letters and numbers, like K7MR-4PXD' });
					return z.NEVER;
				}
				return ref;
			}),
		dateOfBirth: dateOfBirth(today)
	});
