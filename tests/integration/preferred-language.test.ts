/**
 * Issue 25: the language a person used is kept on their referral and every email and text to them is in
 * it. A referral sent in Welsh (the submit run inside withLocale('cy'), as a Welsh request runs it) stores
 * "cy"; its events carry `preferredLanguage: "cy"` and validate against the published schema (after
 * erasure too); staff read "Welsh"; its meeting reminder by email (a real SMTP listener) and by text (a
 * local stand-in for GOV.UK Notify) and its sign-in code arrive in Welsh. An English referral's messages
 * are word for word as before.
 */
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { and, asc, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailWhen } from '../../src/lib/domain/meetings/labels';
import { reminderKey } from '../../src/lib/domain/meetings/reminders';
import { referralFhirBundle } from '../../src/lib/domain/fhir';
import { getReferralForStaff } from '../../src/lib/server/casework/referral-view';
import { siteOrigin } from '../../src/lib/server/config';
import { eraseReferral } from '../../src/lib/server/data-rights/erasure';
import { getDb } from '../../src/lib/server/db';
import { event, job, meeting, participant, programme, referral, type MeetingRow, type Referral } from '../../src/lib/server/db/schema';
import { eventPayloadJsonSchema } from '../../src/lib/server/events/payload';
import { withLocale } from '../../src/lib/server/i18n';
import { formatReminder, sendDueReminders } from '../../src/lib/server/meetings/reminder-sender';
import { sendDueEmails } from '../../src/lib/server/notify/outbox';
import { startSignIn } from '../../src/lib/server/participants/sign-in';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aReferral, aStaffMember, textRemindersConsent } from '../support/factories';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';
import { startSmtp } from '../support/smtp';

const ORIGIN = 'https://ips.test';
const PRIMARY = 'gm-ips-primary-care';
const MINUTE = 60_000;
const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const SMS_TEMPLATE_ID = randomUUID();
const texts: { to: string; body: string }[] = [];
let notify: NotifyStandIn;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let staffId: string;
let helpline: string;

/** English sentences of the meeting reminder: none may be in a Welsh one. */
const ENGLISH_REMINDER = ['Reminder: you have a meeting', 'To change or cancel it, sign in at', 'If you need help, call', 'by phone', 'UK time'];

const mailsTo = (to: string): ParsedMail[] => smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === to)));
const textsTo = (phone: string) => texts.filter((t) => t.to.replace(/\s/g, '').endsWith(phone.slice(-9)));
const uniquePhone = () => `077009${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`;

/** A referral sent in `locale` (as its request would send it), with an email address, a mobile and text reminders agreed. */
async function referredIn(locale: 'en' | 'cy' | 'ur'): Promise<Referral & { phoneNumber: string }> {
	const email = `person-${randomUUID().slice(0, 8)}@example.org`;
	const phone = uniquePhone();
	const sent = await withLocale(locale, () => aReferral({ answers: { email, phone, ...textRemindersConsent(true) } }));
	return { ...sent, phoneNumber: phone };
}

/** A phone meeting starting at `start`, with its reminders one hour before by email and text, as booking writes them. */
async function bookWithReminders(r: Referral, start: Date): Promise<MeetingRow> {
	const db = await getDb();
	const [p] = await db.select().from(participant).where(eq(participant.referralId, r.id));
	const [m] = await db
		.insert(meeting)
		.values({ referralId: r.id, participantId: p.id, programmeId: r.programmeId, staffId, startsAt: start, endsAt: new Date(start.getTime() + 45 * MINUTE), mode: 'phone' })
		.returning();
	const due = new Date(start.getTime() - 60 * MINUTE);
	const key = reminderKey(m.id, m.version, 60);
	await db.insert(job).values([
		{ kind: 'meeting.reminder', key: `${key}:email`, meetingId: m.id, channel: 'email', recipient: p.email!, dueAt: due, nextAttemptAt: due },
		{ kind: 'meeting.reminder', key: `${key}:text`, meetingId: m.id, channel: 'text', recipient: p.phone!, dueAt: due, nextAttemptAt: due }
	]);
	return m;
}

/** A start some days ahead on the whole hour. */
function startIn(days: number): Date {
	const d = new Date(Date.now() + days * 24 * 60 * MINUTE);
	d.setUTCHours(10, 0, 0, 0);
	return d;
}

