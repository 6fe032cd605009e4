import { formatLongDate } from '$lib/domain/uk-time';
import { workingDaysBetween, type WorkingDays } from '$lib/domain/working-days';

export interface NewReferralFacts {
	reference: string;
	programmeName: string;
	/** ISO date. */
	contactTargetDate: string;
	/** The UK date the email is written on (ISO). */
	today: string;
	/** The programme's working days (its opening hours and closed days). */
	workingDays: WorkingDays;
	origin: string;
}

function daysLeft(today: string, target: string, workingDays: WorkingDays): string {
	const n = workingDaysBetween(today, target, workingDays);
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
			`Contact the person by ${formatLongDate(facts.contactTargetDate)} (${daysLeft(facts.today, facts.contactTargetDate, facts.workingDays)} on ${formatLongDate(facts.today)}).`,
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
	/** When someone must acknowledge it by (UK time, in words), counted in the programme's opening hours. */
	acknowledgeBy: string;
}

/**
 * The email the specialist and the programme's safety contacts get at once when a participant's check-in
 * answer means they should be offered support today (PHQ-9 item 9 above 0). It says only that: the
 * reference, the link and when it must be acknowledged. Never the questionnaire, an answer, a score or
 * anything about the person.
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
			`Open the referral, and press "I am dealing with this" so the team knows (you will be asked to sign in): ${link}`,
			`If nobody has by ${facts.acknowledgeBy} (UK time), the safety contacts and administrators are emailed again.`,
			'',
			'For privacy this email holds no personal or health details: sign in to see them.'
		].join('\n')
	};
}

export interface CrisisEscalationFacts {
	reference: string;
	origin: string;
	/** When it was raised and when it should have been acknowledged by, in words (UK time). */
	raised: string;
	acknowledgeBy: string;
}

/** Sent again when nobody acknowledged a crisis answer in time: to the safety contacts and administrators. Reference and link only. */
export function crisisEscalationEmail(facts: CrisisEscalationFacts): { subject: string; body: string } {
	const link = `${facts.origin}/staff/referrals/${encodeURIComponent(facts.reference)}`;
	return {
		subject: `Not yet acknowledged: call participant ${facts.reference} today`,
		body: [
			'Nobody has acknowledged a crisis answer from a participant yet. Someone needs to call them today.',
			'',
			`Reference: ${facts.reference}`,
			`Raised: ${facts.raised} (UK time). It was to be acknowledged by ${facts.acknowledgeBy}.`,
			'',
			`Open the referral, press "I am dealing with this", call them and record what you did (you will be asked to sign in): ${link}`,
			'',
			'For privacy this email holds no personal or health details: sign in to see them.'
		].join('\n')
	};
}
