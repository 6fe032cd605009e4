/**
 * Withdrawal (domain/casework/withdrawal.ts): one transaction locks the referral, closes it with 004 or
 * 006, cancels the person's upcoming meetings, writes the audit row and appends `referral.withdrawn`
 * (after any meeting.cancelled events, so a case system reads the cancellations first). A referral already
 * closed cannot be withdrawn again.
 */
import { eq } from 'drizzle-orm';
import { withdrawalCloseReason } from '$lib/domain/casework';
import { normaliseReference } from '$lib/domain/reference';
import { recordAudit } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Tx } from '../db';
import { participant as participantTable, referral, type Referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { cancelUpcomingMeetings } from '../meetings/booking';
import type { ParticipantUser } from '../auth/sessions';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { assertProgramme, notFound } from '../refusal';

export type WithdrawalResult = { ok: true; meetingsCancelled: number } | { ok: false; reason: 'already-closed' };

type Actor = { kind: 'participant' } | { kind: 'staff'; user: StaffUser };

async function withdraw(tx: Tx, row: Referral, actor: Actor, reason: string | null, now: Date): Promise<WithdrawalResult> {
	if (row.status === 'closed') return { ok: false, reason: 'already-closed' };
	const closedReason = withdrawalCloseReason(row.status);
	await tx.update(referral).set({ status: 'closed', closedReason, statusChangedAt: now }).where(eq(referral.id, row.id));
	const [person] = await tx.select().from(participantTable).where(eq(participantTable.referralId, row.id));
	const meetingActor = actor.kind === 'staff' ? ({ kind: 'staff', staffId: actor.user.id } as const) : ({ kind: 'participant' } as const);
	const meetingsCancelled = person
		? await cancelUpcomingMeetings(
				tx,
				{ id: person.id, referralId: row.id, programmeId: row.programmeId, email: person.email, phone: person.phone, textConsent: person.textConsent },
				meetingActor,
				'The referral was withdrawn',
				now
			)
		: 0;
	// The audit row keeps who and when; the person's words go only to the event (their case system).
	await recordAudit(
		{
			staffId: actor.kind === 'staff' ? actor.user.id : null,
			action: 'referral.withdrawn',
			referralId: row.id,
			programmeId: row.programmeId,
			detail: { reference: row.reference, from: row.status, closedReason, by: actor.kind, reasonGiven: reason !== null, meetingsCancelled }
		},
		tx
	);
	await appendEvent(tx, {
		type: 'referral.withdrawn',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: {
			version: REFERRAL_EVENT_VERSION,
			reference: row.reference,
			programmeId: row.programmeId,
			from: row.status,
			closedReason,
			reason,
			by: actor.kind,
			...(actor.kind === 'staff' ? { byStaffId: actor.user.id } : {}),
			at: now.toISOString()
		}
	});
	return { ok: true, meetingsCancelled };
}

/** The signed-in person withdraws their own referral. */
export async function withdrawOwnReferral(user: Pick<ParticipantUser, 'referralId'>, reason: string | null, now = new Date()): Promise<WithdrawalResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.id, user.referralId)).for('update');
		if (!row) notFound();
		return withdraw(tx, row, { kind: 'participant' }, reason, now);
	});
}

/** Staff record a withdrawal the person asked for (their programmes only: 404 otherwise). */
export async function recordWithdrawal(user: StaffUser, reference: string, reason: string | null, now = new Date()): Promise<WithdrawalResult> {
	const ref = normaliseReference(reference);
	if (!ref) notFound();
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.reference, ref)).for('update');
		if (!row) notFound();
		assertProgramme(user, row.programmeId);
		return withdraw(tx, row, { kind: 'staff', user }, reason, now);
	});
}
