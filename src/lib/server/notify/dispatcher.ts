/**
 * The notifier: reads the event log as consumer "notify" and turns each `referral.submitted` into outbox
 * emails (the programme's team address and the routed specialist), in the same transaction that moves the
 * cursor, sends crisis answers nobody acknowledged in time again (measures/crisis.ts), queues check-in
 * reminders, then runs the due jobs of every kind (emails, meeting and check-in reminders) through the one
 * worker (jobs/worker.ts). Every step keeps its state in the database, so a restart loses nothing and
 * several app instances can run it against one PostgreSQL: the consumer row and the jobs are claimed
 * with FOR UPDATE SKIP LOCKED.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ukDate } from '$lib/domain/uk-time';
import { getConfig, siteOrigin } from '../config';
import type { Tx } from '../db';
import { programme, staff, type Event } from '../db/schema';
import { consumeEvents } from '../events/log';
import { startLoop, type BackgroundLoop } from '../jobs/runner';
import { log } from '../log';
import { runDueJobs } from '../jobs/kinds';
import { onWake } from '../jobs/worker';
import { MEETING_REMINDER_JOB, type ReminderResult } from '../meetings/reminder-sender';
import { escalateCrisisConcerns } from '../measures/crisis';
import { CHECK_IN_REMINDER_JOB, queueCheckInReminders, type CheckInReminderResult } from '../measures/reminders';
import { queueJobReminders } from '../casework/job-reminders';
import { workingDaysOf } from '$lib/domain/service-hours';
import { calendarFor } from '../service-calendar';
import { newReferralEmail } from './messages';
import { EMAIL_JOB, enqueueEmails, type NewEmail, type SendResult } from './outbox';
import { getSender } from './senders';

export const NOTIFY_CONSUMER = 'notify';
const EVENT_BATCH = 100;
const JOB_BATCH = 20;

const submittedPayload = z.object({
	reference: z.string().min(1),
	programmeId: z.string().min(1),
	contactTargetDate: z.iso.date(),
	assignedStaffId: z.uuid().nullable().optional()
});

/** The emails one `referral.submitted` event causes: its programme's team, and its specialist if routed to one. */
async function newReferralEmails(tx: Tx, event: Event, now: Date): Promise<NewEmail[]> {
	const parsed = submittedPayload.safeParse(event.payload);
	if (!parsed.success) {
		log.warn('notifier skipped an event it cannot read', { eventId: event.eventId, type: event.type });
		return [];
	}
	const payload = parsed.data;
	const [prog] = await tx.select({ name: programme.name, teamEmail: programme.teamEmail }).from(programme).where(eq(programme.id, payload.programmeId));
	if (!prog) {
		log.warn('notifier skipped an event for a programme that is gone', { eventId: event.eventId, programmeId: payload.programmeId });
		return [];
	}
	const recipients = [prog.teamEmail];
	if (payload.assignedStaffId) {
		const [specialist] = await tx
			.select({ email: staff.email })
			.from(staff)
			.where(and(eq(staff.id, payload.assignedStaffId), isNull(staff.disabledAt)));
		if (specialist) recipients.push(specialist.email);
	}
	const { subject, body } = newReferralEmail({
		reference: payload.reference,
		programmeName: prog.name,
		contactTargetDate: payload.contactTargetDate,
		today: ukDate(now),
		workingDays: workingDaysOf(await calendarFor(payload.programmeId, now, { earliest: payload.contactTargetDate, conn: tx })),
		origin: siteOrigin()
	});
	const unique = [...new Set(recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))];
	return unique.map((to) => ({ eventId: event.eventId, kind: 'referral.submitted', to, subject, body }));
}

/** Reads new events into the outbox, one batch; returns how many events were read. */
export async function queueNotifications(options: { now?: Date; limit?: number } = {}): Promise<number> {
	const now = options.now ?? new Date();
	return consumeEvents(NOTIFY_CONSUMER, options.limit ?? EVENT_BATCH, async (tx, events) => {
		const emails: NewEmail[] = [];
		for (const event of events) {
			if (event.type === 'referral.submitted') emails.push(...(await newReferralEmails(tx, event, now)));
		}
		await enqueueEmails(tx, emails, now);
	});
}

