import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { removeDir, startServer, type RunningServer } from './support/server';
import { ELIGIBLE, ELIGIBLE_OFF_SICK, FULL_REFERRAL, REFERRAL, answerPage, pressButton, tellUsMore, walk, type Answers } from './support/journey';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';
import { startSmtp } from '../support/smtp';

/**
 * Save and return. Leaving after any page and coming back (same browser, so the draft cookie is kept)
 * carries on at the next unanswered page with every answer kept; an emailed link does the same on
 * another device, once.
 */
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

test.beforeAll(async () => {
	smtp = await startSmtp();
	server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: 'IPS Employment Support <no-reply@ips.example>' });
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	if (server) removeDir(server.dataDir);
	await smtp?.close();
});

/** Every question answered, optional ones too. Off sick, so the "About your job" page is asked after sending. */
const CHECK = ELIGIBLE_OFF_SICK;
const REFER = FULL_REFERRAL;
/** How the server stores (and so shows back) answers it normalises. */
const STORED: Answers = { phone: '07700900982', nhsNumber: '9434765919' };

const CHECK_ORDER = ['postcode', 'date-of-birth', 'health-condition', 'employment', 'wants-work', 'circumstances'].map((id) => `/check/${id}`);
/** Started with no link, so "How did you hear about this service?" is asked. */
const REFER_ORDER = ['your-details', 'contact-preferences', 'communication', 'heard-from', 'consent'].map((id) => `/refer/${id}`);
/** "Tell us more", after sending: every optional page (off sick, so "About your job" too). */
const MORE_ORDER = MORE_PAGES.map((p) => `/account/more/${p.id}`);

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** Asserts every field on the current question page shows the stored answer. */
async function expectAnswersShown(page: Page, answers: Answers) {
	const fields = await page.locator('form[method=POST] [name]').evaluateAll((els) =>
		els.map((e) => ({ name: e.getAttribute('name')!, type: e.getAttribute('type') ?? e.tagName.toLowerCase() }))
	);
	const where = pathOf(page);
	let checked = 0;
	for (const { name, type } of new Map(fields.map((f) => [f.name, f])).values()) {
		const dateMatch = /^(.*)-(day|month|year)$/.exec(name);
		const key = dateMatch && !(name in answers) ? dateMatch[1] : name;
		if (!(key in answers)) continue;
		const value = key in STORED ? STORED[key] : answers[key];
		checked++;
		if (dateMatch && typeof value === 'object' && !Array.isArray(value)) {
			await expect(page.locator(`[name="${name}"]`), `${where} ${name}`).toHaveValue(value[dateMatch[2] as 'day' | 'month' | 'year']);
		} else if (type === 'radio') {
			await expect(page.locator(`input[type=radio][name="${name}"][value="${value}"]`), `${where} ${name}`).toBeChecked();
			await expect(page.locator(`input[type=radio][name="${name}"]:checked`), `${where} ${name}`).toHaveCount(1);
		} else if (type === 'checkbox' && typeof value === 'boolean') {
			await expect(page.locator(`input[type=checkbox][name="${name}"]`), `${where} ${name}`).toBeChecked({ checked: value });
		} else if (type === 'checkbox' && Array.isArray(value)) {
			const ticked = await page.locator(`input[type=checkbox][name="${name}"]:checked`).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
			expect(ticked.sort(), `${where} ${name}`).toEqual([...value].sort());
		} else {
			await expect(page.locator(`[name="${name}"]`), `${where} ${name}`).toHaveValue(String(value));
		}
	}
	expect(checked, `${where} shows at least one stored answer`).toBeGreaterThan(0);
}

/** Leaves the site (closes the tab), opens a new tab in the same browser and carries on from the start page. */
async function leaveAndComeBack(context: BrowserContext, page: Page, server: RunningServer): Promise<Page> {
	await page.close();
	const fresh = await context.newPage();
	await fresh.goto(server.url);
	await fresh.getByRole('link', { name: 'Carry on where you left off' }).click();
	await fresh.waitForLoadState('domcontentloaded');
	return fresh;
}

/** The check your answers list as { label: text }. */
async function summary(page: Page): Promise<Record<string, string>> {
	const rows = await page.locator('dl.summary > div').evaluateAll((divs) =>
		divs.map((d) => [d.querySelector('dt')!.textContent!.trim(), d.querySelector('dd')!.textContent!.trim()])
	);
	return Object.fromEntries(rows);
}

