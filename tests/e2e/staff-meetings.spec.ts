import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { referOverHttp } from './support/http-journey';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import type { DemoEmail } from './support/staff';
import { staffMember } from './support/people';
import { auditHtml } from './support/axe';
import { specAxePage } from './support/spec-server';
import { addDaysIso, ukDate, ukStartOfDay } from '../../src/lib/domain/uk-time';

/**
 * Specialists' meetings on one server. PGlite allows one process per data folder, so the data is made
 * first: the server starts once with the demo data, a referral is sent over HTTP (a GP link of Sam
 * Specialist's practice, so it is Sam's), the server stops, a meeting that started 90 minutes ago and one
 * tomorrow are written straight into the database, and the server starts again on the same folder.
 * Then, with JavaScript off, Sam sees the meeting on My meetings, marks Did not attend, finds the four
 * follow-up tasks in the inbox with due times in words and marks one Done; a stale page shows the error
 * pattern; a team lead looks at Sam's meetings. axe and 320px reflow on each page.
 */
test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'tmp/screenshots';
const MINUTE = 60_000;

let server: RunningServer;
let dataDir = '';
let reference = '';
let pastId = '';
let futureId = '';
let cancelledId = '';
let yesterdayId = '';
let samId = '';
const axe = specAxePage();

async function staffPage(browser: Browser, email: DemoEmail, javaScriptEnabled: boolean): Promise<Page> {
	const { context, page } = await staffMember(browser, server.url, email, { javaScriptEnabled });
	axe.keep(context);
	return page;
}

/** axe at desktop width and at 320px, and reflow at 320px, on the page's HTML in the JavaScript-enabled axe page. */
const audit = (p: Page, name: string) => auditHtml(p, axe.page, name, { screenshot: `${SCREENSHOTS}/staff-meetings-${name.replace(/\W+/g, '-')}-320.png` });

test.beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-meetings-'));
	const first = await startServer({}, dataDir);
	try {
		reference = (await referOverHttp(first.url, { ...ELIGIBLE, ...REFERRAL, contactChannels: ['phone', 'text', 'email'] })).reference;
	} finally {
		expect(await first.stop()).toBe(0);
	}
	const now = Math.floor(Date.now() / MINUTE) * MINUTE;
	await withDatabase(dataDir, async (query) => {
		const [sam] = await query(`select id from staff where email = 'sam.specialist@ips.example'`);
		const [ref] = await query(`select r.id, r.programme_id, r.assigned_staff_id, p.id as participant_id from referral r join participant p on p.referral_id = r.id where r.reference = $1`, [reference]);
		samId = String(sam.id);
		expect(ref.assigned_staff_id).toBe(samId);
		const insert = `insert into meeting (referral_id, participant_id, programme_id, staff_id, starts_at, ends_at, mode) values ($1, $2, $3, $4, $5, $6, 'phone') returning id`;
		const values = (start: number) => [ref.id, ref.participant_id, ref.programme_id, samId, new Date(start).toISOString(), new Date(start + 45 * MINUTE).toISOString()];
		// Today's (90 minutes ago, or midnight if that was yesterday), and one from yesterday not yet marked.
		const today = ukStartOfDay(ukDate(new Date(now))).getTime();
		pastId = String((await query(insert, values(Math.max(today, now - 90 * MINUTE))))[0].id);
		yesterdayId = String((await query(insert, values(ukStartOfDay(addDaysIso(ukDate(new Date(now)), -1)).getTime() + 10 * 60 * MINUTE)))[0].id);
		futureId = String((await query(insert, values(now + 26 * 60 * MINUTE)))[0].id);
		// One the person cancelled: it stays on the list, as "Cancelled" (never "Marked").
		cancelledId = String((await query(insert, values(now + 28 * 60 * MINUTE)))[0].id);
		await query(`update meeting set status = 'cancelled', cancelled_by = 'participant', cancelled_at = now() where id = $1`, [cancelledId]);
	});
	server = await startServer({}, dataDir);
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	if (dataDir) removeDir(dataDir);
});

