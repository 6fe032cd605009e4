/**
 * Withdrawing a referral (issue 12 item 4): the person, or staff on their behalf, ends it. The referral is
 * closed with the coded reason that fits where it had got to (004 "Chose not to start" before the person
 * started, 006 "Left the service after starting" after), upcoming meetings are cancelled, and
 * `referral.withdrawn` carries the reason in the person's own words when they gave one.
 */
import { z } from 'zod';
import { optionalText, type Field } from '../fields';

export const WITHDRAW_REASON_MAX = 500;

export const withdrawalForm = {
	fields: [
		{
			kind: 'textarea',
			name: 'reason',
			label: 'Why are you withdrawing? (optional)',
			hint: 'You do not have to tell us. It helps us improve the service. Do not include details about your health.',
			rows: 3,
			maxLength: WITHDRAW_REASON_MAX
		}
	] as Field[],
	schema: z.object({ reason: optionalText(WITHDRAW_REASON_MAX, `Your reason must be ${WITHDRAW_REASON_MAX} characters or fewer`) })
};

/** The same question for staff recording a withdrawal the person asked for. */
export const staffWithdrawalForm = {
	fields: [
		{
			kind: 'textarea',
			name: 'withdrawReason',
			label: 'The reason the person gave (optional)',
			hint: 'In their words, if they gave one. No health details.',
			rows: 3,
			maxLength: WITHDRAW_REASON_MAX
		}
	] as Field[],
	schema: z.object({ withdrawReason: optionalText(WITHDRAW_REASON_MAX, `The reason must be ${WITHDRAW_REASON_MAX} characters or fewer`) })
};

const BEFORE_START = new Set(['received', 'meeting-booked', 'contacted', 'eligibility-confirmed']);

/** 004 before the person started with the service, 006 after. */
export function withdrawalCloseReason(status: string): '004' | '006' {
	return BEFORE_START.has(status) ? '004' : '006';
}

/** What happens when someone withdraws, in plain words, for the page that asks. */
export const WITHDRAWAL_CONSEQUENCES = [
	'We will stop contacting you about employment support.',
	'Any meetings you have booked will be cancelled, and we will email you to confirm.',
	'We keep a record of your referral for up to 3 years, as our privacy notice explains, and then delete it. You can ask us to delete it sooner.',
	'You can refer yourself again at any time.'
] as const;
