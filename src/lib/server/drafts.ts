import { and, eq, getTableColumns, gt, isNull, lt, sql } from 'drizzle-orm';
import type { EligibilityResult } from '$lib/domain/eligibility';
import type { ReferralSource } from '$lib/domain/sources';
import { getDb, preparedQuery, readPrepared, type Db, type Tx } from './db';
import { idempotent } from './db/retry';
import { draft, type Draft } from './db/schema';
import { generateToken, hashToken } from './tokens';

export const DRAFT_LIFETIME_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

function expiry(): Date {
	return new Date(Date.now() + DRAFT_LIFETIME_DAYS * DAY_MS);
}

/** The first saved page of a new draft: a draft row is only made with an answer in it. */
export interface FirstAnswer {
	pageKey: string;
	values: Record<string, unknown>;
	eligibility?: EligibilityResult | null;
}

export async function createDraft(source: ReferralSource | null = null, first?: FirstAnswer): Promise<{ token: string; draft: Draft }> {
	const db = await getDb();
	const token = generateToken();
	const tokenHash = hashToken(token);
	const answers = first ? { answers: first.values, answered: [first.pageKey], ...(first.eligibility !== undefined ? { eligibility: first.eligibility } : {}) } : {};
	// Idempotent, so it may run again after a lost connection: a second run finds the row the first made.
	const row = await idempotent(async () => {
		const [made] = await db.insert(draft).values({ tokenHash, source, expiresAt: expiry(), ...answers }).onConflictDoNothing({ target: draft.tokenHash }).returning();
		return made ?? (await db.select().from(draft).where(eq(draft.tokenHash, tokenHash)))[0];
	});
	return { token, draft: row };
}

/** The draft for a browser token; a submitted draft only when asked for (the confirmation page). */
export async function getDraftByToken(token: string, includeSubmitted = false): Promise<Draft | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const onPglite = await draftOnPglite(token);
	const row = onPglite === undefined ? await draftByQueryBuilder(token) : onPglite;
	if (!row || (row.submittedAt && !includeSubmitted)) return null;
	return row;
}

const DRAFT_COLUMNS = Object.entries(getTableColumns(draft));
const DRAFT_BY_TOKEN_HASH = `prepare draft_by_token_hash(text, timestamptz) as select ${DRAFT_COLUMNS.map(([, c]) => `"${c.name}"`).join(', ')} from draft where token_hash = $1 and expires_at > $2`;

/** The draft on PGlite through a prepared statement (readPrepared), mapped to the schema's keys; undefined on PostgreSQL. */
async function draftOnPglite(token: string): Promise<Draft | null | undefined> {
	const rows = await readPrepared('draft_by_token_hash', DRAFT_BY_TOKEN_HASH, [hashToken(token), new Date().toISOString()]);
	if (!rows) return undefined;
	if (!rows[0]) return null;
	return Object.fromEntries(DRAFT_COLUMNS.map(([key, c]) => [key, rows[0][c.name]])) as unknown as Draft;
}

async function draftByQueryBuilder(token: string): Promise<Draft | null> {
	const query = await preparedQuery('draft_by_token', (db) =>
		db
			.select()
			.from(draft)
			.where(and(eq(draft.tokenHash, sql.placeholder('tokenHash')), gt(draft.expiresAt, sql.placeholder('now'))))
			.prepare('draft_by_token')
	);
	const [row] = await query.execute({ tokenHash: hashToken(token), now: new Date().toISOString() });
	return row ?? null;
}

/** Merges one page's answers into the draft and marks the page answered; each save extends the expiry. */
export async function saveDraftAnswers(
	current: Draft,
	pageKey: string,
	values: Record<string, unknown>,
	eligibility?: EligibilityResult | null
): Promise<Draft> {
	const db = await getDb();
	const answered = current.answered.includes(pageKey) ? current.answered : [...current.answered, pageKey];
	// The whole answer set is written, so a save run twice (after a lost connection) leaves the same draft.
	const [row] = await idempotent(() => db
		.update(draft)
		.set({
			answers: { ...current.answers, ...values },
			answered,
			...(eligibility !== undefined ? { eligibility } : {}),
			updatedAt: new Date(),
			expiresAt: expiry()
		})
		.where(eq(draft.id, current.id))
		.returning());
	return row;
}

export async function setDraftEligibility(draftId: string, eligibility: EligibilityResult | null): Promise<void> {
	const db = await getDb();
	await db.update(draft).set({ eligibility, updatedAt: new Date() }).where(eq(draft.id, draftId));
}

export async function setDraftSource(draftId: string, source: ReferralSource): Promise<void> {
	const db = await getDb();
	await db.update(draft).set({ source, updatedAt: new Date() }).where(eq(draft.id, draftId));
}

/** A one-off token for a "come back later" link; it lasts as long as the draft. */
export async function createResumeToken(draftId: string, conn?: Db | Tx): Promise<string> {
	const db = conn ?? (await getDb());
	const token = generateToken();
	await db
		.update(draft)
		.set({ resumeTokenHash: hashToken(token), resumeTokenExpiresAt: expiry() })
		.where(eq(draft.id, draftId));
	return token;
}

/**
 * Opens a draft from a "come back later" link. The link works once: the draft gets a new browser token
 * and the link's token is cleared.
 */
/** Whether an emailed link would resume a draft, without using it up (a mail scanner may open it). */
export async function isResumable(resumeToken: string): Promise<boolean> {
	if (!/^[a-z2-7]{32}$/.test(resumeToken)) return false;
	const db = await getDb();
	const now = new Date();
	const [row] = await db
		.select({ id: draft.id })
		.from(draft)
		.where(and(eq(draft.resumeTokenHash, hashToken(resumeToken)), gt(draft.resumeTokenExpiresAt, now), gt(draft.expiresAt, now), isNull(draft.submittedAt)));
	return !!row;
}

export async function resumeDraft(resumeToken: string): Promise<{ token: string; draft: Draft } | null> {
	if (!/^[a-z2-7]{32}$/.test(resumeToken)) return null;
	const db = await getDb();
	const token = generateToken();
	const [row] = await db
		.update(draft)
		.set({ tokenHash: hashToken(token), resumeTokenHash: null, resumeTokenExpiresAt: null, updatedAt: new Date() })
		.where(
			and(
				eq(draft.resumeTokenHash, hashToken(resumeToken)),
				gt(draft.resumeTokenExpiresAt, new Date()),
				gt(draft.expiresAt, new Date()),
				isNull(draft.submittedAt)
			)
		)
		.returning();
	return row ? { token, draft: row } : null;
}

/** Deletes drafts past their expiry; returns how many. */
export async function deleteExpiredDrafts(now = new Date()): Promise<number> {
	const db = await getDb();
	const rows = await db.delete(draft).where(lt(draft.expiresAt, now)).returning({ id: draft.id });
	return rows.length;
}