/**
 * Check-in reminders are queued by looking through every participant's schedule, which is too much for
 * every pass: it is done once every CHECK_IN_SCAN_MS per process, the first time that long after the
 * process started (a clock that goes back, as in tests, waits until it passes the last look again).
 */
export const CHECK_IN_SCAN_MS = 10 * 60_000;
let lastCheckInScan = Date.now();

function checkInScanDue(now: Date): boolean {
	if (now.getTime() - lastCheckInScan < CHECK_IN_SCAN_MS) return false;
	lastCheckInScan = now.getTime();
	return true;
}

/**
 * One pass: every new event into the outbox, then crisis escalations, then check-in reminders queued for
 * check-ins that opened, then every due job (emails, meeting reminders, check-in reminders) in batches.
 */
export async function runNotifierOnce(
	options: { now?: Date; shouldStop?: () => boolean } = {}
): Promise<{ events: number; escalated: number; reminders: ReminderResult; checkInReminders: CheckInReminderResult } & SendResult> {
	const reminders: ReminderResult = { sent: 0, retrying: 0, failed: 0, dropped: 0 };
	const checkInReminders: CheckInReminderResult = { queued: 0, sent: 0, retrying: 0, failed: 0, dropped: 0 };
	const total: { events: number; escalated: number; reminders: ReminderResult; checkInReminders: CheckInReminderResult } & SendResult = {
		events: 0,
		escalated: 0,
		sent: 0,
		retrying: 0,
		failed: 0,
		notConfigured: false,
		reminders,
		checkInReminders
	};
	for (;;) {
		const read = await queueNotifications({ now: options.now });
		total.events += read;
		if (read < EVENT_BATCH || options.shouldStop?.()) break;
	}
	// Crisis answers nobody acknowledged in time go out again before this pass sends its emails.
	if (!options.shouldStop?.()) total.escalated = await escalateCrisisConcerns(options.now);
	const now = options.now ?? new Date();
	if (!options.shouldStop?.() && checkInScanDue(now)) {
		checkInReminders.queued = await queueCheckInReminders({ now });
		// Sustainment reminders are looked for as often: a point is a day, so ten minutes is soon enough.
		await queueJobReminders({ now });
	}
	for (;;) {
		if (options.shouldStop?.()) break;
		const batch = await runDueJobs({ limit: JOB_BATCH, now: options.now, shouldStop: options.shouldStop });
		const emails = batch.byKind[EMAIL_JOB];
		total.sent += emails.done;
		total.retrying += emails.retrying;
		total.failed += emails.failed;
		total.notConfigured = batch.waiting.includes(EMAIL_JOB);
		for (const [kind, into] of [
			[MEETING_REMINDER_JOB, reminders],
			[CHECK_IN_REMINDER_JOB, checkInReminders]
		] as const) {
			const c = batch.byKind[kind];
			into.sent += c.done;
			into.retrying += c.retrying;
			into.failed += c.failed;
			into.dropped += c.dropped;
		}
		if (batch.claimed < JOB_BATCH) break;
	}
	return total;
}

export type Notifier = BackgroundLoop;

let running: Notifier | undefined;

/** Starts the timer loop (NOTIFY_POLL_MS). One per process; calling it again returns the running one. */
export function startNotifier(pollMs = getConfig().NOTIFY_POLL_MS): Notifier {
	if (running) return running;
	if (!getSender()) log.warn('mail is not configured (set SMTP_URL or NOTIFY_API_KEY): staff notifications wait in the outbox until it is');
	log.info('notifier sends', { via: getSender()?.kind ?? 'none' });
	const loop = startLoop('notifier', pollMs, (signal) => runNotifierOnce({ shouldStop: () => signal.aborted }));
	// A job someone waits for (a sign-in code) is run as soon as it is committed, not at the next tick.
	const unwake = onWake(loop.kick);
	const notifier: Notifier = {
		kick: loop.kick,
		stop: async () => {
			unwake();
			await loop.stop();
			if (running === notifier) running = undefined;
		}
	};
	running = notifier;
	return notifier;
}
