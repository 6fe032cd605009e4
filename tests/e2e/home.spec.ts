/**
 * The participant's home page (/account) with one next step, end to end (SEED=demo, with its demo
 * availability), JavaScript off: straight after referring, "Book your first meeting" comes first and two
 * questionnaires are asked (the third waits its turn, listed); with a meeting booked there is no booking link
 * at all and the check-in comes first; with the Start check-in done, the next meeting comes first. On every
 * page no address is linked twice in the main content. axe on each state; screenshots at 390 and 1280 px
 * wide (SHOTS_DIR, default tmp/screenshots).
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { auditHtml } from './support/axe';
import { answerPage, pressButton } from './support/journey';
import { referredPerson } from './support/people';
import { specAxePage, specServer } from './support/spec-server';

const server = specServer();
const axe = specAxePage();
const SHOTS = process.env.SHOTS_DIR ?? 'tmp/screenshots';
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

/** Every link in the page's main content, as written in the page. */
const hrefs = (page: Page) => page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));

async function expectNoLinkTwice(page: Page) {
	const all = await hrefs(page);
	const twice = all.filter((h, i) => all.indexOf(h) !== i);
	expect(twice, `links repeated on the home page: ${twice.join(', ')}`).toEqual([]);
}

/** The questionnaires the page asks for now: the links to a check-in's own pages. */
const questionnaireLinks = async (page: Page) => (await hrefs(page)).filter((h) => /^\/account\/check-in\/[a-z0-9]+$/.test(h));

