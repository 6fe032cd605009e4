/**
 * Withdrawing a referral from the person's own account, on one built server: the home page offers it,
 * the page says what happens (plain words), a too-long reason is refused beside the field with the words
 * kept, and withdrawing closes the referral (the home page and the status look-up then say so). With the
 * mouse and JavaScript on (axe, 320 px), and with JavaScript off and the keyboard only.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ELIGIBLE, answerPage, followLink, pressButton, type Mode } from './support/journey';
import { referredPerson } from './support/people';
import { specServer } from './support/spec-server';
import { audit } from './support/axe';

test.describe.configure({ mode: 'serial' });

const server = specServer();

/** Someone who has just referred themselves from the GP practice link, signed in, in a browser. */
const refer = (browser: Browser, javaScriptEnabled: boolean, email: string) => referredPerson(browser, server.url, { javaScriptEnabled, answers: { email } });

/** The status look-up (reference and date of birth): whether it offers signing in to withdraw. */
async function statusOffersWithdrawal(page: Page, reference: string): Promise<boolean> {
	await page.goto(`${server.url}/status`);
	await answerPage(page, { reference, dateOfBirth: ELIGIBLE.dateOfBirth }, 'mouse');
	await pressButton(page, 'mouse', /check progress/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your referral');
	return (await page.getByRole('link', { name: /sign in to withdraw your referral/i }).count()) === 1;
}

async function withdraw(page: Page, mode: Mode, check: boolean) {
	await page.goto(`${server.url}/account`);
	await followLink(page, mode, /withdraw your referral/i);
	await expect(page).toHaveURL(/\/account\/withdraw$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Withdraw your referral');
	await expect(page.getByText('Any meetings you have booked will be cancelled')).toBeVisible();
	if (check) await audit(page, 'withdraw');

	// The box stops at 500 characters; a browser that ignores maxlength gets the message beside the field
	// and in the summary, with the words kept.
	await expect(page.locator('textarea[name=reason]')).toHaveAttribute('maxlength', '500');
	if (check) {
		const long = 'I have found work. '.repeat(30).trim();
		await page.locator('textarea[name=reason]').evaluate((el) => el.removeAttribute('maxlength'));
		await answerPage(page, { reason: long }, mode);
		await pressButton(page, mode, /withdraw my referral/i);
		await expect(page.locator('#reason-error')).toContainText('500 characters or fewer');
		await expect(page.locator('.error-summary')).toBeVisible();
		await expect(page.locator('textarea[name=reason]')).toHaveValue(long);
		await audit(page, 'withdraw (error)');
	}

	await answerPage(page, { reason: 'I have found work' }, mode);
	await pressButton(page, mode, /withdraw my referral/i);
	await expect(page).toHaveURL(/\/account\?withdrawn=1$/);
	await expect(page.getByRole('heading', { name: 'You have withdrawn your referral' })).toBeVisible();
	await expect(page.getByText('Your referral is closed', { exact: false }).first()).toBeVisible();
	// Nothing left to withdraw or book.
	await expect(page.getByRole('link', { name: /withdraw your referral/i })).toHaveCount(0);
	await expect(page.getByRole('link', { name: /book your first meeting/i })).toHaveCount(0);
	if (check) await audit(page, 'home after withdrawing');
	await page.goto(`${server.url}/account/withdraw`);
	await expect(page.getByText('Your referral is already closed')).toBeVisible();
}

test('with the mouse and JavaScript on: withdraw from the account, a reason too long first (axe, 320 px)', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page, reference } = await refer(browser, true, 'wanda.withdraw@example.com');
	expect(await statusOffersWithdrawal(page, reference), 'the status look-up offers withdrawing while open').toBe(true);
	await withdraw(page, 'mouse', true);
	expect(await statusOffersWithdrawal(page, reference), 'and not once closed').toBe(false);
	await context.close();
});

test('with JavaScript off and the keyboard only: the same', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await refer(browser, false, 'kim.keys.withdraw@example.com');
	await withdraw(page, 'keyboard', false);
	await context.close();
});

test('the withdraw page needs a participant session', async ({ browser }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext();
	const page = await context.newPage();
	const res = await page.goto(`${server.url}/account/withdraw`);
	// Not signed in: sent to sign in, and back here afterwards.
	await expect(page).toHaveURL(/\/account\/sign-in\?next=%2Faccount%2Fwithdraw$/);
	expect(res?.ok()).toBe(true);
	const post = await page.request.post(`${server.url}/account/withdraw`, { form: { reason: '' }, headers: { accept: 'text/html', origin: server.url }, maxRedirects: 0 });
	expect(post.status()).not.toBe(303);
	expect([401, 403, 404]).toContain(post.status());
	await context.close();
});
