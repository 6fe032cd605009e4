/**
 * Anonymous counts for the outcomes report (issue 23, part 1): link visits and checks started per link and UK
 * day (`link_activity`), and each checker result reached (`checker_outcome`: the day, the link and GP practice,
 * the programme matched, the outcome and its reason codes; nothing about the person).
 *
 * Counting never stands in a person's way: a failure here is logged (its kind, never the values) and the
 * page goes on.
 */
import { eq, sql } from 'drizzle-orm';
import type { EligibilityResult } from '$lib/domain/eligibility';
import type { ReferralSource } from '$lib/domain/sources';
import { ukDate } from '$lib/domain/uk-time';
import { getDb } from './db';
import { checkerOutcome, draft, linkActivity, type Draft } from './db/schema';
import { log } from './log';

/** The link key of checks started without a link. */
export const NO_LINK = '';
/** The link key of codes no link has (anything can be typed after /r/): one bucket, so they cannot fill the table. */
export const UNKNOWN_LINK = '(unknown)';

/** The key a source is counted under: its link's code, UNKNOWN_LINK for an unknown code, NO_LINK without one. */
export function linkKey(source: ReferralSource | null): string {
	if (!source) return NO_LINK;
	if (source.detail === 'unknown link code' || source.detail === 'unrecognised link') return UNKNOWN_LINK;
	return source.linkCode ?? NO_LINK;
}

async function bump(source: ReferralSource | null, column: 'visits' | 'checksStarted', now: Date): Promise<void> {
	try {
		const db = await getDb();
		const day = ukDate(now);
		await db
			.insert(linkActivity)
			.values({ day, linkCode: linkKey(source), [column]: 1 })
			.onConflictDoUpdate({ target: [linkActivity.day, linkActivity.linkCode], set: { [column]: sql`${linkActivity[column]} + 1` } });
	} catch (error) {
		log.error('link activity not counted', { column, error });
	}
}

/** Someone opened a /r/<code> link. */
export function countLinkVisit(source: ReferralSource, now = new Date()): Promise<void> {
	return bump(source, 'visits', now);
}

/** Someone saved a first answer: a check started (from the draft's source, or none). */
export function countCheckStarted(source: ReferralSource | null, now = new Date()): Promise<void> {
	return bump(source, 'checksStarted', now);
}

/**
 * A checker result reached: the draft's own outcome row is written (the first time) or brought up to date
 * (a changed answer, a later day), so each check counts once, at its latest result.
 */
export async function recordCheckerOutcome(current: Pick<Draft, 'id' | 'source' | 'checkerOutcomeId'>, result: EligibilityResult, now = new Date()): Promise<void> {
	const values = {
		day: ukDate(now),
		linkCode: current.source?.linkCode ?? null,
		odsCode: current.source?.odsCode ?? null,
		sourceCode: current.source?.code ?? null,
		programmeId: result.programmeId,
		outcome: result.outcome,
		reasons: [...result.reasons]
	};
	try {
		const db = await getDb();
		await db.transaction(async (tx) => {
			if (current.checkerOutcomeId) {
				const [updated] = await tx.update(checkerOutcome).set(values).where(eq(checkerOutcome.id, current.checkerOutcomeId)).returning({ id: checkerOutcome.id });
				if (updated) return;
			}
			const [made] = await tx.insert(checkerOutcome).values(values).returning({ id: checkerOutcome.id });
			await tx.update(draft).set({ checkerOutcomeId: made.id }).where(eq(draft.id, current.id));
		});
	} catch (error) {
		log.error('checker outcome not recorded', { error });
	}
}
