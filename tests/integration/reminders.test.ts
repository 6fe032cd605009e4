/**
 * Meeting reminders on a clock of the test's own: emails through a real SMTP listener, texts through a
 * local stand-in for GOV.UK Notify that checks the token as Notify does. Meetings and reminder rows are
 * written directly, as booking writes them; the sender must still refuse reminders for meetings that
 * were cancelled or moved even when booking left their rows pending.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailWhen } from '../../src/lib/domain/meetings/labels';
import { reminderKey } from '../../src/lib/domain/meetings/reminders';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { job, meeting, participant, programme, venue, type MeetingRow, type Referral } from '../../src/lib/server/db/schema';
import { formatReminder, GIVE_UP_AFTER_MS, sendDueReminders } from '../../src/lib/server/meetings/reminder-sender';
import { runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { startSmtp } from '../support/smtp';
import { aReferral } from '../support/factories';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';

const ORIGIN = 'https://ips.test';
const PRIMARY = 'gm-ips-primary-care';
const MINUTE = 60_000;
const OFFSETS = [1440, 120];
/** Words that must never be in a reminder: the person's name, birth date, condition, answers. */
const PRIVATE = ['Sam', 'Taylor', '1985', '15 June', 'Back pain', 'anxiety', 'long shifts', 'M1 1AE', 'out-of-work'];

const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const EMAIL_TEMPLATE_ID = randomUUID();
const SMS_TEMPLATE_ID = randomUUID();
const texts: { templateId: string; to: string; body: string; reference: string; personalisation: Record<string, unknown> }[] = [];
let notify: NotifyStandIn;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let staffId: string;
let helpline: string;

/** A meeting starting at `start` (45 minutes), written as booking writes it. */
async function book(r: Referral, start: Date, fields: Partial<typeof meeting.$inferInsert> = {}): Promise<MeetingRow> {
	const db = await getDb();
	const [p] = await db.select().from(participant).where(eq(participant.referralId, r.id));
	const [row] = await db
		.insert(meeting)
		.values({ referralId: r.id, participantId: p.id, programmeId: r.programmeId, staffId, startsAt: start, endsAt: new Date(start.getTime() + 45 * MINUTE), mode: 'phone', ...fields })
		.returning();
	return row;
}

/** Reminder rows for the meeting's current version, one per offset and channel, as booking inserts them. */
async function queue(m: MeetingRow, to: { email?: string; text?: string }, offsets = OFFSETS) {
	const db = await getDb();
	const rows = offsets.flatMap((offset) => {
		const due = new Date(m.startsAt.getTime() - offset * MINUTE);
		const key = reminderKey(m.id, m.version, offset);
		return (['email', 'text'] as const)
			.filter((channel) => to[channel])
			.map((channel) => ({ kind: 'meeting.reminder', key: `${key}:${channel}`, meetingId: m.id, channel, recipient: to[channel]!, dueAt: due, nextAttemptAt: due }));
	});
	await db.insert(job).values(rows);
}

async function rowsOf(meetingId: string) {
	const db = await getDb();
	return db.select().from(job).where(eq(job.meetingId, meetingId)).orderBy(job.dueAt, job.channel);
}

function mailsTo(address: string): ParsedMail[] {
	return smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));
}

/** A fresh address for each meeting, so the listener's messages can be told apart. */
const address = () => `person-${randomUUID().slice(0, 8)}@example.org`;
/** A start a few days ahead on the whole hour, away from other tests' times. */
function startIn(days: number): Date {
	const d = new Date(Date.now() + days * 24 * 60 * MINUTE);
	d.setUTCMinutes(0, 0, 0);
	return d;
}
const before = (start: Date, minutes: number) => new Date(start.getTime() - minutes * MINUTE);

