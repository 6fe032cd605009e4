/**
 * Sends meeting reminders from reminder_outbox (rows written by booking, one per reminder time and
 * channel). Rows are claimed with a lease like the email outbox (jobs/lease.ts). Before anything is sent
 * the meeting is read again: a reminder goes only for the current version of a booked meeting that has
 * not started (isReminderCurrent), and a text only while the person agrees to texts. Anything else is
 * marked `dropped`, so a cancelled or moved meeting never gets a reminder even if booking missed
 * dropping it. The words are made at send time and hold no health details and no referral answers.
 */
import { and, asc, eq, inArray, lte, type SQL } from 'drizzle-orm';
import { isReminderCurrent } from '$lib/domain/meetings/reminders';
import { emailWhen } from '$lib/domain/meetings/labels';
import { placeWords, type ModeKind } from '$lib/domain/meetings/modes';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { meeting, participant, programme, reminderOutbox, venue, type ReminderOutbox } from '../db/schema';
import { backoffMs, type Backoff } from '../jobs/backoff';
import { claimDue, due, release } from '../jobs/lease';
import { log } from '../log';
import { getSender, getTextSender } from '../notify/senders';
import { placeOf } from './messages';

/** Longer than any one send can take (SMTP and Notify timeouts), so a lease never ends mid-send. */
export const LEASE_MS = 5 * 60_000;
/** Retries start at 5 to 10 seconds and double, up to 15 minutes: a reminder is worth little late. */
const RETRY: Backoff = { baseMs: 10_000, maxMs: 15 * 60_000, jitter: 0.5 };
/** A reminder not accepted within a day of its time is given up as failed. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

export type ReminderChannel = 'email' | 'text';

export interface ReminderWords {
	subject: string;
	body: string;
}

export interface ReminderFacts {
	startsAt: Date;
	endsAt: Date;
	mode: ModeKind;
	/** The venue's name, for meetings in person. */
	venueName: string | null;
	/** The programme's helpline. */
	helplinePhone: string;
	/** The site's public address, e.g. https://ips.example.org */
	origin: string;
}

/**
 * The reminder's words, the same for email and text: when and how, where to change or cancel, and the
 * helpline. Nothing about the person's health or referral.
 */
export function formatReminder(facts: ReminderFacts): ReminderWords {
	const place = placeOf({ mode: facts.mode }, facts.venueName ? { name: facts.venueName } : null);
	const when = emailWhen({ start: facts.startsAt, end: facts.endsAt });
	const origin = facts.origin.replace(/\/+$/, '');
	const body = [
		`Reminder: you have a meeting with your employment specialist on ${when}, ${placeWords(place)}.`,
		`To change or cancel it, sign in at ${origin}/account.`,
		`If you need help, call ${facts.helplinePhone}.`
	].join('\n\n');
	return { subject: 'Reminder: your meeting with your employment specialist', body };
}

/** The reminder key without its channel: what isReminderCurrent compares with the meeting. */
export function keyWithoutChannel(key: string): string {
	return key.replace(/:(email|text)$/, '');
}

export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	return backoffMs(attempts, RETRY, random);
}

export interface ReminderResult {
	sent: number;
	retrying: number;
	failed: number;
	dropped: number;
}

const warned = new Set<ReminderChannel>();

/** Warns once per process per channel that due reminders wait because there is no way to send them. */
async function warnIfWaiting(channel: ReminderChannel, now: Date): Promise<void> {
	if (warned.has(channel)) return;
	const db = await getDb();
	const [waiting] = await db
		.select({ id: reminderOutbox.id })
		.from(reminderOutbox)
		.where(and(due(reminderOutbox, now), eq(reminderOutbox.channel, channel)))
		.limit(1);
	if (!waiting) return;
	warned.add(channel);
	if (channel === 'text')
		log.warn('text reminders are due but texts are not configured (set NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID): they wait until it is');
	else log.warn('email reminders are due but mail is not configured (set SMTP_URL or NOTIFY_API_KEY): they wait until it is');
}

async function settle(row: ReminderOutbox, set: Partial<typeof reminderOutbox.$inferInsert>): Promise<void> {
	const db = await getDb();
	await db
		.update(reminderOutbox)
		.set({ lockedUntil: null, ...set })
		.where(and(eq(reminderOutbox.id, row.id), eq(reminderOutbox.status, 'pending')));
}

async function markFailed(row: ReminderOutbox, error: string, now: Date): Promise<'retry' | 'failed'> {
	const giveUp = now.getTime() - row.dueAt.getTime() >= GIVE_UP_AFTER_MS;
	await settle(row, {
		status: giveUp ? 'failed' : 'pending',
		nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)),
		lastError: error.slice(0, 500)
	});
	return giveUp ? 'failed' : 'retry';
}

