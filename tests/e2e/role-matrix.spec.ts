/**
 * The role matrix: every staff page (GET) and every staff action and endpoint (POST or GET) is requested
 * as anonymous, as a participant (someone part-way through a referral), as a specialist on admin pages,
 * and as staff of another programme on a referral of this programme. Each must be refused.
 * Routes are found by reading src/routes/staff, so a new page is covered without editing this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { ELIGIBLE, REFERRAL, checkEligibility, completeReferral, sendReferral } from './support/journey';
import { removeDir, startServer, type RunningServer } from './support/server';
import { signIn } from './support/staff';

interface Target {
	method: 'GET' | 'POST';
	/** Route path with [params] */
	route: string;
	/** Action name for page actions */
	action?: string;
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

function routeOf(file: string): string {
	const rel = path.relative(path.resolve('src/routes'), path.dirname(file));
	return '/' + rel.split(path.sep).filter((p) => !/^\(.*\)$/.test(p)).join('/');
}

function targets(): Target[] {
	const out: Target[] = [];
	for (const file of walk(path.resolve('src/routes/staff'))) {
		const route = routeOf(file);
		if (route.startsWith('/staff/sign-in')) continue;
		const text = readFileSync(file, 'utf8');
		if (file.endsWith('+page.svelte')) out.push({ method: 'GET', route });
		if (file.endsWith('+page.server.ts')) {
			const block = /export const actions[^{]*\{([\s\S]*)\};?\s*$/m.exec(text)?.[1] ?? '';
			for (const m of block.matchAll(/^\t(\w+)\s*:\s*async/gm)) out.push({ method: 'POST', route, action: m[1] });
		}
		if (file.endsWith('+server.ts')) {
			for (const m of text.matchAll(/export (?:async function|const) (GET|POST)\b/g)) out.push({ method: m[1] as 'GET' | 'POST', route });
		}
	}
	return out;
}

const ALL = targets();
let server: RunningServer;
let reference = '';

function urlOf(t: Target): string {
	const filled = t.route.replace(/\[(\w+)\]/g, (_m, name: string) => {
		if (name === 'reference') return reference;
		if (name === 'code') return 'fitnote';
		if (name === 'id') return t.route.includes('/programmes/') ? 'gm-ips-primary-care' : '00000000-0000-4000-8000-000000000000';
		return 'x';
	});
	if (t.method === 'POST' && t.action) return `${server.url}${filled}${t.action === 'default' ? '' : `?/${t.action}`}`;
	return `${server.url}${filled}`;
}

async function request(api: APIRequestContext, t: Target) {
	const url = urlOf(t);
	return t.method === 'GET'
		? api.get(url, { maxRedirects: 0 })
		: api.post(url, { maxRedirects: 0, headers: { origin: server.url }, form: { reference, note: 'x', status: 'closed', reason: '099', staffId: '', channel: 'phone', outcome: 'no-answer' } });
}

/** A refusal: sent to sign in, 401, 403 or 404. Never a page, never a success. */
function expectRefused(status: number, location: string | undefined, label: string, allowed: number[]) {
	if (status === 303 || status === 302) {
		expect(location, `${label} redirected elsewhere`).toMatch(/^\/staff\/sign-in/);
		return;
	}
	expect(allowed, `${label} answered ${status}`).toContain(status);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
	server = await startServer();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${server.url}/r/gp-p84001`);
	await checkEligibility(page, ELIGIBLE, 'mouse');
	await completeReferral(page, REFERRAL, 'mouse');
	reference = await sendReferral(page, 'mouse');
	await context.close();
});

test.afterAll(async () => {
	await server?.stop();
	if (server) removeDir(server.dataDir);
});

test('finds the staff routes to check', () => {
	expect(ALL.filter((t) => t.method === 'GET').length).toBeGreaterThan(3);
	expect(ALL.filter((t) => t.method === 'POST').length).toBeGreaterThan(3);
	expect(ALL.some((t) => t.route.includes('[reference]'))).toBe(true);
	expect(ALL.some((t) => t.route.startsWith('/staff/admin'))).toBe(true);
});

test('anonymous requests are refused everywhere', async ({ playwright }) => {
	const api = await playwright.request.newContext();
	for (const t of ALL) {
		const res = await request(api, t);
		expectRefused(res.status(), res.headers().location, `anonymous ${t.method} ${urlOf(t)}`, [401, 403]);
	}
	await api.dispose();
});

test('a participant part-way through a referral is refused everywhere', async ({ browser }) => {
	const context: BrowserContext = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${server.url}/r/fitnote`);
	await page.goto(`${server.url}/check/postcode`);
	expect((await context.cookies()).some((c) => c.name === 'ips_draft')).toBe(true);
	for (const t of ALL) {
		const res = await request(context.request, t);
		expectRefused(res.status(), res.headers().location, `participant ${t.method} ${urlOf(t)}`, [401, 403]);
	}
	await context.close();
});

test('a specialist is refused on every admin page and action', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sam.specialist@ips.example');
	const admin = ALL.filter((t) => t.route.startsWith('/staff/admin'));
	expect(admin.length).toBeGreaterThan(0);
	for (const t of admin) {
		const res = await request(context.request, t);
		expectRefused(res.status(), res.headers().location, `specialist ${t.method} ${urlOf(t)}`, [403]);
	}
	await context.close();
});

test('staff of another programme cannot see or change this programme’s referral', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sol.secondary@ips.example');
	await page.goto(`${server.url}/staff`);
	await expect(page.locator('main')).not.toContainText(reference);
	const scoped = ALL.filter((t) => t.route.includes('[reference]'));
	expect(scoped.length).toBeGreaterThan(1);
	for (const t of scoped) {
		const res = await request(context.request, t);
		expectRefused(res.status(), res.headers().location, `other programme ${t.method} ${urlOf(t)}`, [403, 404]);
		expect(await res.text()).not.toContain('Taylor');
	}
	await context.close();
});

test('the same requests succeed for the right person (the matrix is not refusing everything)', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'admin@ips.example');
	for (const t of ALL.filter((x) => x.method === 'GET' && !x.route.includes('[id]') && !x.route.includes('[code]'))) {
		const res = await request(context.request, t);
		expect(res.status(), `admin GET ${urlOf(t)}`).toBe(200);
	}
	await context.close();
});
