/**
 * Progress people can read (issue 22 part 3), end to end on one built server (SEED=demo) whose database a
 * seed script fills first (tests/e2e/support/seed-progress.ts): one participant with check-ins made by the
 * portal's own functions at weeks 0, 2 and 12 (DIALOG+ and SWEMWBS three times, ONS4 twice, GAD-7 once).
 * - The participant's progress page with JavaScript on, at 1280 and 390 px: measures named in words, each
 *   closed until opened (the page is short), the chart drawn when its details open, on a time axis (the
 *   10-week gap five times the 2-week one), ONS4's four questions as four charts, GAD-7's one check-in a
 *   statement and a table with no chart, and DIALOG+ area by area (the chart has the table's ratings). axe.
 * - The same page with JavaScript off: the details open without it, the tables are the content, no chart
 *   box. axe on its HTML (the chart script kept out).
 * - Sam Specialist's view of the same person: the same sections in "their" words, the same time axis and
 *   per-area chart and table. axe.
 * Screenshots go to /work/notes/shots when that folder exists (SHOTS_DIR overrides).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { audit, TAGS } from './support/axe';
import { staffMember } from './support/people';
import { removeDir, startServer, type RunningServer } from './support/server';

test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);
const SHOTS = process.env.SHOTS_DIR ?? (existsSync('/work/notes/shots') ? '/work/notes/shots' : null);

let server: RunningServer;
let dataDir: string;
let seeded: { token: string; reference: string };

test.beforeAll(async () => {
	test.setTimeout(180_000);
	dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-'));
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/e2e/support/seed-progress.ts'], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'warn' }
	});
	seeded = JSON.parse(stdout.trim().split('\n').at(-1)!);
	server = await startServer({}, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(server.output().slice(-6000));
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	if (dataDir) removeDir(dataDir);
});

/** The seeded participant, signed in, in a browser of their own. */
async function participant(browser: Browser, javaScriptEnabled: boolean, width = 1280) {
	const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
	await context.addCookies([{ name: 'ips_participant', value: seeded.token, url: server.url }]);
	const page = await context.newPage();
	return { context, page };
}

const cellsOf = (table: ReturnType<Page['locator']>) =>
	table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));

interface Drawn {
	labels: string[];
	notes?: string[];
	datasets: { label: string; data: (number | null)[] }[];
}

/** Opens a measure's "Scores at each check-in" (or another details) by its summary, as a person would. */
async function open(page: Page, detailsId: string) {
	await page.locator(`#${detailsId} > summary`).click();
	await expect(page.locator(`#${detailsId}`)).toHaveAttribute('open', '');
}

/**
 * The checks both views share, with JavaScript on: DIALOG+ drawn on a time axis in proportion, its chart
 * holding the table's numbers, and DIALOG+ area by area, chart and table agreeing.
 */
