/**
 * A day in the life, across the joins of issue 18, on a built portal whose clock the test moves
 * (tests/support/clock-preload.mjs), with a real SMTP listener and a webhook receiver that verifies every
 * signature:
 * - Thursday 3 December 2026, 10am: a person refers themselves from a leaflet link and books their first
 *   meeting (Tuesday 8 December). The referral is now "First meeting booked", held by the specialist they
 *   will meet, with contact made; the specialist is emailed; their home page and /status say the meeting.
 * - Sunday 6 December, 07:16: they sign in again and answer PHQ-9 question 9 above 0. The crisis page puts
 *   help first and says the team opens on Monday 7 December at 9am; the specialist and the duty inbox are
 *   emailed at once.
 * - Monday 7 December: nobody acknowledges it. At 12:58 it has not been sent again (a notifier pass after
 *   12:58 is proven by the person's sign-in code arriving); at 1pm it goes to the duty inbox and the admin.
 * - The specialist follows the email's link, signs in, sees the concern at the top of the referral (with
 *   its status, contact made and who holds it), records what they did and confirms; the case system's
 *   receiver gets `wellbeing.concern_resolved`, and every body it got validates against the published schema.
 * The walk runs with the mouse and JavaScript (axe on every new or changed page) and again with JavaScript
 * off and the keyboard only, each on a server of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ParsedMail } from 'mailparser';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/lib/server/demo-staff';
import { totpCode } from '../../src/lib/server/auth/totp';
import { startSmtp } from '../support/smtp';
import { startReceiver } from '../support/webhook-receiver';
import { audit } from './support/axe';
import { HttpSession, tellUsMoreOverHttp } from './support/http-journey';
import { ELIGIBLE, MORE, REFERRAL, answerPage, checkEligibility, completeReferral, followLink, pressButton, sendReferral, type Mode } from './support/journey';
import { removeDir, startServer, type RunningServer } from './support/server';

// Each walk starts its own server, clock, mail listener and receiver, so the walks run side by side.
test.describe.configure({ mode: 'parallel' });

const run = promisify(execFile);

const THURSDAY = '2026-12-03T10:00:00Z';
const SUNDAY_0716 = '2026-12-06T07:16:00Z';
const MONDAY_1258 = '2026-12-07T12:58:00Z';
const MONDAY_1300 = '2026-12-07T13:00:30Z';
const MONDAY_1305 = '2026-12-07T13:05:00Z';
const SAM = DEMO_STAFF.find((s) => s.email === 'sam.specialist@ips.example')!;
const DUTY = 'primary-care-duty@ips.example';
const ADMIN = 'admin@ips.example';

const recipients = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);

for (const variant of [
	{ title: 'with the mouse and JavaScript', javaScriptEnabled: true, mode: 'mouse' as Mode },
	{ title: 'with JavaScript off and the keyboard only', javaScriptEnabled: false, mode: 'keyboard' as Mode }
]) {
	test(`a day in the life ${variant.title}: refer, book, a crisis answer on Sunday, sent again on Monday at 1pm, dealt with, told to the case system`, async ({ browser }) => {
		test.setTimeout(420_000);
		const { mode, javaScriptEnabled } = variant;
		const check = javaScriptEnabled ? audit : async () => {};
		const email = `day.${mode}@example.com`;

		// The server's clock, as the receiver checks signatures against it.
		let clock = { at: Date.parse(THURSDAY), setAt: Date.now() };
		const serverNow = () => clock.at + (Date.now() - clock.setAt);
		const smtp = await startSmtp();
		let secret = '';
		const receiver = await startReceiver(() => secret, { clock: serverNow });
		const dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-day-'));
		let server: RunningServer | undefined;
		try {
			const seeded = await run(process.execPath, ['--import', 'tsx', 'tests/e2e/support/seed-day-in-the-life.ts'], {
				env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE: 'true', RECEIVER_URL: receiver.url }
			});
			secret = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!).secret;
			server = await startServer(
				{ SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200', WEBHOOK_POLL_MS: '200', WEBHOOK_ALLOW_PRIVATE: 'true' },
				dataDir,
				{ clock: THURSDAY }
			);
			const url = server.url;
			const setClock = async (at: string) => {
				await server!.setClock(at);
				clock = { at: Date.parse(at), setAt: Date.now() };
			};
			const mailsTo = (address: string, subject: RegExp) => smtp.messages.filter((m) => recipients(m).includes(address) && subject.test(m.subject ?? ''));
			const waitForMail = async (address: string, subject: RegExp, count = 1) => {
				await expect.poll(() => mailsTo(address, subject).length, { timeout: 30_000, message: `${count} email(s) to ${address}: ${subject}` }).toBeGreaterThanOrEqual(count);
				return mailsTo(address, subject).at(-1)!;
			};

			// ---- Thursday: refer, then book the first meeting -------------------------------------------
			const person = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 800 } });
			const page = await person.newPage();
			await page.goto(`${url}/r/leaflet`);
			await checkEligibility(page, ELIGIBLE, mode);
			await completeReferral(page, { ...REFERRAL, email }, mode);
			const reference = await sendReferral(page, mode);
			// They tell us more straight after (over HTTP in their session), so the referral holds health details
			// that no email or text below may carry.
			await tellUsMoreOverHttp(new HttpSession(url).adopt(await person.cookies()), MORE);

			await page.goto(`${url}/account`);
			await expect(page.locator('.status-result')).toContainText('An employment specialist will contact you by');
			await followLink(page, mode, /book your first meeting/i);
			await answerPage(page, { how: 'phone' }, mode);
			await pressButton(page, mode);
			await answerPage(page, { day: '2026-12-08' }, mode);
			await pressButton(page, mode);
			const start = (await page.locator('input[name=start]').first().getAttribute('value'))!;
			await answerPage(page, { start }, mode);
			await pressButton(page, mode);
			await pressButton(page, mode); // nobody to invite
			await pressButton(page, mode, /book my first meeting/i);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');

			// The person's pages say the meeting, not "we will contact you by".
			await page.goto(`${url}/account`);
			const status = page.locator('.status-result');
			await expect(status.getByRole('heading')).toHaveText('Your first meeting is booked');
			await expect(status).toContainText('Your first meeting is on Tuesday 8 December 2026');
			await expect(status).not.toContainText('will contact you by');
			await check(page, 'home page with a meeting booked');
			if (javaScriptEnabled) await screenshot(page, 'home-with-meeting');

			const lookup = await browser.newContext({ javaScriptEnabled });
			const statusPage = await lookup.newPage();
			await statusPage.goto(`${url}/status`);
			await answerPage(statusPage, { reference, dateOfBirth: ELIGIBLE.dateOfBirth }, mode);
			await pressButton(statusPage, mode, /check progress/i);
			await expect(statusPage.locator('.status-result')).toContainText('Your first meeting is on Tuesday 8 December 2026');
			await expect(statusPage.locator('.status-result')).not.toContainText('will contact you by');
			await check(statusPage, '/status with a meeting booked');
			await lookup.close();

			// The specialist they will meet is told: the reference and the time, nothing about the person.
			const booked = await waitForMail(SAM.email, new RegExp(`^Meeting booked: ${reference}, Tuesday 8 December`));
			expect(booked.text).toContain(`Participant ${reference} has booked a first meeting with you.`);
			expect(`${booked.subject}${booked.text}`).not.toMatch(/Taylor|Back pain/);

			// ---- Sunday 07:16: a crisis answer ------------------------------------------------------------
			await setClock(SUNDAY_0716);
			const signIn = async () => {
				await page.goto(`${url}/account`);
				await expect(page).toHaveURL(/\/account\/sign-in/);
				const before = mailsTo(email, /Your code to sign in/).length;
				await answerPage(page, { address: email }, mode);
				await pressButton(page, mode, 'Send me a code');
				const mail = await waitForMail(email, /Your code to sign in/, before + 1);
				const code = /^(\d{6})$/m.exec(mail.text ?? '')![1];
				await answerPage(page, { code }, mode);
				await pressButton(page, mode, 'Sign in');
				await expect(page).toHaveURL(`${url}/account`);
			};
			// Thursday's session has ended (4 hours without use): a code by email signs them in again.
			await signIn();
			await page.goto(`${url}/account/check-in/phq9`);
			await followLink(page, mode, /start your check-in/i);
			for (const [n, answer] of [2, 1, 3, 2, 0, 1, 2, 0, 1].entries()) {
				await expect(page).toHaveURL(new RegExp(`/account/check-in/phq9/${n + 1}$`));
				await answerPage(page, { answer: String(answer) }, mode);
				await pressButton(page, mode);
			}
			await expect(page).toHaveURL(/\/account\/check-in\/phq9\/help$/);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help is here if you need it');
			// Help first: calls and a text, then when the team will see it (truthfully), then carrying on.
			const help = page.locator('section.crisis-now');
			await expect(help.locator('a[href="tel:999"]')).toBeVisible();
			await expect(help.locator('a[href="tel:111"]')).toContainText('NHS 111');
			await expect(help).toContainText('option 2');
			await expect(help.locator('a[href="tel:116123"]')).toContainText('Samaritans on 116 123');
			await expect(help.locator('a[href^="sms:85258"]')).toContainText('Text SHOUT to 85258');
			await expect(page.locator('main')).toContainText('Our team is closed now. They will see this when they open on Monday 7 December at 9am.');
			await expect(page.locator('main')).not.toContainText(/\bsoon\b/);
			const order = await page.locator('main').evaluate((main) => {
				const text = main.textContent ?? '';
				return [text.indexOf('Call 999'), text.indexOf('Our team is closed now'), text.indexOf('Carry on with your check-in')];
			});
			expect(order[0]).toBeLessThan(order[1]);
			expect(order[1]).toBeLessThan(order[2]);
			await expect(page.getByRole('link', { name: 'Carry on with your check-in' })).not.toHaveClass(/button/);
			await check(page, 'crisis help');
			if (javaScriptEnabled) await screenshot(page, 'crisis-help');

			// At once: the specialist (who now holds the referral) and the duty inbox.
			const crisis = await waitForMail(SAM.email, new RegExp(`^Call participant ${reference} today$`));
			await waitForMail(DUTY, new RegExp(`^Call participant ${reference} today$`));
			expect(crisis.text).toContain('If nobody has by 7 December 2026 at 1:00pm (UK time)');
			expect(mailsTo(ADMIN, /Call participant/)).toHaveLength(0);

			// ---- Monday: nobody acknowledges it --------------------------------------------------------
			await setClock(MONDAY_1258);
			// The person comes back at lunchtime: their sign-in code is sent by a notifier pass that began after
			// 12:58, which looked for crisis answers to send again first. Nothing yet: it is not 1pm.
			await signIn();
			expect(mailsTo(DUTY, /^Not yet acknowledged/)).toHaveLength(0);
			expect(mailsTo(ADMIN, /^Not yet acknowledged/)).toHaveLength(0);

			await setClock(MONDAY_1300);
			const escalated = await waitForMail(DUTY, new RegExp(`^Not yet acknowledged: call participant ${reference} today$`));
			await waitForMail(ADMIN, new RegExp(`^Not yet acknowledged: call participant ${reference} today$`));
			expect(escalated.text).toContain('It was to be acknowledged by 7 December 2026 at 1:00pm.');
			expect(escalated.text).toContain('Raised: 6 December 2026 at 7:16am (UK time).');

			// ---- The specialist follows the link in their email --------------------------------------------
			await setClock(MONDAY_1305);
			const link = new RegExp(`${url}/staff/referrals/${reference}`).exec(crisis.text ?? '')![0];
			const staff = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 800 } });
			const sam = await staff.newPage();
			await sam.goto(link);
			await expect(sam).toHaveURL(/\/staff\/sign-in\?next=/);
			await answerPage(sam, { email: SAM.email, password: DEMO_PASSWORD }, mode);
			await pressButton(sam, mode, 'Continue');
			await expect(sam).toHaveURL(/\/staff\/sign-in\/code/);
			await answerPage(sam, { code: totpCode(SAM.totpSecret, new Date(serverNow())) }, mode);
			await pressButton(sam, mode, 'Sign in');
			await expect(sam).toHaveURL(link);

			// The inbox marks it overdue and shows the next meeting.
			await sam.goto(`${url}/staff`);
			const concernRow = sam.locator('table.concerns tbody tr', { has: sam.locator(`a[href="/staff/referrals/${reference}"]`) });
			await expect(concernRow.locator('.tag')).toHaveText('Overdue');
			await expect(concernRow).toContainText('Was to be acknowledged by 7 December 2026 at 1:00pm');
			const inboxRow = sam.locator('table.inbox:not(.concerns):not(.tasks) tbody tr', { has: sam.locator(`a[href="/staff/referrals/${reference}"]`) });
			await expect(inboxRow).toContainText('First meeting booked');
			await expect(inboxRow).toContainText(/Tuesday 8 December at \d+:\d\d[ap]m/);
			await check(sam, 'inbox with an overdue crisis concern');
			if (javaScriptEnabled) await screenshot(sam, 'inbox-overdue-concern');
			await sam.goto(link);

			// The concern first, overdue; the booking moved the referral on.
			const concerns = sam.locator('section.concerns-open');
			await expect(concerns.getByRole('heading', { level: 2 })).toHaveText('Open wellbeing concern');
			await expect(concerns).toContainText('Crisis answer: may be thinking of self-harm');
			await expect(concerns.locator('.tag')).toHaveText('Overdue');
			const firstHeading = await sam.locator('main h2').first().textContent();
			expect(firstHeading).toBe('Open wellbeing concern');
			await expect(concerns.getByRole('link', { name: 'See their check-ins' })).toHaveAttribute('href', `/staff/referrals/${reference}/check-ins`);
			const summary = sam.locator('.case-summary dl').first();
			await expect(summary).toContainText('First meeting booked');
			await expect(summary).toContainText('Contact made');
			await expect(summary).toContainText('Sam Specialist');
			await check(sam, 'referral with an open crisis concern');
			if (javaScriptEnabled) await screenshot(sam, 'referral-with-concern');

			await followLink(sam, mode, /record what you did/i);
			await expect(sam.getByRole('heading', { level: 1 })).toHaveText('Record what you did');
			await check(sam, 'record what you did');
			await pressButton(sam, mode, 'Continue');
			await expect(sam).toHaveTitle(/^Error: /);
			await expect(sam.locator('.error-summary')).toContainText('Select what you did');
			await check(sam, 'record what you did (error)');
			if (javaScriptEnabled) await screenshot(sam, 'record-what-you-did-error');
			await answerPage(sam, { resolution: 'spoke-to-them', note: 'Called them; they are safe and will see their GP today.' }, mode);
			await pressButton(sam, mode, 'Continue');
			await expect(sam.getByRole('heading', { level: 1 })).toHaveText('Check and confirm');
			await expect(sam.locator('dl.summary')).toContainText('Spoke to them');
			await expect(sam.locator('dl.summary')).toContainText('they are safe');
			await check(sam, 'check and confirm');
			if (javaScriptEnabled) await screenshot(sam, 'check-and-confirm');
			await pressButton(sam, mode, /^Confirm/);
			await expect(sam.locator('.notice.success')).toContainText('The concern is marked as dealt with.');
			await expect(sam.locator('section.concerns-open')).toHaveCount(0);

			// ---- The case system hears of it ---------------------------------------------------------------
			await expect
				.poll(() => receiver.accepted().filter((r) => r.body.type === 'wellbeing.concern_resolved' && r.body.data.reference === reference).length, {
					timeout: 30_000
				})
				.toBe(1);
			const resolved = receiver.accepted().find((r) => r.body.type === 'wellbeing.concern_resolved')!;
			expect(resolved.body.data).toMatchObject({ concern: { kind: 'crisis', resolution: 'spoke-to-them' }, actor: { type: 'staff', name: 'Sam Specialist' } });
			expect(resolved.raw).not.toContain('GP today');
			expect(receiver.rejected).toEqual([]);
			const types = receiver.accepted().filter((r) => r.body.data.reference === reference).map((r) => r.body.type);
			expect(types).toEqual(expect.arrayContaining(['referral.submitted', 'referral.assigned', 'referral.status_changed', 'meeting.booked', 'wellbeing.concern_raised']));
			const schema = await (await fetch(`${url}/api/v1/schema/events.json`)).json();
			const ajv = new Ajv2020({ strict: false, allErrors: true });
			addFormats.default(ajv);
			const validate = ajv.compile(schema);
			for (const r of receiver.accepted()) expect(validate(r.body), `${r.body.type}: ${JSON.stringify(validate.errors)}`).toBe(true);

			await staff.close();
			await person.close();
		} catch (error) {
			if (server) console.log(server.output().slice(-6000));
			throw error;
		} finally {
			if (server && server.process.exitCode === null) await server.stop();
			await receiver.close();
			await smtp.close();
			removeDir(dataDir);
		}
	});
}

/** An admin sets a closure with JavaScript off; the booking page then offers no times that day. */
test('an admin adds a closed day on the opening hours page (error state, axe), and people cannot book it', async ({ browser }: { browser: Browser }) => {
	test.setTimeout(240_000);
	const server = await startServer({ NOTIFY_POLL_MS: '200' }, undefined, { clock: THURSDAY });
	try {
		const admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await admin.newPage();
		const ada = DEMO_STAFF.find((s) => s.email === ADMIN)!;
		await page.goto(`${server.url}/staff/sign-in`);
		await page.getByLabel('Email address').fill(ada.email);
		await page.getByLabel('Password').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.getByLabel(/code from your authenticator/i).fill(totpCode(ada.totpSecret, new Date(THURSDAY)));
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(`${server.url}/staff`);

		await page.goto(`${server.url}/staff/admin/programmes/gm-ips-primary-care`);
		await page.getByRole('link', { name: 'Opening hours and safety' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Opening hours and safety');
		await expect(page.locator('#safetyContacts')).toHaveValue('primary-care-duty@ips.example');
		await audit(page, 'opening hours and safety');
		await screenshot(page, 'service-settings');

		await page.locator('#closures').fill('9/12/2026 Staff training\nthe week after');
		await page.locator('#open1').fill('9am');
		await page.getByRole('button', { name: 'Save opening hours and safety' }).click();
		await expect(page).toHaveTitle(/^Error: /);
		await expect(page.locator('#closures-error')).toContainText('Line 2: start with a date');
		await expect(page.locator('#open1-error')).toContainText('24-hour format');
		await expect(page.locator('#closures')).toHaveValue('9/12/2026 Staff training\nthe week after');
		await audit(page, 'opening hours and safety (error)');
		await page.locator('#closures').fill('9/12/2026 Staff training');
		await page.locator('#open1').fill('09:00');
		await page.getByRole('button', { name: 'Save opening hours and safety' }).click();
		await expect(page.locator('.notice.success')).toContainText('Saved as version');
		await expect(page.locator('#closures')).toHaveValue('9/12/2026 Staff training');
		await admin.close();

		// A person booking sees no Wednesday 9 December (nor Christmas: the book-ahead window ends before it).
		const person = await browser.newContext();
		const p = await person.newPage();
		await p.goto(`${server.url}/r/leaflet`);
		await checkEligibility(p, ELIGIBLE, 'mouse');
		await completeReferral(p, { ...REFERRAL, email: 'closed.day@example.com' }, 'mouse');
		await sendReferral(p, 'mouse');
		await p.goto(`${server.url}/account/book`);
		await answerPage(p, { how: 'phone' }, 'mouse');
		await pressButton(p, 'mouse');
		const days = await p.locator('input[name=day]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(days).toContain('2026-12-08');
		expect(days).toContain('2026-12-10');
		expect(days).not.toContain('2026-12-09');
		await person.close();
	} finally {
		await server.stop();
		removeDir(server.dataDir);
	}
});

/** Screenshots at a phone's and a desktop's width, kept in test-results for a person to look at. */
async function screenshot(page: Page, name: string) {
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}
