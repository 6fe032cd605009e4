/**
 * Check-in reminders (jobs of kind 'check_in.reminder'): when a point of a participant's schedule opens and
 * is not done, one reminder per channel is queued (email; text only with the person's consent to text reminders, as
 * for meetings), due at 9:00am UK time on the day it opens. The worker (jobs/worker.ts) sends them like
 * meeting reminders, reading everything again just before sending: a point already done, no longer open, gone
 * from the schedule, or a closed referral drops the reminder. The words say only that a check-in is ready
 * and where to do it (in the language of the person's referral): no scores, no answers, no questionnaire names.
 */
import { eq, ne, type SQL } from 'drizzle-orm';
import { openCheckIns, scheduledCheckIns, type ScheduledCheckIn } from '$lib/domain/measures/schedule';
import { readProgrammeMeasures } from '$lib/domain/measures/settings';
import { TZDate } from '@date-fns/tz';
import { UK_TIME_ZONE, ukDate } from '$lib/domain/uk-time';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { participant, programme, referral, type Job, type NewJob } from '../db/schema';
import { reminderHandler, sendDueOfKind } from '../meetings/reminder-sender';
import { enqueueJobs, reminderRows } from '../jobs/enqueue';
import { checkInStartDate, completedPoints } from './due';
import { inLocale, languageOf, orCurrent, type Locale } from '../notify/words';
import { m } from '$lib/paraglide/messages';

/** Reminders go at 9:00am UK time on the day a check-in opens (later, if it is queued later). */
const SEND_AT_HOUR = 9;

export const CHECK_IN_REMINDER_JOB = 'check_in.reminder';
export type CheckInReminderChannel = 'email' | 'text';

export interface CheckInReminderResult {
	queued: number;
	sent: number;
	retrying: number;
	failed: number;
	dropped: number;
}

/**
 * The reminder's words, the same for email and text, in the person's language (`locale`: their referral's;
 * the request's when left out). Nothing about health, answers or questionnaires.
 */
export function formatCheckInReminder(facts: { origin: string; helplinePhone: string; locale?: Locale }): { subject: string; body: string } {
	const o = inLocale(orCurrent(facts.locale));
	const origin = facts.origin.replace(/\/+$/, '');
	const body = [m.n_check_in_ready({}, o), m.n_check_in_sign_in({ link: `${origin}/account` }, o), m.n_help_call({ phone: facts.helplinePhone }, o)].join('\n\n');
	return { subject: m.n_check_in_subject({}, o), body };
}

export function checkInReminderKey(participantId: string, pointId: string, channel: CheckInReminderChannel): string {
	return `check-in-reminder:${participantId}:${pointId}:${channel}`;
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
	/** The referral's language (BCP 47; null before languages). */
	language: string | null;
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
			helplinePhone: programme.helplinePhone,
			language: referral.preferredLanguage
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
	const rows: NewJob[] = [];
	for (const person of everyone) {
		// Only points in their window: a check-in that opened while nothing was running, and whose window has
		// closed, is not reminded about late (it still shows on the home page).
		const inWindow = scheduleOf(person, done.get(person.participantId) ?? [], now).filter((c) => c.status !== 'overdue');
		for (const point of openPoints(inWindow).values()) {
			const [y, m, d] = point.opensOn.split('-').map(Number);
			const sendAt = new Date(new TZDate(y, m - 1, d, SEND_AT_HOUR, 0, UK_TIME_ZONE).getTime());
			const dueAt = sendAt > now ? sendAt : now;
			const base = { kind: CHECK_IN_REMINDER_JOB, participantId: person.participantId, payload: { pointId: point.pointId }, dueAt, nextAttemptAt: dueAt, createdAt: now };
			rows.push(...reminderRows(base, person, (channel) => checkInReminderKey(person.participantId, point.pointId, channel)));
		}
	}
	return enqueueJobs(rows);
}

/** Why a claimed reminder must not go, or null when it should. */
async function dropReason(row: Job, now: Date): Promise<{ reason: string | null; person?: PersonFacts }> {
	const [person] = row.participantId ? await people(eq(participant.id, row.participantId)) : [];
	if (!person) return { reason: 'the participant no longer exists' };
	if (person.status === 'closed') return { reason: 'the referral is closed' };
	if (row.channel === 'text' && !person.textConsent) return { reason: 'the person has not agreed to texts' };
	const done = (await completedPoints([person.participantId])).get(person.participantId) ?? [];
	const schedule = scheduleOf(person, done, now);
	const pointId = row.payload.pointId;
	const mine = schedule.filter((c) => c.pointId === pointId);
	if (!pointId || !mine.length) return { reason: 'the check-in is no longer in the schedule' };
	if (mine.every((c) => c.status === 'done')) return { reason: 'the check-in is already done' };
	if (!openPoints(schedule).has(pointId)) return { reason: 'the check-in is no longer open' };
	return { reason: null, person };
}

/**
 * Sends one check-in reminder, everything read again first. A channel with no way to send is not claimed:
 * its reminders wait, pending (meeting reminders warn about that once already).
 */
export const checkInReminderHandler = reminderHandler<PersonFacts>({
	warnWhenWaiting: false,
	async check(row, now) {
		const { reason, person } = await dropReason(row, now);
		if (reason || !person) return { drop: reason ?? 'the participant no longer exists' };
		return { facts: person };
	},
	words: (person) => formatCheckInReminder({ origin: siteOrigin(), helplinePhone: person.helplinePhone, locale: languageOf(person.language) }),
	logFields: (row) => ({ reminderId: row.id, channel: row.channel }),
	logs: {
		done: 'check-in reminder sent',
		dropped: 'check-in reminder dropped',
		retry: 'check-in reminder not accepted: will try again',
		failed: 'check-in reminder given up: not accepted within a day of its time'
	}
});

/** Sends the check-in reminders that are due, one batch (the worker, for check-in reminders only). */
export function sendDueCheckInReminders(options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<Omit<CheckInReminderResult, 'queued'>> {
	return sendDueOfKind(CHECK_IN_REMINDER_JOB, checkInReminderHandler, options);
}