async function expectCharts(page: Page, owner: 'Your' | 'Their') {
	const canvas = page.locator('canvas#progress-dialog-chart');
	// Closed: nothing drawn yet (chart.js cannot measure a box that is not shown).
	await expect(page.locator('#progress-dialog-details')).not.toHaveAttribute('open', '');
	await expect(canvas).not.toHaveAttribute('data-drawn', 'true');
	await open(page, 'progress-dialog-details');
	await expect(canvas).toHaveAttribute('data-drawn', 'true');
	await expect(canvas).toBeVisible();
	expect((await canvas.boundingBox())!.height).toBeGreaterThan(200);

	// Check-ins at weeks 0, 2 and 12: the gaps on the x axis are 2 and 10 weeks, 1 to 5.
	const xs = JSON.parse((await canvas.getAttribute('data-x'))!) as number[][];
	for (const line of xs) {
		expect(line).toHaveLength(3);
		const ratio = (line[2] - line[1]) / (line[1] - line[0]);
		expect(ratio, `x positions ${line.join(', ')}`).toBeGreaterThan(4.9);
		expect(ratio, `x positions ${line.join(', ')}`).toBeLessThan(5.1);
	}

	// What chart.js holds is exactly the table's numbers.
	const rows = await cellsOf(page.locator('#progress-dialog-details table.progress-table'));
	expect(rows).toHaveLength(3);
	const drawn = JSON.parse((await canvas.getAttribute('data-values'))!) as Drawn;
	expect(drawn.labels).toEqual(rows.map((r) => r[0]));
	expect(drawn.datasets.map((d) => d.data)).toEqual([rows.map((r) => Number(r[1])), rows.map((r) => Number(r[2]))]);
	await expect(page.locator('#progress-dialog-details .chart-key li')).toHaveText([/^Overall score/, /^Care score/]);
	// The key draws each line's dash and point shape, not only its colour.
	await expect(page.locator('#progress-dialog-details .chart-key li').nth(1).locator('polygon')).toHaveCount(1);

	// DIALOG+ area by area: first (week 0) and latest (week 12) rating, change and "more help" answers.
	const areas = page.locator('#progress-dialog-areas-details');
	const areasCanvas = page.locator('canvas#progress-dialog-areas-chart');
	await open(page, 'progress-dialog-areas-details');
	await expect(areasCanvas).toHaveAttribute('data-drawn', 'true');
	const areaRows = await cellsOf(areas.locator('table'));
	expect(areaRows).toHaveLength(11);
	expect(areaRows[0]).toEqual([`${owner} mental health`, '3', '5', 'Up 2', 'Yes', 'No']);
	expect(areaRows[2]).toEqual([`${owner} job situation`, '2', '4', 'Up 2', 'Yes', 'Yes']);
	expect(areaRows[5]).toEqual([`${owner} relationship with ${owner.toLowerCase()} partner/family`, '4', 'Did not apply', 'Not rated this time', 'No', 'Not asked']);
	const areaChart = JSON.parse((await areasCanvas.getAttribute('data-values'))!) as Drawn;
	expect(areaChart.labels).toHaveLength(11);
	const asNumber = (cell: string) => (cell === 'Did not apply' ? null : Number(cell));
	expect(areaChart.datasets.map((d) => d.data)).toEqual([areaRows.map((r) => asNumber(r[1])), areaRows.map((r) => asNumber(r[2]))]);
	expect(areaChart.datasets.map((d) => d.label)).toEqual([expect.stringMatching(/^First check-in, /), expect.stringMatching(/^Latest check-in, /)]);
	// Under each area's name, its "more help" answers: the table's, first then latest.
	const short = (cell: string) => (cell === 'Not asked' ? '–' : cell.toLowerCase());
	expect(areaChart.notes).toEqual(areaRows.map((r) => `More help: ${short(r[4])} → ${short(r[5])}`));
}

test('the participant’s progress with JavaScript on: words first, each measure opened on demand, a time axis in proportion, DIALOG+ area by area (axe, 1280 and 390 px)', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await participant(browser, true);
	await page.goto(`${server.url}/account/progress`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');

	// Names in words, with the instrument's name as a note; never an abbreviation alone.
	await expect(page.locator('main h2.measure-heading')).toHaveText(['How things are going', 'Your wellbeing', 'Your personal wellbeing', 'Worry and anxiety']);
	await expect(page.locator('.measure-note')).toHaveText([/^DIALOG\+: /, /\(SWEMWBS\)/, /\(ONS4\)/, /\(GAD-7\)/]);
	await expect(page.locator('#progress-swemwbs-heading')).toHaveText('Your wellbeing');

	// Every measure is closed at first: the page is the summary in words, not five charts.
	await expect(page.locator('details[open]')).toHaveCount(0);
	const closedHeight = await page.evaluate(() => document.documentElement.scrollHeight);
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/progress-closed-1280.png`, fullPage: true });
	expect(closedHeight, 'page height with every measure closed').toBeLessThan(3000);
	await expect(page.locator('.progress-sentence').first()).toHaveText(/^Your overall score went up from /);
	await expect(page.locator('.progress-area-sentence')).toHaveText(/rated 3 areas higher, 1 area lower and 5 areas the same\. At your check-in on .* you asked for more help with 1 area\./);

	await expectCharts(page, 'Your');
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/progress-1280.png`, fullPage: true });

	// ONS4: each question its own chart, anxiety's axis saying lower is better.
	await open(page, 'progress-ons4-details');
	const ons4 = page.locator('#progress-ons4-details canvas');
	await expect(ons4).toHaveCount(4);
	for (const c of await ons4.all()) await expect(c).toHaveAttribute('data-drawn', 'true');
	await expect(page.locator('#progress-ons4-ons4-anxious-chart')).toHaveAttribute('aria-label', /lower is better/);
	await expect(page.locator('#progress-ons4-ons4-happy-chart')).toHaveAttribute('aria-label', /higher is better/);

	// GAD-7, one check-in: a statement and a table, no chart.
	await open(page, 'progress-gad7-details');
	await expect(page.locator('#progress-gad7-details canvas')).toHaveCount(0);
	await expect(page.locator('#progress-gad7-details table tbody tr')).toHaveCount(1);
	await expect(page.locator('section[aria-labelledby="progress-gad7-heading"] .progress-sentence')).toHaveText(
		/^Your anxiety score was \d+ on .*\. After your next check-in on worry and anxiety you will see how it has changed\.$/
	);
	await audit(page, 'progress, measures open');
	await context.close();

	// At 390 px: the charts fit the screen once opened.
	const narrow = await participant(browser, true, 390);
	await narrow.page.goto(`${server.url}/account/progress`);
	await open(narrow.page, 'progress-dialog-details');
	const box = (await narrow.page.locator('canvas#progress-dialog-chart').boundingBox())!;
	expect(box.width).toBeGreaterThan(250);
	expect(box.x + box.width).toBeLessThanOrEqual(390);
	await open(narrow.page, 'progress-dialog-areas-details');
	await expect(narrow.page.locator('canvas#progress-dialog-areas-chart')).toHaveAttribute('data-drawn', 'true');
	expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	if (SHOTS) await narrow.page.screenshot({ path: `${SHOTS}/progress-390.png`, fullPage: true });
	await audit(narrow.page, 'progress at 390 px');
	await narrow.context.close();
});

