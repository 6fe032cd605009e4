/**
 * Job outcomes end to end: a person reports "I have started a job" from their home page, one question per
 * page, with JavaScript off (a wrong answer first: the error pattern, the answer kept) and with the keyboard
 * only; their specialist (Sam, linked to the GP practice the person came from) sees the task, opens the Jobs
 * page and confirms the start; the referral is then "In work" and the history says so. axe on every new page
 * (JavaScript-off pages through a host page), each reflowing at 320 px; screenshots of the pages at 390 and
 * 1280 px in SHOTS_DIR (default tmp/screenshots). The events, reminders and API are in
 * tests/integration/job-outcomes.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { audit, auditHtml } from './support/axe';
import { answerPage, followLink, pressButton, type Answers, type Mode } from './support/journey';
import { referredPerson, staffMember } from './support/people';
import { specAxePage, specServer } from './support/spec-server';
import { parseCsv } from '../support/csv';
import { CELL_KEYS, CELL_LABELS } from '../../src/lib/domain/outcomes-report';

const server = specServer();
const axe = specAxePage();
const SHOTS = process.env.SHOTS_DIR ?? 'tmp/screenshots';
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

const today = new Date();
const JOB: Answers = {
	startDate: { day: String(today.getUTCDate()), month: String(today.getUTCMonth() + 1), year: String(today.getUTCFullYear()) },
	hoursPerWeek: '16',
	jobTitle: 'Shop assistant',
	employer: 'Corner Books'
};
const path = (page: Page) => new URL(page.url()).pathname;

async function shots(page: Page, name: string) {
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 844 });
		await page.screenshot({ path: `${SHOTS}/jobs-${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

/** From the home page to "Well done on your job", checking each page as it goes. */
async function reportJob(page: Page, mode: Mode, check: (name: string) => Promise<void>) {
	await page.goto(`${server.url}/account`);
	await followLink(page, mode, 'I have started a job');
	await expect(page).toHaveURL(`${server.url}/account/job/start-date`);
	const seen: string[] = [];
	for (let i = 0; i < 10 && path(page).startsWith('/account/job/') && path(page) !== '/account/job/check'; i++) {
		seen.push(path(page));
		await check(path(page));
		await answerPage(page, JOB, mode);
		await pressButton(page, mode);
	}
	expect(seen).toEqual(['/account/job/start-date', '/account/job/hours', '/account/job/title', '/account/job/employer']);
	await expect(page).toHaveURL(`${server.url}/account/job/check`);
	await expect(page.locator('dl.summary')).toContainText('Shop assistant');
	await expect(page.locator('dl.summary')).toContainText('16 hours a week');
	await check('check');
	await pressButton(page, mode, 'Send');
	await expect(page).toHaveURL(`${server.url}/account/job/sent`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Well done on your job');
	await check('sent');
}

test('with JavaScript off: a wrong answer shows the error pattern and keeps it; the job is reported; the specialist confirms it', async ({ browser }) => {
	test.setTimeout(420_000); // two people, a dozen pages each checked with axe through a host page: minutes on a loaded machine
	const { context, page, reference } = await referredPerson(browser, server.url, { javaScriptEnabled: false, answers: { email: 'job.nojs@example.com' } });
	axe.keep(context);

	// The whole walk from the home page; on the hours page a wrong answer first: the error summary, the
	// message by the field, the answer kept.
	await reportJob(page, 'mouse', async (name) => {
		await auditHtml(page, axe.page, name);
		if (name === '/account/job/hours') {
			await page.locator('[name="hoursPerWeek"]').fill('sixteen');
			await pressButton(page, 'mouse');
			await expect(page).toHaveTitle(/^Error: How many hours a week do you work\?/);
			await expect(page.locator('.error-summary')).toContainText('Enter the hours as a number, like 16 or 22.5');
			await expect(page.locator('#hoursPerWeek-error')).toContainText('Enter the hours as a number');
			await expect(page.locator('[name="hoursPerWeek"]')).toHaveValue('sixteen');
			await auditHtml(page, axe.page, 'hours with an error', { screenshot: `${SHOTS}/jobs-hours-error-320.png` });
		}
		if (name === 'check') {
			await shots(page, 'check');
			// Change goes back to the page with the answer kept, and straight back to the check page.
			await page.getByRole('link', { name: 'Change start date' }).click();
			await expect(page.locator('[name="startDate-year"]')).toHaveValue(String(today.getUTCFullYear()));
			await pressButton(page, 'mouse');
			await expect(page).toHaveURL(`${server.url}/account/job/check`);
		}
	});

	// The home page says it, and that the specialist will check it.
	await page.goto(`${server.url}/account`);
	await expect(page.getByRole('region', { name: 'Your work' })).toContainText('Shop assistant at Corner Books, 16 hours a week');
	await expect(page.getByRole('region', { name: 'Your work' })).toContainText('Your specialist will check this with you.');
	await auditHtml(page, axe.page, 'home page with a job');

	// The specialist: a task on the referral, the Jobs page, confirm.
	const sam = await staffMember(browser, server.url, 'sam.specialist@ips.example');
	axe.keep(sam.context);
	await sam.page.goto(`${server.url}/staff/referrals/${reference}`);
	await expect(sam.page.locator('.task-list')).toContainText('Confirm the job start they told us about');
	await sam.page.getByRole('link', { name: /^Jobs: confirm or record a job start/ }).click();
	await expect(sam.page.getByRole('heading', { level: 1 })).toHaveText(/^Jobs: /);
	await expect(sam.page.getByRole('region', { name: 'Shop assistant at Corner Books' })).toContainText('Not confirmed yet');
	await auditHtml(sam.page, axe.page, 'staff jobs page, to confirm');
	await shots(sam.page, 'staff-to-confirm');
	await sam.page.getByRole('button', { name: /^Confirm this job start\s*: Shop assistant$/ }).click();
	await expect(sam.page.getByRole('status')).toHaveText('The job start has been confirmed. The referral is now in work.');
	await expect(sam.page.getByRole('region', { name: 'Shop assistant at Corner Books' })).toContainText('Confirmed by Sam Specialist');

	// A wrong end date shows the error pattern on that job's form, with the answers kept.
	await sam.page.locator('summary', { hasText: 'The job ended' }).click();
	await sam.page.locator('#job-1-ended-endedOn-day').fill('31');
	await sam.page.locator('#job-1-ended-endedOn-month').fill('2');
	await sam.page.locator('#job-1-ended-endedOn-year').fill(String(today.getUTCFullYear()));
	await sam.page.getByRole('button', { name: 'Record that the job ended' }).click();
	await expect(sam.page).toHaveTitle(/^Error: Jobs/);
	await expect(sam.page.locator('.error-summary')).toContainText('Select why the job ended');
	await expect(sam.page.locator('#job-1-ended-endedOn-day')).toHaveValue('31');
	await auditHtml(sam.page, axe.page, 'staff jobs page with an error');

	await sam.page.goto(`${server.url}/staff/referrals/${reference}`);
	await expect(sam.page.locator('.case-summary')).toContainText('In work');
	await expect(sam.page.locator('.task-list')).toContainText('Done');
	await expect(sam.page.locator('main')).toContainText('Job start confirmed (the person told us first)');

	await page.goto(`${server.url}/account`);
	await expect(page.getByRole('region', { name: 'Your work' })).toContainText('Your specialist has this on your record.');
	await expect(page.locator('main')).toContainText('You are in work');
});

test('with the keyboard only and JavaScript on: the same report, axe on each page', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await referredPerson(browser, server.url, { answers: { email: 'job.keys@example.com', employment: 'off-sick' } });
	axe.keep(context);
	// Off sick when referred, so "Is this a new job?" is asked too.
	const answers = { ...JOB, jobKind: 'kept' };
	await page.goto(`${server.url}/account`);
	await followLink(page, 'keyboard', 'I have started a job');
	const seen: string[] = [];
	for (let i = 0; i < 10 && path(page) !== '/account/job/check'; i++) {
		seen.push(path(page));
		await audit(page, path(page));
		await answerPage(page, answers, 'keyboard');
		await pressButton(page, 'keyboard');
	}
	expect(seen).toEqual(['/account/job/start-date', '/account/job/hours', '/account/job/title', '/account/job/employer', '/account/job/kind']);
	await expect(page.locator('dl.summary')).toContainText('No, it is the job I had when I was referred');
	await audit(page, 'check');
	await pressButton(page, 'keyboard', 'Send');
	await expect(page).toHaveURL(`${server.url}/account/job/sent`);
	await audit(page, 'sent');
});

