/**
 * Wellbeing concern flags (issue 10 item 7): a crisis answer (PHQ-9 item 9 above 0), a steep fall between
 * two check-ins, or a falling trend with missed meetings. Each is one row in `wellbeing_concern` (shown in
 * the specialist's inbox until resolved) and one `wellbeing.concern_raised` event. Neither the row's
 * reasons nor the event carry answers; the event carries no reasons at all (a case system reads them from
 * GET /api/v1/concerns/<id> with its programme's API key).
 */
import type { Db, Tx } from '../db';
import { wellbeingConcern, type WellbeingConcernRow } from '../db/schema';
import { appendEvent } from '../events/log';
import type { CheckInOwner } from './check-ins';

export type ConcernKind = WellbeingConcernRow['kind'];

export interface NewConcern {
	/** Unique per concern, so it is raised once: e.g. `<checkInId>:steep-fall` or `<participantId>:crisis:<draft start>`. */
	key: string;
	kind: ConcernKind;
	owner: CheckInOwner;
	checkInId?: string | null;
	/** Plain words for the specialist, never answers: "DIALOG overall score fell by 2.0 since 3 March". */
	reasons: string[];
}

/**
 * Records a concern and appends `wellbeing.concern_raised`, inside `tx` (call it last: appendEvent holds
 * the event-order lock). Returns the new row, or null when a concern with this key was already raised.
 */
export async function insertConcern(tx: Tx | Db, concern: NewConcern, now = new Date()): Promise<WellbeingConcernRow | null> {
	return (await raiseConcern(tx, concern, now))?.row ?? null;
}

/**
 * As insertConcern, also giving the event's id (for work that hangs off the event in the same
 * transaction, like the crisis email in the outbox). Null when the concern was already raised.
 */
export async function raiseConcern(tx: Tx | Db, concern: NewConcern, now = new Date()): Promise<{ row: WellbeingConcernRow; eventId: string } | null> {
	const [row] = await tx
		.insert(wellbeingConcern)
		.values({
			key: concern.key,
			kind: concern.kind,
			participantId: concern.owner.id,
			referralId: concern.owner.referralId,
			programmeId: concern.owner.programmeId,
			checkInId: concern.checkInId ?? null,
			reasons: concern.reasons,
			raisedAt: now
		})
		.onConflictDoNothing({ target: wellbeingConcern.key })
		.returning();
	if (!row) return null;
	const appended = await appendEvent(tx, {
		type: 'wellbeing.concern_raised',
		referralId: concern.owner.referralId,
		programmeId: concern.owner.programmeId,
		payload: { concernId: row.id, kind: row.kind, checkInId: row.checkInId, raisedAt: now.toISOString() }
	});
	return { row, eventId: appended.eventId };
}