beforeAll(async () => {
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/sms'],
		onSent: (_path, body) => texts.push({ templateId: body.template_id, to: body.phone_number!, body: body.personalisation.body, reference: body.reference!, personalisation: body.personalisation })
	});
	smtp = await startSmtp();
	// Email by SMTP, texts by (the stand-in for) GOV.UK Notify. Read once, on first use.
	process.env.SMTP_URL = smtp.url;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = EMAIL_TEMPLATE_ID;
	process.env.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID;
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = ORIGIN;
	await seedProgrammes();
	const db = await getDb();
	[{ helplinePhone: helpline }] = await db.select({ helplinePhone: programme.helplinePhone }).from(programme).where(eq(programme.id, PRIMARY));
	const { staff } = await createStaff({
		email: `specialist-${randomUUID().slice(0, 8)}@example.org`,
		name: 'Robin Reminder',
		role: 'specialist',
		programmeIds: [PRIMARY],
		practices: [],
		password: 'a long enough password for tests'
	});
	staffId = staff.id;
});

afterAll(async () => {
	await smtp?.close();
	await notify.close();
});

describe('formatReminder', () => {
	it('says when and how, where to change or cancel and the helpline, in UK time', () => {
		const words = formatReminder({
			startsAt: new Date('2027-03-30T09:00:00Z'),
			endsAt: new Date('2027-03-30T09:45:00Z'),
			mode: 'in-person',
			venueName: 'Central Library',
			helplinePhone: '0161 000 0000',
			origin: 'https://ips.test/'
		});
		expect(words.body).toBe(
			'Reminder: you have a meeting with your employment specialist on Tuesday 30 March 2027, 10:00am to 10:45am (UK time), in person at Central Library.\n\n' +
				'To change or cancel it, sign in at https://ips.test/account.\n\n' +
				'If you need help, call 0161 000 0000.'
		);
		expect(formatReminder({ startsAt: new Date('2027-01-05T09:00:00Z'), endsAt: new Date('2027-01-05T09:45:00Z'), mode: 'phone', venueName: null, helplinePhone: '1', origin: ORIGIN }).body).toContain(
			'Tuesday 5 January 2027, 9:00am to 9:45am (UK time), by phone.'
		);
	});
});

