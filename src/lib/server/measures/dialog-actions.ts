/**
 * DIALOG+ agreed actions (issue 10 item 4): the specialist records what was agreed about each area the
 * person chose to talk about; at the person's next DIALOG+ check-in each action not yet reviewed is asked
 * about once ("Did you do this?"), the answer kept in the draft and written to the action when the
 * check-in is sent. Always read through the participant's own id.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { DIALOG_AREAS, type ReviewOutcome } from '$lib/domain/measures';
import { getDb, type Db, type Tx } from '../db';
import { dialogAction, type DialogActionRow } from '../db/schema';
import type { CheckInOwner } from './check-ins';

const areaOrder = (key: string) => DIALOG_AREAS.findIndex((a) => a.key === key);

function inOrder(rows: DialogActionRow[]): DialogActionRow[] {
	return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || areaOrder(a.areaKey) - areaOrder(b.areaKey));
}

/** The person's agreed actions not reviewed yet, oldest first (then in questionnaire order): the review pages, in order. */
export async function pendingActions(owner: Pick<CheckInOwner, 'id'>, tx?: Tx | Db): Promise<DialogActionRow[]> {
	const db = tx ?? (await getDb());
	const rows = await db
		.select()
		.from(dialogAction)
		.where(and(eq(dialogAction.participantId, owner.id), isNull(dialogAction.reviewedAt)))
		.orderBy(asc(dialogAction.createdAt));
	return inOrder(rows);
}

/** Every agreed action on the given check-ins (for the specialist's list), in questionnaire order. */
export async function actionsForCheckIns(owner: Pick<CheckInOwner, 'id'>, checkInIds: string[]): Promise<DialogActionRow[]> {
	if (!checkInIds.length) return [];
	const db = await getDb();
	const rows = await db
		.select()
		.from(dialogAction)
		.where(and(eq(dialogAction.participantId, owner.id), inArray(dialogAction.checkInId, checkInIds)));
	return inOrder(rows);
}

/**
 * Writes the person's reviews (from the draft) to their pending actions, inside the check-in's
 * transaction. Ids that are not this person's pending actions are ignored.
 */
export async function applyActionReviews(
	tx: Tx | Db,
	owner: Pick<CheckInOwner, 'id'>,
	reviews: Readonly<Record<string, ReviewOutcome>>,
	checkInId: string,
	now: Date
): Promise<number> {
	let written = 0;
	for (const [id, outcome] of Object.entries(reviews)) {
		const updated = await tx
			.update(dialogAction)
			.set({ reviewedAt: now, reviewCheckInId: checkInId, reviewOutcome: outcome })
			.where(and(eq(dialogAction.id, id), eq(dialogAction.participantId, owner.id), isNull(dialogAction.reviewedAt)))
			.returning({ id: dialogAction.id });
		written += updated.length;
	}
	return written;
}

/** The review page of the first pending action the draft has no answer for ("/account/check-in/dialog/actions/2"), or null. */
export function firstUnreviewedHref(pending: readonly Pick<DialogActionRow, 'id'>[], reviews: Readonly<Record<string, ReviewOutcome>> | undefined): string | null {
	const i = pending.findIndex((a) => !reviews?.[a.id]);
	return i < 0 ? null : `/account/check-in/dialog/actions/${i + 1}`;
}
