/**
 * The specialist's side of check-ins end to end on one built server (SEED=demo), once with JavaScript on
 * and once with it off: a participant (primary care) does two DIALOG+ check-ins with a steep fall and
 * chooses areas to talk about; Sam Specialist sees the wellbeing concern in the inbox (words only), opens
 * the person's check-ins page (the same progress sections and table as the participant's, the chart drawn
 * with JavaScript), records agreed actions (an error beside the field first), and marks the concern as
 * dealt with. At the participant's next check-in each action is asked about first ("Did you do this?"),
 * one per page, with no JavaScript; the specialist then sees the answers. axe on every new page (in the
 * run with JavaScript on: axe runs in the page); the run with JavaScript off uses the keyboard only.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { formatDate, ukDate } from '../../src/lib/domain/uk-time';
import { answerPage, followLink, pressButton, type Mode } from './support/journey';
import { referredPerson } from './support/people';
import { specServer } from './support/spec-server';
import { signIn } from './support/staff';
import { audit as auditPage } from './support/axe';

test.describe.configure({ mode: 'serial' });

const server = specServer();

/** axe needs JavaScript in the page: the run with JavaScript off checks the same pages without it. */
let axeOn = true;

async function audit(page: Page, name: string) {
	if (!axeOn) return;
	await auditPage(page, name);
}

const runnableScripts = (page: Page) => page.locator('script:not([type="application/json"])').count();

/** Someone who has just referred themselves from the GP practice link, signed in, in a browser. */
const refer = (browser: Browser, javaScriptEnabled: boolean, email: string) => referredPerson(browser, server.url, { javaScriptEnabled, answers: { email } });

