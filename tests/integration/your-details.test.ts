/**
 * "Your details" and "Your consents" (issue 24 parts 1 and 2), through the server functions the pages call:
 * a new email address confirmed with a code mailed to it by a real SMTP listener (wrong, expired, reused
 * and too many tries refused; the old address in use until then; the code in no event, job or audit row), a
 * new mobile number confirmed by a code texted through a local GOV.UK Notify stand-in, a landline saved at
 * once with no texts, contact preferences saved; `referral.contact_details_changed` and `consent.withdrawn`
 * valid against the schema and reaching a signed webhook receiver; withdrawing text reminders stopping text
 * reminder rows from being queued; staff seeing the changes in the referral's history.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { getReferralForStaff } from '../../src/lib/server/casework/referral-view';
import { getDb } from '../../src/lib/server/db';
import { auditLog, consent, event, job, participant, participantSignIn, referral } from '../../src/lib/server/db/schema';
import { eventPayloadSchema } from '../../src/lib/server/events/payload';
import { runJobs } from '../../src/lib/server/jobs/worker';
import { queueCheckInReminders } from '../../src/lib/server/measures/reminders';
import { sendDueEmails, TEXT_JOB, textHandler } from '../../src/lib/server/notify/outbox';
import { consentsFor, withdrawConsent } from '../../src/lib/server/participants/consents';
import {
	CHANGE_CODE_KIND,
	CODE_LIFETIME_MINUTES,
	confirmAddressChange,
	currentDetails,
	MAX_WRONG_CODES,
	savePreference,
	startAddressChange,
	type PendingChange
} from '../../src/lib/server/participants/details';
import { SIGN_IN_EMAIL_KIND, startSignIn } from '../../src/lib/server/participants/sign-in';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { preferencePage } from '../../src/lib/domain/your-details';
import { aParticipant, aStaffMember, textRemindersConsent, type Participant } from '../support/factories';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';
import { startSmtp } from '../support/smtp';
import { disableOpenSubscriptions } from '../support/subscriptions';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
const PRIMARY = 'gm-ips-primary-care';
const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const texts: { to: string; body: string }[] = [];
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let notify: NotifyStandIn;
let receiver: Receiver;
let secret = '';
const run = Math.random().toString(36).slice(2, 8);
let n = 0;
const newAddress = () => `new-${++n}-${run}@example.com`;
const aMobile = () => `077009${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`;

beforeAll(async () => {
	smtp = await startSmtp();
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/sms'],
		onSent: (_path, body) => texts.push({ to: body.phone_number!, body: body.personalisation.body })
	});
	// Emails by SMTP (it comes first when both are set), texts by GOV.UK Notify.
	process.env.SMTP_URL = smtp.url;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = randomUUID();
	process.env.NOTIFY_SMS_TEMPLATE_ID = randomUUID();
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = 'https://ips.test';
	await seedProgrammes();
	await disableOpenSubscriptions();
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
	receiver = await startReceiver(() => secret);
	const sub = await createSubscription(
		{ url: receiver.url, eventTypes: ['referral.contact_details_changed', 'consent.withdrawn'], programmeIds: [PRIMARY], dataScopes: [] },
		COMMAND_LINE
	);
	if (!sub.ok) throw new Error(JSON.stringify(sub.errors));
	secret = sub.secret;
}, 120_000);

afterAll(async () => {
	await disableOpenSubscriptions();
	await receiver?.close();
	await notify?.close();
	await smtp?.close();
});

/** Sends the queued emails through the SMTP listener; the code in the newest one to `to`. */
async function mailedCode(to: string): Promise<string> {
	await sendDueEmails({ limit: 500 });
	const mails = smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === to)));
	const last = mails.at(-1);
	const code = last?.text ? /^\s*(\d{6})\s*$/m.exec(last.text)?.[1] : undefined;
	if (!code) throw new Error(`no code mailed to ${to}`);
	return code;
}

