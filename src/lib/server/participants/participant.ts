/**
 * The participant record: one per referral, made in the submit transaction, holding the contact details
 * and text consent the participant's pages and reminders use. Their sessions are in ../auth/sessions.ts.
 */
import { eq } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../db';
import { participant, type Referral } from '../db/schema';

/** Whether the person gave the text-reminders consent ("The service can send me text message reminders"). */
export function allowsTexts(answers: Referral['answers']): boolean {
	return answers.consentTextReminders?.given === true;
}

/** The participant for a new referral, inside the submit transaction; one per referral. */
export async function createParticipantForReferral(tx: Tx | Db, created: Referral): Promise<string> {
	const [row] = await tx
		.insert(participant)
		.values({
			referralId: created.id,
			email: created.email ? created.email.trim().toLowerCase() : null,
			phone: created.phone,
			textConsent: !!created.phone && allowsTexts(created.answers)
		})
		.onConflictDoNothing()
		.returning({ id: participant.id });
	if (row) return row.id;
	const [existing] = await tx.select({ id: participant.id }).from(participant).where(eq(participant.referralId, created.id));
	return existing.id;
}

export async function participantIdForReferral(referralId: string): Promise<string | null> {
	const db = await getDb();
	const [row] = await db.select({ id: participant.id }).from(participant).where(eq(participant.referralId, referralId));
	return row?.id ?? null;
}
