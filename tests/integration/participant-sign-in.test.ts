/**
 * Participants signing in with one-time codes: right, wrong, expired and reused codes; the lockout after
 * five wrong codes for an address and its end; an unknown address answered exactly like a known one; the
 * magic link signing in only on POST, once; texts through a local GOV.UK Notify stand-in; the outbox
 * neither sending a stale code (email or text) nor keeping a sent one; the worker woken once a code is
 * queued; sign out and sign out everywhere.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieJar, outcome, routeEvent, type RouteEventOptions } from '../support/route-outcome';
import { lockedMessage, signInAddressForm } from '../../src/lib/domain/participant-sign-in-forms';
import { parseFormData } from '../../src/lib/domain/fields';
import { getDb } from '../../src/lib/server/db';
import { emailJob, queuedEmails, type QueuedEmail } from '../support/jobs';
import { job, participant, participantSession, participantSignIn } from '../../src/lib/server/db/schema';
import { runHousekeeping } from '../../src/lib/server/housekeeping';
import { onWake, runJobs } from '../../src/lib/server/jobs/worker';
import { sendDueEmails, TEXT_JOB, textHandler } from '../../src/lib/server/notify/outbox';
import { createParticipantSession, PARTICIPANT_COOKIE, validateParticipantSessionToken } from '../../src/lib/server/auth/sessions';
import {
	CODE_LIFETIME_MINUTES,
	LOCKOUT_MINUTES,
	MAX_WRONG_CODES,
	newSignInCode,
	SIGN_IN_COOKIE,
	SIGN_IN_EMAIL_KIND,
	signInLinkUsable,
	startSignIn,
	useSignInLink,
	verifySignInCode
} from '../../src/lib/server/participants/sign-in';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { hashToken } from '../../src/lib/server/tokens';
import * as startPage from '../../src/routes/account/sign-in/+page.server';
import * as codePage from '../../src/routes/account/sign-in/code/+page.server';
import * as linkPage from '../../src/routes/account/sign-in/link/[token]/+page.server';
import * as signOutPage from '../../src/routes/account/sign-out/+page.server';
import { aParticipant } from '../support/factories';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';

// ---- a local GOV.UK Notify stand-in (texts and emails), checking the API key as Notify does ----------

const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const EMAIL_TEMPLATE = randomUUID();
const SMS_TEMPLATE = randomUUID();
const texts: { templateId: string; to: string; body: string; reference: string }[] = [];
const emails: { to: string; body: string }[] = [];
let notify: NotifyStandIn;

const run = Math.random().toString(36).slice(2, 8);
let n = 0;
const newEmail = () => `person${++n}-${run}@example.com`;

beforeAll(async () => {
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/sms', '/v2/notifications/email'],
		onSent: (path, body) => {
			if (path === '/v2/notifications/sms') texts.push({ templateId: body.template_id, to: body.phone_number!, body: body.personalisation.body, reference: body.reference! });
			else emails.push({ to: body.email_address!, body: body.personalisation.body });
		}
	});
	delete process.env.SMTP_URL;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = EMAIL_TEMPLATE;
	process.env.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE;
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = 'https://ips.test';
	await seedProgrammes();
});

afterAll(async () => {
	await notify.close();
});

// ---- helpers ----------------------------------------------------------------------------------------

/** A submitted referral with this email (and phone); returns its participant's id. */
async function referral(email: string, extra: Record<string, unknown> = {}): Promise<string> {
	return (await aParticipant({ source: { code: 'fit-note', odsCode: 'P84001', linkCode: null }, answers: { email, ...extra } })).id;
}

