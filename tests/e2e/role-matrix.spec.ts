/**
 * The role matrix: every staff page (GET) and every staff action and endpoint (POST or GET) is requested
 * as anonymous, as a participant (someone part-way through a referral), as a specialist on every route the
 * route table keeps from specialists (admin, export), and as staff of another programme on a referral of
 * this programme. Each must be refused. Then every path again in other spellings (percent-encoded, double
 * slashes, trailing slash, other case), anonymously and as a specialist.
 * Refusals that the route table decides must come from the hook, before any route code runs: the hook marks
 * its own answers with `x-ips-guard: refused`, and a response made by route code never carries it.
 * Routes are found by reading src/routes/staff, so a new page is covered without editing this test.
 *
 * The participant area (src/routes/account) likewise: every 'participant' page and action is refused by the
 * hook to anonymous requests and to staff sessions (303 to /account/sign-in, 401 for a POST), a signed-in
 * participant is refused on every staff route, and the participant's own pages open for them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type APIResponse, type BrowserContext } from '@playwright/test';
import { referredPerson } from './support/people';
import { removeDir, startServer, type RunningServer } from './support/server';
import { signIn } from './support/staff';
import { PARTICIPANT_ROUTE_RULES, ROUTE_RULES } from '../../src/lib/server/auth/route-rules';
import { actionNames } from './support/actions';

interface Target {
	method: 'GET' | 'POST';
	/** SvelteKit route id, with (groups) */
	routeId: string;
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

function routeIdOf(file: string): string {
	return '/' + path.relative(path.resolve('src/routes'), path.dirname(file)).split(path.sep).join('/');
}

function routeOf(file: string): string {
	return routeIdOf(file).split('/').filter((p) => !/^\(.*\)$/.test(p)).join('/');
}

function targets(root = 'src/routes/staff', skip = (t: { route: string; routeId: string }) => t.route.startsWith('/staff/sign-in')): Target[] {
	const out: Target[] = [];
	for (const file of walk(path.resolve(root))) {
		const route = routeOf(file);
		const routeId = routeIdOf(file);
		if (skip({ route, routeId })) continue;
		const text = readFileSync(file, 'utf8');
		if (file.endsWith('+page.svelte')) out.push({ method: 'GET', routeId, route });
		if (file.endsWith('+page.server.ts')) {
			for (const action of actionNames(file, text)) out.push({ method: 'POST', routeId, route, action });
		}
		if (file.endsWith('+server.ts')) {
			for (const m of text.matchAll(/export (?:async function|const) (GET|POST)\b/g)) out.push({ method: m[1] as 'GET' | 'POST', routeId, route });
		}
	}
	return out;
}

const ALL = targets();
/** The participant pages and actions that need a participant session (the sign-in pages are public). */
const PARTICIPANT = targets('src/routes/account', (t) => PARTICIPANT_ROUTE_RULES[t.routeId] !== 'participant');
let server: RunningServer;
let reference = '';
/** Sam Specialist (primary care): the admin may open their availability, staff of another programme may not. */
let samId = '';
/** The cookies of the browser that sent the referral: it is signed in as that participant. */
let participantState: Awaited<ReturnType<BrowserContext['storageState']>>;

/** The path of a target with its [params] filled in. */
function pathOf(t: Target): string {
	return t.route.replace(/\[(\w+)\]/g, (_m, name: string) => {
		if (name === 'reference') return reference;
		if (name === 'code') return 'fitnote';
		if (name === 'id') return t.route.includes('/programmes/') ? 'gm-ips-primary-care' : '00000000-0000-4000-8000-000000000000';
		if (name === 'staffId') return samId;
		// Per-measure CSVs of a participant's scores.
		if (name === 'instrument') return 'dialog';
		return 'x';
	});
}

function queryOf(t: Target): string {
	return t.method === 'POST' && t.action && t.action !== 'default' ? `?/${t.action}` : '';
}

function urlOf(t: Target, path = pathOf(t)): string {
	return `${server.url}${path}${queryOf(t)}`;
}

