/**
 * Check-in schedules and the wellbeing report end to end (SEED=demo): an admin edits a programme's
 * measures settings with JavaScript off (errors beside the fields with everything typed kept, then saved,
 * the EQ-5D-5L licence box offering EQ-5D-5L); a person who has just referred themselves sees their due
 * check-ins on their home page, two at a time; a team lead reads the wellbeing report with JavaScript on and off (the
 * chart, drawn on the server, has the table's numbers; the CSV is the table); a specialist of another programme cannot
 * read the first programme's report. axe on every page, error states included.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addDaysIso, formatDate, ukDate } from '../../src/lib/domain/uk-time';
import { referredPerson, staffMember } from './support/people';
import { specServer } from './support/spec-server';
import type { DemoEmail } from './support/staff';
import { auditHtml } from './support/axe';

test.describe.configure({ mode: 'serial' });

const PRIMARY = 'gm-ips-primary-care';
const server = specServer();
let axeContext: BrowserContext;
let axePage: Page;

test.beforeAll(async ({ browser }) => {
	axeContext = await browser.newContext();
	axePage = await axeContext.newPage();
});

test.afterAll(async () => {
	await axeContext?.close();
});

/** axe on the page's HTML as the browser has it (loaded into a JavaScript-enabled page when it has none). */
const axe = (p: Page, name: string) => auditHtml(p, axePage, name, { widths: [1280] });

const staffPage = (browser: Browser, email: DemoEmail, javaScriptEnabled: boolean) => staffMember(browser, server.url, email, { javaScriptEnabled });