/** The code and link in the newest sign-in email to `to`. */
async function mailed(to: string): Promise<{ code: string; link: string; row: QueuedEmail }> {
	const rows = await queuedEmails(and(eq(emailJob.to, to), eq(emailJob.kind, SIGN_IN_EMAIL_KIND)));
	const row = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
	if (!row) throw new Error(`no sign-in email to ${to}`);
	const code = /^(\d{6})$/m.exec(row.body)?.[1];
	const link = /https:\/\/ips\.test\/account\/sign-in\/link\/([a-z2-7]{32})/.exec(row.body)?.[1];
	if (!code || !link) throw new Error('no code or link in the email');
	return { code, link, row };
}

/** Runs the due text jobs, as the worker does (texts are jobs of kind 'text'). */
async function sendDueTexts(now?: Date) {
	return (await runJobs({ [TEXT_JOB]: textHandler }, { now, limit: 500 })).byKind[TEXT_JOB];
}

/** Text jobs to `mobile`. */
async function textJobs(mobile: string) {
	const db = await getDb();
	return db
		.select()
		.from(job)
		.where(and(eq(job.kind, TEXT_JOB), eq(job.recipient, mobile)));
}

async function sentTo(to: string): Promise<number> {
	return (await queuedEmails(and(eq(emailJob.to, to), eq(emailJob.kind, SIGN_IN_EMAIL_KIND)))).length;
}

const email = (value: string) => ({ channel: 'email' as const, value });
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** The RequestEvent for `path` on route `routeId`, from a client address that changes with each new email address. */
function event(routeId: string, path: string, options: Omit<RouteEventOptions, 'routeId' | 'client'> = {}) {
	return routeEvent(path, { ...options, routeId, client: () => `192.0.2.${(n % 250) + 1}` });
}


// ---- the tests --------------------------------------------------------------------------------------

describe('codes', () => {
	it('follow the policy: 6 digits from a uniform random source, 10 minutes, 5 wrong tries lock for 15 minutes', () => {
		expect([CODE_LIFETIME_MINUTES, MAX_WRONG_CODES, LOCKOUT_MINUTES]).toEqual([10, 5, 15]);
		const codes = Array.from({ length: 5000 }, newSignInCode);
		for (const c of codes) expect(c).toMatch(/^[0-9]{6}$/);
		expect(new Set(codes).size).toBeGreaterThan(4950);
		// Every first digit (leading zeros kept) about a tenth of the time.
		const firsts = new Map<string, number>();
		for (const c of codes) firsts.set(c[0], (firsts.get(c[0]) ?? 0) + 1);
		expect(firsts.size).toBe(10);
		for (const count of firsts.values()) expect(count).toBeGreaterThan(380);
	});

	it('signs in with the right code, stores only hashes, and takes the most recent referral with that address', async () => {
		const address = newEmail();
		await referral(address);
		const latest = await referral(address.toUpperCase());
		const started = await startSignIn(email(address));
		if (!started.ok) throw new Error('refused');
		const { code, link } = await mailed(address);

		const db = await getDb();
		const [row] = await db.select().from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(started.token)));
		expect(row.participantId).toBe(latest);
		for (const secret of [started.token, code, link]) expect(JSON.stringify(row)).not.toContain(secret);
		expect(row.codeHash).not.toBe(hashToken(code));
		expect(row.linkHash).toBe(hashToken(link));
		expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(CODE_LIFETIME_MINUTES * 60_000);

		expect(await verifySignInCode(started.token, code)).toEqual({ ok: true, participantId: latest });
	});

	it('refuses a wrong code, counts it, and still takes the right one after', async () => {
		const address = newEmail();
		await referral(address);
		const started = await startSignIn(email(address));
		if (!started.ok) throw new Error('refused');
		const { code } = await mailed(address);
		expect(await verifySignInCode(started.token, wrongFor(code))).toEqual({ ok: false, reason: 'wrong', triesLeft: MAX_WRONG_CODES - 1 });
		const db = await getDb();
		const [row] = await db.select().from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(started.token)));
		expect(row.attempts).toBe(1);
		// The code is checked against this browser's sign-in: another browser's token finds nothing.
		expect(await verifySignInCode('not-this-browser', code)).toEqual({ ok: false, reason: 'missing' });
		expect((await verifySignInCode(started.token, code)).ok).toBe(true);
	});

	it('refuses an expired code', async () => {
		const address = newEmail();
		await referral(address);
		const at = new Date();
		const started = await startSignIn(email(address), { now: at });
		if (!started.ok) throw new Error('refused');
		const { code } = await mailed(address);
		expect(await verifySignInCode(started.token, code, later(at, CODE_LIFETIME_MINUTES * 60_000))).toEqual({ ok: false, reason: 'expired' });
		expect(await verifySignInCode(started.token, code, later(at, CODE_LIFETIME_MINUTES * 60_000 + 1000))).toEqual({ ok: false, reason: 'expired' });
	});

	it('refuses a code used already, even at the same time', async () => {
		const address = newEmail();
		await referral(address);
		const started = await startSignIn(email(address));
		if (!started.ok) throw new Error('refused');
		const { code } = await mailed(address);
		const results = await Promise.all([1, 2, 3].map(() => verifySignInCode(started.token, code)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(await verifySignInCode(started.token, code)).toEqual({ ok: false, reason: 'used' });
	});
});

