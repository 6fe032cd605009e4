/**
 * Check-in schedules on a real database with a clock of the test's own: the home page's due list (two
 * questionnaires at once by default, the Start check-in spread over the first meetings when asked), the
 * schedule point a completed DIALOG check-in answers (check_in.point_id), and check-in reminders queued
 * when a point opens and sent by the notifier, by email through a real SMTP listener and by text through a
 * local stand-in for GOV.UK Notify, re-checked at send time. Referrals are dated in 2031 (submitted
 * with that date), so other people's schedules in the same database are long closed and remind nobody.
 * The default schedule: Start (day 0), 3 months, 6 months, each 14 days either side; DIALOG, SWEMWBS, ONS4.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALOG_AREAS } from '../../src/lib/domain/measures';
import { getDb } from '../../src/lib/server/db';
import { checkIn, job, meeting, programme, referral } from '../../src/lib/server/db/schema';
import { completeDialog, saveAreaAnswer, type CheckInOwner } from '../../src/lib/server/measures/check-ins';
import { dueCheckInsFor, meetingsHadBy, openPointFor } from '../../src/lib/server/measures/due';
import { formatCheckInReminder, queueCheckInReminders, sendDueCheckInReminders } from '../../src/lib/server/measures/reminders';
import { runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { startSmtp } from '../support/smtp';
import { aParticipant, aProgramme, aStaffMember, textRemindersConsent } from '../support/factories';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';

const ORIGIN = 'https://ips.test';
const PRIVATE = ['Sam', 'Taylor', '1985', 'Back pain', 'anxiety', 'DIALOG', 'SWEMWBS', 'ONS', 'score', 'M1 1AE'];
const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const texts: { to: string; body: string }[] = [];
let notify: NotifyStandIn;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let helpline: string;

interface Person extends CheckInOwner {
	email: string;
	phone: string;
}

/** A referral sent on `sentAt` (submitted with that date), with text reminders agreed or not. */
async function person(sentAt: Date, textConsent: boolean): Promise<Person> {
	const phone = `077009${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`;
	const p = await aParticipant({ now: sentAt, answers: { phone, ...textRemindersConsent(textConsent) } });
	expect(p.textConsent).toBe(textConsent);
	return { id: p.id, referralId: p.referralId, programmeId: p.programmeId, email: p.email!, phone: p.phone! };
}

async function completeDialogAt(owner: CheckInOwner, at: Date) {
	for (const area of DIALOG_AREAS) await saveAreaAnswer(owner, area.key, { rating: 4, moreHelp: false });
	const row = await completeDialog(owner, at);
	expect(row).not.toBeNull();
	return row!;
}

/** A finished check-in on another questionnaire, as the wellbeing pages store it. */
async function insertCheckIn(owner: CheckInOwner, instrument: string, pointId: string | null, at: Date) {
	const db = await getDb();
	await db.insert(checkIn).values({ participantId: owner.id, referralId: owner.referralId, programmeId: owner.programmeId, instrument, answers: {}, result: {}, pointId, completedAt: at });
}

async function remindersOf(p: Person) {
	const db = await getDb();
	const pointId = sql<string>`${job.payload}->>'pointId'`;
	const rows = await db
		.select()
		.from(job)
		.where(and(eq(job.kind, 'check_in.reminder'), eq(job.participantId, p.id)))
		.orderBy(pointId, job.channel);
	return rows.map((r) => ({ ...r, pointId: r.payload.pointId }));
}

const mailsTo = (address: string): ParsedMail[] =>
	smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));
const textsTo = (phone: string) => texts.filter((t) => t.to.replace(/\s/g, '').endsWith(phone.slice(-9)));

beforeAll(async () => {
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/sms'],
		onSent: (_path, body) => texts.push({ to: body.phone_number!, body: body.personalisation.body })
	});
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = randomUUID();
	process.env.NOTIFY_SMS_TEMPLATE_ID = randomUUID();
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = ORIGIN;
	await seedProgrammes();
	const db = await getDb();
	[{ helplinePhone: helpline }] = await db.select({ helplinePhone: programme.helplinePhone }).from(programme).where(eq(programme.id, 'gm-ips-primary-care'));
});

afterAll(async () => {
	await smtp?.close();
	await notify.close();
});

