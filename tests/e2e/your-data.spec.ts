/**
 * "Download your data" end to end, on the built portal: a person who has just referred themselves, with
 * JavaScript off and the keyboard only, opens it from their home page, reads their name and reference on the
 * page (axe through a host page, 320 px reflow) and downloads the JSON, which validates against the schema
 * the portal publishes. Their specialist opens the same for a subject access request from the referral
 * page; staff of another programme get 404. What the file holds is in tests/integration/your-data.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { auditHtml } from './support/axe';
import { followLink, tabTo } from './support/journey';
import { referredPerson, staffMember } from './support/people';
import { specAxePage, specServer } from './support/spec-server';

const server = specServer();
const axe = specAxePage();

test.describe.configure({ mode: 'serial' });

let reference = '';

async function schemaValidator() {
	const res = await fetch(`${server.url}/api/v1/schema/your-data.json`);
	expect(res.status).toBe(200);
	const schema = await res.json();
	expect(schema.$id).toBe(`${server.url}/api/v1/schema/your-data.json`);
	return new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}

/** Presses Enter on the link with this href, reached with the Tab key, and returns the file it downloads. */
async function downloadWithKeyboard(page: Page, href: string): Promise<{ download: Download; json: Record<string, any> }> {
	await tabTo(page, `a[href="${href}"]`);
	const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
	const file = await download.path();
	return { download, json: JSON.parse(await readFile(file, 'utf8')) };
}

test('with JavaScript off and the keyboard only, the person reads their data and downloads it as JSON', async ({ browser }) => {
	test.setTimeout(180_000);
	const person = await referredPerson(browser, server.url, { javaScriptEnabled: false, answers: { email: 'your.data@example.com' } });
	reference = person.reference;
	axe.keep(person.context);
	const { page } = person;

	await page.goto(`${server.url}/account`);
	await followLink(page, 'keyboard', 'Download your data');
	await expect(page).toHaveURL(`${server.url}/account/data`);
	await expect(page).toHaveTitle('Your data - IPS Employment Support');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your data');
	await expect(page.locator('.caption')).toHaveText(`Sam Taylor, reference ${reference}`);
	await expect(page.getByRole('heading', { name: 'Consents' })).toBeVisible();
	await expect(page.locator('#data-person + dl')).toContainText('your.data@example.com');
	await auditHtml(page, axe.page, 'your data');

	const { download, json } = await downloadWithKeyboard(page, '/account/data/your-data.json');
	expect(download.suggestedFilename()).toBe(`ips-your-data-${reference}.json`);
	const validate = await schemaValidator();
	expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
	expect(json.schemaVersion).toBe(1);
	expect(json.person).toMatchObject({ givenName: 'Sam', familyName: 'Taylor', email: 'your.data@example.com' });
	expect(json.referral.reference).toBe(reference);
	expect(json.consents.map((c: { kind: string }) => c.kind)).toContain('processing');

	const res = await page.request.get(`${server.url}/account/data/your-data.json`);
	expect(res.headers()['cache-control']).toBe('no-store');
	expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="ips-your-data-/);
});

test('staff of the programme open the subject access request; staff of another programme get 404', async ({ browser }) => {
	test.setTimeout(180_000);
	expect(reference).not.toBe('');
	const sam = await staffMember(browser, server.url, 'sam.specialist@ips.example');
	axe.keep(sam.context);
	await sam.page.goto(`${server.url}/staff/referrals/${reference}`);
	await followLink(sam.page, 'mouse', "Subject access request: download this person's data");
	await expect(sam.page).toHaveURL(`${server.url}/staff/referrals/${reference}/data`);
	await expect(sam.page.locator('.caption')).toHaveText(`Sam Taylor, reference ${reference}`);
	await auditHtml(sam.page, axe.page, 'subject access request');
	const [download] = await Promise.all([sam.page.waitForEvent('download'), sam.page.getByRole('link', { name: "Download this person's data (JSON file)" }).click()]);
	const json = JSON.parse(await readFile(await download.path(), 'utf8'));
	const validate = await schemaValidator();
	expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
	expect(json.referral.reference).toBe(reference);

	const sol = await staffMember(browser, server.url, 'sol.secondary@ips.example');
	for (const path of [`/staff/referrals/${reference}/data`, `/staff/referrals/${reference}/data/subject-access.json`])
		expect((await sol.page.request.get(`${server.url}${path}`)).status(), path).toBe(404);
	await sol.context.close();
});
