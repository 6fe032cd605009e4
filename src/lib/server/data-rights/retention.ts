/**
 * Retention (issue 24 item 6): each programme keeps a referral's personal data for `retention_years`
 * (default 3) after the referral closes (a withdrawal closes it too); then it is erased the same way as a
 * request (erasure.ts, why 'retention'). Housekeeping runs it every hour; `npm run cli -- retention run
 * [--dry-run]` shows or does it. Drafts never sent keep their own, shorter expiry (drafts.ts).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { ukDate } from '$lib/domain/uk-time';
import { retentionEnds } from '$lib/domain/data-rights';
import { getDb } from '../db';
import { programme, referral } from '../db/schema';
import { log } from '../log';
import { eraseReferral } from './erasure';

export interface PastRetention {
	id: string;
	reference: string;
	programmeId: string;
	closedOn: string;
	erasableFrom: string;
}

/** Closed referrals not yet erased whose programme's retention period has ended by `now` (UK dates). */
export async function pastRetention(now = new Date()): Promise<PastRetention[]> {
	const db = await getDb();
	// A first cut in the database (at least a year's worth of years have passed), then the exact UK date here.
	const rows = await db
		.select({ id: referral.id, reference: referral.reference, programmeId: referral.programmeId, closedAt: referral.statusChangedAt, years: programme.retentionYears })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(
			and(
				eq(referral.status, 'closed'),
				isNull(referral.erasedAt),
				sql`${referral.statusChangedAt} < ${now.toISOString()}::timestamptz - make_interval(years => ${programme.retentionYears}) + interval '2 days'`
			)
		)
		.orderBy(asc(referral.statusChangedAt));
	const today = ukDate(now);
	return rows
		.map((r) => {
			const closedOn = ukDate(r.closedAt);
			return { id: r.id, reference: r.reference, programmeId: r.programmeId, closedOn, erasableFrom: retentionEnds(closedOn, r.years) };
		})
		.filter((r) => r.erasableFrom <= today);
}

/** Erases every referral past its retention period (or, with dryRun, only lists them). */
export async function runRetention(options: { now?: Date; dryRun?: boolean } = {}): Promise<{ due: PastRetention[]; erased: string[] }> {
	const now = options.now ?? new Date();
	const due = await pastRetention(now);
	const erased: string[] = [];
	if (options.dryRun) return { due, erased };
	for (const r of due) {
		const result = await eraseReferral(r.id, 'retention', null, now);
		if (result.ok) erased.push(r.reference);
	}
	if (erased.length) log.info('retention: personal data erased', { count: erased.length });
	return { due, erased };
}