describe('due check-ins on the home page', () => {
	it('lists the open point, two at a time, with dates in words, then the next point coming up', async () => {
		const p = await person(new Date('2031-03-02T10:00:00Z'), false);
		const items = await dueCheckInsFor(p, new Date('2031-03-05T12:00:00Z'));
		// By default no more than two questionnaires are due at once: the third waits its turn, listed.
		expect(items.map((i) => [i.pointId, i.instrument, i.status, i.href, i.when])).toEqual([
			['start', 'dialog', 'due', '/account/check-in/dialog', 'Due by 16 March 2031'],
			['start', 'swemwbs', 'due', '/account/check-in/swemwbs', 'Due by 16 March 2031'],
			['start', 'ons4', 'waiting', '/account/check-in/ons4', 'After you have done one of the check-ins above'],
			['3-months', 'dialog', 'upcoming', '/account/check-in/dialog', 'You can do it from 19 May 2031'],
			['3-months', 'swemwbs', 'upcoming', '/account/check-in/swemwbs', 'You can do it from 19 May 2031'],
			['3-months', 'ons4', 'upcoming', '/account/check-in/ons4', 'You can do it from 19 May 2031']
		]);
		expect(items.map((i) => i.title).slice(0, 4)).toEqual([
			'How things are going (DIALOG+), Start check-in',
			'Your wellbeing (SWEMWBS), Start check-in',
			'Your personal wellbeing (ONS4), Start check-in',
			'How things are going (DIALOG+), 3 months check-in'
		]);

		// After its window, Start is overdue (still to do) until 3 months opens; then it is left out.
		const late = await dueCheckInsFor(p, new Date('2031-04-20T12:00:00Z'));
		expect(late[0]).toMatchObject({ pointId: 'start', status: 'overdue', when: 'Was due by 16 March 2031: you can still do it' });
		const later = await dueCheckInsFor(p, new Date('2031-05-20T12:00:00Z'));
		expect(later.map((i) => [i.pointId, i.status])).toEqual([
			['3-months', 'due'],
			['3-months', 'due'],
			['3-months', 'waiting'],
			['6-months', 'upcoming'],
			['6-months', 'upcoming'],
			['6-months', 'upcoming']
		]);
	});

	it('asks the next questionnaire as soon as one is done, and as many at once as the programme says', async () => {
		const p = await person(new Date('2031-03-02T10:00:00Z'), false);
		await completeDialogAt(p, new Date('2031-03-03T12:00:00Z'));
		const after = await dueCheckInsFor(p, new Date('2031-03-05T12:00:00Z'));
		expect(after.filter((i) => i.pointId === 'start').map((i) => [i.instrument, i.status])).toEqual([
			['swemwbs', 'due'],
			['ons4', 'due']
		]);

		const programmeId = await aProgramme('three-at-once');
		const db = await getDb();
		await db.update(programme).set({ measures: { maxDueAtOnce: 3 } }).where(eq(programme.id, programmeId));
		const q = await aParticipant({ now: new Date('2031-03-02T10:00:00Z'), programmeId });
		const three = await dueCheckInsFor(q, new Date('2031-03-05T12:00:00Z'));
		expect(three.filter((i) => i.pointId === 'start').map((i) => i.status)).toEqual(['due', 'due', 'due']);
	});

	it('spreads the Start check-in over the first meetings when the programme says so, counting meetings had', async () => {
		const programmeId = await aProgramme('spread');
		const db = await getDb();
		await db.update(programme).set({ measures: { startSpread: 3 } }).where(eq(programme.id, programmeId));
		const p = await aParticipant({ now: new Date('2031-03-02T10:00:00Z'), programmeId });
		const before = await dueCheckInsFor(p, new Date('2031-03-05T12:00:00Z'));
		expect(before.filter((i) => i.pointId === 'start').map((i) => [i.instrument, i.status, i.when])).toEqual([
			['dialog', 'due', 'Due by 16 March 2031'],
			['swemwbs', 'waiting', 'After your first meeting'],
			['ons4', 'waiting', 'After your second meeting']
		]);

		// A meeting booked for later, or cancelled, is no meeting had; one that has started, or was attended, is.
		const specialist = await aStaffMember('specialist', [programmeId]);
		const meetingAt = (startsAt: string, status: 'booked' | 'cancelled' | 'attended') =>
			db.insert(meeting).values({
				referralId: p.referralId,
				participantId: p.id,
				programmeId,
				staffId: specialist.id,
				startsAt: new Date(startsAt),
				endsAt: new Date(new Date(startsAt).getTime() + 45 * 60_000),
				mode: 'phone',
				status
			});
		await meetingAt('2031-03-04T10:00:00Z', 'cancelled');
		await meetingAt('2031-03-06T10:00:00Z', 'booked');
		expect(await meetingsHadBy(p.id, new Date('2031-03-05T12:00:00Z'))).toBe(0);
		expect((await dueCheckInsFor(p, new Date('2031-03-05T12:00:00Z'))).filter((i) => i.status === 'due').map((i) => i.instrument)).toEqual(['dialog']);
		const afterFirst = await dueCheckInsFor(p, new Date('2031-03-06T12:00:00Z'));
		expect(afterFirst.filter((i) => i.pointId === 'start').map((i) => [i.instrument, i.status])).toEqual([
			['dialog', 'due'],
			['swemwbs', 'due'],
			['ons4', 'waiting']
		]);
		await meetingAt('2031-03-05T09:00:00Z', 'attended');
		expect(await meetingsHadBy(p.id, new Date('2031-03-06T12:00:00Z'))).toBe(2);
		// Two had, but two are asked at once: ONS4 now waits for one of them to be done.
		expect((await dueCheckInsFor(p, new Date('2031-03-06T12:00:00Z'))).find((i) => i.instrument === 'ons4' && i.pointId === 'start')).toMatchObject({
			status: 'waiting',
			when: 'After you have done one of the check-ins above'
		});
	});

	it('marks a completed DIALOG check-in with the point open at the time, and null outside any', async () => {
		const p = await person(new Date('2031-03-02T10:00:00Z'), false);
		expect(await openPointFor(p, 'dialog', new Date('2031-03-03T12:00:00Z'))).toBe('start');
		const first = await completeDialogAt(p, new Date('2031-03-03T12:00:00Z'));
		expect(first.pointId).toBe('start');
		expect(await openPointFor(p, 'dialog', new Date('2031-03-04T12:00:00Z'))).toBeNull();
		expect(await openPointFor(p, 'swemwbs', new Date('2031-03-04T12:00:00Z'))).toBe('start');
		// Between Start (done) and 3 months (not open yet): outside the schedule.
		const extra = await completeDialogAt(p, new Date('2031-04-20T12:00:00Z'));
		expect(extra.pointId).toBeNull();
		const third = await completeDialogAt(p, new Date('2031-06-10T12:00:00Z'));
		expect(third.pointId).toBe('3-months');
		const items = await dueCheckInsFor(p, new Date('2031-06-10T13:00:00Z'));
		expect(items.filter((i) => i.instrument === 'dialog').map((i) => i.pointId)).toEqual(['6-months']);
	});
});

