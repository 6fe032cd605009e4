/**
 * Sends meeting reminders: jobs of kind 'meeting.reminder' (written by booking, one per reminder time and
 * channel), run by the one worker (jobs/worker.ts) like emails. Before anything is sent
 * the meeting is read again: a reminder goes only for the current version of a booked meeting that has
 * not started (isReminderCurrent), and a text only while the person agrees to texts. Anything else is
 * marked `dropped`, so a cancelled or moved meeting never gets a reminder even if booking missed
 * dropping it. The words are made at send time, in the language of the person's referral, and hold no
 * health details and no referral answers.
 */
import { eq, inArray, type SQL } from 'drizzle-orm';
import { isReminderCurrent } from '$lib/domain/meetings/reminders';
import type { ModeKind } from '$lib/domain/meetings/modes';
import { m } from '$lib/paraglide/messages';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { job, meeting, participant, programme, referral, venue, type Job } from '../db/schema';
import { backoffMs, type Backoff } from '../jobs/backoff';
import { anyDue, runJobs, type JobHandler } from '../jobs/worker';
import { log } from '../log';
import { getSender, getTextSender } from '../notify/senders';
import { inLocale, languageOf, orCurrent, placeIn, whenIn, type Locale } from '../notify/words';
import { placeToName } from './messages';

/** Longer than any one send can take (SMTP and Notify timeouts), so a lease never ends mid-send. */
export const LEASE_MS = 5 * 60_000;
/** Retries start at 5 to 10 seconds and double, up to 15 minutes: a reminder is worth little late. */
const RETRY: Backoff = { baseMs: 10_000, maxMs: 15 * 60_000, jitter: 0.5 };
/** A reminder not accepted within a day of its time is given up as failed. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

export const MEETING_REMINDER_JOB = 'meeting.reminder';
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
	/** The person's language (their referral's); the request's when left out (English outside a request). */
	locale?: Locale;
}

/**
 * The reminder's words, the same for email and text: when and how, where to change or cancel, and the
 * helpline, in the person's language. Nothing about the person's health or referral.
 */
export function formatReminder(facts: ReminderFacts): ReminderWords {
	const locale = orCurrent(facts.locale);
	const o = inLocale(locale);
	const place = placeIn(placeToName({ mode: facts.mode }, facts.venueName ? { name: facts.venueName } : null), locale);
	const when = whenIn({ start: facts.startsAt, end: facts.endsAt }, locale);
	const origin = facts.origin.replace(/\/+$/, '');
	const body = [
		m.n_reminder_meeting({ when, place }, o),
		m.n_reminder_change({ link: `${origin}/account` }, o),
		m.n_help_call({ phone: facts.helplinePhone }, o)
	].join('\n\n');
	return { subject: m.n_reminder_subject({}, o), body };
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
	if (!(await anyDue([MEETING_REMINDER_JOB, 'check_in.reminder'], now, channel))) return;
	warned.add(channel);
	if (channel === 'text')
		log.warn('text reminders are due but texts are not configured (set NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID): they wait until it is');
	else log.warn('email reminders are due but mail is not configured (set SMTP_URL or NOTIFY_API_KEY): they wait until it is');
}

/**
 * The reminder channels that can be sent now (a mail sender, a text sender), as a condition on jobs, or
 * false when neither can: those reminders wait, pending. `warn` says so once per channel.
 */
export async function sendableChannels(now: Date, warn: boolean): Promise<SQL | false> {
	const channels: ReminderChannel[] = [];
	if (getSender()) channels.push('email');
	else if (warn) await warnIfWaiting('email', now);
	if (getTextSender()) channels.push('text');
	else if (warn) await warnIfWaiting('text', now);
	return channels.length ? inArray(job.channel, channels) : false;
}

/** Sends a reminder on its channel: a text, or an email. */
export async function sendOnChannel(row: Job, words: ReminderWords): Promise<void> {
	if (row.channel === 'text') await getTextSender()!.send({ to: row.recipient ?? '', body: words.body, reference: row.id });
	else await getSender()!.send({ to: row.recipient ?? '', subject: words.subject, text: words.body, reference: row.id });
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
			helplinePhone: programme.helplinePhone,
			language: referral.preferredLanguage
		})
		.from(meeting)
		.innerJoin(participant, eq(participant.id, meeting.participantId))
		.innerJoin(referral, eq(referral.id, meeting.referralId))
		.innerJoin(programme, eq(programme.id, meeting.programmeId))
		.leftJoin(venue, eq(venue.id, meeting.venueId))
		.where(eq(meeting.id, meetingId));
	return row;
}

