import { formatLongDate } from '$lib/domain/uk-time';
import { workingDaysBetween } from '$lib/domain/working-days';
import { bankHolidaysAround } from '../bank-holidays';

export interface NewReferralFacts {
	reference: string;
	programmeName: string;
	/** ISO date. */
	contactTargetDate: string;
	/** The UK date the email is written on (ISO). */
	today: string;
	origin: string;
}

function daysLeft(today: string, target: string): string {
	const n = workingDaysBetween(today, target, bankHolidaysAround(today));
	if (n > 1) return `${n} working days left`;
	if (n === 1) return '1 working day left';
	if (n === 0) return 'due today';
	return `${-n} working day${n === -1 ? '' : 's'} overdue`;
}

/**
 * The email staff get about a new referral. It names the reference and the programme only: never the
 * person, their date of birth, health or any answer. The details are behind the sign-in link.
 */
export function newReferralEmail(facts: NewReferralFacts): { subject: string; body: string } {
	const link = `${facts.origin}/staff/referrals/${encodeURIComponent(facts.reference)}`;
	return {
		subject: `New referral ${facts.reference} for ${facts.programmeName}`,
		body: [
			`A new referral has arrived for ${facts.programmeName}.`,
			'',
			`Reference: ${facts.reference}`,
			`Contact the person by ${formatLongDate(facts.contactTargetDate)} (${daysLeft(facts.today, facts.contactTargetDate)} on ${formatLongDate(facts.today)}).`,
			'',
			`Open the referral (you will be asked to sign in): ${link}`,
			'',
			'For privacy this email holds no personal details: sign in to see them.'
		].join('\n')
	};
}