/** What a failure was, for the log: codes only, since replies can quote the address. */
function errorCodes(error: unknown): Record<string, unknown> {
	const e = error as { code?: unknown; responseCode?: unknown };
	return { code: e?.code, responseCode: e?.responseCode };
}

/** The meeting, its person's consent, the programme's helpline and the venue, read at send time. */
async function facts(meetingId: string) {
	const db = await getDb();
	const [row] = await db
		.select({
			id: meeting.id,
			version: meeting.version,
			status: meeting.status,
			startsAt: meeting.startsAt,
			endsAt: meeting.endsAt,
			mode: meeting.mode,
			venueName: venue.name,
			textConsent: participant.textConsent,
			helplinePhone: programme.helplinePhone
		})
		.from(meeting)
		.innerJoin(participant, eq(participant.id, meeting.participantId))
		.innerJoin(programme, eq(programme.id, meeting.programmeId))
		.leftJoin(venue, eq(venue.id, meeting.venueId))
		.where(eq(meeting.id, meetingId));
	return row;
}

/** Why a claimed reminder must not go, or null when it should. */
function dropReason(row: ReminderOutbox, m: Awaited<ReturnType<typeof facts>>, now: Date): string | null {
	if (!m) return 'the meeting no longer exists';
	if (!isReminderCurrent(keyWithoutChannel(row.key), { id: m.id, version: m.version, start: m.startsAt, status: m.status }))
		return m.status === 'booked' ? 'the meeting was moved' : `the meeting is ${m.status}`;
	if (m.startsAt.getTime() <= now.getTime()) return 'the meeting has already started';
	if (row.channel === 'text' && !m.textConsent) return 'the person has not agreed to texts';
	return null;
}

/**
 * Sends the reminders that are due, one batch. A channel with no way to send (no mail, or no
 * NOTIFY_SMS_TEMPLATE_ID for texts) is not claimed: its reminders wait, pending. `shouldStop` is asked
 * between reminders (shutdown).
 */
export async function sendDueReminders(options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<ReminderResult> {
	const result: ReminderResult = { sent: 0, retrying: 0, failed: 0, dropped: 0 };
	const now = options.now ?? new Date();
	const emailSender = getSender();
	const textSender = getTextSender();
	const channels: ReminderChannel[] = [];
	if (emailSender) channels.push('email');
	else await warnIfWaiting('email', now);
	if (textSender) channels.push('text');
	else await warnIfWaiting('text', now);
	if (!channels.length) return result;

	const db = await getDb();
	const where: SQL = and(inArray(reminderOutbox.channel, channels), lte(reminderOutbox.dueAt, now))!;
	const claimed = await claimDue(db, reminderOutbox, { where, orderBy: asc(reminderOutbox.nextAttemptAt), limit: options.limit ?? 20, now, leaseMs: LEASE_MS });
	const origin = siteOrigin();
	for (const [i, row] of claimed.entries()) {
		if (options.shouldStop?.()) {
			await release(db, reminderOutbox, claimed.slice(i).map((r) => r.id));
			break;
		}
		const m = await facts(row.meetingId);
		const reason = dropReason(row, m, now);
		if (reason || !m) {
			await settle(row, { status: 'dropped', lastError: reason });
			result.dropped++;
			log.info('reminder dropped', { reminderId: row.id, meetingId: row.meetingId, channel: row.channel, reason });
			continue;
		}
		const words = formatReminder({ ...m, origin });
		try {
			if (row.channel === 'text') await textSender!.send({ to: row.to, body: words.body, reference: row.id });
			else await emailSender!.send({ to: row.to, subject: words.subject, text: words.body, reference: row.id });
		} catch (error) {
			const outcome = await markFailed(row, error instanceof Error ? error.message : String(error), now);
			if (outcome === 'failed') {
				result.failed++;
				log.error('reminder given up: not accepted within a day of its time', { reminderId: row.id, channel: row.channel, attempts: row.attempts, ...errorCodes(error) });
			} else {
				result.retrying++;
				log.warn('reminder not accepted: will try again', { reminderId: row.id, channel: row.channel, attempts: row.attempts, ...errorCodes(error) });
			}
			continue;
		}
		await settle(row, { status: 'sent', sentAt: now, lastError: null });
		result.sent++;
		log.info('reminder sent', { reminderId: row.id, meetingId: row.meetingId, channel: row.channel, attempts: row.attempts });
	}
	return result;
}