async function shots(page: Page, name: string) {
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 844 });
		await page.screenshot({ path: `${SHOTS}/home-${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

const form = (values: Record<string, string>) => ({ maxRedirects: 0, headers: { origin: server.url, accept: 'text/html' }, form: values });

/** A questionnaire check-in sent over HTTP, as a browser without JavaScript sends it. */
async function questionnaireOverHttp(request: APIRequestContext, instrument: string, items: number, answer: string) {
	for (let n = 1; n <= items; n++) expect((await request.post(`${server.url}/account/check-in/${instrument}/${n}`, form({ answer }))).status(), `${instrument} ${n}`).toBe(303);
	expect((await request.post(`${server.url}/account/check-in/${instrument}/check`, form({}))).headers().location).toBe(`/account/check-in/${instrument}/done`);
}

async function dialogOverHttp(request: APIRequestContext) {
	for (let n = 1; n <= 11; n++) expect((await request.post(`${server.url}/account/check-in/dialog/${n}`, form({ rating: '4', moreHelp: 'no' }))).status(), `area ${n}`).toBe(303);
	expect((await request.post(`${server.url}/account/check-in/dialog/talk-about`, form({}))).status()).toBe(303);
	expect((await request.post(`${server.url}/account/check-in/dialog/check`, form({}))).headers().location).toBe('/account/check-in/dialog/done');
}

test('the home page shows one next step first, each link once, and two questionnaires at a time', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await referredPerson(browser, server.url, { javaScriptEnabled: false, link: 'fitnote', answers: { email: 'home.page@example.com' } });
	axe.keep(context);
	await page.goto(`${server.url}/account`);
	const step = page.getByRole('region', { name: 'What to do next' });
	const main = page.locator('main');

	// ---- just referred: book the first meeting -------------------------------------------------------
	await expect(main.locator('h2').first()).toHaveText('What to do next');
	await expect(step.getByRole('link')).toHaveCount(1);
	await expect(step.getByRole('link', { name: 'Book your first meeting' })).toHaveAttribute('href', '/account/book');
	await expect(main.getByRole('link', { name: /book/i })).toHaveCount(1);
	// Two questionnaires asked now (DIALOG+ and SWEMWBS); ONS4 waits its turn, listed without a link.
	expect(await questionnaireLinks(page)).toEqual(['/account/check-in/dialog', '/account/check-in/swemwbs']);
	await expect(page.locator('ul.check-ins')).toContainText('Your personal wellbeing (ONS4), Start check-in: After you have done one of the check-ins above.');
	await expect(main.getByRole('link', { name: /ONS4/ })).toHaveCount(0);
	// DIALOG+ is linked once: as the Start check-in, not again as "check in at any time".
	await expect(main.getByRole('link', { name: /DIALOG\+/ })).toHaveCount(1);
	await expectNoLinkTwice(page);
	// Withdrawing, help and signing out stay.
	await expect(main.getByRole('link', { name: 'withdraw your referral' })).toHaveAttribute('href', '/account/withdraw');
	await expect(main.getByRole('link', { name: 'Sign out' })).toHaveAttribute('href', '/account/sign-out');
	await expect(main.getByRole('link', { name: 'urgent help' })).toHaveAttribute('href', '/help');
	await auditHtml(page, axe.page, 'home, no meeting');
	await shots(page, 'no-meeting');

	// ---- a meeting booked: no booking link; the first check-in comes first ---------------------------
	await step.getByRole('link', { name: 'Book your first meeting' }).click();
	await answerPage(page, { how: 'phone' }, 'mouse');
	await pressButton(page, 'mouse');
	const day = (await page.locator('input[name=day]').first().getAttribute('value'))!;
	await answerPage(page, { day }, 'mouse');
	await pressButton(page, 'mouse');
	const start = (await page.locator('input[name=start]').first().getAttribute('value'))!;
	await answerPage(page, { start }, 'mouse');
	await pressButton(page, 'mouse');
	await pressButton(page, 'mouse'); // nobody to invite
	await pressButton(page, 'mouse', /book my first meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');
	const meetingId = /\/account\/meetings\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? (await page.locator('a[href^="/account/meetings/"]').first().getAttribute('href'))!.split('/')[3];

	await page.goto(`${server.url}/account`);
	await expect(step.getByRole('link')).toHaveCount(1);
	await expect(step.getByRole('link', { name: 'How things are going (DIALOG+), Start check-in' })).toHaveAttribute('href', '/account/check-in/dialog');
	expect((await hrefs(page)).filter((h) => h.startsWith('/account/book'))).toEqual([]);
	await expect(main).not.toContainText('Book another meeting');
	await expect(page.getByRole('heading', { name: 'Your next meeting' })).toBeVisible();
	await expect(main.getByRole('link', { name: 'See the details of this meeting' })).toHaveAttribute('href', `/account/meetings/${meetingId}`);
	// Still two at a time: DIALOG+ in the step, SWEMWBS below.
	expect(await questionnaireLinks(page)).toEqual(['/account/check-in/dialog', '/account/check-in/swemwbs']);
	await expect(page.getByRole('heading', { name: 'Your other check-ins' })).toBeVisible();
	await expectNoLinkTwice(page);
	await auditHtml(page, axe.page, 'home, meeting booked and a check-in due');
	await shots(page, 'meeting-and-check-in');

	// ONS4 moves up when DIALOG+ is done.
	await dialogOverHttp(context.request);
	await page.goto(`${server.url}/account`);
	await expect(step.getByRole('link', { name: 'Your wellbeing (SWEMWBS), Start check-in' })).toHaveAttribute('href', '/account/check-in/swemwbs');
	expect(await questionnaireLinks(page)).toEqual(['/account/check-in/swemwbs', '/account/check-in/ons4', '/account/check-in/dialog']);
	// DIALOG+ is offered again only as "at any time", once.
	await expect(main.getByRole('link', { name: 'Check in: how are things going? (DIALOG+)' })).toHaveCount(1);
	await expectNoLinkTwice(page);

	// ---- the Start check-in done: the next meeting comes first --------------------------------------
	await questionnaireOverHttp(context.request, 'swemwbs', 7, '3');
	await questionnaireOverHttp(context.request, 'ons4', 4, '6');
	await page.goto(`${server.url}/account`);
	await expect(step.getByRole('link')).toHaveCount(1);
	await expect(step.getByRole('link', { name: 'See your next meeting' })).toHaveAttribute('href', `/account/meetings/${meetingId}`);
	await expect(step).toContainText('Your next meeting is on');
	await expect(main.getByRole('link', { name: 'See the details of this meeting' })).toHaveCount(0);
	expect((await hrefs(page)).filter((h) => h.startsWith('/account/book'))).toEqual([]);
	await expect(page.locator('ul.check-ins')).toContainText('Your 3 months check-in: You can do it from');
	await expectNoLinkTwice(page);
	await auditHtml(page, axe.page, 'home, next meeting first');
	await shots(page, 'meeting-first');
});
