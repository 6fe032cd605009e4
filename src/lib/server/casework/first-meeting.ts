/**
 * How the first meeting moves the referral (issue 18 item 2). Booking it is the person making contact:
 * the referral goes to "First meeting booked", is assigned to the specialist they will meet (when nobody
 * holds it), and, unless the programme turned it off, counts as the first contact for the contact target.
 * While the booking stands it counts: if the meeting is cancelled or missed with no other booked, the
 * referral goes back to "New" and its first contact is again its first successful contact attempt (if
 * any); if the person comes, it is "Contacted". Each change is a `referral.*` event in the caller's
 * transaction, before the meeting's own event.
 */
import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import { SUCCESSFUL_OUTCOMES } from '$lib/domain/casework/contact-attempts';
import type { Status } from '$lib/domain/casework';
import type { Tx } from '../db';
import { contactAttempt, meeting, referral, type MeetingRow, type Referral } from '../db/schema';
import { appendEvent, type StoredActor } from '../events/log';
import { getServiceSettings } from '../programmes';
import { REFERRAL_EVENT_VERSION } from '../referrals';

type Actor = { kind: 'participant' } | { kind: 'staff'; staffId: string };

function changeBase(ref: Referral, actor: Actor, now: Date) {
	const stored: StoredActor = actor.kind === 'staff' ? { kind: 'staff', staffId: actor.staffId } : { kind: 'participant' };
	return {
		version: REFERRAL_EVENT_VERSION,
		reference: ref.reference,
		programmeId: ref.programmeId,
		byStaffId: actor.kind === 'staff' ? actor.staffId : null,
		at: now.toISOString(),
		actor: stored
	};
}

async function statusChanged(tx: Tx, ref: Referral, to: Status, actor: Actor, now: Date): Promise<void> {
	await appendEvent(tx, {
		type: 'referral.status_changed',
		referralId: ref.id,
		programmeId: ref.programmeId,
		payload: { ...changeBase(ref, actor, now), from: ref.status as Status, to, closedReason: null }
	});
}

/** The person booked their first meeting (`row`), in the booking's transaction, with the referral locked. */
export async function firstMeetingBooked(tx: Tx, ref: Referral, row: MeetingRow, now: Date): Promise<void> {
	const { bookingCountsAsContact } = await getServiceSettings(ref.programmeId, tx);
	const assign = ref.assignedStaffId === null;
	const moveStatus = ref.status === 'received';
	const countContact = bookingCountsAsContact && ref.firstContactAt === null;
	if (!assign && !moveStatus && !countContact) return;
	await tx
		.update(referral)
		.set({
			...(assign ? { assignedStaffId: row.staffId } : {}),
			...(moveStatus ? { status: 'meeting-booked', statusChangedAt: now } : {}),
			...(countContact ? { firstContactAt: now } : {})
		})
		.where(eq(referral.id, ref.id));
	const actor: Actor = { kind: 'participant' };
	if (assign)
		await appendEvent(tx, {
			type: 'referral.assigned',
			referralId: ref.id,
			programmeId: ref.programmeId,
			payload: { ...changeBase(ref, actor, now), from: null, to: row.staffId, how: 'first-meeting' }
		});
	if (moveStatus) await statusChanged(tx, ref, 'meeting-booked', actor, now);
}

/**
 * A meeting of the person was cancelled or missed (`row`, already updated): when the referral is at "First
 * meeting booked" and no other meeting is booked, it goes back to "New", and its first contact is its
 * first successful contact attempt again (null when there was none).
 */
export async function firstMeetingUndone(tx: Tx, row: MeetingRow, actor: Actor, now: Date): Promise<void> {
	const [ref] = await tx.select().from(referral).where(eq(referral.id, row.referralId)).for('update');
	if (!ref || ref.status !== 'meeting-booked') return;
	const [other] = await tx
		.select({ id: meeting.id })
		.from(meeting)
		.where(and(eq(meeting.participantId, row.participantId), ne(meeting.id, row.id), eq(meeting.status, 'booked'), gt(meeting.endsAt, now)))
		.limit(1);
	if (other) return;
	const [spoke] = await tx
		.select({ at: contactAttempt.at })
		.from(contactAttempt)
		.where(and(eq(contactAttempt.referralId, ref.id), inArray(contactAttempt.outcome, [...SUCCESSFUL_OUTCOMES])))
		.orderBy(asc(contactAttempt.at))
		.limit(1);
	await tx
		.update(referral)
		.set({ status: 'received', statusChangedAt: now, firstContactAt: spoke?.at ?? null })
		.where(eq(referral.id, ref.id));
	await statusChanged(tx, ref, 'received', actor, now);
}

/** The person came to a meeting: a referral at "First meeting booked" is now "Contacted" (and contact is made). */
export async function firstMeetingHeld(tx: Tx, row: MeetingRow, actor: Actor, now: Date): Promise<void> {
	const [ref] = await tx.select().from(referral).where(eq(referral.id, row.referralId)).for('update');
	if (!ref || ref.status !== 'meeting-booked') return;
	await tx
		.update(referral)
		.set({ status: 'contacted', statusChangedAt: now, ...(ref.firstContactAt ? {} : { firstContactAt: row.startsAt }) })
		.where(eq(referral.id, ref.id));
	await statusChanged(tx, ref, 'contacted', actor, now);
}