describe('the lockout', () => {
	it('locks an address for 15 minutes after 5 wrong codes across sign-ins, then lets it try again', async () => {
		const address = newEmail();
		const person = await referral(address);
		const t0 = new Date();
		const first = await startSignIn(email(address), { now: t0 });
		if (!first.ok) throw new Error('refused');
		const firstCode = (await mailed(address)).code;
		for (let i = 0; i < 3; i++) expect(await verifySignInCode(first.token, wrongFor(firstCode), later(t0, i * 1000))).toMatchObject({ reason: 'wrong', triesLeft: 4 - i });
		const second = await startSignIn(email(address), { now: later(t0, 60_000) });
		if (!second.ok) throw new Error('refused');
		const secondCode = (await mailed(address)).code;
		expect(await verifySignInCode(second.token, wrongFor(secondCode), later(t0, 61_000))).toMatchObject({ reason: 'wrong', triesLeft: 1 });
		const fifthAt = later(t0, 62_000);
		const locked = await verifySignInCode(second.token, wrongFor(secondCode), fifthAt);
		expect(locked).toEqual({ ok: false, reason: 'locked', lockedUntil: later(fifthAt, LOCKOUT_MINUTES * 60_000) });

		// Locked: the right code, and a new sign-in, are refused until the 15 minutes are up.
		expect(await verifySignInCode(second.token, secondCode, later(fifthAt, 60_000))).toMatchObject({ ok: false, reason: 'locked' });
		expect(await startSignIn(email(address), { now: later(fifthAt, 14 * 60_000) })).toMatchObject({ ok: false, reason: 'locked' });
		const sent = await sentTo(address);

		// Then the address may try again: a new sign-in and its code work.
		const after = later(fifthAt, LOCKOUT_MINUTES * 60_000);
		const third = await startSignIn(email(address), { now: after });
		if (!third.ok) throw new Error('still locked');
		expect(await sentTo(address)).toBe(sent + 1);
		const thirdCode = (await mailed(address)).code;
		expect(await verifySignInCode(third.token, thirdCode, later(after, 1000))).toEqual({ ok: true, participantId: person });
	});

	it('words the time to try again', () => {
		const now = new Date('2027-03-30T14:32:10Z'); // 3:32pm BST
		expect(lockedMessage(new Date(now.getTime() + 15 * 60_000), now)).toContain('Try again after 3:48pm, in 15 minutes.');
		const late = new Date('2027-01-10T23:55:00Z');
		expect(lockedMessage(new Date(late.getTime() + 15 * 60_000), late)).toContain('after 12:10am tomorrow, in 15 minutes');
		expect(lockedMessage(new Date(late.getTime() + 30_000), late)).toContain('in 1 minute.');
	});

	it('limits how many codes one address and one connection can ask for', async () => {
		const address = newEmail();
		await referral(address);
		const at = new Date();
		for (let i = 0; i < 5; i++) expect((await startSignIn(email(address), { now: at })).ok).toBe(true);
		expect(await startSignIn(email(address), { now: at })).toEqual({ ok: false, reason: 'too-many' });
		expect(await sentTo(address)).toBe(5);
		const client = `198.51.100.${n}`;
		for (let i = 0; i < 20; i++) expect((await startSignIn(email(`nobody-${i}-${run}@example.com`), { now: at, client })).ok).toBe(true);
		expect(await startSignIn(email(`nobody-last-${run}@example.com`), { now: at, client })).toEqual({ ok: false, reason: 'too-many' });
	});
});

