/** Contact attempts: each try at reaching the person; the first successful one sets the first contact time. */
import { eq } from 'drizzle-orm';
import { contactAttemptForm, contactConflict, contactPreferences, isSuccessfulOutcome } from '$lib/domain/casework';
import type { RawValues } from '$lib/domain/fields';
import type { StaffUser } from '../auth/sessions';
import { contactAttempt, referral } from '../db/schema';
import { changeReferral, recordChange, refuse, type CaseworkResult } from './changes';

/** Records a try at reaching the person. The first successful one sets the referral's first contact time. */
export async function logContactAttempt(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, contactAttemptForm, values, async (tx, row, input) => {
		if (row.status === 'closed') return refuse('channel', 'This referral is closed. Ask a team lead to reopen it first');
		const conflict = contactConflict(input, contactPreferences(row.answers));
		if (conflict) return refuse(conflict.field, conflict.message);

		const [attempt] = await tx
			.insert(contactAttempt)
			.values({ referralId: row.id, staffId: user.id, channel: input.channel, outcome: input.outcome, note: input.note, at: now })
			.returning();
		const successful = isSuccessfulOutcome(input.outcome);
		const firstContact = successful && !row.firstContactAt;
		if (firstContact) await tx.update(referral).set({ firstContactAt: now }).where(eq(referral.id, row.id));
		const detail = { reference: row.reference, attemptId: attempt.id, channel: input.channel, outcome: input.outcome, successful, firstContact };
		await recordChange(tx, user, row, 'referral.contact_attempted', detail, now);
		return { ok: true };
	});
}