describe('check-in reminders', () => {
	it('says a check-in is ready and where, and nothing else', () => {
		const words = formatCheckInReminder({ origin: 'https://ips.test/', helplinePhone: '0161 000 0000' });
		expect(words.subject).toBe('Your check-in is ready');
		expect(words.body).toBe(
			'You have a check-in ready with IPS Employment Support. It takes a few minutes.\n\nSign in at https://ips.test/account to do it.\n\nIf you need help, call 0161 000 0000.'
		);
	});

	it('queues one per channel when a point opens, sends each once at 9am UK time, by text only with consent', async () => {
		const withTexts = await person(new Date('2031-03-02T10:00:00Z'), true);
		const noTexts = await person(new Date('2031-03-02T10:00:00Z'), false);
		await queueCheckInReminders({ now: new Date('2031-03-01T12:00:00Z') });
		expect(await remindersOf(withTexts)).toEqual([]);

		await queueCheckInReminders({ now: new Date('2031-03-02T10:30:00Z') });
		await queueCheckInReminders({ now: new Date('2031-03-02T10:31:00Z') });
		const rows = await remindersOf(withTexts);
		expect(rows.map((r) => [r.pointId, r.channel, r.recipient, r.dueAt.toISOString()])).toEqual([
			['start', 'email', withTexts.email, '2031-03-02T10:30:00.000Z'],
			['start', 'text', withTexts.phone, '2031-03-02T10:30:00.000Z']
		]);
		expect((await remindersOf(noTexts)).map((r) => r.channel)).toEqual(['email']);

		await sendDueCheckInReminders({ now: new Date('2031-03-02T10:29:00Z') });
		expect(mailsTo(withTexts.email)).toHaveLength(0);
		await sendDueCheckInReminders({ now: new Date('2031-03-02T10:30:00Z') });
		await sendDueCheckInReminders({ now: new Date('2031-03-02T11:00:00Z') });
		expect(mailsTo(withTexts.email)).toHaveLength(1);
		expect(mailsTo(noTexts.email)).toHaveLength(1);
		expect(textsTo(withTexts.phone)).toHaveLength(1);
		expect(textsTo(noTexts.phone)).toHaveLength(0);
		const mail = mailsTo(withTexts.email)[0];
		expect(mail.subject).toBe('Your check-in is ready');
		expect(mail.text).toContain(`${ORIGIN}/account`);
		expect(mail.text).toContain(helpline);
		for (const word of PRIVATE) {
			expect(`${mail.subject}\n${mail.text}`, `email mentions "${word}"`).not.toContain(word);
			expect(textsTo(withTexts.phone)[0].body, `text mentions "${word}"`).not.toContain(word);
		}
		expect((await remindersOf(withTexts)).map((r) => r.status)).toEqual(['done', 'done']);

		// The next point, through the notifier's own pass: 3 months opens on 19 May, reminded at 9am UK (8am UTC in summer).
		const before = await runNotifierOnce({ now: new Date('2031-05-19T07:00:00Z') });
		expect(before.checkInReminders.queued).toBeGreaterThanOrEqual(2);
		expect(mailsTo(withTexts.email)).toHaveLength(1);
		const pass = await runNotifierOnce({ now: new Date('2031-05-19T08:00:00Z') });
		expect(pass.checkInReminders.sent).toBeGreaterThanOrEqual(2);
		expect(mailsTo(withTexts.email)).toHaveLength(2);
		expect(textsTo(withTexts.phone)).toHaveLength(2);
		expect((await remindersOf(withTexts)).map((r) => [r.pointId, r.channel, r.dueAt.toISOString(), r.status])).toEqual([
			['3-months', 'email', '2031-05-19T08:00:00.000Z', 'done'],
			['3-months', 'text', '2031-05-19T08:00:00.000Z', 'done'],
			['start', 'email', '2031-03-02T10:30:00.000Z', 'done'],
			['start', 'text', '2031-03-02T10:30:00.000Z', 'done']
		]);
	});

	it('drops a reminder whose check-in was done before it went, and one for a closed referral', async () => {
		const done = await person(new Date('2031-08-04T10:00:00Z'), true);
		const closed = await person(new Date('2031-08-04T10:00:00Z'), false);
		const partly = await person(new Date('2031-08-04T10:00:00Z'), false);
		await queueCheckInReminders({ now: new Date('2031-08-04T06:00:00Z') });
		// Queued before 9am (8am UTC in summer): due at 9am.
		expect((await remindersOf(done)).map((r) => r.dueAt.toISOString())).toEqual(['2031-08-04T08:00:00.000Z', '2031-08-04T08:00:00.000Z']);

		await completeDialogAt(done, new Date('2031-08-04T07:00:00Z'));
		await insertCheckIn(done, 'swemwbs', 'start', new Date('2031-08-04T07:05:00Z'));
		await insertCheckIn(done, 'ons4', 'start', new Date('2031-08-04T07:10:00Z'));
		// Only part of the point done: still reminded.
		await completeDialogAt(partly, new Date('2031-08-04T07:00:00Z'));
		const db = await getDb();
		await db.update(referral).set({ status: 'closed', closedReason: 'chose-not-to-start' }).where(eq(referral.id, closed.referralId));

		await sendDueCheckInReminders({ now: new Date('2031-08-04T08:00:00Z') });
		expect(mailsTo(done.email)).toHaveLength(0);
		expect(textsTo(done.phone)).toHaveLength(0);
		expect(mailsTo(closed.email)).toHaveLength(0);
		expect(mailsTo(partly.email)).toHaveLength(1);
		expect((await remindersOf(done)).map((r) => [r.status, r.lastError])).toEqual([
			['dropped', 'the check-in is already done'],
			['dropped', 'the check-in is already done']
		]);
		expect((await remindersOf(closed)).map((r) => [r.status, r.lastError])).toEqual([['dropped', 'the referral is closed']]);
		// A closed referral is not queued for later points either.
		await queueCheckInReminders({ now: new Date('2031-10-20T12:00:00Z') });
		expect(await remindersOf(closed)).toHaveLength(1);
		const [row] = await db.select().from(checkIn).where(and(eq(checkIn.participantId, done.id), eq(checkIn.instrument, 'dialog')));
		expect(row.pointId).toBe('start');
	});
});
