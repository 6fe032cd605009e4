/** Who holds a referral: claiming one, and team leads assigning it or returning it to the queue. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { assignForm } from '$lib/domain/casework';
import type { RawValues } from '$lib/domain/fields';
import type { StaffUser } from '../auth/sessions';
import type { Tx } from '../db';
import { referral, type Referral } from '../db/schema';
import { changeReferral, recordChange, refuse, type CaseworkResult } from './changes';
import { isLead, programmeStaff, staffNames } from './shared';
import { forbidden } from '../refusal';

/** Claiming sends nothing but the button. */
const claimForm = { fields: [], schema: z.object({}) };

async function writeAssignment(tx: Tx, user: StaffUser, row: Referral, to: string | null, how: 'claimed' | 'assigned' | 'returned', now: Date) {
	await tx.update(referral).set({ assignedStaffId: to }).where(eq(referral.id, row.id));
	await recordChange(tx, user, row, 'referral.assigned', { reference: row.reference, from: row.assignedStaffId, to, how }, now);
}

async function claimLocked(tx: Tx, user: StaffUser, row: Referral, now: Date): Promise<CaseworkResult> {
	if (row.status === 'closed') return refuse('claim', 'This referral is closed, so it cannot be claimed');
	if (row.assignedStaffId === user.id) return refuse('claim', 'This referral is already yours');
	if (row.assignedStaffId && !isLead(user)) {
		const holder = (await staffNames([row.assignedStaffId], tx)).get(row.assignedStaffId) ?? 'Someone else';
		return refuse('claim', `${holder} already holds this referral. Ask a team lead to pass it to you`);
	}
	await writeAssignment(tx, user, row, user.id, 'claimed', now);
	return { ok: true };
}


/** The user takes an unassigned referral (team leads and administrators may also take one someone holds). */
export async function claimReferral(user: StaffUser, reference: string, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, claimForm, {}, (tx, row) => claimLocked(tx, user, row, now));
}

/**
 * Gives the referral to a staff member of its programme, or back to the queue ("queue"). Team leads and
 * administrators only: a specialist may only claim for themselves (403 otherwise, after the programme
 * check, so another programme's referral is still "not found").
 */
export async function assignReferral(user: StaffUser, reference: string, input: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, assignForm(), input, async (tx, row, values) => {
		const staffId = values.staffId === 'queue' ? null : values.staffId;
		if (!isLead(user)) {
			if (staffId === user.id) return claimLocked(tx, user, row, now);
			forbidden('Only a team lead can assign a referral to someone else');
		}
		if (row.status === 'closed') return refuse('staffId', 'This referral is closed, so it cannot be assigned');
		if (row.assignedStaffId === staffId) return refuse('staffId', staffId ? 'This referral is already held by that person' : 'This referral is already in the queue');
		if (staffId && !(await programmeStaff(row.programmeId, tx)).some((s) => s.id === staffId))
			return refuse('staffId', 'Select someone who works in this programme');
		await writeAssignment(tx, user, row, staffId, staffId === null ? 'returned' : staffId === user.id ? 'claimed' : 'assigned', now);
		return { ok: true };
	});
}