test('a specialist marks a meeting as did not attend and works the follow-up tasks, with JavaScript off', async ({ browser }) => {
	const sam = await staffPage(browser, 'sam.specialist@ips.example', false);
	// A second tab, left on the list from before the meeting is marked.
	const stale = await sam.context().newPage();

	await sam.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'My meetings' }).click();
	await expect(sam).toHaveURL(`${server.url}/staff/meetings`);
	await expect(sam.getByRole('heading', { level: 1 })).toHaveText('My meetings');
	const past = sam.locator(`#meeting-${pastId}`);
	await expect(past).toContainText(reference);
	await expect(past).toContainText('Sam Taylor');
	await expect(past).toContainText('by phone');
	await expect(past).toContainText('Booked');
	await expect(past).toContainText(/\d{1,2}:\d{2}(am|pm) to \d{1,2}:\d{2}(am|pm)/);
	await expect(past.getByRole('link', { name: reference })).toHaveAttribute('href', `/staff/referrals/${reference}`);
	const future = sam.locator(`#meeting-${futureId}`);
	await expect(future).toContainText('Not started yet');
	await expect(future.getByRole('button')).toHaveCount(0);
	const cancelled = sam.locator(`#meeting-${cancelledId}`);
	await expect(cancelled.locator('td').nth(4)).toHaveText('Cancelled');
	await expect(cancelled.locator('td').nth(5)).toHaveText('Cancelled');
	await expect(cancelled.getByRole('button')).toHaveCount(0);
	await audit(sam, 'my meetings');

	await stale.goto(`${server.url}/staff/meetings`);
	await past.getByRole('button', { name: /^Did not attend/ }).click();
	await expect(sam).toHaveURL(new RegExp(`/staff/meetings\\?done=missed#meeting-${pastId}$`));
	await expect(sam.getByRole('status')).toContainText('The meeting is marked as did not attend.');
	await expect(past).toContainText('Did not attend');
	await expect(past.getByRole('button')).toHaveCount(0);

	// The stale tab tries to mark it attended: the error pattern, and nothing changes.
	await stale.locator(`#meeting-${pastId}`).getByRole('button', { name: /^Attended/ }).click();
	await expect(stale).toHaveTitle(/^Error: /);
	const summaryLink = stale.locator('.error-summary').getByRole('link', { name: 'This meeting is already marked as did not attend' });
	await expect(summaryLink).toHaveAttribute('href', `#meeting-${pastId}-outcome`);
	await expect(stale.locator(`#meeting-${pastId}-error`)).toContainText('This meeting is already marked as did not attend');
	await audit(stale, 'my meetings with an error');

	// The inbox: four tasks for this referral, due times in words, soonest first.
	await sam.getByRole('link', { name: 'See the tasks' }).click();
	await expect(sam).toHaveURL(`${server.url}/staff#tasks`);
	const tasks = sam.getByRole('region', { name: 'Tasks' });
	const rows = tasks.getByRole('row').filter({ hasText: reference });
	await expect(rows).toHaveCount(4);
	await expect(rows.first()).toContainText(/Due \w+day \d{1,2} \w+ at \d{1,2}:\d{2}(am|pm)/);
	await expect(rows.first()).toContainText('attempt 1 of 4');
	await expect(rows.nth(3)).toContainText('attempt 4 of 4');
	const dues = await rows.evaluateAll((trs) => trs.map((tr) => /Due (\w+day \d{1,2} \w+)/.exec(tr.textContent ?? '')?.[1]));
	expect(new Set(dues).size).toBe(4);
	await audit(sam, 'inbox with tasks');

	await rows.first().getByRole('button', { name: /^Done/ }).click();
	await expect(sam).toHaveURL(`${server.url}/staff?done=task#tasks`);
	await expect(sam.getByRole('status')).toHaveText('The task is marked as done.');
	await expect(rows).toHaveCount(3);
	await expect(rows.first()).toContainText('attempt 2 of 4');

	// Yesterday's meeting waits to be marked; once marked, the list starts on its day so it stays in view.
	await sam.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'My meetings' }).click();
	const yesterday = sam.locator(`#meeting-${yesterdayId}`);
	await expect(sam.getByRole('heading', { name: 'Earlier meetings waiting to be marked' })).toBeVisible();
	await yesterday.getByRole('button', { name: /^Attended/ }).click();
	const yesterdayDate = addDaysIso(ukDate(new Date()), -1);
	await expect(sam).toHaveURL(new RegExp(`/staff/meetings\\?from=${yesterdayDate}&done=attended#meeting-${yesterdayId}$`));
	await expect(sam.getByRole('status')).toContainText('The meeting is marked as attended.');
	await expect(yesterday).toContainText('Attended');
	await expect(sam.getByRole('heading', { name: 'Earlier meetings waiting to be marked' })).toHaveCount(0);

	// The referral page lists the meetings and the tasks, the done one with who did it.
	await sam.goto(`${server.url}/staff/referrals/${reference}`);
	const meetings = sam.getByRole('region', { name: 'Meetings' });
	await expect(meetings.getByRole('row').filter({ hasText: 'Did not attend' })).toHaveCount(1);
	await expect(meetings.getByRole('row').filter({ hasText: 'Booked' })).toHaveCount(1);
	await expect(meetings.getByRole('row').filter({ hasText: 'Cancelled' })).toHaveCount(1);
	await expect(sam.locator('.task-list li')).toHaveCount(4);
	await expect(sam.locator('.task-list li').filter({ hasText: 'attempt 1 of 4' })).toContainText('by Sam Specialist');
	await audit(sam, 'referral with meetings and tasks');
});