test('the outcomes report: the table, the chart and both CSVs agree; it passes axe and reflows at 320 px', async ({ browser }) => {
	const sam = await staffMember(browser, server.url, 'sam.specialist@ips.example');
	axe.keep(sam.context);
	await sam.page.goto(`${server.url}/staff`);
	await sam.page.getByRole('link', { name: 'Outcomes report' }).click();
	await expect(sam.page.getByRole('heading', { level: 1 })).toHaveText('Outcomes report');
	await sam.page.getByRole('button', { name: 'Show report' }).click();
	await expect(sam.page.locator('#by-link')).toBeVisible();
	await auditHtml(sam.page, axe.page, 'outcomes report', { screenshot: `${SHOTS}/outcomes-report-320.png` });
	await shots(sam.page, 'outcomes-report');

	// Every cell of every table on the page is the CSV's cell (rates shown with "%"); the charts hold the same numbers.
	const csvHref = await sam.page.getByRole('link', { name: 'Download these tables (CSV file)' }).getAttribute('href');
	const csv = await (await sam.page.request.get(`${server.url}${csvHref}`)).text();
	const lines = parseCsv(csv);
	const header = lines[0];
	const tables = await sam.page.locator('table.report-table[id^="by-"]').evaluateAll((ts) =>
		ts.map((t) => ({
			id: t.id,
			rows: [...t.querySelectorAll('tbody tr')].map((tr) => ({
				key: tr.classList.contains('total') ? null : tr.getAttribute('data-row'),
				cells: [...tr.querySelectorAll('td')].map((td) => ({ key: td.getAttribute('data-key')!, value: td.getAttribute('data-value')!, text: td.textContent!.trim() }))
			}))
		}))
	);
	const GROUPING: Record<string, string> = { 'by-link': 'link', 'by-practice': 'gp-practice', 'by-dwp': 'dwp-category', 'by-month': 'month' };
	expect(header.slice(3)).toEqual(CELL_LABELS);
	const cellIndex = (key: string) => CELL_KEYS.indexOf(key);
	let compared = 0;
	for (const table of tables) {
		const grouping = GROUPING[table.id] ?? table.id.replace(/^by-/, '');
		for (const row of table.rows) {
			const line = row.key === null ? lines.find((l) => l[0] === 'total')! : lines.find((l) => l[0] === grouping && l[1] === row.key)!;
			expect(line, `${table.id} ${row.key}`).toBeTruthy();
			for (const cell of row.cells) {
				// What the page shows is the CSV's cell, a rate with "%".
				expect(cell.text.replace(/%$/, '')).toBe(cell.value);
				expect(cell.value, `${table.id} ${row.key} ${cell.key}`).toBe(line[3 + cellIndex(cell.key)]);
				compared++;
			}
		}
	}
	expect(compared).toBeGreaterThan(200);
	const referrals = Number(tables[0].rows.at(-1)!.cells.find((c) => c.key === 'referrals')!.value);
	// Two people referred through the Fit Note link in this file (one told us about a job, confirmed).
	expect(referrals).toBeGreaterThanOrEqual(2);
	// Without JavaScript the funnel is drawn in HTML; with it, chart.js draws the funnel and the months' lines from the same numbers.
	await expect(sam.page.locator('[data-chart-fallback]')).toBeVisible();
	await expect(sam.page.locator('[data-chart-fallback] progress[data-key="referrals"]')).toHaveAttribute('data-value', String(referrals));
	const withJs = await staffMember(browser, server.url, 'sam.specialist@ips.example', { javaScriptEnabled: true });
	axe.keep(withJs.context);
	await withJs.page.goto(sam.page.url());
	await expect(withJs.page.locator('#months-canvas')).toHaveAttribute('data-values', /datasets/);
	await expect(withJs.page.locator('[data-chart-fallback]')).toBeHidden();
	await shots(withJs.page, 'outcomes-report-charts');
	const funnel = JSON.parse((await withJs.page.locator('#funnel-canvas').getAttribute('data-values'))!) as { keys: string[]; data: number[] };
	const totalLine = lines.find((l) => l[0] === 'total')!;
	expect(funnel.data.map(String)).toEqual(funnel.keys.map((k) => totalLine[3 + cellIndex(k)]));
	const months = JSON.parse((await withJs.page.locator('#months-canvas').getAttribute('data-values'))!) as { keys: string[]; datasets: { key: string; data: (number | null)[] }[] };
	for (const d of months.datasets)
		expect(d.data.map((v) => (v === null ? '' : String(v)))).toEqual(months.keys.map((m) => lines.find((l) => l[0] === 'month' && l[1] === m)![3 + cellIndex(d.key)]));
	const sharingHref = await sam.page.getByRole('link', { name: 'Download them for sharing (CSV file)' }).getAttribute('href');
	const sharing = await (await sam.page.request.get(`${server.url}${sharingHref}`)).text();
	expect(sharing.split('\r\n')[0]).toContain('"<5"');
	expect(sharing).toContain('<5');
});

