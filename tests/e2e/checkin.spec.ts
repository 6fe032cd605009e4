/**
 * DIALOG+ check-ins end to end on one built server (SEED=demo): refer yourself (signed in), complete a
 * check-in one area per page, then a second one where the earlier ratings are NOT shown while rating
 * (the default) and the comparison IS shown afterwards, then the progress page: the chart's data island
 * and the table hold the same numbers and the sentences match. Once with the mouse and JavaScript on
 * (axe and a 320 px reflow check on every new page; the chart drawn by chart.js, on that page only), once
 * with JavaScript off and the keyboard only (table and sentences, no chart). The CSV has the same numbers.
 */
import { gzipSync } from 'node:zlib';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { formatDate, ukDate } from '../../src/lib/domain/uk-time';
import { answerPage, followLink, pressButton, type Mode } from './support/journey';
import { referredPerson } from './support/people';
import { specServer } from './support/spec-server';
import { audit } from './support/axe';

test.describe.configure({ mode: 'serial' });

const server = specServer();

/** axe on the page as it is, and the page reflowed at 320 CSS pixels wide. */
/** Someone who has just referred themselves from the GP practice link, signed in, in a browser. */
const refer = (browser: Browser, javaScriptEnabled: boolean, email: string) => referredPerson(browser, server.url, { javaScriptEnabled, answers: { email } });

/** Scripts that run on the page (the JSON data island is data, not a script). */
const runnableScripts = (page: Page) => page.locator('script:not([type="application/json"])').count();

const FIRST = [4, 4, 4, 4, 4, 4, 4, 4, null, 4, 4];
const SECOND = [5, 5, 5, 5, 5, 5, 5, 5, null, 3, 3];

/**
 * One DIALOG+ check-in from the home page: eleven area pages, the areas to talk about, check, send.
 * `audit` runs axe and the reflow check on each kind of page (and the error states) on the first walk.
 */