test('leaving after any page and coming back carries on at the next unanswered page, with every answer kept', async ({ browser }) => {
	test.setTimeout(240_000);
	const context = await browser.newContext();
	let page = await context.newPage();

	await page.goto(server.url);
	await expect(page.getByRole('link', { name: 'Carry on where you left off' })).toHaveCount(0);
	await page.locator('a', { hasText: /start now/i }).click();
	await expect(page).toHaveURL(`${server.url}${CHECK_ORDER[0]}`);

	// Answer one page, leave, come back: every time the portal opens the page after the one answered.
	const expected = [...CHECK_ORDER.slice(1), '/check/result', ...REFER_ORDER.slice(1), '/refer/check-answers'];
	const questions = [...CHECK_ORDER, ...REFER_ORDER];
	for (const [i, path] of questions.entries()) {
		expect(pathOf(page), `before answering page ${i + 1}`).toBe(path);
		await answerPage(page, path.startsWith('/check/') ? CHECK : REFER, 'mouse');
		await pressButton(page, 'mouse');
		expect(await page.title(), `${path} accepted the answers`).not.toMatch(/^Error:/);
		expect(pathOf(page), `the page after ${path}`).toBe(expected[i]);

		page = await leaveAndComeBack(context, page, server);
		expect(pathOf(page), `coming back after answering ${path}`).toBe(expected[i]);

		if (expected[i] === '/check/result') {
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('This service looks right for you');
			await page.locator('a', { hasText: /continue to your referral/i }).click();
			await expect(page).toHaveURL(`${server.url}${REFER_ORDER[0]}`);
		}
	}
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/check your answers/i);

	// The draft cookie cannot be read by scripts and is not sent on cross-site requests.
	const cookies = (await context.cookies(server.url)).filter((c) => c.name === 'ips_draft');
	expect(cookies).toHaveLength(1);
	expect(cookies[0].httpOnly).toBe(true);
	expect(['Lax', 'Strict']).toContain(cookies[0].sameSite);

	// Every answered page shows what was saved.
	for (const path of questions) {
		await page.goto(`${server.url}${path}`);
		expect(pathOf(page), `${path} can be opened again`).toBe(path);
		await expectAnswersShown(page, path.startsWith('/check/') ? CHECK : REFER);
	}

	// And check your answers lists them all.
	await page.goto(`${server.url}/refer/check-answers`);
	const rows = await summary(page);
	const expectedRows: Record<string, (string | RegExp)[]> = {
		Postcode: ['M1 1AE'],
		'Date of birth': ['15 June 1985'],
		'Health affects work': ['Yes'],
		'Work at the moment': ['I have a job but I am off sick'],
		'Wants paid work': ['Yes'],
		'Do any of these apply': ['None of these'],
		'Name and contact details': ['Sam', 'Taylor', 'Sammy', '07700900982', 'sam.taylor@example.com'],
		'How and when to contact you': ['Phone call, Email', 'Weekday mornings'],
		'Communication needs': ['A spoken language interpreter, Large print', 'Polish'],
		'How you heard about us': ['A leaflet or poster', 'On the library noticeboard'],
		'What you agree to': ['Using your information to support your referral', 'without your name, to check the service works', 'Text message reminders about meetings']
	};
	expect(Object.keys(rows).sort()).toEqual(Object.keys(expectedRows).sort());
	for (const [label, parts] of Object.entries(expectedRows)) {
		for (const part of parts) {
			if (typeof part === 'string') expect(rows[label], label).toContain(part);
			else expect(rows[label], label).toMatch(part);
		}
	}
	// Processing, evaluation and text reminders agreed to, one a line; updates to the referrer not, so not listed.
	expect(rows['What you agree to'].split('\n')).toHaveLength(3);
	// Nothing asked after sending is asked before it.
	for (const text of ['they/them', 'Back pain', 'Corner Shop', '9434765919']) expect(Object.values(rows).join('\n')).not.toContain(text);

	// Sent, then "Tell us more": every optional page answered; each shows what was saved when opened again.
	await page.getByRole('button', { name: /send referral/i }).click();
	await expect(page).toHaveURL(`${server.url}/refer/confirmation`);
	expect(await tellUsMore(page, REFER, 'mouse')).toEqual(MORE_ORDER);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for telling us more');
	for (const path of MORE_ORDER) {
		await page.goto(`${server.url}${path}`);
		expect(pathOf(page), `${path} can be opened again`).toBe(path);
		await expectAnswersShown(page, REFER);
	}
	// The draft is gone once sent: nothing to carry on with.
	await page.goto(server.url);
	await expect(page.getByRole('link', { name: 'Carry on where you left off' })).toHaveCount(0);
	await context.close();
});