test('a specialist records a start 14 weeks ago; the person says they are still in work; the specialist records 13 weeks with a payslip (axe on each)', async ({ browser }) => {
	test.setTimeout(300_000);
	const { context, page, reference } = await referredPerson(browser, server.url, { javaScriptEnabled: false, answers: { email: 'job.thirteen@example.com' } });
	axe.keep(context);
	const sam = await staffMember(browser, server.url, 'sam.specialist@ips.example');
	axe.keep(sam.context);

	// Recorded by the specialist, started 98 days (14 weeks) ago: confirmed at once, and the 13-week point reached.
	const started = new Date(Date.now() - 98 * 24 * 3600 * 1000);
	await sam.page.goto(`${server.url}/staff/referrals/${reference}/jobs`);
	await sam.page.locator('#start-startDate-day').fill(String(started.getUTCDate()));
	await sam.page.locator('#start-startDate-month').fill(String(started.getUTCMonth() + 1));
	await sam.page.locator('#start-startDate-year').fill(String(started.getUTCFullYear()));
	await sam.page.locator('#start-hoursPerWeek').fill('30');
	await sam.page.locator('#start-jobTitle').fill('Chef');
	await sam.page.locator('label', { hasText: 'A new job' }).click();
	await sam.page.getByRole('button', { name: 'Record the job start' }).click();
	await expect(sam.page.getByRole('status')).toHaveText('The job start has been recorded. The referral is now in work.');

	// The person: asked on their home page, one question, an error first.
	await page.goto(`${server.url}/account`);
	await page.getByRole('link', { name: 'Tell us if you are still in this job' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you still in this job?');
	await auditHtml(page, axe.page, 'still in this job?');
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page).toHaveTitle(/^Error: Are you still in this job\?/);
	await expect(page.locator('.error-summary')).toContainText('Select yes if you are still in this job');
	await auditHtml(page, axe.page, 'still in this job? with an error');
	await page.locator('label', { hasText: 'Yes' }).click();
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page).toHaveURL(`${server.url}/account?done=still-in-work`);
	await expect(page.getByRole('status')).toContainText('We have told your employment specialist you are still in work.');
	await expect(page.getByRole('link', { name: 'Tell us if you are still in this job' })).toHaveCount(0);

	// The specialist sees the answer and a task, and records the point with the evidence.
	await sam.page.goto(`${server.url}/staff/referrals/${reference}/jobs`);
	await expect(sam.page.getByRole('region', { name: 'Sustainment' })).toContainText('Still in work');
	await auditHtml(sam.page, axe.page, 'staff jobs page with a point to record');
	await sam.page.locator('#job-1-sustained-weeks').check();
	await sam.page.locator('label', { hasText: 'Payslip seen' }).click();
	await sam.page.getByRole('button', { name: 'Record the point' }).click();
	await expect(sam.page.getByRole('status')).toHaveText('The sustainment point has been recorded.');
	await expect(sam.page.getByRole('region', { name: 'Sustainment' })).toContainText('Payslip seen, by Sam Specialist');
	await sam.page.goto(`${server.url}/staff/referrals/${reference}`);
	await expect(sam.page.locator('main')).toContainText('Still in work at 13 weeks');
});