test('the participant’s progress with JavaScript off: the details open without it and the tables are the content (axe)', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await participant(browser, false);
	await page.goto(`${server.url}/account/progress`);
	await open(page, 'progress-dialog-details');
	await open(page, 'progress-dialog-areas-details');
	await expect(page.locator('#progress-dialog-details table.progress-table')).toBeVisible();
	await expect(page.locator('#progress-dialog-areas-details table')).toBeVisible();
	await expect(page.locator('#progress-dialog-areas-details tbody tr')).toHaveCount(11);
	// No empty chart box or key without JavaScript to draw them.
	await expect(page.locator('canvas#progress-dialog-chart')).toBeHidden();
	await expect(page.locator('.chart-key').first()).toBeHidden();

	// axe cannot run without JavaScript: the page's HTML is checked in a page that has it, the chart script kept out.
	const html = await page.content();
	const host = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const hostPage = await host.newPage();
	await hostPage.route('**/progress-chart-main-*.js', (route) => route.abort());
	await hostPage.goto(`${server.url}/help`);
	await hostPage.setContent(html, { waitUntil: 'load' });
	await expect(hostPage.locator('canvas#progress-dialog-chart')).toBeHidden();
	for (const width of [1280, 320]) {
		await hostPage.setViewportSize({ width, height: 900 });
		const { violations } = await new AxeBuilder({ page: hostPage }).withTags(TAGS).analyze();
		expect.soft(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe without JavaScript at ${width}px`).toEqual([]);
	}
	expect(await hostPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	await host.close();
	await context.close();
});

test('the specialist sees the same measures in their words: time axis, DIALOG+ area by area, chart and table agreeing (axe, 1280 and 390 px)', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await staffMember(browser, server.url, 'sam.specialist@ips.example', { javaScriptEnabled: true });
	await page.goto(`${server.url}/staff/referrals/${seeded.reference}/check-ins`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Check-ins');
	await expect(page.locator('.measure-heading')).toHaveText(['How things are going', 'Their wellbeing', 'Their personal wellbeing', 'Worry and anxiety']);
	await expect(page.locator('.progress-sentence').first()).toHaveText(/^Their overall score went up from /);
	await expect(page.locator('.progress-area-sentence')).toHaveText(/they rated 3 areas higher.* At their check-in on .* they asked for more help with 1 area\./);
	await expectCharts(page, 'Their');
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/progress-specialist-1280.png`, fullPage: true });
	await audit(page, 'specialist check-ins, measures open');
	await page.setViewportSize({ width: 390, height: 900 });
	await page.reload();
	await open(page, 'progress-dialog-details');
	await expect(page.locator('canvas#progress-dialog-chart')).toHaveAttribute('data-drawn', 'true');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/progress-specialist-390.png`, fullPage: true });
	await context.close();
});
