/**
 * The crisis response (issue 10 item 7, DOMAIN.md section 7): PHQ-9 item 9 answered above 0. The person is
 * shown crisis help on the very next page (the route does that); here, in the same transaction that saves
 * the answer, the specialist is alerted: one `wellbeing_concern` row of kind "crisis" with its
 * `wellbeing.concern_raised` event, and an email through the outbox to the assigned specialist (or the
 * programme's team when nobody is assigned) saying only that the participant needs a call today.
 * One alert per check-in: the concern key is the participant and the check-in draft.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { siteOrigin } from '../config';
import type { Db, Tx } from '../db';
import { programme, referral, staff } from '../db/schema';
import { crisisEmail } from '../notify/messages';
import { enqueueEmails } from '../notify/outbox';
import type { CheckInOwner } from './check-ins';
import { raiseConcern } from './concerns';

/** Plain words for the specialist's inbox: what happened, never the answer or a score. */
export const CRISIS_REASON = 'Answered a question about thoughts of self-harm in a wellbeing check-in. Offer a call today.';

/** The concern key for a check-in in progress: one crisis alert per check-in. */
export function crisisKey(owner: Pick<CheckInOwner, 'id'>, draftId: string): string {
	return `${owner.id}:crisis:${draftId}`;
}

/** Who is told: the referral's specialist while their account is active, else the programme's team address. */
async function recipients(tx: Tx | Db, referralId: string): Promise<{ reference: string; to: string[] } | null> {
	const [row] = await tx
		.select({ reference: referral.reference, teamEmail: programme.teamEmail, specialistEmail: staff.email })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.leftJoin(staff, and(eq(staff.id, referral.assignedStaffId), isNull(staff.disabledAt)))
		.where(eq(referral.id, referralId));
	if (!row) return null;
	const to = (row.specialistEmail ?? row.teamEmail).trim().toLowerCase();
	return { reference: row.reference, to: to ? [to] : [] };
}

/**
 * Raises the crisis alert for a check-in in progress, inside `tx`. Returns true when it was raised now,
 * false when this check-in had already raised it (the answer changed and changed back, or sent twice).
 */
export async function raiseCrisisAlert(tx: Tx | Db, owner: CheckInOwner, draftId: string, now = new Date()): Promise<boolean> {
	const raised = await raiseConcern(tx, { key: crisisKey(owner, draftId), kind: 'crisis', owner, reasons: [CRISIS_REASON] }, now);
	if (!raised) return false;
	const who = await recipients(tx, owner.referralId);
	if (who) {
		const { subject, body } = crisisEmail({ reference: who.reference, origin: siteOrigin() });
		await enqueueEmails(
			tx,
			who.to.map((to) => ({ eventId: raised.eventId, kind: 'wellbeing.crisis', to, subject, body })),
			now
		);
	}
	return true;
}
