import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/lib/server/demo-staff';
import { removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { freshCode, signIn } from './support/staff';

test.describe.configure({ mode: 'serial' });
let server: RunningServer;

test.beforeAll(async () => {
	// A first start on an empty folder (migrations, the demo seed): a test below reads what the seed logged.
	test.setTimeout(180_000);
	server = await startServer({}, undefined, { fresh: true, startTimeoutMs: 150_000 });
});
test.afterAll(async () => {
	await server?.stop();
	if (server) removeDir(server.dataDir);
});

async function passwordStep(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto(`${server.url}/staff/sign-in`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Continue' }).click();
}

async function codeStep(page: Page, code: string) {
	await page.getByLabel(/code from your authenticator/i).fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('signs in with a password and an authenticator code, without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(`${server.url}/staff`);
	await expect(page).toHaveURL(/\/staff\/sign-in\?next=%2Fstaff/);
	await signIn(page, server.url, 'lead@ips.example');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referrals');
	const cookie = (await context.cookies()).find((c) => c.name === 'ips_staff');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
	await context.close();
});

test('the password alone does not reach staff pages', async ({ page }) => {
	await page.goto(`${server.url}/staff/sign-in`);
	await expectNoAxeViolations(page);
	await passwordStep(page, 'lead@ips.example');
	await expect(page).toHaveURL(/\/staff\/sign-in\/code/);
	await expectNoAxeViolations(page);
	await page.goto(`${server.url}/staff`);
	await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
	const post = await page.request.post(`${server.url}/staff/account?/signOutEverywhere`, { headers: { origin: server.url }, form: {}, maxRedirects: 0 });
	expect(post.status()).toBe(401);
});

test('a wrong code and a wrong password are refused with the error pattern', async ({ page }) => {
	await passwordStep(page, 'lead@ips.example', 'not the password at all');
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary a')).toHaveAttribute('href', '#email');
	await expect(page.getByLabel('Email address')).toHaveValue('lead@ips.example');
	await expectNoAxeViolations(page);

	await passwordStep(page, 'lead@ips.example');
	const good = await freshCode('lead@ips.example', server.url);
	const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
	await codeStep(page, wrong);
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('#code-error')).toContainText('not right');
	await expectNoAxeViolations(page);
	await page.goto(`${server.url}/staff`);
	await expect(page).toHaveURL(/\/staff\/sign-in/);
});

test('locks the account after repeated failures, even with the right password and code', async ({ page }) => {
	// sol.secondary is used only here: earlier failures on lead@ would add up.
	for (let i = 0; i < 5; i++) {
		await passwordStep(page, 'sol.secondary@ips.example', `wrong password ${i}`);
		await expect(page).toHaveTitle(/^Error: /);
	}
	await expect(page.locator('#email-error')).toContainText('locked');
	await passwordStep(page, 'sol.secondary@ips.example');
	await expect(page.locator('#email-error')).toContainText('locked');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test('an unknown email, a wrong password and a locked account get the same page', async ({ page }) => {
	// sol.secondary is locked from this address by the test above.
	const seen: string[] = [];
	for (const [email, password] of [
		['sol.secondary@ips.example', DEMO_PASSWORD],
		['lead@ips.example', 'not the password at all'],
		['nobody@ips.example', DEMO_PASSWORD]
	]) {
		await passwordStep(page, email, password);
		await expect(page).toHaveTitle(/^Error: /);
		seen.push(await page.locator('main').innerText());
	}
	expect(seen[0]).toContain('Enter a correct email address and password');
	expect(seen[1]).toBe(seen[0]);
	expect(seen[2]).toBe(seen[0]);
});

test('the code step gives a new session token, and the one from the password step stops working', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const token = async () => (await context.cookies()).find((c) => c.name === 'ips_staff')?.value;
	await passwordStep(page, 'admin@ips.example');
	await expect(page).toHaveURL(/\/staff\/sign-in\/code/);
	const pending = await token();
	await codeStep(page, await freshCode('admin@ips.example', server.url));
	await expect(page).toHaveURL(new RegExp(`${server.url}/staff/?$`));
	const signedIn = await token();
	expect(pending).toBeTruthy();
	expect(signedIn).toBeTruthy();
	expect(signedIn).not.toBe(pending);

	// Someone holding the token from before the code step gets nowhere.
	const other = await browser.newContext();
	await other.addCookies([{ name: 'ips_staff', value: pending!, url: server.url }]);
	const theirs = await other.newPage();
	await theirs.goto(`${server.url}/staff`);
	await expect(theirs).toHaveURL(/\/staff\/sign-in\?next=/);
	await theirs.goto(`${server.url}/staff/sign-in/code`);
	await expect(theirs).toHaveURL(/\/staff\/sign-in$/);
	await other.close();
	await context.close();
});

test('the demo seed does not log the demo password or authenticator secrets', async () => {
	const output = server.output();
	expect(output).toContain('demo staff created');
	expect(output).not.toContain(DEMO_PASSWORD);
	for (const person of DEMO_STAFF) expect(output).not.toContain(person.totpSecret);
});

test('a failed sign-in keeps nothing typed in the audit log', async ({ request }) => {
	const own = await startServer();
	try {
		const post = await request.post(`${own.url}/staff/sign-in`, {
			headers: { origin: own.url, accept: 'text/html' },
			form: { email: 'hunter2-password@x.zz', password: 'typed in the right box' },
			maxRedirects: 0
		});
		expect(post.status()).toBe(400);
	} finally {
		await own.stop();
	}
	const rows = await withDatabase(own.dataDir, (query) => query(`select a::text as row, a.action from audit_log a`));
	removeDir(own.dataDir);
	expect(rows.filter((r) => r.action === 'sign-in.failed')).toHaveLength(1);
	for (const r of rows) {
		expect(String(r.row)).not.toContain('hunter2');
		expect(String(r.row)).not.toContain('typed in the right box');
	}
});

test('sign out everywhere ends every session of that person', async ({ browser }) => {
	const one = await browser.newContext();
	const two = await browser.newContext();
	const a = await one.newPage();
	const b = await two.newPage();
	await signIn(a, server.url, 'admin@ips.example');
	await signIn(b, server.url, 'admin@ips.example');
	await a.goto(`${server.url}/staff/account`);
	await a.getByRole('button', { name: 'Sign out everywhere' }).click();
	await expect(a).toHaveURL(/\/staff\/sign-in$/);
	await b.goto(`${server.url}/staff`);
	await expect(b).toHaveURL(/\/staff\/sign-in\?next=/);
	await one.close();
	await two.close();
});

test('a signed-in page passes axe', async ({ page }) => {
	await signIn(page, server.url, 'sam.specialist@ips.example');
	await page.goto(`${server.url}/staff/account`);
	await expectNoAxeViolations(page);
});