/** Why a claimed reminder must not go, or null when it should. */
function dropReason(row: Job, m: Awaited<ReturnType<typeof facts>> | undefined, now: Date): string | null {
	if (!m) return 'the meeting no longer exists';
	if (!isReminderCurrent(keyWithoutChannel(row.key), { id: m.id, version: m.version, start: m.startsAt, status: m.status }))
		return m.status === 'booked' ? 'the meeting was moved' : `the meeting is ${m.status}`;
	if (m.startsAt.getTime() <= now.getTime()) return 'the meeting has already started';
	if (row.channel === 'text' && !m.textConsent) return 'the person has not agreed to texts';
	return null;
}

/**
 * A reminder job's handler, for meeting and check-in reminders alike: claimed only on a channel that can
 * send now (`warnWhenWaiting`: say once that others wait), leased longer than a send, retried from 5 to 10
 * seconds up to 15 minutes, given up a day after its time. `check` reads everything again just before
 * sending and says why the reminder must not go, or gives what the words are made from (now, in `words`).
 */
export function reminderHandler<Facts>(kind: {
	warnWhenWaiting: boolean;
	check: (row: Job, now: Date) => Promise<{ drop: string } | { facts: Facts }>;
	words: (facts: Facts) => ReminderWords;
	logFields: JobHandler['logFields'];
	logs: JobHandler['logs'];
}): JobHandler {
	return {
		leaseMs: LEASE_MS,
		retry: RETRY,
		givesUp: (row, now) => now.getTime() - row.dueAt.getTime() >= GIVE_UP_AFTER_MS,
		runnable: (now) => sendableChannels(now, kind.warnWhenWaiting),
		async run(row, now) {
			const checked = await kind.check(row, now);
			if ('drop' in checked) return { status: 'dropped', reason: checked.drop };
			try {
				await sendOnChannel(row, kind.words(checked.facts));
			} catch (error) {
				return { status: 'retry', error };
			}
			return { status: 'done' };
		},
		logFields: kind.logFields,
		logs: kind.logs
	};
}

/** Sends the due reminders of one kind, one batch (the worker, for that kind only). */
export async function sendDueOfKind(kind: string, handler: JobHandler, options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<ReminderResult> {
	const { byKind } = await runJobs({ [kind]: handler }, options);
	const c = byKind[kind];
	return { sent: c.done, retrying: c.retrying, failed: c.failed, dropped: c.dropped };
}

/** Sends one meeting reminder: the meeting read again, the words made now. */
export const meetingReminderHandler = reminderHandler<NonNullable<Awaited<ReturnType<typeof facts>>>>({
	warnWhenWaiting: true,
	async check(row, now) {
		const m = row.meetingId ? await facts(row.meetingId) : undefined;
		const reason = dropReason(row, m, now);
		if (reason || !m) return { drop: reason ?? 'the meeting no longer exists' };
		return { facts: m };
	},
	words: (facts) => formatReminder({ ...facts, origin: siteOrigin(), locale: languageOf(facts.language) }),
	logFields: (row) => ({ reminderId: row.id, meetingId: row.meetingId, channel: row.channel }),
	logs: {
		done: 'reminder sent',
		dropped: 'reminder dropped',
		retry: 'reminder not accepted: will try again',
		failed: 'reminder given up: not accepted within a day of its time'
	}
});

/**
 * Sends the meeting reminders that are due, one batch (the worker, for meeting reminders only). A channel
 * with no way to send (no mail, or no NOTIFY_SMS_TEMPLATE_ID for texts) is not claimed: its reminders
 * wait, pending. `shouldStop` is asked between reminders (shutdown).
 */
export function sendDueReminders(options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<ReminderResult> {
	return sendDueOfKind(MEETING_REMINDER_JOB, meetingReminderHandler, options);
}
