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

export interface CrisisFacts {
	reference: string;
	origin: string;
}

/**
 * The email a specialist (or, with nobody assigned, the programme's team) gets when a participant's
 * check-in answer means they should be offered support today (PHQ-9 item 9 above 0). It says only that:
 * the reference and the link. Never the questionnaire, an answer, a score or anything about the person.
 */
export function crisisEmail(facts: CrisisFacts): { subject: string; body: string } {
	const link = `${facts.origin}/staff/referrals/${encodeURIComponent(facts.reference)}`;
	return {
		subject: `Call participant ${facts.reference} today`,
		body: [
			'A participant needs a call from their employment specialist today.',
			'',
			`Reference: ${facts.reference}`,
			'',
			'Something they told us in a wellbeing check-in means they should be offered support today. The portal has shown them where to get urgent help.',
			'',
			`Open the referral (you will be asked to sign in): ${link}`,
			'',
			'For privacy this email holds no personal or health details: sign in to see them.'
		].join('\n')
	};
}