async function textedCode(to: string): Promise<string> {
	await runJobs({ [TEXT_JOB]: textHandler }, { limit: 500 });
	const last = texts.filter((t) => t.to.replace(/\s/g, '').endsWith(to.slice(-9))).at(-1);
	const code = last ? /\b(\d{6})\b/.exec(last.body)?.[1] : undefined;
	if (!code) throw new Error(`no code texted to ${to}`);
	return code;
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function rowsOf(p: Participant) {
	const db = await getDb();
	const [person] = await db.select().from(participant).where(eq(participant.id, p.id));
	const [ref] = await db.select().from(referral).where(eq(referral.id, p.referralId));
	const events = await db.select().from(event).where(eq(event.referralId, p.referralId)).orderBy(event.id);
	const audits = await db.select().from(auditLog).where(eq(auditLog.referralId, p.referralId)).orderBy(auditLog.id);
	return { person, ref, events, audits };
}

async function started(p: Participant, kind: 'email' | 'phone', value: string, now?: Date): Promise<PendingChange> {
	const result = await startAddressChange(p, kind, value, now);
	if (!result.ok || !('pending' in result)) throw new Error(`expected a code to be sent: ${JSON.stringify(result)}`);
	return result.pending;
}

describe('changing the email address', () => {
	it('keeps the old address until the code sent to the new one is entered, then changes it everywhere', async () => {
		const p = await aParticipant({ programmeId: PRIMARY });
		const old = p.email!;
		const fresh = newAddress();
		const pending = await started(p, 'email', fresh);
		const code = await mailedCode(fresh);

		// Until confirmed: the old address on the participant and the referral; signing in with the new one sends nothing.
		let rows = await rowsOf(p);
		expect(rows.person.email).toBe(old);
		expect(rows.ref.email).toBe(old);
		expect(rows.events.map((e) => e.type)).not.toContain('referral.contact_details_changed');
		await startSignIn({ channel: 'email', value: fresh });
		await startSignIn({ channel: 'email', value: old });
		const db = await getDb();
		const signInsTo = (await db.select({ to: job.recipient, payload: job.payload }).from(job).where(eq(job.kind, 'email')))
			.filter((j) => j.payload.kind === SIGN_IN_EMAIL_KIND)
			.map((j) => j.to);
		expect(signInsTo).toContain(old);
		expect(signInsTo).not.toContain(fresh);

		// A wrong code is refused and counted; the code is stored only hashed.
		expect(await confirmAddressChange(p, pending, wrongCode(code))).toEqual({ ok: false, reason: 'wrong', triesLeft: MAX_WRONG_CODES - 1 });
		const stored = await db.select().from(participantSignIn).where(eq(participantSignIn.participantId, p.id));
		expect(JSON.stringify(stored)).not.toContain(code);
		expect(JSON.stringify(stored)).not.toContain(fresh);
		// Another person's session cannot use this browser's pending change; nor can a changed address.
		const other = await aParticipant({ programmeId: PRIMARY });
		expect(await confirmAddressChange(other, pending, code)).toEqual({ ok: false, reason: 'missing' });
		expect(await confirmAddressChange(p, { ...pending, value: newAddress() }, code)).toEqual({ ok: false, reason: 'missing' });

		expect(await confirmAddressChange(p, pending, code)).toEqual({ ok: true });
		expect(await confirmAddressChange(p, pending, code)).toEqual({ ok: false, reason: 'used' });
		rows = await rowsOf(p);
		expect(rows.person.email).toBe(fresh);
		expect(rows.ref.email).toBe(fresh);
		expect(rows.ref.answers.email).toBe(fresh);
		expect((await currentDetails(p)).email).toBe(fresh);

		const changed = rows.events.filter((e) => e.type === 'referral.contact_details_changed');
		expect(changed).toHaveLength(1);
		const body = JSON.parse(changed[0].body!);
		expect(eventPayloadSchema.safeParse(body).success).toBe(true);
		expect(body.data.change).toMatchObject({ changed: ['email'], confirmed: true });
		expect(body.data.person.email).toBe(fresh);
		expect(body.data.actor).toEqual({ type: 'participant', id: null, name: null });

		// The code is in no event, no audit row and no job left behind (the code's email is wiped once sent).
		const everything = JSON.stringify({ events: rows.events, audits: rows.audits, jobs: await db.select().from(job) });
		expect(everything).not.toContain(code);
		const audit = rows.audits.find((a) => a.action === 'participant.contact_details_changed');
		expect(audit?.detail).toMatchObject({ changed: ['email'], confirmed: true, by: 'participant' });
		expect(JSON.stringify(audit)).not.toContain(fresh);

		// The old address is told of the change.
		await sendDueEmails({ limit: 500 });
		const toOld = smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === old)));
		expect(toOld.some((m) => m.subject === 'Your email address for IPS Employment Support has changed')).toBe(true);

		// Staff see the new address and the change, with when, in the history.
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const view = await getReferralForStaff(specialist, p.reference);
		expect(view.referral.email).toBe(fresh);
		const item = view.history.find((h) => h.title === 'The person changed their contact details');
		expect(item?.lines).toContain('Changed: email address');
		expect(item?.at).toBeInstanceOf(Date);
	});

	it('refuses an expired code, and a code after too many wrong tries', async () => {
		const p = await aParticipant({ programmeId: PRIMARY });
		const t0 = new Date();
		const fresh = newAddress();
		const pending = await started(p, 'email', fresh, t0);
		const code = await mailedCode(fresh);
		const late = new Date(t0.getTime() + CODE_LIFETIME_MINUTES * 60_000 + 1000);
		expect(await confirmAddressChange(p, pending, code, late)).toEqual({ ok: false, reason: 'expired' });

		const again = await started(p, 'email', fresh);
		const second = await mailedCode(fresh);
		for (let i = 1; i < MAX_WRONG_CODES; i++) expect(await confirmAddressChange(p, again, wrongCode(second))).toEqual({ ok: false, reason: 'wrong', triesLeft: MAX_WRONG_CODES - i });
		expect(await confirmAddressChange(p, again, wrongCode(second))).toEqual({ ok: false, reason: 'too-many' });
		expect(await confirmAddressChange(p, again, second)).toEqual({ ok: false, reason: 'too-many' });
		expect((await rowsOf(p)).person.email).toBe(p.email);
	});

	it('refuses the address already in use, and limits how many codes can be asked for', async () => {
		const p = await aParticipant({ programmeId: PRIMARY });
		expect(await startAddressChange(p, 'email', p.email!)).toEqual({ ok: false, reason: 'same' });
		for (let i = 0; i < 5; i++) await started(p, 'email', newAddress());
		expect(await startAddressChange(p, 'email', newAddress())).toEqual({ ok: false, reason: 'too-many' });
	});
});

