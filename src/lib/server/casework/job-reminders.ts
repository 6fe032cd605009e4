/**
 * Sustainment reminders (jobs of kind 'job.sustainment_reminder'): when a job reaches one of its programme's
 * sustainment points (13 and 26 weeks by default), the person gets one reminder per channel (email; text
 * only with their consent to texts) at 9:00am UK time that day, asking them to sign in and say whether they
 * are still in work. The unique key per job, point and channel makes it one reminder, however often the
 * queue is looked at and however many instances look. The worker reads everything again just before
 * sending: a job that ended, a closed referral, a point the person already answered or staff already
 * recorded, or a text consent withdrawn drops it. The words (in the language of the person's referral) say
 * nothing about the job or the person's health.
 */
import { and, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import { TZDate } from '@date-fns/tz';
import { pointDate, readOutcomeSettings } from '$lib/domain/jobs';
import { addDaysIso, UK_TIME_ZONE, ukDate } from '$lib/domain/uk-time';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { jobCheck, jobOutcome, jobSustainment, participant, programme, referral, type Job, type NewJob } from '../db/schema';
import { enqueueJobs, reminderRows } from '../jobs/enqueue';
import { reminderHandler } from '../meetings/reminder-sender';
import { inLocale, languageOf, orCurrent, type Locale } from '../notify/words';
import { m } from '$lib/paraglide/messages';

export const JOB_REMINDER_JOB = 'job.sustainment_reminder';
/** Reminders go at 9:00am UK time on the day a point is reached. */
const SEND_AT_HOUR = 9;
/** A point reached while nothing was running is still reminded about for this many days, then not (it is late). */
const LATE_DAYS = 14;

/**
 * The words, the same for email and text, in the person's language (`locale`: their referral's; the
 * request's when left out): no job, no employer, no health.
 */
export function formatJobReminder(facts: { origin: string; helplinePhone: string; locale?: Locale }): { subject: string; body: string } {
	const o = inLocale(orCurrent(facts.locale));
	const origin = facts.origin.replace(/\/+$/, '');
	const body = [m.n_job_question({}, o), m.n_job_sign_in({ link: `${origin}/account` }, o), m.n_help_call({ phone: facts.helplinePhone }, o)].join('\n\n');
	return { subject: m.n_job_subject({}, o), body };
}

export function jobReminderKey(jobId: string, weeks: number, channel: 'email' | 'text'): string {
	return `job-reminder:${jobId}:${weeks}:${channel}`;
}

interface JobFacts {
	jobId: string;
	startDate: string;
	endedOn: string | null;
	participantId: string;
	email: string | null;
	phone: string | null;
	textConsent: boolean;
	status: string;
	outcomes: unknown;
	helplinePhone: string;
	/** The referral's language (BCP 47; null before languages). */
	language: string | null;
}

async function jobFacts(where: SQL | undefined): Promise<JobFacts[]> {
	const db = await getDb();
	return db
		.select({
			jobId: jobOutcome.id,
			startDate: jobOutcome.startDate,
			endedOn: jobOutcome.endedOn,
			participantId: participant.id,
			email: participant.email,
			phone: participant.phone,
			textConsent: participant.textConsent,
			status: referral.status,
			outcomes: programme.outcomes,
			helplinePhone: programme.helplinePhone,
			language: referral.preferredLanguage
		})
		.from(jobOutcome)
		.innerJoin(referral, eq(referral.id, jobOutcome.referralId))
		.innerJoin(participant, eq(participant.referralId, referral.id))
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(where);
}

/** Points of these jobs the person answered or staff recorded: "jobId:weeks". */
async function settledPoints(jobIds: string[]): Promise<Set<string>> {
	if (!jobIds.length) return new Set();
	const db = await getDb();
	const [answered, recorded] = await Promise.all([
		db.select({ jobId: jobCheck.jobId, weeks: jobCheck.weeks }).from(jobCheck).where(inArray(jobCheck.jobId, jobIds)),
		db.select({ jobId: jobSustainment.jobId, weeks: jobSustainment.weeks }).from(jobSustainment).where(inArray(jobSustainment.jobId, jobIds))
	]);
	return new Set([...answered, ...recorded].map((p) => `${p.jobId}:${p.weeks}`));
}

/**
 * Queues a reminder for every point reached in the last LATE_DAYS days of every job still going on an open
 * referral, not yet answered or recorded. Idempotent: one reminder per job, point and channel.
 */
export async function queueJobReminders(options: { now?: Date } = {}): Promise<number> {
	const now = options.now ?? new Date();
	const today = ukDate(now);
	const going = await jobFacts(and(isNull(jobOutcome.endedOn), ne(referral.status, 'closed')));
	const settled = await settledPoints(going.map((j) => j.jobId));
	const rows: NewJob[] = [];
	for (const j of going) {
		for (const weeks of readOutcomeSettings(j.outcomes).sustainmentWeeks) {
			const on = pointDate(j.startDate, weeks);
			if (on > today || addDaysIso(on, LATE_DAYS) < today || settled.has(`${j.jobId}:${weeks}`)) continue;
			const [y, m, d] = on.split('-').map(Number);
			const sendAt = new Date(new TZDate(y, m - 1, d, SEND_AT_HOUR, 0, UK_TIME_ZONE).getTime());
			const dueAt = sendAt > now ? sendAt : now;
			const base = { kind: JOB_REMINDER_JOB, participantId: j.participantId, payload: { jobId: j.jobId, weeks }, dueAt, nextAttemptAt: dueAt, createdAt: now };
			rows.push(...reminderRows(base, j, (channel) => jobReminderKey(j.jobId, weeks, channel)));
		}
	}
	return enqueueJobs(rows);
}

/** Why a claimed reminder must not go, or null when it should. */
async function dropReason(row: Job): Promise<{ reason: string | null; facts?: JobFacts }> {
	const jobId = typeof row.payload.jobId === 'string' ? row.payload.jobId : '';
	const weeks = Number(row.payload.weeks);
	const [facts] = jobId ? await jobFacts(eq(jobOutcome.id, jobId)) : [];
	if (!facts) return { reason: 'the job no longer exists' };
	if (facts.status === 'closed') return { reason: 'the referral is closed' };
	if (facts.endedOn) return { reason: 'the job has ended' };
	if (row.channel === 'text' && !facts.textConsent) return { reason: 'the person has not agreed to texts' };
	if ((await settledPoints([jobId])).has(`${jobId}:${weeks}`)) return { reason: 'the point is already answered or recorded' };
	return { reason: null, facts };
}

/** Sends one sustainment reminder, everything read again first. */
export const jobReminderHandler = reminderHandler<JobFacts>({
	warnWhenWaiting: false,
	async check(row) {
		const { reason, facts } = await dropReason(row);
		if (reason || !facts) return { drop: reason ?? 'the job no longer exists' };
		return { facts };
	},
	words: (facts) => formatJobReminder({ origin: siteOrigin(), helplinePhone: facts.helplinePhone, locale: languageOf(facts.language) }),
	logFields: (row) => ({ reminderId: row.id, channel: row.channel }),
	logs: {
		done: 'job reminder sent',
		dropped: 'job reminder dropped',
		retry: 'job reminder not accepted: will try again',
		failed: 'job reminder given up: not accepted within a day of its time'
	}
});