describe('reminders by email', () => {
	it('sends each reminder once, at its time and not before, with no health details', async () => {
		const r = await aReferral();
		const start = startIn(3);
		const db = await getDb();
		const [place] = await db.insert(venue).values({ name: 'Reminder Test Library', address: '1 High Street', postcode: 'M1 1AA' }).returning();
		const m = await book(r, start, { mode: 'in-person', venueId: place.id });
		const to = address();
		await queue(m, { email: to });

		await sendDueReminders({ now: before(start, 1441) });
		expect(mailsTo(to)).toHaveLength(0);

		await sendDueReminders({ now: before(start, 1440) });
		expect(mailsTo(to)).toHaveLength(1);
		await sendDueReminders({ now: before(start, 1440) });
		await sendDueReminders({ now: before(start, 121) });
		expect(mailsTo(to)).toHaveLength(1);

		// The second through the notifier's own pass.
		const pass = await runNotifierOnce({ now: before(start, 120) });
		expect(pass.reminders.sent).toBeGreaterThanOrEqual(1);
		expect(mailsTo(to)).toHaveLength(2);
		await runNotifierOnce({ now: before(start, 60) });
		await sendDueReminders({ now: before(start, 1) });
		expect(mailsTo(to)).toHaveLength(2);

		for (const mail of mailsTo(to)) {
			const text = mail.text ?? '';
			expect(mail.subject).toBe('Reminder: your meeting with your employment specialist');
			expect(text).toContain(`on ${emailWhen({ start: m.startsAt, end: m.endsAt })}, in person at Reminder Test Library.`);
			expect(text).toContain(`${ORIGIN}/account`);
			expect(text).toContain(helpline);
			for (const word of PRIVATE) expect(`${mail.subject}\n${text}`, `reminder mentions "${word}"`).not.toContain(word);
		}
		expect((await rowsOf(m.id)).map((x) => [x.status, x.attempts, x.doneAt?.getTime()])).toEqual([
			['done', 1, before(start, 1440).getTime()],
			['done', 1, before(start, 120).getTime()]
		]);
	});

	it('never sends one for a cancelled meeting, even when its reminders were left pending', async () => {
		const r = await aReferral();
		const start = startIn(4);
		const m = await book(r, start);
		const to = address();
		await queue(m, { email: to });
		const db = await getDb();
		await db.update(meeting).set({ status: 'cancelled', cancelledAt: new Date(), cancelledBy: 'participant' }).where(eq(meeting.id, m.id));

		for (const minutes of [1440, 120, 1]) await sendDueReminders({ now: before(start, minutes) });
		expect(mailsTo(to)).toHaveLength(0);
		expect((await rowsOf(m.id)).map((x) => [x.status, x.lastError])).toEqual([
			['dropped', 'the meeting is cancelled'],
			['dropped', 'the meeting is cancelled']
		]);
	});

	it('never sends one for the old time of a moved meeting; the new time gets its own, once each', async () => {
		const r = await aReferral();
		const oldStart = startIn(5);
		const m = await book(r, oldStart);
		const to = address();
		await queue(m, { email: to });
		// Moved two days later: version 2 and its own reminders; the old rows are left pending on purpose.
		const newStart = new Date(oldStart.getTime() + 2 * 24 * 60 * MINUTE);
		const db = await getDb();
		const [moved] = await db
			.update(meeting)
			.set({ version: 2, startsAt: newStart, endsAt: new Date(newStart.getTime() + 45 * MINUTE) })
			.where(eq(meeting.id, m.id))
			.returning();
		await queue(moved, { email: to });

		await sendDueReminders({ now: before(oldStart, 1440) });
		await sendDueReminders({ now: before(oldStart, 120) });
		expect(mailsTo(to)).toHaveLength(0);
		// Only the old rows were due yet, and both are dropped.
		const old = (await rowsOf(m.id)).filter((x) => x.key.includes(':v1:'));
		expect(old.map((x) => [x.status, x.lastError])).toEqual([
			['dropped', 'the meeting was moved'],
			['dropped', 'the meeting was moved']
		]);

		await sendDueReminders({ now: before(newStart, 1440) });
		await sendDueReminders({ now: before(newStart, 1440) });
		expect(mailsTo(to)).toHaveLength(1);
		await sendDueReminders({ now: before(newStart, 120) });
		await sendDueReminders({ now: before(newStart, 30) });
		expect(mailsTo(to)).toHaveLength(2);
		for (const mail of mailsTo(to)) expect(mail.text).toContain(emailWhen({ start: moved.startsAt, end: moved.endsAt }));
		expect((await rowsOf(m.id)).filter((x) => x.key.includes(':v2:')).map((x) => x.status)).toEqual(['done', 'done']);
	});

	it('retries with growing waits, gives up a day after its time, and drops one whose meeting has started', async () => {
		const db = await getDb();
		const r = await aReferral();
		const start = startIn(9);
		const m = await book(r, start);
		const to = address();
		await queue(m, { email: to }, [2880, 120]);
		const [early, late] = await rowsOf(m.id);
		const read = async (id: string) => (await db.select().from(job).where(eq(job.id, id)))[0];
		// The mail server is away.
		const port = smtp.port;
		await smtp.close();
		try {
			await sendDueReminders({ now: early.dueAt });
			let row = await read(early.id);
			expect(row).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
			expect(row.lastError).toBeTruthy();
			const firstWait = row.nextAttemptAt.getTime() - early.dueAt.getTime();
			expect(firstWait).toBeGreaterThan(0);
			// Not due again yet: not tried.
			await sendDueReminders({ now: early.dueAt });
			expect((await read(early.id)).attempts).toBe(1);
			// The next wait is longer.
			const second = row.nextAttemptAt;
			await sendDueReminders({ now: second });
			row = await read(early.id);
			expect(row).toMatchObject({ status: 'pending', attempts: 2 });
			expect(row.nextAttemptAt.getTime() - second.getTime()).toBeGreaterThan(firstWait);
			// A day after its time it is given up.
			await sendDueReminders({ now: new Date(early.dueAt.getTime() + GIVE_UP_AFTER_MS) });
			expect(await read(early.id)).toMatchObject({ status: 'failed', attempts: 3 });
		} finally {
			smtp = await startSmtp(port);
		}
		// The 2-hour reminder first comes up after the meeting began (say, the app was down): dropped, not sent.
		await sendDueReminders({ now: new Date(start.getTime() + MINUTE) });
		expect(await read(late.id)).toMatchObject({ status: 'dropped', lastError: 'the meeting has already started' });
		expect(mailsTo(to)).toHaveLength(0);
	});
});

