/** Statuses and their words for staff and for the person, coded reasons for closing, and who may change a status to what. Pure: no I/O. */
import type { Role } from '../staff';

/** In order: the path a referral usually takes. */
export const STATUSES = ['received', 'meeting-booked', 'contacted', 'eligibility-confirmed', 'started', 'in-work', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES = STATUSES.filter((s) => s !== 'closed') as Exclude<Status, 'closed'>[];

export function isStatus(value: unknown): value is Status {
	return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** What staff see. */
export const STATUS_LABELS: Record<Status, string> = {
	received: 'New, not yet contacted',
	'meeting-booked': 'First meeting booked',
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
	'meeting-booked': {
		title: 'Your first meeting is booked',
		next: 'You will meet an employment specialist at the time you booked. They will talk to you about the work you want.'
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

/** Statuses only the portal sets: a new referral, and a first meeting the person booked themselves. */
const SET_BY_THE_PORTAL: readonly Status[] = ['received', 'meeting-booked'];

/**
 * The statuses a referral may be moved to. Any open referral can move to any other status except back to
 * "received" or to "meeting-booked", which only booking sets (a corrected mistake is a move to the right
 * status, and it is in the history). A closed referral can only be reopened by a team lead or an
 * administrator.
 */
export function statusChoices(from: Status, role: Role): Status[] {
	if (from === 'closed') return LEADS.includes(role) ? OPEN_STATUSES.filter((s) => !SET_BY_THE_PORTAL.includes(s)) : [];
	return STATUSES.filter((s) => s !== from && !SET_BY_THE_PORTAL.includes(s));
}

/** Still waiting for a first contact, so the contact target applies (a booked meeting may not count). */
export function awaitsContact(referral: { status: string; firstContactAt: Date | null }): boolean {
	return !referral.firstContactAt && (referral.status === 'received' || referral.status === 'meeting-booked');
}

export function canChangeStatus(from: Status, to: Status, role: Role): boolean {
	return statusChoices(from, role).includes(to);
}

/** True for statuses that mean someone has spoken with the person. */
export function meansContacted(status: Status): boolean {
	return status === 'contacted' || status === 'eligibility-confirmed' || status === 'started' || status === 'in-work';
}
