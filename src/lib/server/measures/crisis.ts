/**
 * The crisis response (issue 10 item 7, issue 18 item 1; DOMAIN.md section 7): PHQ-9 item 9 answered above
 * 0. The person is shown crisis help on the very next page (the route does that); here, in the same
 * transaction that saves the answer, someone who can act is told: one `wellbeing_concern` row of kind
 * "crisis" with its `wellbeing.concern_raised` event, and an email through the outbox, at once, to the
 * referral's specialist and the programme's safety contacts (its team address when it has none), saying
 * only that the participant needs a call and where to look. The concern must be acknowledged within the
 * programme's opening hours (`crisisAcknowledgeHours`, default 4); if nobody does, `escalateCrisisConcerns`
 * (run by the notifier) emails the safety contacts and the programme's administrators again and the inbox
 * shows it overdue. One alert per check-in: the concern key is the participant and the check-in draft.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import { addOpeningHours } from '$lib/domain/service-hours';
import { formatUkDateTime } from '$lib/domain/uk-time';
import { siteOrigin } from '../config';
import { getDb, type Db, type Tx } from '../db';
import { programme, referral, staff, staffProgramme, wellbeingConcern } from '../db/schema';
import { log } from '../log';
import { crisisEmail, crisisEscalationEmail } from '../notify/messages';
import { enqueueEmails } from '../notify/outbox';
import { calendarFor } from '../service-calendar';
import { getServiceSettings } from '../programmes';
import type { CheckInOwner } from './check-ins';
import { raiseConcern } from './concerns';

/** Plain words for the specialist's inbox: what happened, never the answer or a score. */
export const CRISIS_REASON = 'Answered a question about thoughts of self-harm in a wellbeing check-in. Offer a call today.';

/** The concern key for a check-in in progress: one crisis alert per check-in. */
export function crisisKey(owner: Pick<CheckInOwner, 'id'>, draftId: string): string {
	return `${owner.id}:crisis:${draftId}`;
}

const unique = (addresses: (string | null | undefined)[]) => [...new Set(addresses.map((a) => a?.trim().toLowerCase() ?? '').filter(Boolean))];

/**
 * Who is told at once: the referral's specialist while their account is active, and the programme's safety
 * contacts; the programme's team address stands in for the safety contacts when it has none.
 */
async function recipients(tx: Tx | Db, referralId: string): Promise<{ reference: string; programmeId: string; to: string[] } | null> {
	const [row] = await tx
		.select({ reference: referral.reference, programmeId: referral.programmeId, teamEmail: programme.teamEmail, specialistEmail: staff.email })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.leftJoin(staff, and(eq(staff.id, referral.assignedStaffId), isNull(staff.disabledAt)))
		.where(eq(referral.id, referralId));
	if (!row) return null;
	const { safetyContacts } = await getServiceSettings(row.programmeId, tx);
	return { reference: row.reference, programmeId: row.programmeId, to: unique([row.specialistEmail, ...(safetyContacts.length ? safetyContacts : [row.teamEmail])]) };
}

/**
 * Raises the crisis alert for a check-in in progress, inside `tx`. Returns true when it was raised now,
 * false when this check-in had already raised it (the answer changed and changed back, or sent twice).
 */
export async function raiseCrisisAlert(tx: Tx | Db, owner: CheckInOwner, draftId: string, now = new Date()): Promise<boolean> {
	const calendar = await calendarFor(owner.programmeId, now, { conn: tx });
	const acknowledgeBy = addOpeningHours(calendar, now, calendar.settings.crisisAcknowledgeHours);
	const raised = await raiseConcern(tx, { key: crisisKey(owner, draftId), kind: 'crisis', owner, reasons: [CRISIS_REASON], acknowledgeBy }, now);
	if (!raised) return false;
	const who = await recipients(tx, owner.referralId);
	if (who) {
		const { subject, body } = crisisEmail({ reference: who.reference, origin: siteOrigin(), acknowledgeBy: formatUkDateTime(acknowledgeBy) });
		await enqueueEmails(
			tx,
			who.to.map((to) => ({ eventId: raised.eventId, kind: 'wellbeing.crisis', to, subject, body })),
			now
		);
	}
	return true;
}

/**
 * Crisis answers nobody acknowledged in time: each is sent again, once, to the programme's safety
 * contacts (or its team address), its administrators and the specialist, and marked escalated in the same
 * transaction (so several instances send it once). Returns how many were escalated.
 */
export async function escalateCrisisConcerns(now = new Date()): Promise<number> {
	const db = await getDb();
	const due = await db
		.select({ id: wellbeingConcern.id })
		.from(wellbeingConcern)
		.where(
			and(
				isNull(wellbeingConcern.resolvedAt),
				isNull(wellbeingConcern.acknowledgedAt),
				isNull(wellbeingConcern.escalatedAt),
				lte(wellbeingConcern.acknowledgeBy, now)
			)
		)
		.limit(100);
	let escalated = 0;
	for (const { id } of due) {
		const sent = await db.transaction(async (tx) => {
			const [row] = await tx
				.update(wellbeingConcern)
				.set({ escalatedAt: now })
				.where(and(eq(wellbeingConcern.id, id), isNull(wellbeingConcern.escalatedAt), isNull(wellbeingConcern.acknowledgedAt), isNull(wellbeingConcern.resolvedAt)))
				.returning();
			if (!row) return false; // acknowledged meanwhile, or another instance got there first
			const who = await recipients(tx, row.referralId);
			const admins = await tx
				.select({ email: staff.email })
				.from(staff)
				.innerJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
				.where(and(eq(staffProgramme.programmeId, row.programmeId), eq(staff.role, 'admin'), isNull(staff.disabledAt)));
			const to = unique([...(who?.to ?? []), ...admins.map((a) => a.email)]);
			if (!who || !to.length) {
				log.error('crisis answer not acknowledged and nobody to tell', { concernId: row.id });
				return true;
			}
			const { subject, body } = crisisEscalationEmail({
				reference: who.reference,
				origin: siteOrigin(),
				raised: formatUkDateTime(row.raisedAt),
				acknowledgeBy: formatUkDateTime(row.acknowledgeBy ?? now)
			});
			// A fresh id for this second email, so (id, address) never collides with the first one's.
			const alertId = crypto.randomUUID();
			await enqueueEmails(
				tx,
				to.map((address) => ({ eventId: alertId, kind: 'wellbeing.crisis_escalated', to: address, subject, body })),
				now
			);
			log.warn('crisis answer not acknowledged in time: sent again', { concernId: row.id, recipients: to.length });
			return true;
		});
		if (sent) escalated++;
	}
	return escalated;
}
