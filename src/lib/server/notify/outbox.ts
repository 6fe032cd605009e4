/**
 * The email outbox: rows are written in the transaction that decides an email must go, and sent later by
 * whichever app instance claims them first. A claim is an UPDATE of due rows picked with FOR UPDATE SKIP
 * LOCKED, taking a lease (`locked_until`), so two instances never hold one row at once; a crashed sender's
 * lease runs out and another instance picks the row up. Delivery is at least once: an email is only sent
 * twice if the process dies between the mail server accepting it and the row being marked sent.
 */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../db';
import { emailOutbox, type EmailOutbox } from '../db/schema';
import { log } from '../log';
import { getSender } from './senders';

/** Longer than any one send can take (the SMTP timeouts in senders.ts), so a lease never ends mid-send. */
export const LEASE_MS = 5 * 60_000;
/** The first retry waits 5 to 10 seconds; each further one about twice as long, up to an hour. */
export const RETRY_MIN_MS = 10_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** After this long an email still not accepted is marked failed and no longer tried. */
export const GIVE_UP_AFTER_MS = 7 * 24 * 60 * 60_000;

export interface NewEmail {
	eventId: string;
	kind: string;
	to: string;
	subject: string;
	body: string;
}

/**
 * Adds emails inside `tx`, due at `now` (the app's clock, which claims compare with too). An email already
 * there for the same event and address is left alone.
 */
export async function enqueueEmails(tx: Tx | Db, emails: NewEmail[], now = new Date()): Promise<void> {
	if (!emails.length) return;
	await tx
		.insert(emailOutbox)
		.values(emails.map((e) => ({ ...e, nextAttemptAt: now, createdAt: now })))
		.onConflictDoNothing({ target: [emailOutbox.eventId, emailOutbox.to] });
}

/**
 * Wait before the next try after `attempts` failed tries: exponential, capped, with "equal jitter" (half
 * fixed, half random) so many emails failing together do not all come back at the same moment.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	const ceiling = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, attempts - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Claims up to `limit` due emails for this process: counts the attempt and takes a lease. */
export async function claimDueEmails(limit: number, now = new Date()): Promise<EmailOutbox[]> {
	const db = await getDb();
	const due = db
		.select({ id: emailOutbox.id })
		.from(emailOutbox)
		.where(
			and(
				eq(emailOutbox.status, 'pending'),
				lte(emailOutbox.nextAttemptAt, now),
				or(isNull(emailOutbox.lockedUntil), lt(emailOutbox.lockedUntil, now))
			)
		)
		.orderBy(asc(emailOutbox.nextAttemptAt))
		.limit(limit)
		.for('update', { skipLocked: true });
	return db
		.update(emailOutbox)
		.set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${emailOutbox.attempts} + 1` })
		.where(inArray(emailOutbox.id, due))
		.returning();
}

export async function markSent(id: string, now = new Date()): Promise<void> {
	const db = await getDb();
	await db
		.update(emailOutbox)
		.set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null })
		.where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, 'pending')));
}

/** Records a failed try: the next one after a backoff, or `failed` once the email is too old to matter. */
export async function markFailed(row: EmailOutbox, error: string, now = new Date()): Promise<'retry' | 'failed'> {
	const db = await getDb();
	const giveUp = now.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS;
	await db
		.update(emailOutbox)
		.set({
			status: giveUp ? 'failed' : 'pending',
			nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)),
			lockedUntil: null,
			lastError: error.slice(0, 500)
		})
		.where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, 'pending')));
	return giveUp ? 'failed' : 'retry';
}

/** Gives claimed emails back untried (shutting down), so the next instance need not wait for the lease. */
async function release(rows: EmailOutbox[]): Promise<void> {
	if (!rows.length) return;
	const db = await getDb();
	await db
		.update(emailOutbox)
		.set({ lockedUntil: null, attempts: sql`${emailOutbox.attempts} - 1` })
		.where(inArray(emailOutbox.id, rows.map((r) => r.id)));
}

/** What a failure was, for the log: codes only, since mail server replies can quote the address. */
function errorCodes(error: unknown): Record<string, unknown> {
	const e = error as { code?: unknown; responseCode?: unknown };
	return { code: e?.code, responseCode: e?.responseCode };
}

export interface SendResult {
	sent: number;
	retrying: number;
	failed: number;
	/** True when there was no sender, so nothing was tried. */
	notConfigured: boolean;
}

/**
 * Sends the emails that are due, one batch. Without a sender nothing is claimed: the emails wait, pending,
 * until SMTP or GOV.UK Notify is configured. `shouldStop` is asked between emails (shutdown).
 */
export async function sendDueEmails(options: { limit?: number; now?: Date; shouldStop?: () => boolean } = {}): Promise<SendResult> {
	const result: SendResult = { sent: 0, retrying: 0, failed: 0, notConfigured: false };
	const sender = getSender();
	if (!sender) return { ...result, notConfigured: true };
	const { now } = options;
	const claimed = await claimDueEmails(options.limit ?? 20, now);
	for (const [i, row] of claimed.entries()) {
		if (options.shouldStop?.()) {
			await release(claimed.slice(i));
			break;
		}
		try {
			await sender.send({ to: row.to, subject: row.subject, text: row.body, reference: row.id });
		} catch (error) {
			const outcome = await markFailed(row, error instanceof Error ? error.message : String(error), now);
			if (outcome === 'failed') {
				result.failed++;
				log.error('email given up: not accepted for 7 days', { outboxId: row.id, eventId: row.eventId, attempts: row.attempts, ...errorCodes(error) });
			} else {
				result.retrying++;
				log.warn('email not accepted: will try again', { outboxId: row.id, kind: row.kind, attempts: row.attempts, via: sender.kind, ...errorCodes(error) });
			}
			continue;
		}
		await markSent(row.id, now);
		result.sent++;
		log.info('email sent', { outboxId: row.id, kind: row.kind, attempts: row.attempts, via: sender.kind });
	}
	return result;
}
