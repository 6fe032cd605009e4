/**
 * How every change to a referral runs: one transaction that locks the referral (404 outside the user's
 * programmes), checks the form's values, makes the change, then writes an audit row and appends an event,
 * in that order. Event payloads carry no health details: reference, programme, statuses, staff ids and times.
 */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { validateRaw, type FormDefinition, type RawValues } from '$lib/domain/fields';
import { normaliseReference } from '$lib/domain/reference';
import { recordAudit } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Tx } from '../db';
import { referral, type Referral } from '../db/schema';
import { appendEvent, type NewEvent, type StoredEventPayloads } from '../events/log';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { assertProgramme, notFound } from '../refusal';

/** Field name -> message, shown next to the field; scoping and role refusals are thrown (404, 403) instead. */
export type CaseworkResult = { ok: true } | { ok: false; errors: Record<string, string> };

export const refuse = (field: string, message: string): CaseworkResult => ({ ok: false, errors: { [field]: message } });

/** Locks the referral row for the change; 404 when it is not in one of the user's programmes. */
async function lockReferral(tx: Tx, user: StaffUser, reference: string): Promise<Referral> {
	const ref = normaliseReference(reference);
	if (!ref) notFound();
	const [row] = await tx.select().from(referral).where(eq(referral.reference, ref)).for('update');
	if (!row) notFound();
	assertProgramme(user, row.programmeId);
	return row;
}

/**
 * Runs one change to a referral in a transaction. Form values are validated only after the referral was
 * found in the user's programmes, so another programme's referral is "not found" whatever was sent.
 */
export async function changeReferral<S extends z.ZodType>(
	user: StaffUser,
	reference: string,
	form: FormDefinition<S>,
	values: RawValues,
	change: (tx: Tx, row: Referral, input: z.output<S>) => Promise<CaseworkResult>
): Promise<CaseworkResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockReferral(tx, user, reference);
		const parsed = validateRaw(form, values);
		if (!parsed.ok) return { ok: false, errors: parsed.errors };
		return change(tx, row, parsed.values);
	});
}

type StaffChange = 'referral.assigned' | 'referral.contact_attempted' | 'referral.status_changed';

/** What a change's audit row and event say besides who, when and the programme (added by recordChange). */
export type ChangeDetail<T extends StaffChange> = Omit<StoredEventPayloads[T], 'version' | 'programmeId' | 'byStaffId' | 'at' | 'actor'>;

/** The audit row and the event for a change, with the same detail. */
export async function recordChange<T extends StaffChange>(tx: Tx, user: StaffUser, row: Referral, type: T, detail: ChangeDetail<T>, now: Date): Promise<void> {
	await recordAudit({ staffId: user.id, action: type, referralId: row.id, programmeId: row.programmeId, detail: { ...detail } }, tx);
	const payload = { version: REFERRAL_EVENT_VERSION, ...detail, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString() };
	await appendEvent(tx, { type, referralId: row.id, programmeId: row.programmeId, payload } as unknown as NewEvent);
}