describe('an unknown address', () => {
	it('gets the same answer and the same pages as a known one, and no email', async () => {
		const known = newEmail();
		await referral(known);
		const unknown = `nobody-${run}@example.com`;
		const at = new Date();
		const a = await startSignIn(email(known), { now: at });
		const b = await startSignIn(email(unknown), { now: at });
		if (!a.ok || !b.ok) throw new Error('refused');
		const shape = (r: typeof a) => ({ ...r, token: r.token.replace(/[a-z2-7]/g, 'x') });
		expect(shape(b)).toEqual(shape(a));
		expect(await sentTo(unknown)).toBe(0);
		expect(await sentTo(known)).toBe(1);

		// No code is ever right for it, and a wrong one is answered as for a known address.
		const knownCode = (await mailed(known)).code;
		expect(await verifySignInCode(b.token, knownCode, at)).toEqual(await verifySignInCode(a.token, wrongFor(knownCode), at));

		// The pages: the start action answers both with the same redirect; the code page shows the same.
		const starts = await Promise.all(
			[known, unknown].map(async (address) => {
				const { values, cookies } = cookieJar();
				const result = await outcome(() => startPage.actions.default(event('/account/sign-in', '/account/sign-in', { cookies, form: { address } })));
				return { result, hasCookie: values.has(SIGN_IN_COOKIE) };
			})
		);
		expect(starts[0]).toEqual({ result: { status: 303, location: '/account/sign-in/code' }, hasCookie: true });
		expect(starts[1]).toEqual(starts[0]);
		const pages = await Promise.all(
			[a.token, b.token].map((token) => outcome(() => codePage.load(event('/account/sign-in/code', '/account/sign-in/code', { cookies: cookieJar({ [SIGN_IN_COOKIE]: token }).cookies }))))
		);
		expect(pages[0].data).toMatchObject({ channel: 'email' });
		expect(pages[1]).toEqual(pages[0]);
	});

	it('never signs in, whatever code is tried (no participant behind it)', async () => {
		const started = await startSignIn(email(`guess-${run}@example.com`));
		if (!started.ok) throw new Error('refused');
		const db = await getDb();
		const [row] = await db.select().from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(started.token)));
		expect(row.participantId).toBeNull();
		for (const code of ['000000', '999999']) expect((await verifySignInCode(started.token, code)).ok).toBe(false);
		// Even the code it was made with (as if guessed): there is nobody to sign in.
		await db
			.update(participantSignIn)
			.set({ codeHash: hashToken(`participant-code:${started.token}:123456`) })
			.where(eq(participantSignIn.id, row.id));
		expect(await verifySignInCode(started.token, '123456')).toMatchObject({ ok: false, reason: 'wrong' });
	});
});