async function request(api: APIRequestContext, t: Target, path?: string) {
	const url = urlOf(t, path);
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

/** A refusal answered by the hook from the route table: no load, action or endpoint ran. */
async function expectRefusedByHook(res: APIResponse, label: string, allowed: number[]) {
	expectRefused(res.status(), res.headers().location, label, allowed);
	expect(res.headers()['x-ips-guard'], `${label} (${res.status()}) was not answered by the hook`).toBe('refused');
	expect(await res.text(), label).not.toContain('Taylor');
}

/**
 * Routes a specialist must be refused: admin and export by the policy written here (so a weakened table
 * fails this test), and any other route the table keeps from specialists.
 */
function keptFromSpecialists(t: Target): boolean {
	const rule = ROUTE_RULES[t.routeId];
	expect(rule, `no rule for ${t.routeId}`).toBeDefined();
	if (/^\/staff\/(admin|export)(\/|$)/.test(t.route)) return true;
	return rule === 'public' || !rule.includes('specialist');
}

/** Other spellings of one path: each must be refused by the hook, or (trailing slash) sent to the plain path. */
function variants(p: string): string[] {
	const segs = p.split('/').slice(1); // ['staff', 'admin', ...]
	const enc = (seg: string) => `%${seg.charCodeAt(0).toString(16)}${seg.slice(1)}`;
	const join = (parts: string[]) => '/' + parts.join('/');
	const out = [
		join([enc(segs[0]), ...segs.slice(1)]), // /%73taff/admin
		`/${p}`, // //staff/admin
		`${p}/`, // /staff/admin/
		join([segs[0][0].toUpperCase() + segs[0].slice(1), ...segs.slice(1)]), // /Staff/admin
		p.toUpperCase(), // /STAFF/ADMIN
		join([`%25${segs[0].charCodeAt(0).toString(16)}${segs[0].slice(1)}`, ...segs.slice(1)]), // double-encoded
		`/${segs[0]}/.%2e${p}` // a dot segment the client does not remove
	];
	if (segs.length > 1) {
		out.push(join([segs[0], enc(segs[1]), ...segs.slice(2)])); // /staff/%61dmin
		out.push(join(segs.map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')))); // everything encoded
		out.push(`/${segs[0]}//${segs.slice(1).join('/')}`); // /staff//admin
		out.push(`/${segs[0]}%2F${segs.slice(1).join('/')}`); // /staff%2Fadmin
		if (segs.length > 2) out.push(`/${segs[0]}/${segs[1]}//${segs.slice(2).join('/')}`); // /staff/admin//links
	}
	return [...new Set(out)].filter((v) => v !== p);
}

async function expectVariantsRefused(api: APIRequestContext, t: Target, who: string, allowed: number[]) {
	const plain = pathOf(t);
	for (const v of variants(plain)) {
		const res = await request(api, t, v);
		const label = `${who} ${t.method} ${v}${queryOf(t)}`;
		if (res.status() === 308) {
			// SvelteKit's own trailing-slash redirect, answered before the hook: to the plain path, refused above.
			expect(v, `${label} redirected`).toBe(`${plain}/`);
			expect(res.headers().location, label).toBe(`${plain}${queryOf(t)}`);
			continue;
		}
		await expectRefusedByHook(res, label, allowed);
	}
}

/** expectVariantsRefused for every target, four targets at a time (the requests are independent). */
async function expectAllVariantsRefused(api: APIRequestContext, targets: Target[], who: string, allowed: number[]) {
	const queue = [...targets];
	await Promise.all(
		Array.from({ length: 4 }, async () => {
			for (let t = queue.shift(); t; t = queue.shift()) await expectVariantsRefused(api, t, who, allowed);
		})
	);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
	server = await startServer();
	const referred = await referredPerson(browser, server.url);
	const context = referred.context;
	reference = referred.reference;
	participantState = await context.storageState();
	expect(participantState.cookies.some((c) => c.name === 'ips_participant')).toBe(true);
	await context.close();
	// The admin's availability page links to everyone in their programmes.
	const adminContext = await browser.newContext();
	const adminPage = await adminContext.newPage();
	await signIn(adminPage, server.url, 'admin@ips.example');
	await adminPage.goto(`${server.url}/staff/availability`);
	samId = /\/staff\/availability\/([0-9a-f-]{36})$/.exec((await adminPage.getByRole('link', { name: 'Sam Specialist' }).getAttribute('href')) ?? '')?.[1] ?? '';
	expect(samId).not.toBe('');
	await adminContext.close();
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
	expect(ALL.some((t) => t.route === '/staff/export/referrals.csv')).toBe(true);
	expect(variants('/staff/admin')).toEqual(
		expect.arrayContaining(['/staff/%61dmin', '//staff/admin', '/staff//admin', '/%73taff/admin', '/staff/admin/', '/Staff/admin', '/STAFF/ADMIN'])
	);
});

test('anonymous requests are refused everywhere', async ({ playwright }) => {
	const api = await playwright.request.newContext();
	for (const t of ALL) {
		const res = await request(api, t);
		await expectRefusedByHook(res, `anonymous ${t.method} ${urlOf(t)}`, [401]);
	}
	await api.dispose();
});

test('a participant part-way through a referral is refused everywhere', async ({ browser }) => {
	const context: BrowserContext = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${server.url}/r/fitnote`);
	await page.goto(`${server.url}/check/postcode`);
	// A draft is made with the first saved answer (a visit alone makes none).
	await page.locator('input[name="postcode"]').fill('M1 1AE');
	await page.getByRole('button', { name: /continue/i }).click();
	await page.waitForURL((u) => !u.pathname.endsWith('/check/postcode'));
	expect((await context.cookies()).some((c) => c.name === 'ips_draft')).toBe(true);
	for (const t of ALL) {
		const res = await request(context.request, t);
		await expectRefusedByHook(res, `participant ${t.method} ${urlOf(t)}`, [401]);
	}
	await context.close();
});

test('a specialist is refused on every admin and export page, action and endpoint', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sam.specialist@ips.example');
	const kept = ALL.filter(keptFromSpecialists);
	expect(kept.filter((t) => t.route.startsWith('/staff/admin')).length).toBeGreaterThan(0);
	expect(kept.filter((t) => t.route.startsWith('/staff/export')).length).toBeGreaterThan(0);
	for (const t of kept) {
		const res = await request(context.request, t);
		await expectRefusedByHook(res, `specialist ${t.method} ${urlOf(t)}`, [403]);
	}
	await context.close();
});

test('other spellings of every staff path are refused by the hook, anonymously and as a specialist', async ({ browser, playwright }) => {
	// Several spellings of every staff path, twice: over a minute on a loaded 2-core machine.
	test.setTimeout(240_000);
	const api = await playwright.request.newContext();
	await expectAllVariantsRefused(api, ALL, 'anonymous', [401, 404]);
	await api.dispose();

	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sam.specialist@ips.example');
	await expectAllVariantsRefused(context.request, ALL.filter(keptFromSpecialists), 'specialist', [403, 404]);
	// The session is still good: the refusals came from spellings, not from a broken sign-in.
	const home = await context.request.get(`${server.url}/staff`, { maxRedirects: 0 });
	expect(home.status()).toBe(200);
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

test('staff of another programme cannot see or change this programme’s specialist’s availability', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sol.secondary@ips.example');
	const scoped = ALL.filter((t) => t.route.includes('[staffId]'));
	expect(scoped.length).toBeGreaterThan(1);
	for (const t of scoped) {
		const res = await request(context.request, t);
		expect(res.status(), `other programme ${t.method} ${urlOf(t)}`).toBe(404);
		expect(await res.text()).not.toContain('Sam Specialist');
	}
	await context.close();
});

test('staff of another programme cannot see this programme’s specialist’s meetings, nor mark meetings or tasks they cannot see', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'sol.secondary@ips.example');
	const list = await context.request.get(`${server.url}/staff/meetings?staff=${samId}`, { maxRedirects: 0 });
	expect(list.status(), 'GET /staff/meetings?staff=<Sam>').toBe(404);
	expect(await list.text()).not.toContain('Sam Specialist');
	const own = await context.request.get(`${server.url}/staff/meetings`, { maxRedirects: 0 });
	expect(own.status()).toBe(200);
	const unknown = '00000000-0000-4000-8000-000000000000';
	for (const [target, form] of [
		['/staff/meetings?/attended', { meetingId: unknown }],
		['/staff/meetings?/missed', { meetingId: unknown }],
		['/staff?/taskDone', { taskId: unknown }],
		['/staff?/concernDone', { concernId: unknown }]
	] as const) {
		const res = await context.request.post(`${server.url}${target}`, { maxRedirects: 0, headers: { origin: server.url }, form });
		expect(res.status(), `POST ${target}`).toBe(404);
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
		expect(res.headers()['x-ips-guard'], `admin GET ${urlOf(t)}`).toBeUndefined();
	}
	await context.close();
});

// ---- the participant area ---------------------------------------------------------------------------

/** Refused by the hook as someone without a participant session: GET to sign in (with next), POST 401. */
async function expectParticipantRefused(res: APIResponse, t: Target, label: string) {
	expect(res.headers()['x-ips-guard'], `${label} (${res.status()}) was not answered by the hook`).toBe('refused');
	if (t.method === 'GET') {
		expect(res.status(), label).toBe(303);
		expect(res.headers().location, label).toBe(`/account/sign-in?next=${encodeURIComponent(pathOf(t))}`);
	} else expect(res.status(), label).toBe(401);
	expect(await res.text(), label).not.toContain(reference);
}

test('finds the participant routes to check', () => {
	expect(PARTICIPANT.filter((t) => t.method === 'GET').map((t) => t.route)).toEqual(expect.arrayContaining(['/account', '/account/sign-out']));
	expect(PARTICIPANT.filter((t) => t.method === 'POST').map((t) => `${t.route} ${t.action}`)).toEqual(
		expect.arrayContaining(['/account/sign-out here', '/account/sign-out everywhere'])
	);
	for (const t of PARTICIPANT) expect(PARTICIPANT_ROUTE_RULES[t.routeId], t.routeId).toBe('participant');
});

test('participant pages and actions refuse anonymous requests', async ({ playwright }) => {
	const api = await playwright.request.newContext();
	for (const t of PARTICIPANT) await expectParticipantRefused(await request(api, t), t, `anonymous ${t.method} ${urlOf(t)}`);
	await api.dispose();
});

test('other spellings of every participant path are refused by the hook or sent to the plain path', async ({ playwright }) => {
	const api = await playwright.request.newContext();
	expect(variants('/account/sign-out')).toEqual(expect.arrayContaining(['/%61ccount/sign-out', '//account/sign-out', '/Account/sign-out', '/ACCOUNT/SIGN-OUT']));
	for (const t of PARTICIPANT) {
		const plain = pathOf(t);
		for (const v of variants(plain)) {
			const res = await request(api, t, v);
			const label = `anonymous ${t.method} ${v}${queryOf(t)}`;
			if (res.status() === 308) {
				expect(v, `${label} redirected`).toBe(`${plain}/`);
				continue;
			}
			expect(res.headers()['x-ips-guard'], `${label} (${res.status()}) was not answered by the hook`).toBe('refused');
			if (res.status() === 303) expect(res.headers().location, label).toMatch(/^\/account\/sign-in\?next=/);
			else expect([401, 404], `${label} answered ${res.status()}`).toContain(res.status());
		}
	}
	await api.dispose();
});

test('a staff session is not a participant session', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, server.url, 'admin@ips.example');
	for (const t of PARTICIPANT) await expectParticipantRefused(await request(context.request, t), t, `admin ${t.method} ${urlOf(t)}`);
	// The staff session is untouched by the refusals.
	expect((await context.request.get(`${server.url}/staff`, { maxRedirects: 0 })).status()).toBe(200);
	await context.close();
});

test('a participant session is not a staff session', async ({ browser }) => {
	const context = await browser.newContext({ storageState: participantState });
	for (const t of ALL) {
		const res = await request(context.request, t);
		await expectRefusedByHook(res, `participant ${t.method} ${urlOf(t)}`, [401]);
	}
	// Still signed in as the participant: the refusals came from the staff table, not a lost session.
	const home = await context.request.get(`${server.url}/account`, { maxRedirects: 0 });
	expect(home.status()).toBe(200);
	expect(await home.text()).toContain(reference);
	await context.close();
});

test('the participant pages open for the participant (the matrix is not refusing everything)', async ({ browser }) => {
	const context = await browser.newContext({ storageState: participantState });
	for (const t of PARTICIPANT.filter((x) => x.method === 'GET' && !x.route.includes('['))) {
		const res = await request(context.request, t);
		// A booking step without the earlier steps' choices sends the person back a step (303), never to sign in.
		expect([200, 303], `participant GET ${urlOf(t)}`).toContain(res.status());
		if (res.status() === 303) expect(res.headers().location, `participant GET ${urlOf(t)}`).not.toMatch(/sign-in/);
		expect(res.headers()['x-ips-guard'], `participant GET ${urlOf(t)}`).toBeUndefined();
	}
	await context.close();
});