async function submittedBody(r: Referral): Promise<Record<string, unknown>> {
	const db = await getDb();
	const [row] = await db
		.select({ body: event.body })
		.from(event)
		.where(and(eq(event.referralId, r.id), eq(event.type, 'referral.submitted')))
		.orderBy(asc(event.id));
	return JSON.parse(row.body!);
}

beforeAll(async () => {
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/sms'],
		onSent: (_path, body) => texts.push({ to: body.phone_number!, body: body.personalisation.body })
	});
	smtp = await startSmtp();
	// Emails by SMTP, texts by (the stand-in for) GOV.UK Notify. Read once, on first use.
	process.env.SMTP_URL = smtp.url;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = randomUUID();
	process.env.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID;
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = ORIGIN;
	await seedProgrammes();
	const db = await getDb();
	[{ helplinePhone: helpline }] = await db.select({ helplinePhone: programme.helplinePhone }).from(programme).where(eq(programme.id, PRIMARY));
	staffId = (await aStaffMember('specialist', [PRIMARY])).id;
});

afterAll(async () => {
	await smtp?.close();
	await notify?.close();
});

describe('a referral sent in Welsh', () => {
	it('keeps "cy", says so in its events (valid against the published schema, after erasure too) and to staff as "Welsh"', async () => {
		const r = await referredIn('cy');
		expect(r.preferredLanguage).toBe('cy');
		const db = await getDb();
		const [stored] = await db.select({ language: referral.preferredLanguage }).from(referral).where(eq(referral.id, r.id));
		expect(stored.language).toBe('cy');

		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		const validate = ajv.compile(eventPayloadJsonSchema(siteOrigin()));
		const body = await submittedBody(r);
		expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
		expect((body.data as Record<string, unknown>).preferredLanguage).toBe('cy');

		const lead = await aStaffMember('team-lead', [PRIMARY]);
		const view = await getReferralForStaff(lead, r.reference);
		expect(view.preferences.language).toBe('Welsh');

		// Erasure keeps the language (it is not personal data); every rewritten body still validates.
		expect(await eraseReferral(r.id, 'request', null)).toMatchObject({ ok: true });
		const erased = await submittedBody(r);
		expect(validate(erased), JSON.stringify(validate.errors)).toBe(true);
		expect(erased.data).toMatchObject({ person: null, preferredLanguage: 'cy' });
		const [last] = await db.select({ body: event.body }).from(event).where(and(eq(event.referralId, r.id), eq(event.type, 'referral.erased')));
		expect(JSON.parse(last.body!).data.preferredLanguage).toBe('cy');
	});

	it('gets its meeting reminder in Welsh, by email and by text', async () => {
		const r = await referredIn('cy');
		const start = startIn(3);
		const m = await bookWithReminders(r, start);
		await sendDueReminders({ now: new Date(start.getTime() - 59 * MINUTE) });

		const [mail] = mailsTo(r.email!);
		expect(mail, 'the Welsh reminder email').toBeDefined();
		expect(mail.subject).toBe("Nodyn atgoffa: eich cyfarfod gyda'ch arbenigwr cyflogaeth");
		const text = mail.text ?? '';
		expect(text).toContain("Nodyn atgoffa: mae gennych gyfarfod gyda'ch arbenigwr cyflogaeth dros y ffôn.");
		expect(text).toContain('(amser y DU)');
		expect(text).toContain(`mewngofnodwch yn ${ORIGIN}/account.`);
		expect(text).toContain(`Os oes angen help arnoch, ffoniwch ${helpline}.`);
		for (const english of ENGLISH_REMINDER) expect(text, `"${english}" in the Welsh email`).not.toContain(english);
		// The day in Welsh, in UK time.
		const day = new Intl.DateTimeFormat('cy', { weekday: 'long', timeZone: 'Europe/London' }).format(m.startsAt);
		expect(text).toContain(day);

		const sms = textsTo(r.phoneNumber);
		expect(sms).toHaveLength(1);
		expect(sms[0].body).toBe(text.trim());
		for (const english of ENGLISH_REMINDER) expect(sms[0].body, `"${english}" in the Welsh text`).not.toContain(english);
	});

	it('gets its sign-in code in Welsh', async () => {
		const r = await referredIn('cy');
		const started = await startSignIn({ channel: 'email', value: r.email! });
		expect(started.ok).toBe(true);
		await sendDueEmails({ limit: 500 });
		const [mail] = mailsTo(r.email!);
		expect(mail.subject).toBe('Eich cod i fewngofnodi i Cymorth Cyflogaeth IPS');
		expect(mail.text).toContain('Mae\'n gweithio unwaith, am y 10 munud nesaf.');
		expect(mail.text).toContain('Nid gwasanaeth argyfwng yw hwn.');
		expect(mail.text).not.toContain('Your code to sign in');
		expect(mail.text).not.toContain('This is not a crisis service');
	});
});