test('a team lead looks at a specialist’s meetings; a wrong date shows the error pattern', async ({ browser }) => {
	const lead = await staffPage(browser, 'lead@ips.example', true);
	await lead.goto(`${server.url}/staff/meetings`);
	await expect(lead.getByRole('heading', { level: 1 })).toHaveText('My meetings');
	await lead.getByLabel('Whose meetings').selectOption({ label: 'Sam Specialist' });
	await lead.getByRole('button', { name: 'Show meetings' }).click();
	await expect(lead).toHaveURL(new RegExp(`staff=${samId}`));
	await expect(lead.getByRole('heading', { level: 1 })).toHaveText('Meetings of Sam Specialist');
	await expect(lead.locator(`#meeting-${futureId}`)).toContainText(reference);
	await expect(lead.locator(`#meeting-${pastId}`)).toContainText('Did not attend');
	await audit(lead, 'meetings of a specialist');

	await lead.goto(`${server.url}/staff/meetings?from=2027-02-30`);
	await expect(lead).toHaveTitle(/^Error: /);
	await expect(lead.locator('.error-summary').getByRole('link', { name: 'Enter a real date, like 30/3/2027 or 2027-03-30' })).toHaveAttribute('href', '#from');
	await expect(lead.locator('#from-error')).toContainText('Enter a real date');
	await expect(lead.locator('#from')).toHaveAttribute('aria-describedby', /from-error/);
	await audit(lead, 'meetings with a wrong date');

	// A specialist of another programme cannot look at Sam's meetings, nor mark them.
	const sol = await staffPage(browser, 'sol.secondary@ips.example', true);
	const res = await sol.request.get(`${server.url}/staff/meetings?staff=${samId}`, { maxRedirects: 0 });
	expect(res.status()).toBe(404);
	const post = await sol.request.post(`${server.url}/staff/meetings?/attended`, { maxRedirects: 0, headers: { origin: server.url }, form: { meetingId: futureId } });
	expect(post.status()).toBe(404);
	expect(await post.text()).not.toContain('Taylor');
});