describe('the code page', () => {
	it('signs in with the right code, drops the pending cookie and goes to next; a wrong one is a message', async () => {
		const address = newEmail();
		const person = await referral(address);
		const { values, cookies } = cookieJar();
		expect(await outcome(() => startPage.actions.default(event('/account/sign-in', '/account/sign-in?next=%2Faccount%2Fmeetings', { cookies, form: { address } })))).toEqual({
			status: 303,
			location: '/account/sign-in/code?next=%2Faccount%2Fmeetings'
		});
		const { code } = await mailed(address);
		const wrong = await outcome(() => codePage.actions.default(event('/account/sign-in/code', '/account/sign-in/code', { cookies, form: { code: wrongFor(code) } })));
		expect(wrong.status).toBe(400);
		expect(JSON.stringify(wrong.data)).toContain('The code is not right');
		const blank = await outcome(() => codePage.actions.default(event('/account/sign-in/code', '/account/sign-in/code', { cookies, form: { code: '12a' } })));
		expect(JSON.stringify(blank.data)).toContain('The code is 6 numbers');

		const done = await outcome(() =>
			codePage.actions.default(event('/account/sign-in/code', '/account/sign-in/code?next=%2Faccount%2Fmeetings', { cookies, form: { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` } }))
		);
		expect(done).toEqual({ status: 303, location: '/account/meetings' });
		expect(values.has(SIGN_IN_COOKIE)).toBe(false);
		expect((await validateParticipantSessionToken(values.get(PARTICIPANT_COOKIE)!))?.user.id).toBe(person);
	});

	it('refuses an address in the wrong format, and a mobile number only when texts are set up', () => {
		const form = signInAddressForm(false);
		expect(parseFormData(form, new URLSearchParams({ address: '07700900982' })).ok).toBe(false);
		expect(parseFormData(form, new URLSearchParams({ address: 'Sam <sam@example.com>' })).ok).toBe(false);
		expect(parseFormData(signInAddressForm(true), new URLSearchParams({ address: '+44 7700 900982' }))).toMatchObject({ ok: true, values: { address: { channel: 'text', value: '07700900982' } } });
		expect(parseFormData(signInAddressForm(true), new URLSearchParams({ address: '0161 496 0000' })).ok).toBe(false);
	});
});

describe('the magic link', () => {
	it('is not used by opening it (GET); pressing the button (POST) signs in once, in any browser', async () => {
		const address = newEmail();
		const person = await referral(address);
		const started = await startSignIn(email(address));
		if (!started.ok) throw new Error('refused');
		const { link, code } = await mailed(address);
		const routeId = '/account/sign-in/link/[token]';
		const path = `/account/sign-in/link/${link}`;

		// A mail scanner opens it, twice: nothing is used and nobody is signed in.
		for (let i = 0; i < 2; i++) {
			const scanner = cookieJar();
			expect(await outcome(() => linkPage.load(event(routeId, path, { params: { token: link }, cookies: scanner.cookies })))).toEqual({ data: { usable: true, minutes: 10 } });
			expect(scanner.values.size).toBe(0);
		}
		const db = await getDb();
		expect(await db.select().from(participantSession).where(eq(participantSession.participantId, person))).toHaveLength(0);
		expect(await signInLinkUsable(link)).toBe(true);

		// Another browser presses the button.
		const other = cookieJar();
		expect(await outcome(() => linkPage.actions.default(event(routeId, path, { params: { token: link }, cookies: other.cookies })))).toEqual({ status: 303, location: '/account' });
		expect((await validateParticipantSessionToken(other.values.get(PARTICIPANT_COOKIE)!))?.user.id).toBe(person);

		// Once only; and the code of the same sign-in is used up with it.
		const again = cookieJar();
		expect(await outcome(() => linkPage.actions.default(event(routeId, path, { params: { token: link }, cookies: again.cookies })))).toMatchObject({ status: 410 });
		expect(again.values.has(PARTICIPANT_COOKIE)).toBe(false);
		expect(await outcome(() => linkPage.load(event(routeId, path, { params: { token: link } })))).toEqual({ data: { usable: false, minutes: 10 } });
		expect(await verifySignInCode(started.token, code)).toEqual({ ok: false, reason: 'used' });
	});

	it('does not work after 10 minutes, or made up', async () => {
		const address = newEmail();
		await referral(address);
		const at = new Date();
		await startSignIn(email(address), { now: at });
		const { link } = await mailed(address);
		expect(await useSignInLink(link, later(at, CODE_LIFETIME_MINUTES * 60_000))).toBeNull();
		expect(await useSignInLink('a'.repeat(32))).toBeNull();
		expect(await useSignInLink('../../etc')).toBeNull();
		expect(await useSignInLink(link, later(at, 60_000))).not.toBeNull();
	});
});

describe('texts', () => {
	it('sends the code by text through GOV.UK Notify only to a mobile number that agreed to texts', async () => {
		const mobile = `07700${String(900000 + n).slice(-6)}`;
		const person = await referral(newEmail(), { phone: mobile, contactChannels: ['phone', 'text'], consentTextReminders: { given: true, version: 'text-reminders-2026-11-v1', at: new Date().toISOString() } });
		const started = await startSignIn({ channel: 'text', value: mobile });
		if (!started.ok) throw new Error('refused');
		// Queued as a job, not sent inside the request.
		expect(texts.find((t) => t.to === mobile)).toBeUndefined();
		expect(await textJobs(mobile)).toMatchObject([{ status: 'pending', channel: 'text', participantId: person, payload: { kind: SIGN_IN_EMAIL_KIND } }]);
		await sendDueTexts();
		const text = texts.find((t) => t.to === mobile);
		expect(text).toMatchObject({ templateId: SMS_TEMPLATE });
		const code = /code is (\d{6})/.exec(text!.body)?.[1];
		expect(code).toBeDefined();
		expect(text!.body).not.toContain('Sam');
		expect(await verifySignInCode(started.token, code!)).toEqual({ ok: true, participantId: person });

		const noTexts = '07700900777';
		// Asked to be phoned and texted, but did not agree to text messages from the service.
		await referral(newEmail(), { phone: noTexts, contactChannels: ['phone', 'text'] });
		const quiet = await startSignIn({ channel: 'text', value: noTexts });
		expect(quiet.ok).toBe(true);
		await sendDueTexts();
		expect(texts.filter((t) => t.to === noTexts)).toHaveLength(0);
		expect(await textJobs(noTexts)).toHaveLength(0);
	});

	it('keeps no code once a text is sent, and gives up a stale one unsent', async () => {
		const fresh = `07700${String(910000 + n).slice(-6)}`;
		const stale = `07700${String(920000 + n).slice(-6)}`;
		const consent = { consentTextReminders: { given: true, version: 'text-reminders-2026-11-v1', at: new Date().toISOString() } };
		await referral(newEmail(), { phone: fresh, contactChannels: ['phone', 'text'], ...consent });
		await referral(newEmail(), { phone: stale, contactChannels: ['phone', 'text'], ...consent });
		const at = new Date();
		await startSignIn({ channel: 'text', value: stale }, { now: new Date(at.getTime() - (CODE_LIFETIME_MINUTES + 1) * 60_000) });
		await startSignIn({ channel: 'text', value: fresh }, { now: at });
		const db = await getDb();
		await db.update(job).set({ nextAttemptAt: at }).where(and(eq(job.kind, TEXT_JOB), inArray(job.recipient, [fresh, stale])));
		const counts = await sendDueTexts(at);
		expect(counts).toMatchObject({ done: 1, failed: 1 });
		expect(texts.find((t) => t.to === fresh)?.body).toMatch(/code is \d{6}/);
		expect(texts.filter((t) => t.to === stale)).toHaveLength(0);
		const [sent] = await textJobs(fresh);
		const [given] = await textJobs(stale);
		expect(sent).toMatchObject({ status: 'done' });
		expect(given).toMatchObject({ status: 'failed' });
		for (const row of [sent, given]) expect(row.payload.body).not.toMatch(/\d{6}/);
	});
});

describe('waking the worker', () => {
	it('wakes it once a code is queued, and not for an unknown address', async () => {
		let woken = 0;
		const stop = onWake(() => woken++);
		try {
			const known = newEmail();
			await referral(known);
			await startSignIn(email(known));
			expect(woken).toBe(1);
			await startSignIn(email(`nobody-${run}@example.com`));
			expect(woken).toBe(1);
		} finally {
			stop();
		}
		await startSignIn(email(newEmail()));
		expect(woken).toBe(1);
	});
});

describe('the outbox', () => {
	it('sends a sign-in email while its code is good, then keeps no code; a stale one is given up unsent', async () => {
		const fresh = newEmail();
		const stale = newEmail();
		await referral(fresh);
		await referral(stale);
		const at = new Date();
		await startSignIn(email(stale), { now: new Date(at.getTime() - (CODE_LIFETIME_MINUTES + 1) * 60_000) });
		await startSignIn(email(fresh), { now: at });
		const { code } = await mailed(fresh);
		const db = await getDb();
		await db.update(job).set({ nextAttemptAt: at }).where(inArray(emailJob.to, [fresh, stale]));
		await sendDueEmails({ now: at, limit: 500 });
		expect(emails.find((e) => e.to === fresh)?.body).toContain(code);
		expect(emails.filter((e) => e.to === stale)).toHaveLength(0);
		const rows = await queuedEmails(inArray(emailJob.to, [fresh, stale]));
		expect(rows.find((r) => r.to === fresh)).toMatchObject({ status: 'done' });
		expect(rows.find((r) => r.to === stale)).toMatchObject({ status: 'failed' });
		for (const row of rows) expect(row.body).not.toMatch(/\d{6}|\/link\//);
	});
});

describe('signing out', () => {
	it('signs out this browser, or every browser', async () => {
		const person = await referral(newEmail());
		const sessions = await Promise.all([1, 2, 3].map(() => createParticipantSession(person)));
		const user = (await validateParticipantSessionToken(sessions[0].token))!.user;
		const here = cookieJar({ [PARTICIPANT_COOKIE]: sessions[0].token });
		expect(await outcome(() => signOutPage.actions.here(event('/account/sign-out', '/account/sign-out?/here', { cookies: here.cookies, participant: user, form: {} })))).toEqual({
			status: 303,
			location: '/account/signed-out'
		});
		expect(here.values.has(PARTICIPANT_COOKIE)).toBe(false);
		expect(await validateParticipantSessionToken(sessions[0].token)).toBeNull();
		expect(await validateParticipantSessionToken(sessions[1].token)).not.toBeNull();

		const there = cookieJar({ [PARTICIPANT_COOKIE]: sessions[1].token });
		expect(await outcome(() => signOutPage.actions.everywhere(event('/account/sign-out', '/account/sign-out?/everywhere', { cookies: there.cookies, participant: user, form: {} })))).toEqual({
			status: 303,
			location: '/account/signed-out?everywhere'
		});
		for (const s of sessions) expect(await validateParticipantSessionToken(s.token)).toBeNull();
	});

	it('is refused without a participant', async () => {
		const result = await outcome(() => signOutPage.actions.everywhere(event('/account/sign-out', '/account/sign-out?/everywhere', { form: {} })));
		expect(result.status).toBe(401);
	});
});

describe('housekeeping', () => {
	it('deletes sign-ins a day after they expire, and expired participant sessions', async () => {
		const person = await referral(newEmail());
		const { session } = await createParticipantSession(person);
		const started = await startSignIn(email(`housekeeping-${run}@example.com`));
		if (!started.ok) throw new Error('refused');
		const db = await getDb();
		const result = await runHousekeeping(new Date(Date.now() + 25 * 3600_000));
		expect(result.participantSignIns).toBeGreaterThan(0);
		expect(await db.select().from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(started.token)))).toHaveLength(0);
		expect(await db.select().from(participantSession).where(eq(participantSession.id, session.id))).toHaveLength(0);
	});
});