describe('changing the phone number and contact preferences', () => {
	it('confirms a new mobile number with a texted code; saves a landline at once, with no texts to it', async () => {
		const oldMobile = aMobile();
		const p = await aParticipant({ programmeId: PRIMARY, answers: { phone: oldMobile, ...textRemindersConsent(true) } });
		expect(p.textConsent).toBe(true);
		const mobile = aMobile();
		const pending = await started(p, 'phone', mobile);
		const code = await textedCode(mobile);
		expect((await rowsOf(p)).person.phone).toBe(oldMobile);
		expect(await confirmAddressChange(p, pending, code)).toEqual({ ok: true });
		let rows = await rowsOf(p);
		expect([rows.person.phone, rows.ref.phone, rows.ref.answers.phone, rows.person.textConsent]).toEqual([mobile, mobile, mobile, true]);

		expect(await startAddressChange(p, 'phone', '01614960000')).toEqual({ ok: true, saved: true });
		rows = await rowsOf(p);
		expect([rows.person.phone, rows.ref.phone, rows.person.textConsent]).toEqual(['01614960000', '01614960000', false]);
		const changes = rows.events.filter((e) => e.type === 'referral.contact_details_changed').map((e) => JSON.parse(e.body!));
		expect(changes.map((b) => b.data.change.confirmed)).toEqual([true, false]);
		for (const b of changes) expect(eventPayloadSchema.safeParse(b).success).toBe(true);
		expect(JSON.stringify(changes)).not.toContain(code);
	});

	it('saves the ways to contact, once, with an event naming what changed', async () => {
		const p = await aParticipant({ programmeId: PRIMARY, answers: { contactChannels: ['phone'] } });
		const ways = preferencePage('ways')!;
		expect(await savePreference(p, ways, ['email', 'text'])).toBe(true);
		expect(await savePreference(p, ways, ['email', 'text'])).toBe(false);
		const rows = await rowsOf(p);
		expect(rows.ref.answers.contactChannels).toEqual(['email', 'text']);
		const changes = rows.events.filter((e) => e.type === 'referral.contact_details_changed');
		expect(changes).toHaveLength(1);
		const body = JSON.parse(changes[0].body!);
		expect(eventPayloadSchema.safeParse(body).success).toBe(true);
		expect(body.data.change).toMatchObject({ changed: ['contactChannels'], confirmed: false });
		expect(body.data.contactPreferences.channels).toEqual(['email', 'text']);
		const messages = preferencePage('messages')!;
		expect(await savePreference(p, messages, 'no')).toBe(true);
		expect((await rowsOf(p)).ref.answers.messagesMayNameService).toBe('no');
	});
});