describe('reminders by text', () => {
	it('go through GOV.UK Notify only with text consent, with the template, the number and no health details', async () => {
		const consenting = await aReferral({ answers: { consentTextReminders: { given: true, version: 'text-reminders-2026-11-v1', at: new Date().toISOString() }, phone: '07700900123' } });
		const refusing = await aReferral({ answers: { phone: '07700900456' } });
		const db = await getDb();
		const [p] = await db.select().from(participant).where(eq(participant.referralId, consenting.id));
		expect(p).toMatchObject({ textConsent: true, phone: '07700900123' });
		const [q] = await db.select().from(participant).where(eq(participant.referralId, refusing.id));
		expect(q.textConsent).toBe(false);

		const start = startIn(11);
		const yes = await book(consenting, start, { mode: 'video' });
		const no = await book(refusing, new Date(start.getTime() + 60 * MINUTE));
		const yesMail = address();
		await queue(yes, { email: yesMail, text: p.phone! });
		// Booking writes no text rows without consent; the sender refuses them anyway.
		await queue(no, { text: q.phone! });

		// Notify fails once: the text is retried later and sent once.
		notify.status = 500;
		await sendDueReminders({ now: before(start, 120) });
		const mine = () => texts.filter((t) => t.to === p.phone);
		expect(mine()).toHaveLength(0);
		const [failed] = (await rowsOf(yes.id)).filter((x) => x.channel === 'text' && x.dueAt.getTime() === before(start, 120).getTime());
		expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
		expect(failed.lastError).toContain('HTTP 500');
		expect(failed.lastError).not.toContain(SECRET);
		notify.status = 201;
		await sendDueReminders({ now: before(start, 30) });
		await sendDueReminders({ now: before(start, 20) });

		// At start - 120 both reminders were due: both emails went, both texts failed then and went later.
		expect(mine()).toHaveLength(2);
		for (const t of mine()) {
			expect(t.templateId).toBe(SMS_TEMPLATE_ID);
			expect(Object.keys(t.personalisation)).toEqual(['body']);
			expect(t.body).toContain(`on ${emailWhen({ start: yes.startsAt, end: yes.endsAt })}, by video call.`);
			expect(t.body).toContain(`${ORIGIN}/account`);
			expect(t.body).toContain(helpline);
			for (const word of PRIVATE) expect(t.body, `text mentions "${word}"`).not.toContain(word);
		}
		expect(new Set(mine().map((t) => t.reference)).size).toBe(2);
		expect(mailsTo(yesMail)).toHaveLength(2);
		expect((await rowsOf(yes.id)).map((x) => x.status)).toEqual(['done', 'done', 'done', 'done']);

		expect(texts.filter((t) => t.to === q.phone)).toHaveLength(0);
		expect((await rowsOf(no.id)).map((x) => [x.status, x.lastError])).toEqual([
			['dropped', 'the person has not agreed to texts'],
			['dropped', 'the person has not agreed to texts']
		]);
	});
});
