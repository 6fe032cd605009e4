import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { totpCode } from '../../src/lib/server/auth/totp';
import { removeDir, startServer, type RunningServer } from './support/server';
import { signIn } from './support/staff';
import { auditHtml } from './support/axe';

/**
 * Administration with JavaScript off, as an admin: programmes (edit, error, versions), staff (create,
 * the one-time set-up, signing in as the new person, disable and enable), links and their QR codes, the
 * audit log. A specialist is refused. axe runs on every admin page, error states included.
 */
test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'tmp/screenshots';
const PRIMARY = 'gm-ips-primary-care';
const NEW_PERSON = { email: 'nia.new@ips.example', name: 'Nia New', password: 'a brand new password 2026' };
const LINK = 'e2e-fit-note';

let server: RunningServer;
let admin: BrowserContext;
let page: Page;
let axeContext: BrowserContext;
let axePage: Page;
const audited = new Set<string>();

async function noJsContext(browser: Browser) {
	return browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
}

/**
 * axe cannot run in a page with JavaScript off, so the page as the browser has it (these pages ship no
 * JavaScript: the DOM is the server's HTML) is loaded into a JavaScript-enabled page on the same origin,
 * with the same stylesheet, and checked there.
 */
async function axe(p: Page, name: string) {
	await auditHtml(p, axePage, name, { widths: [1280] });
	audited.add(name);
}

/** Full-page screenshots at phone and desktop width, for a person to look at. */
async function screenshots(p: Page, name: string) {
	for (const width of [390, 1280]) {
		await p.setViewportSize({ width, height: width === 390 ? 844 : 800 });
		await p.screenshot({ path: `${SCREENSHOTS}/admin-${name}-${width}.png`, fullPage: true });
	}
	await p.setViewportSize({ width: 1280, height: 800 });
}

async function expectErrorPattern(p: Page, field: string, message: RegExp) {
	await expect(p).toHaveTitle(/^Error: /);
	const summary = p.locator('.error-summary');
	await expect(summary).toBeVisible();
	await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', `#${field}`);
	await expect(p.locator(`#${field}-error`)).toContainText(message);
	// The field, or the fieldset of a group of radios or checkboxes, points to its message.
	await expect(p.locator(`#${field}, fieldset:has(#${field})`).and(p.locator(`[aria-describedby~="${field}-error"]`))).toHaveCount(1);
}

test.beforeAll(async ({ browser }) => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	server = await startServer();
	admin = await noJsContext(browser);
	page = await admin.newPage();
	axeContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	axePage = await axeContext.newPage();
	await signIn(page, server.url, 'admin@ips.example');
});

test.afterAll(async () => {
	await admin?.close();
	await axeContext?.close();
	if (server && server.process.exitCode === null) await server.stop();
	if (server) removeDir(server.dataDir);
});