describe('withdrawing consents', () => {
	it('stops text reminders at once: no text reminder rows are queued afterwards', async () => {
		const sentAt = new Date('2031-05-05T10:00:00Z');
		const withdrawing = await aParticipant({ now: sentAt, programmeId: PRIMARY, answers: { phone: aMobile(), ...textRemindersConsent(true) } });
		const keeping = await aParticipant({ now: sentAt, programmeId: PRIMARY, answers: { phone: aMobile(), ...textRemindersConsent(true) } });
		const result = await withdrawConsent(withdrawing, 'textReminders', new Date());
		expect(result).toEqual({ ok: true, kind: 'textReminders' });
		expect(await withdrawConsent(withdrawing, 'textReminders')).toEqual({ ok: false, reason: 'already-withdrawn' });

		const db = await getDb();
		const [c] = await db.select().from(consent).where(and(eq(consent.referralId, withdrawing.referralId), eq(consent.kind, 'textReminders')));
		expect(c.withdrawnAt).toBeInstanceOf(Date);
		expect((await rowsOf(withdrawing)).person.textConsent).toBe(false);
		expect((await consentsFor(withdrawing)).find((x) => x.kind === 'textReminders')?.withdrawnAt).toBeInstanceOf(Date);

		// Across consent and reminders: the check-in opening after the withdrawal queues texts only for the other person.
		await queueCheckInReminders({ now: new Date('2031-05-05T10:30:00Z') });
		const channels = async (p: Participant) =>
			(await db.select({ channel: job.channel }).from(job).where(and(eq(job.kind, 'check_in.reminder'), eq(job.participantId, p.id)))).map((r) => r.channel).sort();
		expect(await channels(keeping)).toEqual(['email', 'text']);
		expect(await channels(withdrawing)).toEqual(['email']);

		// A new mobile number confirmed later does not bring texts back.
		const mobile = aMobile();
		const pending = await started(withdrawing, 'phone', mobile);
		expect(await confirmAddressChange(withdrawing, pending, await textedCode(mobile))).toEqual({ ok: true });
		expect((await rowsOf(withdrawing)).person.textConsent).toBe(false);

		const ev = (await rowsOf(withdrawing)).events.find((e) => e.type === 'consent.withdrawn')!;
		const body = JSON.parse(ev.body!);
		expect(eventPayloadSchema.safeParse(body).success).toBe(true);
		expect(body.data.change).toMatchObject({ kind: 'textReminders', version: 'text-reminders-2026-11-v1' });
		expect(Object.keys(body.data.change).sort()).toEqual(['at', 'kind', 'version']);
		expect(body.data.consents.find((x: { kind: string }) => x.kind === 'textReminders').withdrawnAt).not.toBeNull();
	});

	it('refuses processing here, and a consent not given', async () => {
		const p = await aParticipant({ programmeId: PRIMARY, answers: { ...textRemindersConsent(false) } });
		expect(await withdrawConsent(p, 'processing')).toEqual({ ok: false, reason: 'not-here' });
		expect(await withdrawConsent(p, 'textReminders')).toEqual({ ok: false, reason: 'not-given' });
		expect((await rowsOf(p)).events.map((e) => e.type)).not.toContain('consent.withdrawn');
	});

	it('delivers both events, signed and valid, to a webhook receiver, and staff see the withdrawal', async () => {
		const p = await aParticipant({ programmeId: PRIMARY });
		expect((await withdrawConsent(p, 'evaluation')).ok).toBe(true);
		expect(await savePreference(p, preferencePage('times')!, ['weekend'])).toBe(true);
		while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
		expect(receiver.rejected).toEqual([]);
		const mine = receiver.received.filter((r) => r.body.data.reference === p.reference);
		expect(mine.map((r) => r.body.type)).toEqual(['consent.withdrawn', 'referral.contact_details_changed']);
		for (const r of mine) expect(eventPayloadSchema.safeParse(r.body).success).toBe(true);
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const view = await getReferralForStaff(specialist, p.reference);
		expect(view.consents.find((c) => c.kind === 'evaluation')?.withdrawnAt).toBeInstanceOf(Date);
		expect(view.history.map((h) => h.title)).toContain('The person withdrew their consent: Use without their name to evaluate the service');
	});
});
