/** What the person sees when they look up their referral: the status in their words and the look-up form. Pure: no I/O. */
import { z } from 'zod';
import { dateOfBirth, type Field } from '../fields';
import { normaliseReference } from '../reference';
import { formatLongDate } from '../uk-time';
import { closeReason, isStatus, STATUS_FOR_PERSON, type Status } from './statuses';

/** The person's next booked meeting, in words: "Tuesday 8 December 2026, 10:00am to 10:45am (UK time)", "by phone". */
export interface NextMeetingWords {
	when: string;
	place: string;
}

/**
 * The status look-up's answer, in the person's words. A booked meeting is said instead of "we will contact
 * you by": the person already has a time.
 */
export function statusForPerson(
	referral: { status: string; closedReason: string | null; contactTargetDate: string },
	todayIso: string,
	nextMeeting: NextMeetingWords | null = null
): { title: string; lines: string[] } {
	const status: Status = isStatus(referral.status) ? referral.status : 'received';
	const words = STATUS_FOR_PERSON[status];
	const lines: string[] = [];
	if (status !== 'closed' && nextMeeting) {
		lines.push(`Your ${status === 'received' || status === 'meeting-booked' ? 'first' : 'next'} meeting is on ${nextMeeting.when}, ${nextMeeting.place}.`);
		lines.push(status === 'received' ? STATUS_FOR_PERSON['meeting-booked'].next : words.next);
		return { title: status === 'received' ? STATUS_FOR_PERSON['meeting-booked'].title : words.title, lines };
	}
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
