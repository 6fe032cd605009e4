/** Status changes by staff: forward through the statuses, closing with a coded reason, reopening by team leads. */
import { eq } from 'drizzle-orm';
import { STATUS_LABELS, canChangeStatus, isStatus, meansContacted, statusChangeForm, type Status } from '$lib/domain/casework';
import type { RawValues } from '$lib/domain/fields';
import type { StaffUser } from '../auth/sessions';
import { referral } from '../db/schema';
import { changeReferral, recordChange, refuse, type CaseworkResult } from './changes';

/** Moves the referral to another status; closing needs a coded reason. */
export async function changeStatus(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, statusChangeForm(), values, async (tx, row, input) => {
		if (input.status === 'closed' && !input.closeReason) return refuse('closeReason', 'Select why the referral is closed');
		const from: Status = isStatus(row.status) ? row.status : 'received';
		if (from === input.status) return refuse('status', `The referral is already ${STATUS_LABELS[from].toLowerCase()}`);
		if (!canChangeStatus(from, input.status, user.role))
			return refuse('status', from === 'closed' ? 'Only a team lead can reopen a closed referral' : `A referral cannot go back to ${STATUS_LABELS[input.status].toLowerCase()}`);

		const closedReason = input.status === 'closed' ? input.closeReason : null;
		const firstContact = meansContacted(input.status) && !row.firstContactAt;
		await tx
			.update(referral)
			.set({ status: input.status, closedReason, statusChangedAt: now, ...(firstContact ? { firstContactAt: now } : {}) })
			.where(eq(referral.id, row.id));
		await recordChange(tx, user, row, 'referral.status_changed', { reference: row.reference, from, to: input.status, closedReason }, now);
		return { ok: true };
	});
}