async function checkIn(page: Page, mode: Mode, ratings: (number | null)[], options: { audit: boolean; second: boolean; javaScript: boolean }) {
	await page.goto(`${server.url}/account`);
	// The home page links DIALOG+ once: as the Start check-in while it is to do ("How things are going
	// (DIALOG+), Start check-in"), else as "Check in: how are things going? (DIALOG+)".
	const dialogLinks = page.locator('main a[href="/account/check-in/dialog"]');
	await expect(dialogLinks).toHaveCount(1);
	await expect(dialogLinks).toHaveText(options.second ? 'Check in: how are things going? (DIALOG+)' : 'How things are going (DIALOG+), Start check-in');
	await followLink(page, mode, /\(DIALOG\+\)/);
	await expect(page).toHaveURL(/\/account\/check-in\/dialog$/);
	if (options.audit) await audit(page, 'check-in start');
	await followLink(page, mode, /start your check-in/i);

	for (let n = 1; n <= 11; n++) {
		await expect(page).toHaveURL(new RegExp(`/account/check-in/dialog/${n}$`));
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.locator('legend').first()).toContainText('How satisfied are you with');
		await expect(page.getByText('This does not apply to me')).toBeVisible();
		// The programme hides previous ratings while rating (the default): nothing from last time shows.
		await expect(page.getByText(/last time/i)).toHaveCount(0);
		if (!options.javaScript || mode === 'mouse') expect(await runnableScripts(page), `area ${n} runs no JavaScript`).toBe(0);
		if (options.audit && n === 1) {
			await audit(page, 'area 1');
			await pressButton(page, mode);
			await expect(page).toHaveTitle(/^Error: /);
			await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#rating');
			await audit(page, 'area 1 (error)');
			// A rating without "more help" asks for it, keeping the rating.
			await answerPage(page, { rating: '4' }, mode);
			await pressButton(page, mode);
			await expect(page).toHaveTitle(/^Error: /);
			await expect(page.locator('input[name=rating][value="4"]')).toBeChecked();
			await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#moreHelp');
		}
		const rating = ratings[n - 1];
		await answerPage(page, rating === null ? { rating: 'does-not-apply' } : { rating: String(rating), moreHelp: n % 2 ? 'no' : 'yes' }, mode);
		await pressButton(page, mode);
	}

	await expect(page).toHaveURL(/\/account\/check-in\/dialog\/talk-about$/);
	await expect(page.locator('input[name=areas]')).toHaveCount(10); // medication does not apply
	if (options.audit) {
		await audit(page, 'talk about');
		await answerPage(page, { areas: ['mental-health', 'physical-health', 'job-situation', 'accommodation'] }, mode);
		await pressButton(page, mode);
		await expect(page).toHaveTitle(/^Error: /);
		await expect(page.locator('.error-message, .error-summary').first()).toContainText('Choose up to 3 areas');
		await audit(page, 'talk about (error)');
	}
	await answerPage(page, { areas: ['mental-health', 'practical-help'] }, mode);
	await pressButton(page, mode);

	await expect(page).toHaveURL(/\/account\/check-in\/dialog\/check$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your answers');
	await expect(page.locator('dl.summary').first()).toContainText('Does not apply to me');
	await expect(page.locator('dl.summary').last()).toContainText('Your mental health, The practical help you receive');
	if (options.audit) await audit(page, 'check your answers');
	await pressButton(page, mode, /^send$/i);

	await expect(page).toHaveURL(/\/account\/check-in\/dialog\/done$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-in sent');
	if (options.audit) await audit(page, options.second ? 'done (comparison)' : 'done (first)');
}

/** The comparison shown after the second check-in, in words. */
async function expectComparison(page: Page) {
	const today = formatDate(ukDate(new Date()));
	await expect(page.getByRole('heading', { name: `Compared with your last check-in on ${today}` })).toBeVisible();
	const row = (label: string) => page.locator('tr', { has: page.locator('th', { hasText: label }) });
	await expect(row('Your mental health').locator('td')).toHaveText(['4 (in the middle)', '5 (fairly satisfied)', 'up 1']);
	await expect(row('The practical help you receive').locator('td')).toHaveText(['4 (in the middle)', '3 (fairly dissatisfied)', 'down 1']);
	await expect(row('Your medication').locator('td')).toHaveText(['Did not apply', 'Does not apply', 'not rated']);
}

/** The progress page: sentences, table and (with JavaScript) the chart's data all say the same. */
async function expectProgress(page: Page, mode: Mode, javaScript: boolean) {
	await page.goto(`${server.url}/account`);
	await followLink(page, mode, /see your progress/i);
	await expect(page).toHaveURL(/\/account\/progress$/);
	const today = formatDate(ukDate(new Date()));
	const sentences = await page.locator('.progress-sentence').allInnerTexts();
	expect(sentences).toEqual([
		`Your overall score went up from 4 to 5 since ${today}.`,
		`Your score for your care and support went down from 4 to 3 since ${today}.`
	]);

	// Against the first check-in, with the programme's threshold (0.5 by default): up 1 improved, down 1 reduced.
	await expect(page.locator('.progress-change strong')).toHaveText(['Improved', 'Reduced']);

	// The scores are behind "Scores at each check-in", which opens with or without JavaScript.
	const summary = page.locator('#progress-dialog-details > summary');
	if (mode === 'keyboard') {
		await summary.focus();
		await page.keyboard.press('Enter');
	} else await summary.click();
	await expect(page.locator('#progress-dialog-details')).toHaveAttribute('open', '');
	const table = page.locator('table.progress-table');
	await expect(table.locator('thead th')).toHaveText(['Date', 'Overall score (8 life areas, average from 1 to 7)', 'Care score (3 areas of support, average from 1 to 7)']);
	const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
	expect(rows).toEqual([
		[today, '4', '4'],
		[today, '5', '3']
	]);

	const canvas = page.locator('canvas#progress-dialog-chart');
	if (javaScript) {
		// What chart.js drew, read back from the chart on the page: exactly the table's numbers.
		await expect(canvas).toHaveAttribute('data-drawn', 'true');
		await expect(canvas).toBeVisible();
		await expect(canvas).toHaveAttribute('role', 'img');
		await expect(canvas).toHaveAttribute('aria-label', new RegExp(`Your overall score went up from 4 to 5 since ${today}`));
		const drawn = JSON.parse((await canvas.getAttribute('data-values'))!) as { labels: string[]; datasets: { label: string; data: (number | null)[] }[] };
		expect(drawn.labels).toEqual(rows.map((r) => r[0]));
		expect(drawn.datasets.map((d) => d.label)).toEqual(['Overall score (8 life areas, average from 1 to 7)', 'Care score (3 areas of support, average from 1 to 7)']);
		expect(drawn.datasets.map((d) => d.data)).toEqual([rows.map((r) => Number(r[1])), rows.map((r) => Number(r[2]))]);
		const box = await canvas.boundingBox();
		expect(box!.height).toBeGreaterThan(100);
		await expect(page.locator('#progress-dialog-details .chart-key')).toBeVisible();
	} else {
		// Without JavaScript nothing draws: no empty chart box, only the words and the table.
		await expect(canvas).toBeHidden();
		await expect(page.locator('.chart-key').first()).toBeHidden();
	}

	// The CSV has the same numbers, with ISO dates.
	const csv = await page.request.get(`${server.url}/account/progress/dialog.csv`);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
	const iso = ukDate(new Date());
	expect(await csv.text()).toBe(
		`date,Overall score (8 life areas, average from 1 to 7),Care score (3 areas of support, average from 1 to 7)\r\n${iso},4,4\r\n${iso},5,3\r\n`.replace(
			/(Overall|Care)( score \([^)]*\))/g,
			(m) => `"${m}"`
		)
	);
}