describe('a referral sent in English', () => {
	it('keeps "en-GB" and gets its messages word for word as before', async () => {
		const r = await referredIn('en');
		expect(r.preferredLanguage).toBe('en-GB');
		expect(((await submittedBody(r)).data as Record<string, unknown>).preferredLanguage).toBe('en-GB');

		const start = startIn(4);
		const m = await bookWithReminders(r, start);
		await sendDueReminders({ now: new Date(start.getTime() - 59 * MINUTE) });
		const body =
			`Reminder: you have a meeting with your employment specialist on ${emailWhen({ start: m.startsAt, end: m.endsAt })}, by phone.\n\n` +
			`To change or cancel it, sign in at ${ORIGIN}/account.\n\n` +
			`If you need help, call ${helpline}.`;
		const [mail] = mailsTo(r.email!);
		expect(mail.subject).toBe('Reminder: your meeting with your employment specialist');
		expect((mail.text ?? '').trim()).toBe(body);
		expect(textsTo(r.phoneNumber).map((t) => t.body)).toEqual([body]);

		await startSignIn({ channel: 'email', value: r.email! });
		await sendDueEmails({ limit: 500 });
		const signIn = mailsTo(r.email!).find((x) => x.subject !== mail.subject)!;
		expect(signIn.subject).toBe('Your code to sign in to IPS Employment Support');
		expect(signIn.text).toContain('Enter it on the page where you asked for it. It works once, for the next 10 minutes.');
		expect(signIn.text).toContain('This is not a crisis service. If you need help now, call NHS 111 and choose option 2, or call 999 in an emergency.');
	});

	it('reads a referral sent before languages (no language stored) as English', async () => {
		const r = await referredIn('en');
		const db = await getDb();
		await db.update(referral).set({ preferredLanguage: null }).where(eq(referral.id, r.id));
		const lead = await aStaffMember('team-lead', [PRIMARY]);
		expect((await getReferralForStaff(lead, r.reference)).preferences.language).toBe('English');
		const start = startIn(5);
		await bookWithReminders(r, start);
		await sendDueReminders({ now: new Date(start.getTime() - 59 * MINUTE) });
		expect(mailsTo(r.email!)[0].subject).toBe('Reminder: your meeting with your employment specialist');
	});
});

describe('Urdu', () => {
	it('a reminder in Urdu names the time in Urdu; the FHIR Patient carries the language, preferred', async () => {
		const words = formatReminder({
			startsAt: new Date('2027-03-30T09:00:00Z'),
			endsAt: new Date('2027-03-30T09:45:00Z'),
			mode: 'video',
			venueName: null,
			helplinePhone: '0161 000 0000',
			origin: ORIGIN,
			locale: 'ur'
		});
		expect(words.subject).toBe('یاد دہانی: اپنے روزگار کے ماہر کے ساتھ آپ کی ملاقات');
		expect(words.body).toContain('ویڈیو کال پر');
		expect(words.body).toContain('10:00 صبح');
		expect(words.body).toContain('(برطانیہ کا وقت)');
		expect(words.body).not.toContain('Reminder');

		const bundle = referralFhirBundle(
			{
				referralId: randomUUID(),
				patientId: randomUUID(),
				reference: 'ACDE-FGHJ',
				programme: { id: PRIMARY, name: 'IPS' },
				status: 'received',
				closedReason: null,
				submittedAt: new Date().toISOString(),
				person: { givenName: 'Sam', familyName: 'Taylor', preferredName: null, dateOfBirth: '1985-06-15', postcode: 'M1 1AE', email: null, phone: null },
				nhsNumber: null,
				sourceText: null,
				preferredLanguage: 'ur'
			},
			ORIGIN
		);
		expect((bundle.entry[1].resource as Record<string, unknown>).communication).toEqual([
			{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'ur', display: 'Urdu' }], text: 'Urdu' }, preferred: true }
		]);
	});
});
