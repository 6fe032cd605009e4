/**
 * Check-in reminders (check_in_reminder): when a point of a participant's schedule opens and is not done,
 * one reminder per channel is queued (email; text only with the person's consent to text reminders, as
 * for meetings), due at 9:00am UK time on the day it opens. The notifier sends them like meeting
 * reminders, reading everything again just before sending: a point already done, no longer open, gone
 * from the schedule, or a closed referral drops the reminder. The words say only that a check-in is ready
 * and where to do it: no scores, no answers, no questionnaire names.
 */
import { and, asc, eq, inArray, lte, ne, type SQL } from 'drizzle-orm';
import { openCheckIns, scheduledCheckIns, type ScheduledCheckIn } from '$lib/domain/measures/schedule';
import { readProgrammeMeasures } from '$lib/domain/measures/settings';
import { TZDate } from '@date-fns/tz';
import { UK_TIME_ZONE, ukDate } from '$lib/domain/uk-time';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { checkInReminder, participant, programme, referral, type CheckInReminderRow } from '../db/schema';
import { backoffMs, type Backoff } from '../jobs/backoff';
import { claimDue, release } from '../jobs/lease';
import { log } from '../log';
import { getSender, getTextSender } from '../notify/senders';
import { checkInStartDate, completedPoints } from './due';

export const LEASE_MS = 5 * 60_000;
const RETRY: Backoff = { baseMs: 10_000, maxMs: 15 * 60_000, jitter: 0.5 };
/** A reminder not accepted within a day of its time is given up as failed. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
/** Reminders go at 9:00am UK time on the day a check-in opens (later, if it is queued later). */
const SEND_AT_HOUR = 9;

export type CheckInReminderChannel = 'email' | 'text';

export interface CheckInReminderResult {
	queued: number;
	sent: number;
	retrying: number;
	failed: number;
	dropped: number;
}

/** The reminder's words, the same for email and text. Nothing about health, answers or questionnaires. */
export function formatCheckInReminder(facts: { origin: string; helplinePhone: string }): { subject: string; body: string } {
	const origin = facts.origin.replace(/\/+$/, '');
	const body = [
		'You have a check-in ready with IPS Employment Support. It takes a few minutes.',
		`Sign in at ${origin}/account to do it.`,
		`If you need help, call ${facts.helplinePhone}.`
	].join('\n\n');
	return { subject: 'Your check-in is ready', body };
}

export function checkInReminderKey(participantId: string, pointId: string, channel: CheckInReminderChannel): string {
	return `${participantId}:${pointId}:${channel}`;
}

/** Open points of a schedule not fully done: each instrument of the point still to do. */
function openPoints(checkIns: readonly ScheduledCheckIn[]): Map<string, ScheduledCheckIn> {
	const points = new Map<string, ScheduledCheckIn>();
	for (const c of openCheckIns(checkIns)) if (!points.has(c.pointId)) points.set(c.pointId, c);
	return points;
}

interface PersonFacts {
	participantId: string;
	email: string | null;
	phone: string | null;
	textConsent: boolean;
	status: string;
	submittedAt: Date;
	measures: unknown;
	helplinePhone: string;
}

async function people(where?: SQL): Promise<PersonFacts[]> {
	const db = await getDb();
	return db
		.select({
			participantId: participant.id,
			email: participant.email,
			phone: participant.phone,
			textConsent: participant.textConsent,
			status: referral.status,
			submittedAt: referral.submittedAt,
			measures: programme.measures,
			helplinePhone: programme.helplinePhone
		})
		.from(participant)
		.innerJoin(referral, eq(referral.id, participant.referralId))
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(where);
}

function scheduleOf(person: PersonFacts, completed: Parameters<typeof scheduledCheckIns>[2], now: Date): ScheduledCheckIn[] {
	const measures = readProgrammeMeasures(person.measures);
	return scheduledCheckIns(measures.schedule, checkInStartDate(person.submittedAt), completed, ukDate(now)).filter(
		(c) => c.instrument !== 'eq5d5l' || measures.eq5d5lLicence
	);
}

/**
 * Queues a reminder for every schedule point that is open today (in its window) and not done, for every participant
 * whose referral is not closed. Idempotent (unique key per participant, point and channel), so every app
 * instance may run it.
 */
