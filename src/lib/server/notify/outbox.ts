/**
 * Emails and texts, as jobs of kinds 'email' and 'text' in the job table (jobs/worker.ts): written in the
 * transaction that decides a message must go, and sent later by whichever app instance claims them first.
 * Delivery is at least once: a message is only sent twice if the process dies between the mail server (or
 * GOV.UK Notify) accepting it and the job being marked done.
 */
import type { Db, Tx } from '../db';
import { job, type EmailAttachment, type Job, type JobPayload } from '../db/schema';
import { backoffMs, type Backoff } from '../jobs/backoff';
import { runJobs, type JobHandler } from '../jobs/worker';
import { getSender, getTextSender } from './senders';

export const EMAIL_JOB = 'email';
export const TEXT_JOB = 'text';

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
 * Messages holding a secret, by kind (emails and texts alike), with what their text says once wiped: the
 * text of each is wiped once it is sent or given up, so the job table keeps no usable code or link. They
 * are only queued while a sender is configured, so none waits unsent with its secret for long.
 */
export const SECRET_KINDS: Readonly<Record<string, string>> = {
	'participant.sign_in': '(removed: it held a sign-in code)',
	'participant.confirm_address': '(removed: it held a code to confirm a new email address or phone number)',
	'draft.resume_link': '(removed: it held a link to a saved referral)'
};

/**
 * Of those, the ones whose secret is good for a short time, with how long: a participant's sign-in code
 * and link. One still unsent when that time is up is given up instead of sent.
 */
export const SHORT_LIVED_KINDS: Readonly<Record<string, number>> = { 'participant.sign_in': 10 * 60_000, 'participant.confirm_address': 10 * 60_000 };

function isStale(row: Job, now: Date): boolean {
	const life = SHORT_LIVED_KINDS[row.payload.kind ?? ''];
	return life !== undefined && now.getTime() - row.createdAt.getTime() >= life;
}