test('with the mouse and JavaScript on: two DIALOG+ check-ins, the comparison after, then the progress chart and table (axe, 320 px)', async ({ browser }) => {
	test.setTimeout(240_000);
	const { context, page } = await refer(browser, true, 'dee.dialog@example.com');
	await checkIn(page, 'mouse', FIRST, { audit: true, second: false, javaScript: true });
	await expect(page.getByText('This is your first check-in')).toBeVisible();
	await checkIn(page, 'mouse', SECOND, { audit: false, second: true, javaScript: true });
	await expectComparison(page);
	await audit(page, 'done (comparison)');

	// The progress page is the one participant page with JavaScript: chart.js's line chart in one plain
	// script, no SvelteKit client. Issue 10 allows at most 80 KB gzipped.
	const scripts: Promise<number>[] = [];
	page.on('response', (res) => {
		if (res.request().resourceType() === 'script') scripts.push(res.body().then((b) => gzipSync(b).length));
	});
	await expectProgress(page, 'mouse', true);
	const gzipped = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
	expect(gzipped, 'progress page JavaScript, gzipped').toBeGreaterThan(0);
	expect(gzipped, 'progress page JavaScript, gzipped').toBeLessThanOrEqual(80 * 1024);
	await audit(page, 'progress');
	await context.close();
});

test('with JavaScript off and the keyboard only: the same walk, and the progress page is the table and the words', async ({ browser }) => {
	test.setTimeout(480_000);
	const { context, page } = await refer(browser, false, 'kit.keys@example.com');
	await checkIn(page, 'keyboard', FIRST, { audit: false, second: false, javaScript: false });
	await checkIn(page, 'keyboard', SECOND, { audit: false, second: true, javaScript: false });
	await expectComparison(page);
	await expectProgress(page, 'keyboard', false);
	// axe needs JavaScript in the page, so it runs on these pages in the walk above.
	await context.close();
});

test('check-in pages and the CSV need a participant session; an area outside 1 to 11 is not found', async ({ browser }) => {
	const anonymous = await browser.newContext();
	for (const p of ['/account/check-in/dialog', '/account/check-in/dialog/1', '/account/check-in/dialog/check', '/account/progress', '/account/progress/dialog.csv']) {
		const res = await anonymous.request.get(`${server.url}${p}`, { maxRedirects: 0 });
		expect([303, 404], p).toContain(res.status());
	}
	await anonymous.close();
	const { context, page } = await refer(browser, false, 'nina.none@example.com');
	for (const area of ['0', '12', 'mental-health', '1e1']) {
		const res = await page.request.get(`${server.url}/account/check-in/dialog/${area}`, { maxRedirects: 0 });
		expect(res.status(), area).toBe(404);
	}
	// With nothing done yet, the progress page says so.
	await page.goto(`${server.url}/account/progress`);
	await expect(page.getByText('You have not done a check-in on how things are going yet.')).toBeVisible();
	await context.close();
});