/** One DIALOG+ check-in, every area rated `rating`; `reviews` answers last time's actions first. */
async function checkIn(page: Page, mode: Mode, rating: number, talkAbout: string[], reviews: string[] = [], auditReview = false) {
	await page.goto(`${server.url}/account/check-in/dialog`);
	if (reviews.length) await expect(page.locator('main')).toContainText(`the ${reviews.length} actions you agreed with your employment specialist`);
	await followLink(page, mode, /start your check-in/i);
	for (let i = 1; i <= reviews.length; i++) {
		await expect(page).toHaveURL(new RegExp(`/account/check-in/dialog/actions/${i}$`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Did you do this?');
		expect(await runnableScripts(page), 'the review page runs no JavaScript').toBe(0);
		if (auditReview && i === 1) {
			await audit(page, 'review an action');
			await pressButton(page, mode);
			await expect(page).toHaveTitle(/^Error: /);
			await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#outcome');
			await audit(page, 'review an action (error)');
		}
		await answerPage(page, { outcome: reviews[i - 1] }, mode);
		await pressButton(page, mode);
	}
	for (let n = 1; n <= 11; n++) {
		await expect(page).toHaveURL(new RegExp(`/account/check-in/dialog/${n}$`));
		await answerPage(page, { rating: String(rating), moreHelp: 'no' }, mode);
		await pressButton(page, mode);
	}
	await expect(page).toHaveURL(/\/talk-about$/);
	await answerPage(page, { areas: talkAbout }, mode);
	await pressButton(page, mode);
	await expect(page).toHaveURL(/\/check$/);
	if (reviews.length) await expect(page.getByRole('heading', { name: "Last time's actions" })).toBeVisible();
	if (auditReview) await audit(page, 'check your answers with reviews');
	await pressButton(page, mode, /^send$/i);
	await expect(page).toHaveURL(/\/done$/);
}

function concernRow(page: Page, reference: string) {
	return page.locator('table.concerns tbody tr', { has: page.locator(`a[href="/staff/referrals/${reference}"]`) });
}

for (const javaScript of [true, false]) {
	test(`inbox flag, check-ins page, agreed actions, mark as dealt with, review at the next check-in (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
		test.setTimeout(300_000);
		const mode: Mode = javaScript ? 'mouse' : 'keyboard';
		axeOn = javaScript;
		const { context, page, reference } = await refer(browser, javaScript, `flag-${javaScript ? 'js' : 'nojs'}@example.com`);
		await checkIn(page, mode, 6, []);
		await checkIn(page, mode, 4, ['mental-health', 'job-situation']);

		const staff = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 1280, height: 800 } });
		const sam = await staff.newPage();
		await signIn(sam, server.url, 'sam.specialist@ips.example');
		const today = formatDate(ukDate(new Date()));
		const row = concernRow(sam, reference);
		await expect(row).toContainText('Steep fall in wellbeing');
		await expect(row).toContainText(`The DIALOG overall score fell by 2 points (worse) between ${today} and ${today}.`);
		await audit(sam, 'inbox with a concern');

		await row.locator(`a[href="/staff/referrals/${reference}/check-ins"]`).click();
		await expect(sam).toHaveURL(new RegExp(`/staff/referrals/${reference}/check-ins$`));
		await expect(sam.getByRole('heading', { level: 1 })).toContainText('Check-ins');
		await expect(sam.locator('.notice.warning')).toContainText('Steep fall in wellbeing');
		await expect(sam.locator('.progress-sentence').first()).toHaveText(`Their overall score went down from 6 to 4 since ${today}.`);
		// The scores are behind "Scores at each check-in" (a <details>, so it opens with or without JavaScript).
		await sam.locator('#progress-dialog-details > summary').click();
		await expect(sam.locator('#progress-dialog-details')).toHaveAttribute('open', '');
		const table = sam.locator('table.progress-table');
		const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
		expect(cells).toEqual([
			[today, '6', '6'],
			[today, '4', '4']
		]);
		const canvas = sam.locator('canvas#progress-dialog-chart');
		if (javaScript) {
			await expect(canvas).toHaveAttribute('data-drawn', 'true');
			const drawn = JSON.parse((await canvas.getAttribute('data-values'))!) as { datasets: { data: number[] }[] };
			expect(drawn.datasets[0].data).toEqual(cells.map((r) => Number(r[1])));
		} else await expect(canvas).toBeHidden();
		await expect(sam.locator('table').first()).toContainText('Your mental health, Your job situation');
		await audit(sam, 'check-ins page');

		// Agreed actions: too long (the box's own limit taken off, as an older browser would ignore it), the
		// server's error beside the box and nothing typed lost.
		const long = 'a'.repeat(1001);
		await expect(sam.locator('textarea[name="action-mental-health"]')).toHaveAttribute('maxlength', '1000');
		await sam.locator('textarea[name="action-mental-health"]').evaluate((t) => t.removeAttribute('maxlength'));
		await sam.locator('textarea[name="action-mental-health"]').fill(long);
		await sam.locator('textarea[name="action-job-situation"]').fill('Apply for two jobs');
		await sam.getByRole('button', { name: 'Save agreed actions' }).click();
		await expect(sam).toHaveTitle(/^Error: /);
		await expect(sam.locator('#actions-action-mental-health-error')).toContainText('1000 characters or fewer');
		await expect(sam.locator('textarea[name="action-job-situation"]')).toHaveValue('Apply for two jobs');
		await audit(sam, 'agreed actions (error)');
		await sam.locator('textarea[name="action-mental-health"]').fill('Talk to your GP about sleep');
		await sam.getByRole('button', { name: 'Save agreed actions' }).click();
		await expect(sam.locator('.notice.success')).toHaveText('The agreed actions have been saved.');
		await expect(sam.locator('textarea[name="action-mental-health"]')).toHaveValue('Talk to your GP about sleep');

		// Dealt with, from the inbox: what was done is asked, then confirmed, before anything is saved.
		await sam.goto(`${server.url}/staff`);
		await concernRow(sam, reference).getByRole('link', { name: /record what you did/i }).click();
		await expect(sam.getByRole('heading', { level: 1 })).toHaveText('Record what you did');
		await sam.getByRole('button', { name: 'Continue' }).click();
		await expect(sam).toHaveTitle(/^Error: /);
		await expect(sam.locator('.error-message').first()).toContainText('Select what you did');
		await audit(sam, 'record what you did (error)');
		await sam.getByLabel('Spoke to them').check();
		await sam.getByLabel('Note (optional)').fill('Talked about the week; they are OK.');
		await sam.getByRole('button', { name: 'Continue' }).click();
		await expect(sam.getByRole('heading', { level: 1 })).toHaveText('Check and confirm');
		await expect(sam.locator('dl.summary')).toContainText('Talked about the week; they are OK.');
		await audit(sam, 'check and confirm');
		await sam.getByRole('button', { name: /^Confirm/ }).click();
		await expect(sam).toHaveURL(new RegExp(`/staff/referrals/${reference}\\?done=concern$`));
		await expect(sam.locator('.notice.success')).toContainText('The concern is marked as dealt with.');
		await sam.goto(`${server.url}/staff`);
		await expect(concernRow(sam, reference)).toHaveCount(0);

		// The next check-in asks about each action first, one per page.
		await checkIn(page, mode, 5, [], ['done', 'partly'], true);
		await sam.goto(`${server.url}/staff/referrals/${reference}/check-ins`);
		const actions = sam.locator('table').first().locator('tbody tr').nth(1);
		await expect(actions).toContainText('Talk to your GP about sleep');
		await expect(actions).toContainText('They did this');
		await expect(actions).toContainText('They did some of it');
		await staff.close();
		await context.close();
	});
}

test('a specialist of another programme gets 404 for the check-ins page, its CSV and its action', async ({ browser }) => {
	const { context, reference } = await refer(browser, true, 'flag-other@example.com');
	await context.close();
	const staff = await browser.newContext();
	const sol = await staff.newPage();
	await signIn(sol, server.url, 'sol.secondary@ips.example');
	for (const path of [`/staff/referrals/${reference}/check-ins`, `/staff/referrals/${reference}/check-ins/dialog.csv`]) {
		const res = await staff.request.get(`${server.url}${path}`, { maxRedirects: 0 });
		expect(res.status(), path).toBe(404);
	}
	const posted = await staff.request.post(`${server.url}/staff/referrals/${reference}/check-ins?/actions`, {
		maxRedirects: 0,
		headers: { origin: server.url },
		form: { checkInId: '00000000-0000-4000-8000-000000000000', 'action-mental-health': 'x' }
	});
	expect(posted.status()).toBe(404);
	await staff.close();
});