test('an admin edits the measures settings with JavaScript off', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'admin@ips.example', false);
	await page.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await page.getByRole('link', { name: 'Measures settings' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}/measures`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Measures settings');
	await expect(page.getByLabel('Hide previous ratings while rating')).toBeChecked();
	await expect(page.getByLabel('Check-in 2: name')).toHaveValue('3 months');
	await expect(page.getByRole('group', { name: 'Check-in 1: questionnaires' }).getByRole('checkbox', { name: 'DIALOG' })).toBeChecked();
	// Without the licence, EQ-5D-5L is not offered.
	await expect(page.getByRole('checkbox', { name: /^EQ-5D-5L/ })).toHaveCount(0);
	await axe(page, 'measures settings');
	// Two questionnaires at a time and no spread, until an admin changes them.
	await expect(page.getByLabel('Most questionnaires asked at once')).toHaveValue('2');
	await expect(page.getByLabel('Spread the first check-in over this many meetings')).toHaveValue('1');

	// Mistakes: a threshold that is not a number, and a new check-in with no name.
	await page.getByLabel('Meaningful change for DIALOG').fill('half');
	await page.getByLabel('Most questionnaires asked at once').fill('0');
	await page.getByLabel('Check-in 4: how long after the start date').fill('6');
	await page.getByLabel('Check-in 4: counted in').selectOption('weeks');
	await page.getByRole('group', { name: 'Check-in 4: questionnaires' }).getByRole('checkbox', { name: 'DIALOG' }).check();
	await page.getByRole('button', { name: 'Save measures settings' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary')).toContainText('Meaningful change for DIALOG must be a number');
	await expect(page.locator('.error-summary')).toContainText('Enter a name for check-in 4');
	await expect(page.locator('#meaningful-dialog-error')).toContainText('must be a number');
	await expect(page.locator('#point-3-label-error')).toContainText('Enter a name for check-in 4');
	await expect(page.locator('#maxDueAtOnce-error')).toContainText('Most questionnaires asked at once must be a whole number from 1 to 7');
	await expect(page.getByLabel('Most questionnaires asked at once')).toHaveValue('0');
	await expect(page.getByLabel('Meaningful change for DIALOG')).toHaveValue('half');
	await expect(page.getByLabel('Check-in 4: how long after the start date')).toHaveValue('6');
	await expect(page.getByRole('group', { name: 'Check-in 4: questionnaires' }).getByRole('checkbox', { name: 'DIALOG' })).toBeChecked();
	await axe(page, 'measures settings with errors');

	await page.getByLabel('Meaningful change for DIALOG').fill('0.6');
	await page.getByLabel('Most questionnaires asked at once').fill('2');
	await page.getByLabel('Check-in 4: name').fill('Mid-point');
	await page.getByLabel('We hold a EuroQol licence for EQ-5D-5L').check();
	await page.getByRole('button', { name: 'Save measures settings' }).click();
	await expect(page.getByRole('status')).toContainText(/Saved as version \d+/);
	await expect(page.getByLabel('Meaningful change for DIALOG')).toHaveValue('0.6');
	// Points are kept in time order: Start, Mid-point (6 weeks), 3 months, 6 months.
	await expect(page.getByLabel('Check-in 2: name')).toHaveValue('Mid-point');
	await expect(page.getByLabel('Check-in 2: how long after the start date')).toHaveValue('6');
	await expect(page.getByRole('group', { name: 'Check-in 1: questionnaires' }).getByRole('checkbox', { name: /^EQ-5D-5L/ })).toHaveCount(1);
	await axe(page, 'measures settings saved');

	// Saving again without changes makes no new version.
	await page.getByRole('button', { name: 'Save measures settings' }).click();
	await expect(page.getByRole('status')).toContainText('Nothing had changed');
	await context.close();
});

test('a person who has just referred themselves sees their due check-ins on their home page', async ({ browser }) => {
	const { context, page } = await referredPerson(browser, server.url, { javaScriptEnabled: false, link: 'fitnote', answers: { email: 'due.list@example.com' } });
	await page.goto(`${server.url}/account`);
	const today = ukDate(new Date());
	const list = page.locator('ul.check-ins');
	await expect(page.getByRole('heading', { name: 'Your check-ins' })).toBeVisible();
	await expect(list.getByRole('link', { name: 'How things are going (DIALOG+), Start check-in' })).toHaveAttribute('href', '/account/check-in/dialog');
	await expect(list.getByRole('link', { name: 'Your wellbeing (SWEMWBS), Start check-in' })).toHaveAttribute('href', '/account/check-in/swemwbs');
	// Two at a time (the default): ONS4 is listed, waiting its turn, without a link.
	await expect(list).toContainText('Your personal wellbeing (ONS4), Start check-in: After you have done one of the check-ins above.');
	await expect(list.getByRole('link', { name: /ONS4/ })).toHaveCount(0);
	await expect(list.locator('li').first()).toContainText(`Due by ${formatDate(addDaysIso(today, 14))}`);
	// The next check-in (Mid-point, 6 weeks, set by the admin above) is one line with the day it opens, without a link.
	await expect(list).toContainText(`Your Mid-point check-in: You can do it from ${formatDate(addDaysIso(today, 42 - 14))}`);
	await expect(list.getByRole('link', { name: /Mid-point/ })).toHaveCount(0);
	expect(await page.locator('script:not([type="application/json"])').count()).toBe(0);
	await axe(page, 'home with check-ins');

	// A DIALOG+ check-in sent now answers Start: it leaves the list, the other Start questionnaires stay.
	const form = (values: Record<string, string>) => ({ maxRedirects: 0, headers: { origin: server.url, accept: 'text/html' }, form: values });
	const dialogOverHttp = async (rating: string) => {
		for (let n = 1; n <= 11; n++) {
			const res = await context.request.post(`${server.url}/account/check-in/dialog/${n}`, form({ rating, moreHelp: 'no' }));
			expect(res.status(), `area ${n}`).toBe(303);
		}
		expect((await context.request.post(`${server.url}/account/check-in/dialog/talk-about`, form({}))).status()).toBe(303);
		const sent = await context.request.post(`${server.url}/account/check-in/dialog/check`, form({}));
		expect(sent.headers().location).toBe('/account/check-in/dialog/done');
	};
	await dialogOverHttp('4');
	await page.goto(`${server.url}/account`);
	await expect(list.getByRole('link', { name: 'How things are going (DIALOG+), Start check-in' })).toHaveCount(0);
	await expect(list.getByRole('link', { name: 'Your wellbeing (SWEMWBS), Start check-in' })).toBeVisible();
	// ONS4 has moved up.
	await expect(list.getByRole('link', { name: 'Your personal wellbeing (ONS4), Start check-in' })).toHaveAttribute('href', '/account/check-in/ons4');
	await expect(list).toContainText('Your Mid-point check-in: You can do it from');
	// A second one (outside the schedule) for the report below: overall 4 then 6.
	await dialogOverHttp('6');
	await context.close();
});

test('a team lead reads the wellbeing report with JavaScript on; the chart has the table numbers and the CSV is the table', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'lead@ips.example', true);
	await page.getByRole('link', { name: 'Wellbeing report' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wellbeing report');
	await axe(page, 'wellbeing report form');

	await page.getByLabel('From').fill('31/2/2026');
	await page.getByRole('button', { name: 'Show report' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('#from-error')).toContainText('The first day must be a real date');
	await expect(page.getByLabel('From')).toHaveValue('31/2/2026');
	await axe(page, 'wellbeing report with errors');

	await page.getByLabel('From').fill('1/1/2026');
	await page.getByLabel('To').fill('31/12/2027');
	await page.getByRole('button', { name: 'Show report' }).click();
	await expect(page.getByRole('heading', { level: 2, name: /IPS Primary Care.*1 January 2026 to 31 December 2027/ })).toBeVisible();
	const bars = await page.locator('#report-chart .bar-row').evaluateAll((rows) =>
		rows.map((row) => ({
			label: row.querySelector('.bar-label')?.textContent?.trim() ?? '',
			shares: Object.fromEntries([...row.querySelectorAll('[data-key]')].map((s) => [s.getAttribute('data-key'), Number(s.getAttribute('data-value'))]))
		}))
	);
	const rows = await page.locator('table.report-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
	expect(rows.map((r) => r[0])).toEqual(bars.map((b) => b.label));
	expect(rows.length).toBeGreaterThanOrEqual(3);
	// The person above: overall 4 then 6, improved; care 4 then 6, improved.
	expect(rows.slice(0, 2)).toEqual([
		['DIALOG: Overall score', '1', '1 (100%)', '0 (0%)', '0 (0%)', '0'],
		['DIALOG: Care score', '1', '1 (100%)', '0 (0%)', '0 (0%)', '0']
	]);
	expect(bars[0].shares).toEqual({ improved: 100 });
	// Each cell "n (p%)" has a bar of p% (none drawn for 0), or just "n" where nobody could be compared.
	(['improved', 'maintained', 'reduced'] as const).forEach((key, k) =>
		rows.forEach((r, i) => {
			const share = Number(/\((\d+)%\)$/.exec(r[2 + k])?.[1] ?? 0);
			expect(bars[i].shares[key] ?? 0, `${key} of ${r[0]}`).toBe(share);
		})
	);
	const href = await page.getByRole('link', { name: /Download this table/ }).getAttribute('href');
	const csv = await (await page.request.get(`${server.url}${href}`)).text();
	const csvRows = csv.trim().split('\r\n').map((l) => l.split(','));
	expect(csvRows[0][0]).toBe('measure');
	expect(csvRows.slice(1).map((c) => [c[0], c[1], c[2], c[4], c[6], c[8]])).toEqual(rows.map((r) => [r[0], r[1], ...r.slice(2, 5).map((c) => c.split(' ')[0]), r[5]]));
	await axe(page, 'wellbeing report');
	await page.setViewportSize({ width: 320, height: 800 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the report reflows at 320 px').toBeLessThanOrEqual(320);
	await page.screenshot({ path: 'test-results/wellbeing-report-320.png', fullPage: true });
	await context.close();
});

test('the report works with JavaScript off, and another programme’s report is refused', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'lead@ips.example', false);
	await page.goto(`${server.url}/staff/reports/wellbeing?programme=${PRIMARY}&from=2026-01-01&to=2027-12-31`);
	await expect(page.locator('table.report-table')).toBeVisible();
	await expect(page.locator('#report-chart .bar-row').first()).toBeVisible();
	expect(await page.locator('script:not([type="application/json"])').count()).toBe(0);
	await axe(page, 'wellbeing report without JavaScript');
	await context.close();

	const other = await staffPage(browser, 'sol.secondary@ips.example', false);
	await other.page.goto(`${server.url}/staff/reports/wellbeing?programme=${PRIMARY}&from=2026-01-01&to=2027-12-31`);
	await expect(other.page.locator('#programme-error')).toContainText('Choose one of your programmes');
	await expect(other.page.locator('table.report-table')).toHaveCount(0);
	const csv = await other.page.request.get(`${server.url}/staff/reports/wellbeing/wellbeing.csv?programme=${PRIMARY}&from=2026-01-01&to=2027-12-31`);
	expect(csv.status()).toBe(400);
	await other.context.close();
});