test('the admin home links to every admin area', async () => {
	await page.getByRole('link', { name: 'Administration' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
	for (const name of ['Programmes', 'Staff', 'Fit Note and campaign links', 'Audit log']) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
	await axe(page, 'admin home');
});

test('an admin changes a programme contact target and it sticks, with a new version', async () => {
	await page.goto(`${server.url}/staff/admin/programmes`);
	await axe(page, 'programmes');
	await page.getByRole('link', { name: 'IPS Primary Care, Greater Manchester' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await expect(page.getByLabel('Contact target')).toHaveValue('5');
	await axe(page, 'programme edit');
	await screenshots(page, 'programme-edit');

	await page.getByLabel('Contact target').fill('3');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}?saved=2`);
	await expect(page.getByRole('status')).toContainText('Saved as version 2');
	await axe(page, 'programme saved');
	await page.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await expect(page.getByLabel('Contact target')).toHaveValue('3');
	const versions = page.getByRole('region', { name: 'Versions' });
	await expect(versions.getByRole('row').nth(1)).toContainText('Ada Admin (admin@ips.example)');
	await expect(versions.getByRole('row').nth(2)).toContainText('Seed file');
});

test('an invalid programme value shows the error pattern, keeps what was typed and saves nothing', async () => {
	await page.getByLabel('Contact target').fill('0');
	await page.getByLabel('Team email address').fill('not an email');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expectErrorPattern(page, 'contactTargetWorkingDays', /Contact target must be a whole number of working days from 1 to 30/);
	await expectErrorPattern(page, 'teamEmail', /Enter the team email address/);
	await expect(page.getByLabel('Contact target')).toHaveValue('0');
	await expect(page.getByLabel('Contact target')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Team email address')).toHaveValue('not an email');
	await axe(page, 'programme edit with errors');
	await screenshots(page, 'programme-edit-error');

	await page.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await expect(page.getByLabel('Contact target')).toHaveValue('3');
	await expect(page.locator('.caption')).toContainText('version 2');
});

test('an admin sets the job sustainment points; bad weeks show the error pattern and keep what was typed', async () => {
	await page.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await page.getByRole('link', { name: 'Job outcome settings' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Job outcome settings');
	const weeks = page.getByLabel('Weeks after a job start to check the person is still in work');
	await expect(weeks).toHaveValue('13, 26');
	await axe(page, 'job outcome settings');
	await weeks.fill('13, lots');
	await page.getByRole('button', { name: 'Save job outcome settings' }).click();
	await expectErrorPattern(page, 'sustainmentWeeks', /Enter whole numbers of weeks from 1 to 104/);
	await expect(weeks).toHaveValue('13, lots');
	await axe(page, 'job outcome settings with errors');
	await weeks.fill('26, 13, 52');
	await page.getByRole('button', { name: 'Save job outcome settings' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}/outcomes?saved=3`);
	await expect(page.getByRole('status')).toContainText('version 3');
	await expect(weeks).toHaveValue('13, 26, 52');
	await screenshots(page, 'job-outcome-settings');
});

test('an admin creates a staff member, who signs in with the authenticator set-up shown once', async ({ browser }) => {
	await page.goto(`${server.url}/staff/admin/staff`);
	await axe(page, 'staff list');
	await page.getByRole('link', { name: 'Add a staff member' }).click();
	await expect(page).toHaveURL(`${server.url}/staff/admin/staff/new`);
	await axe(page, 'new staff');

	await page.getByRole('button', { name: 'Create account' }).click();
	await expectErrorPattern(page, 'email', /email address/);
	await expect(page.locator('.error-summary li')).toHaveCount(5);
	await axe(page, 'new staff with errors');

	await page.getByLabel('Email address').fill(NEW_PERSON.email);
	await page.getByLabel('Full name').fill(NEW_PERSON.name);
	await page.getByLabel('Employment specialist').check();
	await page.getByLabel('IPS Primary Care, Greater Manchester').check();
	await page.getByLabel('GP practice codes (optional)').fill('p84004');
	await page.getByLabel('Initial password').fill(NEW_PERSON.password);
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff member created');
	await expect(page).toHaveTitle(/^Staff member created/);
	const uri = (await page.locator('#totp-uri').textContent())!.trim();
	expect(uri).toMatch(/^otpauth:\/\/totp\//);
	const secret = new URL(uri).searchParams.get('secret')!;
	expect(secret).toMatch(/^[A-Z2-7]{32}$/);
	await expect(page.locator('#totp-secret')).toHaveText(secret.match(/.{4}/g)!.join(' '));
	await expect(page.getByRole('img', { name: /QR code/ }).locator('svg')).toBeVisible();
	await expect(page.locator('.recovery-codes li')).toHaveCount(10);
	await axe(page, 'staff created');
	await screenshots(page, 'staff-created');

	// The new person signs in on their own computer with the key they were handed.
	const theirs = await noJsContext(browser);
	const them = await theirs.newPage();
	await them.goto(`${server.url}/staff/sign-in`);
	await them.getByLabel('Email address').fill(NEW_PERSON.email);
	await them.getByLabel('Password').fill(NEW_PERSON.password);
	await them.getByRole('button', { name: 'Continue' }).click();
	await them.getByLabel(/code from your authenticator/i).fill(totpCode(secret));
	await them.getByRole('button', { name: 'Sign in' }).click();
	await expect(them).toHaveURL(`${server.url}/staff`);
	await expect(them.getByRole('link', { name: 'Administration' })).toHaveCount(0);

	// The admin disables the account: the person is signed out at once. Enabling lets them sign in again.
	await page.goto(`${server.url}/staff/admin/staff`);
	await expect(page.getByRole('row', { name: /Nia New/ })).toContainText('P84004');
	await page.getByRole('link', { name: NEW_PERSON.name }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(NEW_PERSON.name);
	await expect(page.locator('.summary')).toContainText('1 device');
	await axe(page, 'staff member');
	await page.getByRole('button', { name: 'Disable account' }).click();
	await expect(page.getByRole('status')).toContainText('signed out everywhere');
	await expect(page.locator('.summary')).toContainText('Disabled on');
	await axe(page, 'staff member disabled');
	await them.goto(`${server.url}/staff`);
	await expect(them).toHaveURL(/\/staff\/sign-in/);

	await page.getByRole('button', { name: 'Enable account' }).click();
	await expect(page.getByRole('status')).toContainText('Account enabled');

	// Changing the role and programmes; leaving no programme is an error.
	await page.getByLabel('Team lead').check();
	await page.getByLabel('IPS Primary Care, Greater Manchester').uncheck();
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expectErrorPattern(page, 'programmeIds', /Choose at least one programme/);
	await expect(page.getByLabel('Team lead')).toBeChecked();
	await axe(page, 'staff member with errors');
	await page.getByLabel('IPS Secondary Care, Greater Manchester').check();
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toContainText('saved');
	await expect(page.locator('.caption')).toHaveText('Team lead');
	await theirs.close();
});

test('an admin creates a Fit Note link and downloads its QR code as SVG and PNG', async () => {
	await page.goto(`${server.url}/staff/admin/links`);
	await axe(page, 'links');
	await page.getByLabel('Link code').fill('Not a code!');
	await page.getByLabel('GP practice ODS code (optional)').fill('X1');
	await page.getByRole('button', { name: 'Create link' }).click();
	await expectErrorPattern(page, 'code', /Enter a link code/);
	await expectErrorPattern(page, 'sourceCode', /Choose the source/);
	await expectErrorPattern(page, 'odsCode', /letter and five digits/);
	await expectErrorPattern(page, 'label', /Enter a label/);
	await expect(page.getByLabel('Link code')).toHaveValue('not a code!');
	await axe(page, 'links with errors');

	await page.getByLabel('Link code').fill(LINK);
	await page.getByLabel('Source').selectOption('fit-note');
	await page.getByLabel('GP practice ODS code (optional)').fill('P84009');
	await page.getByLabel('Programme (optional)').selectOption(PRIMARY);
	await page.getByLabel('Label').fill('Fit Note, E2E Surgery');
	await page.getByRole('button', { name: 'Create link' }).click();
	await expect(page.getByRole('status')).toContainText(`Link ${LINK} created`);
	const row = page.locator(`#link-${LINK}`);
	await expect(row).toContainText(`${server.url}/r/${LINK}`);
	await expect(row).toContainText('P84009');
	await axe(page, 'link created');
	await screenshots(page, 'links');

	const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `SVG QR code for ${LINK}` }).click()]);
	expect(download.suggestedFilename()).toBe(`ips-link-${LINK}.svg`);
	expect(readFileSync((await download.path())!, 'utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);

	const svg = await page.request.get(`${server.url}/staff/admin/links/${LINK}/qr.svg`);
	expect(svg.status()).toBe(200);
	expect(svg.headers()['content-type']).toMatch(/^image\/svg\+xml/);
	expect(svg.headers()['content-disposition']).toBe(`attachment; filename="ips-link-${LINK}.svg"`);

	const png = await page.request.get(`${server.url}/staff/admin/links/${LINK}/qr.png`);
	expect(png.status()).toBe(200);
	expect(png.headers()['content-type']).toBe('image/png');
	expect(png.headers()['content-disposition']).toBe(`attachment; filename="ips-link-${LINK}.png"`);
	expect([...(await png.body()).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

	expect((await page.request.get(`${server.url}/staff/admin/links/no-such-link/qr.png`)).status()).toBe(404);
});

test('a webhook to plain http, inside the server network or to a name that does not resolve is refused with a message beside the address', async () => {
	await page.goto(`${server.url}/staff/admin/webhooks`);
	for (const [url, message] of [
		['http://crm.example.org/ips-webhooks', /Enter an https address/],
		['https://0x7f.1/hooks', /This address points inside the server's own network/],
		['https://169.254.169.254/latest/meta-data/', /This address points inside the server's own network/],
		['https://127.0.0.1/hooks', /WEBHOOK_ALLOW_PRIVATE=true/],
		['https://crm.example.invalid/ips-webhooks', /No address could be found for crm\.example\.invalid: check it is spelt correctly/]
	] as const) {
		await page.getByLabel('Receiver address').fill(url);
		await page.locator('input[name=eventTypes][value="referral.submitted"]').check();
		await page.locator(`input[name=programmeIds][value="${PRIMARY}"]`).check();
		await page.getByRole('button', { name: 'Create subscription' }).click();
		await expectErrorPattern(page, 'url', message);
		await expect(page.getByLabel('Receiver address')).toHaveValue(url);
	}
	await axe(page, 'webhooks with errors');
	await expect(page.getByText('There are no webhook subscriptions yet.')).toBeVisible();
});

test('the audit log lists these actions, newest first, and filters by action', async () => {
	await page.goto(`${server.url}/staff/admin/audit`);
	const table = page.getByRole('region', { name: 'Audit log entries' });
	for (const action of ['programme.updated', 'staff.created', 'staff.disabled', 'staff.enabled', 'staff.updated', 'link.created'])
		await expect(table.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
	await expect(table.getByRole('row').nth(1)).toContainText('link.created');
	const updates = table.getByRole('row', { name: /programme\.updated/ });
	await expect(updates).toHaveCount(2);
	await expect(updates.first()).toContainText('Ada Admin');
	await expect(updates.first()).toContainText('outcomes.sustainmentWeeks');
	await expect(updates.nth(1)).toContainText('contactTargetWorkingDays');
	await expect(page.locator('form[method="POST"], form:not([method])')).toHaveCount(0);
	await axe(page, 'audit log');
	await screenshots(page, 'audit');

	await page.getByLabel('Action').selectOption('staff.created');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/\?action=staff\.created$/);
	await expect(table.getByRole('row')).toHaveCount(2);
	await expect(table).toContainText(NEW_PERSON.email);
	await axe(page, 'audit log filtered');
});

test('a specialist is refused every admin page and action', async ({ browser }) => {
	const context = await noJsContext(browser);
	const sam = await context.newPage();
	await signIn(sam, server.url, 'sam.specialist@ips.example');
	await expect(sam.getByRole('link', { name: 'Administration' })).toHaveCount(0);
	for (const path of ['/staff/admin', '/staff/admin/programmes', `/staff/admin/programmes/${PRIMARY}`, '/staff/admin/staff', '/staff/admin/staff/new', '/staff/admin/links', '/staff/admin/audit']) {
		const response = await sam.goto(`${server.url}${path}`);
		expect(response?.status(), path).toBe(403);
	}
	expect((await sam.request.get(`${server.url}/staff/admin/links/${LINK}/qr.svg`)).status()).toBe(403);
	expect((await sam.request.get(`${server.url}/staff/admin/links/${LINK}/qr.png`)).status()).toBe(403);

	const headers = { Origin: server.url };
	const save = await sam.request.post(`${server.url}/staff/admin/programmes/${PRIMARY}`, { headers, form: { contactTargetWorkingDays: '1' } });
	expect(save.status()).toBe(403);
	const create = await sam.request.post(`${server.url}/staff/admin/staff/new`, {
		headers,
		form: { email: 'sneaky@ips.example', name: 'Sneaky', role: 'admin', programmeIds: PRIMARY, password: 'sneaky password 123' }
	});
	expect(create.status()).toBe(403);
	expect((await sam.request.post(`${server.url}/staff/admin/links`, { headers, form: { code: 'sneaky', sourceCode: 'leaflet', label: 'x' } })).status()).toBe(403);
	await context.close();

	await page.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await expect(page.getByLabel('Contact target')).toHaveValue('3');
	await page.goto(`${server.url}/staff/admin/audit?action=staff.created`);
	await expect(page.getByRole('region', { name: 'Audit log entries' })).not.toContainText('sneaky');
});

test('axe ran on every admin page', () => {
	expect([...audited].sort()).toEqual(
		[
			'admin home',
			'programmes',
			'programme edit',
			'programme saved',
			'programme edit with errors',
			'job outcome settings',
			'job outcome settings with errors',
			'staff list',
			'new staff',
			'new staff with errors',
			'staff created',
			'staff member',
			'staff member disabled',
			'staff member with errors',
			'links',
			'links with errors',
			'webhooks with errors',
			'link created',
			'audit log',
			'audit log filtered'
		].sort()
	);
});