export async function queueCheckInReminders(options: { now?: Date } = {}): Promise<number> {
	const now = options.now ?? new Date();
	const everyone = await people(ne(referral.status, 'closed'));
	const done = await completedPoints(everyone.map((p) => p.participantId));
	const rows: (typeof checkInReminder.$inferInsert)[] = [];
	for (const person of everyone) {
		// Only points in their window: a check-in that opened while nothing was running, and whose window has
		// closed, is not reminded about late (it still shows on the home page).
		const inWindow = scheduleOf(person, done.get(person.participantId) ?? [], now).filter((c) => c.status !== 'overdue');
		for (const point of openPoints(inWindow).values()) {
			const [y, m, d] = point.opensOn.split('-').map(Number);
			const sendAt = new Date(new TZDate(y, m - 1, d, SEND_AT_HOUR, 0, UK_TIME_ZONE).getTime());
			const dueAt = sendAt > now ? sendAt : now;
			const base = { participantId: person.participantId, pointId: point.pointId, dueAt, nextAttemptAt: dueAt, createdAt: now };
			if (person.email) rows.push({ ...base, key: checkInReminderKey(person.participantId, point.pointId, 'email'), channel: 'email', to: person.email });
			if (person.phone && person.textConsent)
				rows.push({ ...base, key: checkInReminderKey(person.participantId, point.pointId, 'text'), channel: 'text', to: person.phone });
		}
	}
	if (!rows.length) return 0;
	const db = await getDb();
	let queued = 0;
	for (let i = 0; i < rows.length; i += 200) {
		const inserted = await db.insert(checkInReminder).values(rows.slice(i, i + 200)).onConflictDoNothing({ target: checkInReminder.key }).returning({ id: checkInReminder.id });
		queued += inserted.length;
	}
	return queued;
}

async function settle(row: CheckInReminderRow, set: Partial<typeof checkInReminder.$inferInsert>): Promise<void> {
	const db = await getDb();
	await db
		.update(checkInReminder)
		.set({ lockedUntil: null, ...set })
		.where(and(eq(checkInReminder.id, row.id), eq(checkInReminder.status, 'pending')));
}

/** Why a claimed reminder must not go, or null when it should. */
async function dropReason(row: CheckInReminderRow, now: Date): Promise<{ reason: string | null; person?: PersonFacts }> {
	const [person] = await people(eq(participant.id, row.participantId));
	if (!person) return { reason: 'the participant no longer exists' };
	if (person.status === 'closed') return { reason: 'the referral is closed' };
	if (row.channel === 'text' && !person.textConsent) return { reason: 'the person has not agreed to texts' };
	const done = (await completedPoints([person.participantId])).get(person.participantId) ?? [];
	const schedule = scheduleOf(person, done, now);
	const mine = schedule.filter((c) => c.pointId === row.pointId);
	if (!mine.length) return { reason: 'the check-in is no longer in the schedule' };
	if (mine.every((c) => c.status === 'done')) return { reason: 'the check-in is already done' };
	if (!openPoints(schedule).has(row.pointId)) return { reason: 'the check-in is no longer open' };
	return { reason: null, person };
}

/**
 * Sends the check-in reminders that are due, one batch. A channel with no way to send is not claimed:
 * its reminders wait, pending (meeting reminders warn about that once already).
 */
export async function sendDueCheckInReminders(options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<Omit<CheckInReminderResult, 'queued'>> {
	const result = { sent: 0, retrying: 0, failed: 0, dropped: 0 };
	const now = options.now ?? new Date();
	const emailSender = getSender();
	const textSender = getTextSender();
	const channels: CheckInReminderChannel[] = [];
	if (emailSender) channels.push('email');
	if (textSender) channels.push('text');
	if (!channels.length) return result;
	const db = await getDb();
	const where: SQL = and(inArray(checkInReminder.channel, channels), lte(checkInReminder.dueAt, now))!;
	const claimed = await claimDue(db, checkInReminder, { where, orderBy: asc(checkInReminder.nextAttemptAt), limit: options.limit ?? 20, now, leaseMs: LEASE_MS });
	const origin = siteOrigin();
	for (const [i, row] of claimed.entries()) {
		if (options.shouldStop?.()) {
			await release(db, checkInReminder, claimed.slice(i).map((r) => r.id));
			break;
		}
		const { reason, person } = await dropReason(row, now);
		if (reason || !person) {
			await settle(row, { status: 'dropped', lastError: reason });
			result.dropped++;
			log.info('check-in reminder dropped', { reminderId: row.id, channel: row.channel, reason });
			continue;
		}
		const words = formatCheckInReminder({ origin, helplinePhone: person.helplinePhone });
		try {
			if (row.channel === 'text') await textSender!.send({ to: row.to, body: words.body, reference: row.id });
			else await emailSender!.send({ to: row.to, subject: words.subject, text: words.body, reference: row.id });
		} catch (error) {
			const giveUp = now.getTime() - row.dueAt.getTime() >= GIVE_UP_AFTER_MS;
			await settle(row, {
				status: giveUp ? 'failed' : 'pending',
				nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts, RETRY)),
				lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500)
			});
			const e = error as { code?: unknown; responseCode?: unknown };
			if (giveUp) {
				result.failed++;
				log.error('check-in reminder given up: not accepted within a day of its time', { reminderId: row.id, channel: row.channel, code: e?.code, responseCode: e?.responseCode });
			} else {
				result.retrying++;
				log.warn('check-in reminder not accepted: will try again', { reminderId: row.id, channel: row.channel, code: e?.code, responseCode: e?.responseCode });
			}
			continue;
		}
		await settle(row, { status: 'sent', sentAt: now, lastError: null });
		result.sent++;
		log.info('check-in reminder sent', { reminderId: row.id, channel: row.channel, attempts: row.attempts });
	}
	return result;
}
