/**
 * The email outbox: rows are written in the transaction that decides an email must go, and sent later by
 * whichever app instance claims them first (a leased claim, jobs/lease.ts). Delivery is at least once: an
 * email is only sent twice if the process dies between the mail server accepting it and the row being
 * marked sent.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../db';
import { emailOutbox, type EmailAttachment, type EmailOutbox } from '../db/schema';
import { backoffMs, type Backoff } from '../jobs/backoff';
import { claimDue, release } from '../jobs/lease';
import { log } from '../log';
import { getSender } from './senders';

/** Longer than any one send can take (the SMTP timeouts in senders.ts), so a lease never ends mid-send. */
export const LEASE_MS = 5 * 60_000;
/** The first retry waits 5 to 10 seconds; each further one about twice as long, up to an hour. */
export const RETRY_MIN_MS = 10_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** "Equal jitter": half of each wait fixed, half random. */
const RETRY: Backoff = { baseMs: RETRY_MIN_MS, maxMs: RETRY_MAX_MS, jitter: 0.5 };
/** After this long an email still not accepted is marked failed and no longer tried. */
export const GIVE_UP_AFTER_MS = 7 * 24 * 60 * 60_000;

/**
 * Emails holding a secret good for a short time, by kind, with how long: a participant's sign-in code and
 * link. One still unsent when that time is up is given up instead of sent, and the text of each is wiped
 * once it is sent or given up, so the outbox keeps no usable code.
 */
export const SHORT_LIVED_KINDS: Readonly<Record<string, number>> = { 'participant.sign_in': 10 * 60_000 };
const WIPED = '(removed: it held a sign-in code)';
const wipeShortLived = sql`case when ${emailOutbox.kind} in (${sql.join(
	Object.keys(SHORT_LIVED_KINDS).map((k) => sql`${k}`),
	sql`, `
)}) then ${WIPED} else ${emailOutbox.body} end`;

function isStale(row: EmailOutbox, now: Date): boolean {
	const life = SHORT_LIVED_KINDS[row.kind];
	return life !== undefined && now.getTime() - row.createdAt.getTime() >= life;
}

export interface NewEmail {
	eventId: string;
	kind: string;
	to: string;
	subject: string;
	body: string;
	/** Files sent with the email, such as a meeting's .ics (SMTP only: GOV.UK Notify sends the text alone). */
	attachments?: EmailAttachment[] | null;
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

/** The wait before the next try of an email after `attempts` failed tries (the outbox's backoff policy). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	return backoffMs(attempts, RETRY, random);
}

/** Claims up to `limit` due emails for this process: counts the attempt and takes a lease. */
export async function claimDueEmails(limit: number, now = new Date()): Promise<EmailOutbox[]> {
	return claimDue(await getDb(), emailOutbox, { orderBy: asc(emailOutbox.nextAttemptAt), limit, now, leaseMs: LEASE_MS });
}

export async function markSent(id: string, now = new Date()): Promise<void> {
	const db = await getDb();
	await db
		.update(emailOutbox)
		.set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null, body: wipeShortLived })
		.where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, 'pending')));
}

/** Records a failed try: the next one after a backoff, or `failed` once the email is too old to matter. */
export async function markFailed(row: EmailOutbox, error: string, now = new Date()): Promise<'retry' | 'failed'> {
	const db = await getDb();
	const giveUp = now.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS || isStale(row, now);
	await db
		.update(emailOutbox)
		.set({
			status: giveUp ? 'failed' : 'pending',
			nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)),
			lockedUntil: null,
			lastError: error.slice(0, 500),
			...(giveUp ? { body: wipeShortLived } : {})
		})
		.where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, 'pending')));
	return giveUp ? 'failed' : 'retry';
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
			await release(await getDb(), emailOutbox, claimed.slice(i).map((r) => r.id));
			break;
		}
		if (isStale(row, now ?? new Date())) {
			await markFailed(row, 'not sent: the code it held had expired', now);
			result.failed++;
			log.warn('email given up: its code expired before it could be sent', { outboxId: row.id, kind: row.kind, attempts: row.attempts });
			continue;
		}
		try {
			await sender.send({ to: row.to, subject: row.subject, text: row.body, reference: row.id, attachments: row.attachments ?? undefined });
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
