import { expect, test, type Page } from '@playwright/test';
import { audit } from './support/axe';
import { ELIGIBLE, REFERRAL, answerPage, checkEligibility, completeReferral, followLink, pressButton, sendReferral, tellUsMore, type Mode } from './support/journey';
import { referredPerson, staffMember } from './support/people';
import { specServer } from './support/spec-server';

/**
 * Issue 22: from a Fit Note link to "Referral sent" in at most 14 pages, with JavaScript off, with it on and
 * with the keyboard only; axe finds nothing on any page (in the run with JavaScript on; accessibility.spec.ts
 * checks every one of them and their error states too); check your answers is under 2,500 px tall at 390 px
 * wide. Then "Tell us more" after sending, and the specialist sees what was added on the referral page.
 */
test.describe.configure({ mode: 'parallel' });
// Fourteen pages, axe on each in one run: over a minute on a busy machine.
test.setTimeout(180_000);

const server = specServer();

/** Every page the browser showed (a document loaded in the main frame), in order, as paths. */
function pagesShown(page: Page): string[] {
	const shown: string[] = [];
	page.on('load', () => shown.push(new URL(page.url()).pathname));
	return shown;
}

const runs: { name: string; mode: Mode; javaScriptEnabled: boolean }[] = [
	{ name: 'with JavaScript turned off', mode: 'mouse', javaScriptEnabled: false },
	{ name: 'with JavaScript on', mode: 'mouse', javaScriptEnabled: true },
	{ name: 'with the keyboard only', mode: 'keyboard', javaScriptEnabled: true }
];

for (const run of runs) {
	test(`a Fit Note link to "Referral sent" in at most 14 pages ${run.name}, axe on each`, async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: run.javaScriptEnabled, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		const shown = pagesShown(page);
		// The pages are the same HTML with JavaScript on or off and whatever the keyboard does, so axe runs in
		// the mouse run only (accessibility.spec.ts also runs it on every one of these pages and their errors).
		const checkPage = async () => {
			if (run.mode === 'mouse' && run.javaScriptEnabled) await audit(page, new URL(page.url()).pathname);
		};

		await page.goto(`${server.url}/r/gp-p84001`);
		await expect(page).toHaveURL(`${server.url}/`);
		// The start page says how many questions there are: no "how did you hear about us" after a link.
		await expect(page.locator('main')).toContainText('There are 10 questions: 6 to check the service covers you, then 4 for your referral.');
		await checkPage();
		await followLink(page, run.mode, /start now/i);
		const answers = { ...ELIGIBLE, ...REFERRAL };
		for (let i = 0; i < 20; i++) {
			const path = new URL(page.url()).pathname;
			if (path === '/refer/confirmation') break;
			await checkPage();
			if (path === '/check/result') await followLink(page, run.mode, /continue to your referral/i);
			else if (path === '/refer/check-answers') {
				// Check your answers fits a phone screen or three, not five thousand pixels.
				expect(await page.evaluate(() => document.documentElement.scrollHeight), 'check your answers at 390 px wide').toBeLessThan(2500);
				await pressButton(page, run.mode, /send referral/i);
			} else {
				await answerPage(page, answers, run.mode);
				await pressButton(page, run.mode);
				expect(await page.title(), path).not.toMatch(/^Error:/);
			}
		}
		await expect(page).toHaveURL(/\/refer\/confirmation$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referral sent');
		await checkPage();

		const distinct = shown.filter((p, i) => p !== shown[i - 1]);
		expect(distinct, `pages: ${distinct.join(' → ')}`).toEqual([
			'/',
			'/check/postcode',
			'/check/date-of-birth',
			'/check/health-condition',
			'/check/employment',
			'/check/wants-work',
			'/check/circumstances',
			'/check/result',
			'/refer/your-details',
			'/refer/contact-preferences',
			'/refer/communication',
			'/refer/consent',
			'/refer/check-answers',
			'/refer/confirmation'
		]);
		expect(distinct.length).toBeLessThanOrEqual(14);
		await context.close();
	});
}

test('"Tell us more" saves each answer, a page skipped saves nothing, and the specialist sees what was added', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: true });
	const page = await context.newPage();
	await page.goto(`${server.url}/r/gp-p84001`);
	await checkEligibility(page, ELIGIBLE, 'mouse');
	await completeReferral(page, REFERRAL, 'mouse');
	const reference = await sendReferral(page, 'mouse');

	// Every optional page after sending, answered or skipped (accessibility.spec.ts runs axe on each).
	await page.getByRole('link', { name: /^tell us more$/i }).click();
	const more: string[] = [];
	while (new URL(page.url()).pathname.startsWith('/account/more/') && !page.url().endsWith('/done')) {
		const path = new URL(page.url()).pathname;
		more.push(path);
		if (path.endsWith('/condition')) await page.getByLabel('Tell us about your health and how it affects work').fill('Anxiety makes busy places hard.');
		if (path.endsWith('/job-goals')) await page.getByLabel('What kind of work would you like to do?').fill('Gardening, part time');
		if (path.endsWith('/daily-life')) {
			await page.getByRole('link', { name: 'Skip this question' }).click();
			continue;
		}
		await page.getByRole('button', { name: 'Save and continue' }).click();
		await expect(page.locator('.error-summary')).toHaveCount(0);
	}
	expect(more).toContain('/account/more/condition');
	expect(more).toContain('/account/more/equality');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for telling us more');
	await context.close();

	const staff = await staffMember(browser, server.url, 'sam.specialist@ips.example', { javaScriptEnabled: true });
	await staff.page.goto(`${server.url}/staff/referrals/${reference.replace('-', '')}`);
	const told = staff.page.locator('h3#more-answers + dl');
	await expect(told).toContainText('Anxiety makes busy places hard.');
	await expect(told).toContainText('Gardening, part time');
	await expect(told).toContainText('Added ');
	await expect(staff.page.locator('main')).toContainText('The person told us more after sending their referral');
	await staff.context.close();
});

test('the tell-us-more helper walks the pages with the keyboard too', async ({ browser }) => {
	// Sent over HTTP (the keyboard walk to here is the test above), then on the confirmation page in the browser.
	const { context, page } = await referredPerson(browser, server.url, { javaScriptEnabled: false });
	const visited = await tellUsMore(page, { conditionDescription: 'Back pain.', pronouns: 'they/them' }, 'keyboard');
	expect(visited[0]).toBe('/account/more/condition');
	expect(visited).toContain('/account/more/pronouns');
	await context.close();
});
