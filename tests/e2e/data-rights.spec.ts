/**
 * Asking for deletion end to end, with JavaScript off: a person asks from their home page with the keyboard
 * only (a reason too long first: the error pattern, what they typed kept) and is told what happens next and
 * by when; their specialist finds the request in the inbox and refuses it with a lawful reason (nothing
 * chosen first: the error pattern); the person sees why on their home page; they ask again and the
 * specialist carries it out (not confirmed first); the person can no longer sign in and the referral page
 * says the data was erased. axe on every page and error state, each reflowing at 320 px. What erasure
 * removes, table by table, is in tests/integration/erasure.test.ts.
 */
import { expect, test } from '@playwright/test';
import { auditHtml } from './support/axe';
import { followLink, pressButton } from './support/journey';
import { referredPerson, staffMember } from './support/people';
import { specAxePage, specServer } from './support/spec-server';

const server = specServer();
const axe = specAxePage();

test('a person asks for deletion; staff refuse with a reason, then carry out a second request', async ({ browser }) => {
	test.setTimeout(300_000);
	const { context, page, reference } = await referredPerson(browser, server.url, { javaScriptEnabled: false, answers: { email: 'delete.me@example.com' } });
	axe.keep(context);

	// The person, with the keyboard: the page says what deleting means; a reason too long is refused and kept.
	await page.goto(`${server.url}/account`);
	await followLink(page, 'keyboard', 'ask us to delete your data');
	await expect(page).toHaveURL(`${server.url}/account/delete`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ask us to delete your data');
	await auditHtml(page, axe.page, 'ask to delete');
	const long = 'x'.repeat(1001);
	await page.locator('#reason').fill(long);
	await pressButton(page, 'keyboard', 'Ask us to delete my data');
	await expect(page).toHaveTitle(/^Error: Ask us to delete your data/);
	await expect(page.locator('.error-summary')).toContainText('Your reason must be 1000 characters or fewer');
	await expect(page.locator('#reason')).toHaveValue(long);
	await auditHtml(page, axe.page, 'ask to delete with an error');
	await page.locator('#reason').fill('I do not need the service now');
	await pressButton(page, 'keyboard', 'Ask us to delete my data');
	await expect(page).toHaveURL(`${server.url}/account/delete/sent`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('We have your request to delete your data');
	await expect(page.locator('main')).toContainText(/answer by \w+day \d{1,2} \w+ \d{4}/);
	await auditHtml(page, axe.page, 'request sent');

	// The specialist: the request in the inbox; refusing needs a reason and a note.
	const sam = await staffMember(browser, server.url, 'sam.specialist@ips.example');
	axe.keep(sam.context);
	const requests = sam.page.getByRole('region', { name: 'Requests to delete data' });
	await expect(requests.getByRole('row').filter({ hasText: reference })).toHaveCount(1);
	await requests.getByRole('link', { name: new RegExp(`Decide\\s*: the request of referral ${reference}`) }).click();
	await expect(sam.page.getByRole('heading', { level: 1 })).toHaveText('Request to delete data');
	await expect(sam.page.locator('dl.summary-list')).toContainText('I do not need the service now');
	await auditHtml(sam.page, axe.page, 'decide on a request');
	await sam.page.getByRole('button', { name: 'Refuse the request' }).click();
	await expect(sam.page).toHaveTitle(/^Error: /);
	await expect(sam.page.locator('.error-summary')).toContainText('Choose why the data cannot be deleted');
	await expect(sam.page.locator('.error-summary')).toContainText('Enter a note for the record');
	await auditHtml(sam.page, axe.page, 'decide on a request with errors');
	await sam.page.getByLabel('Safeguarding: it is needed to keep someone safe').check();
	await sam.page.getByLabel('Note for the record').fill('Open safeguarding referral');
	await sam.page.getByRole('button', { name: 'Refuse the request' }).click();
	await expect(sam.page.getByRole('status')).toContainText('The request is refused.');

	// The person sees why, and asks again.
	await page.goto(`${server.url}/account`);
	await expect(page.getByRole('status')).toContainText('We need it to keep you or someone else safe.');
	await expect(page.locator('main')).not.toContainText('Open safeguarding referral');
	await auditHtml(page, axe.page, 'home with a refusal');
	await followLink(page, 'keyboard', 'ask us to delete your data');
	await pressButton(page, 'keyboard', 'Ask us to delete my data');
	await expect(page).toHaveURL(`${server.url}/account/delete/sent`);

	// Carrying it out needs the box ticked; then the data is gone and the person cannot sign in.
	await sam.page.goto(`${server.url}/staff/referrals/${reference}/erasure`);
	await sam.page.getByRole('button', { name: 'Delete their data now' }).click();
	await expect(sam.page.locator('.error-summary')).toContainText('Tick the box to confirm you want to delete the data now');
	await sam.page.getByLabel(/I have checked there is no lawful reason to keep this data/).check();
	await sam.page.getByRole('button', { name: 'Delete their data now' }).click();
	await expect(sam.page.getByRole('status')).toContainText("The person's data has been erased.");
	await sam.page.goto(`${server.url}/staff/referrals/${reference}`);
	await expect(sam.page.getByRole('heading', { level: 1 })).toHaveText('Data erased');
	await expect(sam.page.locator('main')).not.toContainText('delete.me@example.com');
	await auditHtml(sam.page, axe.page, 'erased referral');

	await page.goto(`${server.url}/account`);
	await expect(page).toHaveURL(/\/account\/sign-in/);
});