test('an emailed link carries on in another browser with the answers kept, and works only once', async ({ browser }) => {
	test.setTimeout(180_000);
	const email = 'alex.resume@example.com';
	const answers: Answers = { ...REFERRAL, givenName: 'Alex', familyName: 'Morgan', email };

	// First device: the checker and the first two referral pages, then "save and come back later".
	const first = await browser.newContext();
	const page = await first.newPage();
	await page.goto(server.url);
	await page.locator('a', { hasText: /start now/i }).click();
	expect((await walk(page, '/check/', ELIGIBLE, 'mouse', ['/check/result'])).stoppedAt).toBe('/check/result');
	await page.locator('a', { hasText: /continue to your referral/i }).click();
	const { stoppedAt } = await walk(page, '/refer/', answers, 'mouse', ['/refer/communication']);
	expect(stoppedAt).toBe('/refer/communication');

	await page.getByRole('link', { name: 'Save and come back later' }).click();
	await expect(page).toHaveURL(`${server.url}/save`);
	// The form offers the email address the person already gave.
	await expect(page.getByLabel('Email address')).toHaveValue(email);
	await page.getByRole('button', { name: 'Send me a link' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
	await expect(page.getByText(email)).toBeVisible();

	const message = await smtp.waitFor(email);
	expect(message.subject).toMatch(/carry on/i);
	expect(message.from?.text).toContain('no-reply@ips.example');
	// The email says nothing about the person's answers or health.
	expect(message.text).not.toContain('Alex');
	expect(message.text).not.toMatch(/back pain|anxiety/i);
	const link = /https?:\/\/\S+\/resume\/[a-z2-7]{32}/.exec(message.text ?? '')?.[0];
	expect(link, message.text).toBeTruthy();
	expect(link!.startsWith(`${server.url}/resume/`)).toBe(true);
	await first.close();

	// A mail scanner opening the link (a GET) uses nothing up and gets no draft.
	const scanner = await fetch(link!, { redirect: 'manual' });
	expect(scanner.status).toBe(200);
	expect(scanner.headers.get('set-cookie') ?? '').not.toContain('ips_draft');
	expect(await scanner.text()).toContain('Carry on with my referral');

	// Another device: no cookie. Opening the link resumes only after the button is pressed.
	const second = await browser.newContext();
	expect(await second.cookies()).toHaveLength(0);
	const other = await second.newPage();
	await other.goto(link!);
	expect(pathOf(other)).toMatch(/^\/resume\//);
	expect((await second.cookies(server.url)).filter((c) => c.name === 'ips_draft')).toHaveLength(0);
	await other.getByRole('button', { name: 'Carry on with my referral' }).click();
	expect(pathOf(other)).toBe('/refer/communication');
	const [cookie] = (await second.cookies(server.url)).filter((c) => c.name === 'ips_draft');
	expect(cookie?.httpOnly).toBe(true);
	expect(['Lax', 'Strict']).toContain(cookie?.sameSite);
	// A session cookie: it ends when the browser closes (shared computers).
	expect(cookie?.expires).toBe(-1);

	for (const path of [...CHECK_ORDER, '/refer/your-details', '/refer/contact-preferences']) {
		await other.goto(`${server.url}${path}`);
		expect(pathOf(other)).toBe(path);
		await expectAnswersShown(other, path.startsWith('/check/') ? ELIGIBLE : answers);
	}
	await other.goto(server.url);
	await expect(other.getByRole('link', { name: 'Carry on where you left off' })).toHaveAttribute('href', '/refer/communication');
	await second.close();

	// The link works once. A second use, even on a third device, shows a page that says what to do.
	const third = await browser.newContext();
	const again = await third.newPage();
	await again.goto(link!);
	expect(pathOf(again)).toMatch(/^\/resume\//);
	await expect(again.getByRole('heading', { level: 1 })).toHaveText(/expired/i);
	// A stale button press (a page left open) is refused the same way.
	const stale = await fetch(link!, { method: 'POST', redirect: 'manual', headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
	expect(stale.status).toBe(410);
	expect(stale.headers.get('set-cookie') ?? '').not.toContain('ips_draft');
	await expect(again.getByText(/work once/i)).toBeVisible();
	await expect(again.getByRole('link', { name: /start again/i })).toHaveAttribute('href', '/check/postcode');
	await expect(again.getByRole('link', { name: /go to the start/i })).toHaveAttribute('href', '/');
	expect((await third.cookies(server.url)).filter((c) => c.name === 'ips_draft')).toHaveLength(0);
	await again.goto(server.url);
	await expect(again.getByRole('link', { name: 'Carry on where you left off' })).toHaveCount(0);
	await third.close();
	// One email to the person: the link. (The first test's referral, sent, was emailed to the team.)
	expect(smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes(email))).toHaveLength(1);
	expect(smtp.messages.filter((m) => !/^New referral /.test(m.subject ?? ''))).toHaveLength(1);
});
