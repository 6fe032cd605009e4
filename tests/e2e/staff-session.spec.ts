/**
 * Sliding sessions in the browser: the server gives a session used in the second half of its idle time a
 * whole idle time again, and sets the cookie again with the new expiry, so the browser keeps it past the
 * first cookie's expiry. The server runs with STAFF_IDLE_MINUTES=0.1 (6 seconds) so this takes seconds.
 */
import { expect, test, type BrowserContext } from '@playwright/test';
import { removeDir, startServer, type RunningServer } from './support/server';
import { signIn } from './support/staff';

const IDLE_SECONDS = 6;
let server: RunningServer;

test.beforeAll(async () => {
	server = await startServer({ STAFF_IDLE_MINUTES: String(IDLE_SECONDS / 60) });
});

test.afterAll(async () => {
	await server?.stop();
	if (server) removeDir(server.dataDir);
});

/** The staff cookie's expiry in the browser, in seconds since 1970 (the cookie is gone: null). */
async function cookieExpiry(context: BrowserContext): Promise<number | null> {
	const cookie = (await context.cookies(server.url)).find((c) => c.name === 'ips_staff');
	return cookie ? cookie.expires : null;
}

async function waitUntil(epochSeconds: number) {
	const ms = epochSeconds * 1000 - Date.now();
	if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

test('a session used within its idle time keeps working past the first cookie expiry', async ({ browser }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sam.specialist@ips.example');
	const first = await cookieExpiry(context);
	expect(first).not.toBeNull();
	expect(first! - Date.now() / 1000).toBeLessThanOrEqual(IDLE_SECONDS);

	// In the second half of the idle time: the response sets the cookie again, later.
	await waitUntil(first! - 1.5);
	const used = await page.goto(`${server.url}/staff/account`);
	expect(used?.status()).toBe(200);
	expect(await used!.headerValue('set-cookie')).toMatch(/ips_staff=/);
	const second = await cookieExpiry(context);
	expect(second).not.toBeNull();
	expect(second!).toBeGreaterThan(first! + 2);

	// After the first cookie would have ended: still signed in.
	await waitUntil(first! + 1.5);
	const later = await page.goto(`${server.url}/staff/account`);
	expect(later?.status()).toBe(200);
	await expect(page).toHaveURL(`${server.url}/staff/account`);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	// Not used for a whole idle time: signed out (the browser drops the cookie, the server the session).
	await waitUntil((await cookieExpiry(context))! + 1.5);
	await page.goto(`${server.url}/staff/account`);
	await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
	await context.close();
});