/** The payload kept once a message is settled: the text of a secret kind wiped. */
function finalMessagePayload(row: Job): JobPayload {
	const wiped = SECRET_KINDS[row.payload.kind ?? ''];
	return wiped !== undefined ? { ...row.payload, body: wiped } : row.payload;
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

/** A message job's idempotency key: one message of a kind per event and recipient. */
function messageJobKey(kind: string, eventId: string, to: string): string {
	return `${kind}:${eventId}:${to}`;
}

/** An email job's idempotency key: one email per event and address. */
export function emailJobKey(eventId: string, to: string): string {
	return messageJobKey(EMAIL_JOB, eventId, to);
}

/** A message to queue: what caused it, where it goes, what it says. */
interface QueuedMessage {
	eventId: string;
	to: string;
	payload: JobPayload;
	participantId?: string | null;
}

/**
 * Adds message jobs of one channel inside `tx`, due at `now` (the app's clock, which claims compare with
 * too); one per event and recipient, so one already there is left alone.
 */
async function enqueueMessages(tx: Tx | Db, channel: 'email' | 'text', messages: QueuedMessage[], now: Date): Promise<void> {
	if (!messages.length) return;
	const kind = channel === 'email' ? EMAIL_JOB : TEXT_JOB;
	await tx
		.insert(job)
		.values(
			messages.map((m) => ({
				kind,
				key: messageJobKey(kind, m.eventId, m.to),
				eventId: m.eventId,
				participantId: m.participantId ?? null,
				channel,
				recipient: m.to,
				payload: m.payload,
				dueAt: now,
				nextAttemptAt: now,
				createdAt: now
			}))
		)
		.onConflictDoNothing({ target: job.key });
}

/** Adds emails inside `tx`, due at `now`. An email already there for the same event and address is left alone. */
export function enqueueEmails(tx: Tx | Db, emails: NewEmail[], now = new Date()): Promise<void> {
	const messages = emails.map((e) => ({ eventId: e.eventId, to: e.to, payload: { kind: e.kind, subject: e.subject, body: e.body, attachments: e.attachments ?? null } }));
	return enqueueMessages(tx, 'email', messages, now);
}

/** The wait before the next try of an email after `attempts` failed tries (the outbox's backoff policy). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	return backoffMs(attempts, RETRY, random);
}

/**
 * The handler of one channel's messages. Emails and texts share the lease, backoff and give-up rules: a
 * sign-in code that expired before it could go is given up unsent, and a secret kind's text is wiped once
 * settled. Without a sender the channel's jobs are not claimed (they wait, pending).
 */
function messageHandler<S extends { kind: string }>(
	noun: 'email' | 'text',
	sender: () => S | null,
	send: (sender: S, row: Job) => Promise<unknown>,
	logFields: JobHandler['logFields']
): JobHandler {
	return {
		leaseMs: LEASE_MS,
		retry: RETRY,
		givesUp: (row, now) => now.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS || isStale(row, now),
		runnable: async () => !!sender(),
		async run(row, now) {
			const via = sender()!;
			if (isStale(row, now))
				return {
					status: 'failed',
					reason: 'not sent: the code it held had expired',
					log: { level: 'warn', message: `${noun} given up: its code expired before it could be sent` }
				};
			try {
				await send(via, row);
			} catch (error) {
				return { status: 'retry', error, fields: { via: via.kind } };
			}
			return { status: 'done', fields: { via: via.kind } };
		},
		finalPayload: finalMessagePayload,
		logFields,
		logs: {
			done: `${noun} sent`,
			dropped: `${noun} dropped`,
			retry: `${noun} not accepted: will try again`,
			failed: `${noun} given up: not accepted for 7 days`
		}
	};
}

/** Sends one email job (SMTP or GOV.UK Notify). */
export const emailHandler = messageHandler(
	'email',
	getSender,
	(sender, row) =>
		sender.send({ to: row.recipient ?? '', subject: row.payload.subject ?? '', text: row.payload.body ?? '', reference: row.id, attachments: row.payload.attachments ?? undefined }),
	(row) => ({ outboxId: row.id, kind: row.payload.kind, eventId: row.eventId })
);

export interface NewText {
	eventId: string;
	/** What the text is about, e.g. 'participant.sign_in'. */
	kind: string;
	/** A UK mobile number. */
	to: string;
	body: string;
	participantId?: string | null;
}

/** Adds texts inside `tx`, due at `now`. A text already there for the same event and number is left alone. */
export function enqueueTexts(tx: Tx | Db, texts: NewText[], now = new Date()): Promise<void> {
	const messages = texts.map((t) => ({ eventId: t.eventId, to: t.to, participantId: t.participantId, payload: { kind: t.kind, body: t.body } }));
	return enqueueMessages(tx, 'text', messages, now);
}

/** Sends one text job through GOV.UK Notify (texts go no other way). */
export const textHandler = messageHandler(
	'text',
	getTextSender,
	(sender, row) => sender.send({ to: row.recipient ?? '', body: row.payload.body ?? '', reference: row.id }),
	(row) => ({ jobId: row.id, kind: row.payload.kind })
);

export interface SendResult {
	sent: number;
	retrying: number;
	failed: number;
	/** True when there was no sender, so nothing was tried. */
	notConfigured: boolean;
}

/**
 * Sends the emails that are due, one batch (the worker, for emails only). Without a sender nothing is
 * claimed: the emails wait, pending, until SMTP or GOV.UK Notify is configured. `shouldStop` is asked
 * between emails (shutdown).
 */
export async function sendDueEmails(options: { limit?: number; now?: Date; shouldStop?: () => boolean } = {}): Promise<SendResult> {
	const { byKind, waiting } = await runJobs({ [EMAIL_JOB]: emailHandler }, options);
	const counts = byKind[EMAIL_JOB];
	return { sent: counts.done, retrying: counts.retrying, failed: counts.failed, notConfigured: waiting.includes(EMAIL_JOB) };
}
