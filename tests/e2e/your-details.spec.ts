/**
 * "Your details" and "Your consents" end to end, with JavaScript off and the keyboard only: a person changes
 * their email address from their home page (a wrong code first: the error pattern, nothing typed lost; then
 * the code emailed to the new address by a real SMTP listener), changes how we may contact them, and withdraws
 * their consent to text reminders after reading what it means. axe on each page and error state, through a
 * JavaScript-enabled host page (auditHtml). The server side (codes, events, reminders) is in
 * tests/integration/your-details.test.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { auditHtml } from './support/axe';
import { answerPage, followLink, pressButton } from './support/journey';
import { referredPerson } from './support/people';
import { specAxePage, specMail, specServer } from './support/spec-server';

const smtp = specMail();
const server = specServer(() => ({ SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200' }));
const axe = specAxePage();

const mailTo = (to: string) => smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === to)));

async function nextMail(to: string): Promise<ParsedMail> {
	await expect.poll(() => mailTo(to).length, { timeout: 15_000, message: `a code emailed to ${to}` }).toBeGreaterThan(0);
	return mailTo(to).at(-1)!;
}

const path = (page: Page) => new URL(page.url()).pathname;

test('with JavaScript off and the keyboard only: changes the email address with a code sent to it, and the ways to contact', async ({ browser }) => {
	test.setTimeout(240_000);
	const stamp = Date.now();
	const old = `details.old.${stamp}@example.com`;
	const fresh = `details.new.${stamp}@example.com`;
	const { context, page } = await referredPerson(browser, server.url, { javaScriptEnabled: false, answers: { email: old } });
	axe.keep(context);

	await page.goto(`${server.url}/account`);
	await followLink(page, 'keyboard', 'Your details: change your email address');
	await expect(page).toHaveURL(`${server.url}/account/details`);
	await expect(page.locator('dl.summary')).toContainText(old);
	await auditHtml(page, axe.page, 'your details');

	await followLink(page, 'keyboard', /^Change\s*email address$/);
	await expect(page).toHaveURL(`${server.url}/account/details/new/email`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('What is your new email address?');
	await auditHtml(page, axe.page, 'new email address');
	// A wrong address first: the error pattern, what was typed kept.
	await answerPage(page, { value: 'not an address' }, 'keyboard');
	await pressButton(page, 'keyboard');
	await expect(page).toHaveTitle(/^Error: What is your new email address\?/);
	await expect(page.locator('.error-summary')).toContainText('Enter an email address in the correct format, like name@example.com');
	await expect(page.locator('#value-error')).toContainText('Enter an email address in the correct format');
	await expect(page.locator('[name="value"]')).toHaveValue('not an address');
	await auditHtml(page, axe.page, 'new email address with an error');

	await answerPage(page, { value: fresh }, 'keyboard');
	await pressButton(page, 'keyboard');
	await expect(page).toHaveURL(`${server.url}/account/details/new/email/code`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
	await auditHtml(page, axe.page, 'check your email');
	const mail = await nextMail(fresh);
	expect(mail.subject).toBe('Your code to confirm your new email address');
	const code = /^(\d{6})$/m.exec(mail.text ?? '')?.[1];
	expect(code).toBeTruthy();

	// Until the code is entered the old address is still the one we use.
	await page.goto(`${server.url}/account/details`);
	await expect(page.locator('dl.summary')).toContainText(old);
	await expect(page.locator('.inset')).toContainText(`We sent a code to ${fresh}`);
	await followLink(page, 'keyboard', 'Enter the code');

	const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
	await answerPage(page, { code: wrong }, 'keyboard');
	await pressButton(page, 'keyboard', 'Confirm');
	await expect(page).toHaveTitle(/^Error: Check your email/);
	await expect(page.locator('#code-error')).toContainText('The code is not right');
	await expect(page.locator('[name="code"]')).toHaveValue(wrong);
	await auditHtml(page, axe.page, 'check your email with an error');

	await answerPage(page, { code: code! }, 'keyboard');
	await pressButton(page, 'keyboard', 'Confirm');
	await expect(page).toHaveURL(`${server.url}/account/details?saved=email`);
	await expect(page.getByRole('status')).toHaveText('Your email address has been changed.');
	await expect(page.locator('dl.summary')).toContainText(fresh);
	await expect(page.locator('dl.summary')).not.toContainText(old);
	await auditHtml(page, axe.page, 'your details, changed');
	// The old address is told.
	await expect.poll(() => mailTo(old).some((m) => m.subject === 'Your email address for IPS Employment Support has changed'), { timeout: 15_000 }).toBe(true);

	// The ways to contact: one question on its own page, the referral's answer ticked.
	await followLink(page, 'keyboard', /^Change\s*ways we can contact you$/);
	expect(path(page)).toBe('/account/details/ways');
	await expect(page.locator('input[name="contactChannels"][value="phone"]')).toBeChecked();
	await answerPage(page, { contactChannels: [] }, 'keyboard');
	await pressButton(page, 'keyboard', 'Save');
	await expect(page).toHaveTitle(/^Error: Which ways of contacting you are you happy with\?/);
	await auditHtml(page, axe.page, 'ways to contact with an error');
	await answerPage(page, { contactChannels: ['email', 'text'] }, 'keyboard');
	await pressButton(page, 'keyboard', 'Save');
	await expect(page).toHaveURL(`${server.url}/account/details?saved=saved`);
	await expect(page.locator('dl.summary')).toContainText('Text message, Email');
});

test('with JavaScript off and the keyboard only: reads what withdrawing means, then withdraws consent to text reminders', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, page } = await referredPerson(browser, server.url, {
		javaScriptEnabled: false,
		answers: { email: `consents.${Date.now()}@example.com`, consentTextReminders: true }
	});
	axe.keep(context);
	await page.goto(`${server.url}/account`);
	await followLink(page, 'keyboard', 'Your consents: see what you agreed to');
	await expect(page).toHaveURL(`${server.url}/account/consents`);
	const texts = page.getByRole('region', { name: 'Text message reminders about meetings' });
	await expect(texts).toContainText('You agreed');
	await expect(texts).toContainText('text-reminders-2026-11-v1');
	await auditHtml(page, axe.page, 'your consents');

	// Processing cannot be withdrawn alone: the page says why and points to withdrawing the referral.
	await followLink(page, 'keyboard', /^What happens if I withdraw this/);
	await expect(page.locator('main')).toContainText('we cannot go on supporting you');
	await expect(page.locator('a[href="/account/withdraw"]')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Withdraw my consent' })).toHaveCount(0);
	await auditHtml(page, axe.page, 'processing consent');
	await page.goto(`${server.url}/account/consents`);

	await followLink(page, 'keyboard', /^Withdraw this consent\s*: Text message reminders/);
	expect(path(page)).toBe('/account/consents/textReminders');
	await expect(page.locator('main')).toContainText('We will stop sending you text messages');
	await auditHtml(page, axe.page, 'withdraw text reminders');
	await pressButton(page, 'keyboard', 'Withdraw my consent');
	await expect(page).toHaveURL(`${server.url}/account/consents?withdrawn=textReminders`);
	await expect(page.getByRole('status')).toContainText('You have withdrawn your consent: Text message reminders about meetings');
	await expect(page.getByRole('region', { name: 'Text message reminders about meetings' })).toContainText('You agreed, then withdrew on');
	await expect(page.locator('a[href="/account/consents/textReminders"]')).toHaveCount(0);
	await auditHtml(page, axe.page, 'your consents, one withdrawn');
});
