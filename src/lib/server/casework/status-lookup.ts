/** The person's own status look-up: their reference and date of birth give the status in plain words, in their language. */
import { and, asc, eq, gt } from 'drizzle-orm';
import { meetingWhenWords, placeWordsIn, statusWords } from '$lib/i18n/account';
import { normaliseReference } from '$lib/domain/reference';
import { ukDate } from '$lib/domain/uk-time';
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { meeting, programme, referral, venue } from '../db/schema';
import { placeOf } from '../meetings/messages';

export interface PersonStatus {
	reference: string;
	title: string;
	lines: string[];
	programmeName: string;
	helpline: { phone: string; hours: string };
	/** Still open: the page offers a way to withdraw (sign in first). */
	open: boolean;
}

/**
 * The status of a referral for the person who sent it, given its reference and their date of birth
 * (ISO). Null when the pair does not match a referral, without saying which part was wrong.
 */
export async function lookUpStatus(reference: string, dateOfBirth: string, now = new Date()): Promise<PersonStatus | null> {
	const ref = normaliseReference(reference);
	if (!ref) return null;
	const db = await getDb();
	const [row] = await db
		.select({ id: referral.id, reference: referral.reference, programmeId: referral.programmeId, dateOfBirth: referral.dateOfBirth, status: referral.status, closedReason: referral.closedReason, contactTargetDate: referral.contactTargetDate, programmeName: programme.name, helplinePhone: programme.helplinePhone, helplineHours: programme.helplineHours })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(eq(referral.reference, ref));
	if (!row || row.dateOfBirth !== dateOfBirth) return null;
	await recordAudit({ staffId: null, action: 'referral.status_looked_up', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, status: row.status } });
	// The next booked meeting, said instead of "we will contact you by": when, and how they meet.
	const [next] = await db
		.select({ startsAt: meeting.startsAt, endsAt: meeting.endsAt, mode: meeting.mode, venueName: venue.name })
		.from(meeting)
		.leftJoin(venue, eq(venue.id, meeting.venueId))
		.where(and(eq(meeting.referralId, row.id), eq(meeting.status, 'booked'), gt(meeting.endsAt, now)))
		.orderBy(asc(meeting.startsAt))
		.limit(1);
	const nextWords = next
		? { when: meetingWhenWords({ start: next.startsAt, end: next.endsAt }), place: placeWordsIn(placeOf(next, next.venueName ? { name: next.venueName } : null)) }
		: null;
	// In the request's language (English exactly as statusForPerson says it).
	const words = statusWords(row, ukDate(now), nextWords);
	return { reference: row.reference, ...words, programmeName: row.programmeName, helpline: { phone: row.helplinePhone, hours: row.helplineHours }, open: row.status !== 'closed' };
}
