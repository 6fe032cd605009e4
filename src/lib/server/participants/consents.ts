/**
 * "Your consents": the consents a participant gave at referral (and after, on "Tell us more"), and
 * withdrawing them one at a time (domain/consent-withdrawal.ts). Withdrawing sets consent.withdrawn_at on the
 * kind's rows and takes effect at once where it applies: text reminders turn participant.text_consent off,
 * so no text is queued from then on and those already queued are not sent (each sender checks it). One
 * transaction writes the audit row and appends `consent.withdrawn` (the kind and the wording's version only).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { canWithdrawAlone } from '$lib/domain/consent-withdrawal';
import type { ConsentKind } from '$lib/domain/consents';
import { recordAudit } from '../audit';
import type { ParticipantUser } from '../auth/sessions';
import { getDb } from '../db';
import { consent, participant, referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { notFound } from '../refusal';

export interface ConsentStanding {
	kind: ConsentKind;
	given: boolean;
	version: string;
	recordedAt: Date;
	withdrawnAt: Date | null;
}

/** Each kind of consent the person was asked, as it stands: the latest answer, and when it was withdrawn. */
export async function consentsFor(user: Pick<ParticipantUser, 'referralId'>): Promise<ConsentStanding[]> {
	const db = await getDb();
	const rows = await db.select().from(consent).where(eq(consent.referralId, user.referralId)).orderBy(asc(consent.recordedAt), asc(consent.id));
	const latest = new Map<string, ConsentStanding>();
	for (const c of rows) latest.set(c.kind, { kind: c.kind as ConsentKind, given: c.given, version: c.textVersion, recordedAt: c.recordedAt, withdrawnAt: c.withdrawnAt });
	return [...latest.values()];
}

export type WithdrawConsentResult = { ok: true; kind: ConsentKind } | { ok: false; reason: 'not-given' | 'already-withdrawn' | 'not-here' };

/**
 * Withdraws one consent the person gave. Refused for processing (the service cannot go on without it: the
 * page points to withdrawing the referral), for a consent not given, and for one already withdrawn.
 */
export async function withdrawConsent(user: Pick<ParticipantUser, 'id' | 'referralId'>, kind: ConsentKind, now = new Date()): Promise<WithdrawConsentResult> {
	if (!canWithdrawAlone(kind)) return { ok: false, reason: 'not-here' };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.id, user.referralId)).for('update');
		if (!row) notFound();
		const rows = await tx
			.select()
			.from(consent)
			.where(and(eq(consent.referralId, row.id), eq(consent.kind, kind)))
			.orderBy(asc(consent.recordedAt), asc(consent.id));
		const latest = rows.at(-1);
		if (!latest || !latest.given) return { ok: false, reason: 'not-given' };
		if (latest.withdrawnAt) return { ok: false, reason: 'already-withdrawn' };
		await tx
			.update(consent)
			.set({ withdrawnAt: now })
			.where(and(eq(consent.referralId, row.id), eq(consent.kind, kind), isNull(consent.withdrawnAt)));
		if (kind === 'textReminders')
			await tx
				.update(participant)
				.set({ textConsent: false })
				.where(and(eq(participant.id, user.id), eq(participant.referralId, row.id)));
		await recordAudit(
			{ staffId: null, action: 'consent.withdrawn', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, by: 'participant', kind, version: latest.textVersion } },
			tx
		);
		await appendEvent(tx, {
			type: 'consent.withdrawn',
			referralId: row.id,
			programmeId: row.programmeId,
			payload: {
				version: REFERRAL_EVENT_VERSION,
				reference: row.reference,
				programmeId: row.programmeId,
				byStaffId: null,
				at: now.toISOString(),
				actor: { kind: 'participant' },
				kind,
				textVersion: latest.textVersion
			}
		});
		return { ok: true, kind };
	});
}
