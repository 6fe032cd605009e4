/**
 * A person who referred themselves signs in later, in a fresh browser, with a code emailed to a real SMTP
 * listener: a wrong code is a clear message; opening the emailed link signs nobody in and pressing its
 * button does; an unknown address gets the same pages and no email; five wrong codes lock the address with
 * the time to try again; sign out everywhere signs the other browser out. The walk also runs with
 * JavaScript off. axe and 320px reflow on every page and error state.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { startSmtp } from '../support/smtp';
import { referOverHttp } from './support/http-journey';
import { ELIGIBLE, REFERRAL, MORE } from './support/journey';
import { removeDir, startServer, type RunningServer } from './support/server';
import { TAGS } from './support/axe';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

test.beforeAll(async () => {
	smtp = await startSmtp();
	server = await startServer({ SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200' });
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(`----- server log (end) -----\n${server.output().slice(-4_000)}`);
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	if (server) removeDir(server.dataDir);
	await smtp?.close();
});

// ---- helpers ----------------------------------------------------------------------------------------

const audited = new Set<string>();

/** axe at desktop width and at 320px, and no sideways scrolling at 320px. */
async function audit(page: Page, name: string) {
	for (const width of [1280, 320]) {
		await page.setViewportSize({ width, height: 800 });
		const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
		expect.soft(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name} at ${width}px`).toEqual([]);
	}
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	expect.soft(wide, `${name} reflows at 320px`).toBeLessThanOrEqual(320);
	await page.setViewportSize({ width: 1280, height: 800 });
	audited.add(name);
}

/** Messages to `to` so far. */
const mailTo = (to: string) => smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(to)));

/** Waits for the next email to `to` after `before` of them had arrived. */
async function nextMail(to: string, before: number): Promise<ParsedMail> {
	await expect.poll(() => mailTo(to).length, { timeout: 15_000, message: `a sign-in email to ${to}` }).toBeGreaterThan(before);
	return mailTo(to).at(-1)!;
}

function codeAndLink(mail: ParsedMail): { code: string; link: string } {
	const text = mail.text ?? '';
	const code = /^(\d{6})$/m.exec(text)?.[1];
	const link = /(http:\/\/localhost:\d+\/account\/sign-in\/link\/[a-z2-7]{32})/.exec(text)?.[1];
	if (!code || !link) throw new Error(`no code or link in: ${text}`);
	return { code, link };
}

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

let referred = 0;
/** Refers someone over HTTP (a browser of its own, closed after) with a new email address. */
async function referSomeone(): Promise<{ email: string; reference: string }> {
	const email = `person${++referred}.${Date.now()}@example.com`;
	const { reference } = await referOverHttp(server.url, { ...ELIGIBLE, ...REFERRAL, email }, 'gp-p84001', MORE);
	return { email, reference };
}

/** From the sign-in page to the code page, with the address typed in. */
async function askForCode(page: Page, email: string) {
	await page.getByLabel('What is your email address?').fill(email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveURL(/\/account\/sign-in\/code/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
}

async function enterCode(page: Page, code: string) {
	await page.getByLabel('Enter the 6-digit code').fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

async function freshContext(browser: Browser, javaScriptEnabled = true): Promise<BrowserContext> {
	return browser.newContext({ javaScriptEnabled });
}

// ---- the walk ---------------------------------------------------------------------------------------

let person: { email: string; reference: string };
let first: BrowserContext;
let second: BrowserContext;

test('signs in in a fresh browser with the emailed code, after a wrong code is refused', async ({ browser }) => {
	person = await referSomeone();
	first = await freshContext(browser);
	const page = await first.newPage();

	// The start page links to signing in; /account itself sends there.
	await page.goto(server.url);
	await page.getByRole('link', { name: 'sign in to your account' }).click();
	await expect(page).toHaveURL(`${server.url}/account/sign-in`);
	await page.goto(`${server.url}/account`);
	await expect(page).toHaveURL(`${server.url}/account/sign-in?next=%2Faccount`);
	await audit(page, 'sign in');

	// Nothing typed, then a wrong format: the error summary and the message by the field.
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary')).toContainText('Enter your email address');
	await page.getByLabel('What is your email address?').fill('sam@');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.locator('#address-error')).toContainText('Enter an email address in the correct format');
	await expect(page.getByLabel('What is your email address?')).toHaveValue('sam@');
	await audit(page, 'sign in, with an error');

	const before = mailTo(person.email).length;
	await askForCode(page, person.email.toUpperCase());
	await expect(page.getByLabel('Enter the 6-digit code')).toHaveAttribute('inputmode', 'numeric');
	await expect(page.getByLabel('Enter the 6-digit code')).toHaveAttribute('autocomplete', 'one-time-code');
	await expect(page.getByRole('link', { name: 'Send a new code' })).toBeVisible();
	await expect(page.locator('main')).toContainText('If you cannot get a code, call us on');
	await audit(page, 'enter the code');

	const mail = await nextMail(person.email, before);
	expect(mail.subject).toBe('Your code to sign in to IPS Employment Support');
	expect(mail.text).not.toContain('Taylor');
	expect(mail.text).not.toContain('Back pain');
	const { code } = codeAndLink(mail);

	await enterCode(page, wrongFor(code));
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary')).toContainText('The code is not right');
	await expect(page.locator('#code-error')).toContainText('You can try 4 more times');
	await audit(page, 'enter the code, wrong');

	await enterCode(page, code);
	await expect(page).toHaveURL(`${server.url}/account`);
	await expect(page.locator('main')).toContainText(person.reference);
	expect((await first.cookies()).map((c) => c.name)).not.toContain('ips_sign_in');

	// Signed in, the sign-in page goes straight to the account.
	await page.goto(`${server.url}/account/sign-in`);
	await expect(page).toHaveURL(`${server.url}/account`);
});

test('opening the emailed link signs nobody in; pressing its button does, once', async ({ browser }) => {
	const asking = await freshContext(browser);
	const askPage = await asking.newPage();
	await askPage.goto(`${server.url}/account/sign-in`);
	const before = mailTo(person.email).length;
	await askForCode(askPage, person.email);
	const { link } = codeAndLink(await nextMail(person.email, before));

	// A mail scanner fetches the link (GET) twice: the page answers, nobody is signed in, the link still works.
	second = await freshContext(browser);
	for (let i = 0; i < 2; i++) {
		const scanned = await second.request.get(link, { maxRedirects: 0 });
		expect(scanned.status()).toBe(200);
		expect(await scanned.text()).toContain('Press the button to sign in');
	}
	expect((await second.cookies()).map((c) => c.name)).not.toContain('ips_participant');
	const home = await second.request.get(`${server.url}/account`, { maxRedirects: 0 });
	expect(home.status()).toBe(303);

	// A person opens it in yet another browser and presses the button.
	const page = await second.newPage();
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to your account');
	await audit(page, 'magic link');
	expect((await second.cookies()).map((c) => c.name)).not.toContain('ips_participant');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(`${server.url}/account`);
	await expect(page.locator('main')).toContainText(person.reference);

	// Once only.
	const late = await freshContext(browser);
	const latePage = await late.newPage();
	await latePage.goto(link);
	await expect(latePage.getByRole('heading', { level: 1 })).toHaveText('This link has expired');
	await audit(latePage, 'magic link, used');
	await late.close();
	await asking.close();
});

test('sign out everywhere signs the other browser out too', async () => {
	const page = await first.newPage();
	await page.goto(`${server.url}/account`);
	await page.getByRole('link', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(`${server.url}/account/sign-out`);
	await audit(page, 'sign out');
	await page.getByRole('button', { name: 'Sign out everywhere' }).click();
	await expect(page).toHaveURL(`${server.url}/account/signed-out?everywhere`);
	await expect(page.locator('main')).toContainText('You are signed out on every phone, tablet and computer');
	await audit(page, 'signed out');

	const other = await second.newPage();
	await other.goto(`${server.url}/account`);
	await expect(other).toHaveURL(`${server.url}/account/sign-in?next=%2Faccount`);
	await page.goto(`${server.url}/account`);
	await expect(page).toHaveURL(/\/account\/sign-in/);
	await first.close();
	await second.close();
});

test('an unknown address gets the same page and no email', async ({ browser }) => {
	const context = await freshContext(browser);
	const page = await context.newPage();
	const unknown = `nobody.${Date.now()}@example.com`;
	await page.goto(`${server.url}/account/sign-in`);
	await askForCode(page, unknown);
	const unknownPage = await page.locator('main').innerHTML();

	await page.goto(`${server.url}/account/sign-in`);
	const before = mailTo(person.email).length;
	await askForCode(page, person.email);
	expect(await page.locator('main').innerHTML()).toBe(unknownPage);
	// The email for the known address, asked for second, arrives; none ever went to the unknown one.
	await nextMail(person.email, before);
	expect(mailTo(unknown)).toHaveLength(0);
	await context.close();
});

test('five wrong codes lock the address, with the time to try again in words', async ({ browser }) => {
	const someone = await referSomeone();
	const context = await freshContext(browser);
	const page = await context.newPage();
	await page.goto(`${server.url}/account/sign-in`);
	const before = mailTo(someone.email).length;
	await askForCode(page, someone.email);
	const { code } = codeAndLink(await nextMail(someone.email, before));
	for (let i = 0; i < 4; i++) {
		await enterCode(page, wrongFor(code));
		await expect(page.locator('#code-error')).toContainText('The code is not right');
	}
	await enterCode(page, wrongFor(code));
	await expect(page.locator('#code-error')).toContainText(/Try again after \d{1,2}:\d{2}(am|pm)( tomorrow)?, in 1[45] minutes\./);
	await audit(page, 'enter the code, locked');
	// The right code is refused now too, and so is a new sign-in for that address.
	await enterCode(page, code);
	await expect(page.locator('#code-error')).toContainText('Try again after');
	await page.goto(`${server.url}/account/sign-in`);
	await page.getByLabel('What is your email address?').fill(someone.email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.locator('#address-error')).toContainText('Try again after');
	await context.close();
});

test('the whole walk works with JavaScript off', async ({ browser }) => {
	const someone = await referSomeone();
	const context = await freshContext(browser, false);
	const page = await context.newPage();
	await page.goto(`${server.url}/account/sign-out`);
	await expect(page).toHaveURL(`${server.url}/account/sign-in?next=%2Faccount%2Fsign-out`);
	const before = mailTo(someone.email).length;
	await askForCode(page, someone.email);
	await expect(page).toHaveURL(`${server.url}/account/sign-in/code?next=%2Faccount%2Fsign-out`);
	const { code } = codeAndLink(await nextMail(someone.email, before));
	await enterCode(page, wrongFor(code));
	await expect(page.locator('.error-summary')).toContainText('The code is not right');
	await enterCode(page, code);
	await expect(page).toHaveURL(`${server.url}/account/sign-out`);
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL(`${server.url}/account/signed-out`);
	await page.goto(`${server.url}/account`);
	await expect(page).toHaveURL(/\/account\/sign-in/);
	await context.close();
});

test('every page was checked with axe', () => {
	expect([...audited].sort()).toEqual(
		['enter the code', 'enter the code, locked', 'enter the code, wrong', 'magic link', 'magic link, used', 'sign in', 'sign in, with an error', 'sign out', 'signed out'].sort()
	);
});
