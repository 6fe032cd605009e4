import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test, type Page, type Response } from '@playwright/test';
import { specServer } from './support/spec-server';
import { ELIGIBLE, MORE, REFERRAL, pressButton, walk } from './support/journey';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';

/**
 * Journey pages stay light for old phones on slow connections: at most 40 KB of gzipped JavaScript
 * each, with JavaScript turned on, measured over what the browser really loads. Every asset served
 * from /_app is the one in the build. Pages carry the security headers.
 */
test.describe.configure({ mode: 'serial' });

const LIMIT = 40 * 1024;
const CLIENT = path.resolve('build/client');

const server = specServer();

interface Loaded {
	pathname: string;
	sameOrigin: boolean;
	type: string;
	body: Buffer;
	gzipped: number;
}

async function load(res: Response, origin: string): Promise<Loaded | null> {
	if (res.status() >= 300 && res.status() < 400) return null;
	const url = new URL(res.url());
	if (url.protocol === 'data:') return null;
	const body = await res.body().catch(() => null);
	if (!body) return null;
	const headers = res.headers();
	// The server precompresses: use the gzip length when it sent gzip, else gzip the body ourselves.
	const gzipped = headers['content-encoding'] === 'gzip' && headers['content-length'] ? Number(headers['content-length']) : gzipSync(body).length;
	return { pathname: url.pathname, sameOrigin: url.origin === origin, type: res.request().resourceType(), body, gzipped };
}

const isScript = (r: Loaded) => r.type === 'script' || (r.pathname.startsWith('/_app/') && /\.m?js$/.test(r.pathname));

test('journey pages load at most 40 KB of gzipped JavaScript, all of it from the build', async ({ browser }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext({ javaScriptEnabled: true });
	// Routing every request turns off the HTTP cache, so each page reports everything it needs.
	await context.route('**/*', (route) => route.continue());
	const page = await context.newPage();
	let pending: Promise<Loaded | null>[] = [];
	page.on('response', (res) => pending.push(load(res, server.url)));

	const report: { page: string; scripts: number; gzipped: number }[] = [];
	const fromApp: Loaded[] = [];

	async function measure(name: string, go: (p: Page) => Promise<unknown>) {
		await Promise.all(pending);
		pending = [];
		await go(page);
		await page.waitForLoadState('load');
		const loaded = (await Promise.all(pending)).filter((r): r is Loaded => r !== null);
		pending = [];
		// The page and its stylesheet are recorded every time: nothing came from a cache unseen.
		expect(loaded.some((r) => r.type === 'document'), `${name}: the page itself was recorded`).toBe(true);
		expect(loaded.some((r) => r.type === 'stylesheet' && r.pathname.startsWith('/_app/')), `${name}: its stylesheet was recorded`).toBe(true);
		const scripts = loaded.filter(isScript);
		for (const s of scripts) expect(s.sameOrigin && s.pathname.startsWith('/_app/immutable/'), `${name}: script ${s.pathname} comes from the build`).toBe(true);
		const inline = await page.locator('script:not([src])').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
		const gzipped = scripts.reduce((n, s) => n + s.gzipped, 0) + inline.reduce((n, s) => n + (s ? gzipSync(s).length : 0), 0);
		expect.soft(gzipped, `${name}: gzipped JavaScript`).toBeLessThanOrEqual(LIMIT);
		fromApp.push(...loaded.filter((r) => r.sameOrigin && r.pathname.startsWith('/_app/')));
		report.push({ page: name, scripts: scripts.length + inline.length, gzipped });
	}
	const visit = (p: string) => (pg: Page) => pg.goto(`${server.url}${p}`);

	// Walk the whole journey once (no link, so "How did you hear about us" is asked), then measure each page.
	await page.goto(server.url);
	await page.locator('a', { hasText: /start now/i }).click();
	const checker = await walk(page, '/check/', { ...ELIGIBLE, employment: 'off-sick' }, 'mouse', ['/check/result']);
	await page.locator('a', { hasText: /continue to your referral/i }).click();
	const referral = await walk(page, '/refer/', REFERRAL, 'mouse', ['/refer/check-answers']);
	expect(checker.visited).toEqual(['/check/postcode', '/check/date-of-birth', '/check/health-condition', '/check/employment', '/check/wants-work', '/check/circumstances']);
	expect(referral.visited).toEqual(['/refer/your-details', '/refer/contact-preferences', '/refer/communication', '/refer/heard-from', '/refer/consent']);

	for (const p of ['/', ...checker.visited, '/check/result', ...referral.visited, '/refer/check-answers', '/save', '/help', '/privacy', '/accessibility']) {
		await measure(p, visit(p));
		expect(new URL(page.url()).pathname, `${p} opened`).toBe(p);
	}
	await page.goto(`${server.url}/check/postcode`);
	await page.locator('[name=postcode]').fill('');
	await measure('/check/postcode with an error', (pg) => pressButton(pg, 'mouse'));
	await expect(page).toHaveTitle(/^Error: /);
	await page.goto(`${server.url}/save`);
	await measure('/save: link sent', (pg) => pg.getByRole('button', { name: 'Send me a link' }).click());
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
	await page.goto(`${server.url}/refer/check-answers`);
	await measure('/refer/confirmation', (pg) => pg.getByRole('button', { name: /send referral/i }).click());
	await expect(page).toHaveURL(`${server.url}/refer/confirmation`);
	// "Tell us more" after sending (off sick, so "About your job" is asked too): answered once, then each page measured.
	await page.getByRole('link', { name: 'Tell us more', exact: true }).click();
	const more = await walk(page, '/account/more/', MORE, 'mouse', ['/account/more/done']);
	expect(more.visited).toEqual(MORE_PAGES.map((p) => `/account/more/${p.id}`));
	for (const p of [...more.visited, '/account/more/done']) {
		await measure(p, visit(p));
		expect(new URL(page.url()).pathname, `${p} opened`).toBe(p);
	}

	console.log(report.map((r) => `${r.page.padEnd(34)} ${String(r.scripts).padStart(2)} scripts ${(r.gzipped / 1024).toFixed(1).padStart(6)} KB gzipped`).join('\n'));
	// The start page, 6 checker pages, the result, 5 referral pages, check your answers, 4 more pages, 3 states,
	// 9 "Tell us more" pages and "Thank you".
	expect(report).toHaveLength(1 + 6 + 1 + 5 + 1 + 4 + 3 + 9 + 1);

	// What the browser got from /_app is byte for byte what the build holds.
	expect(fromApp.length, 'pages load their stylesheet from /_app').toBeGreaterThan(0);
	for (const asset of fromApp) {
		expect(asset.pathname, 'assets are served from the immutable build folder').toMatch(/^\/_app\/immutable\//);
		const file = path.join(CLIENT, decodeURIComponent(asset.pathname));
		expect(existsSync(file), `${asset.pathname} is in build/client`).toBe(true);
		expect(asset.body.equals(readFileSync(file)), `${asset.pathname} matches the built file`).toBe(true);
	}
	await context.close();
});

test('pages carry a strict Content-Security-Policy and the other security headers', async ({ request }) => {
	for (const p of ['/', '/check/postcode', '/help', '/privacy', `/resume/${'a'.repeat(32)}`, '/no-such-page']) {
		const res = await request.get(`${server.url}${p}`, { maxRedirects: 0 });
		expect(res.headers()['content-type'], p).toMatch(/^text\/html/);
		const headers = res.headers();

		const csp = headers['content-security-policy'];
		expect(csp, `${p}: Content-Security-Policy`).toBeTruthy();
		const directives = new Map(
			csp
				.split(';')
				.map((d) => d.trim().split(/\s+/))
				.filter((d) => d[0])
				.map(([name, ...values]) => [name.toLowerCase(), values] as const)
		);
		const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
		expect(scriptSrc, `${p}: CSP restricts scripts`).toBeTruthy();
		for (const name of ['script-src', 'script-src-elem', 'script-src-attr', 'default-src']) {
			expect(directives.get(name) ?? [], `${p}: ${name}`).not.toContain("'unsafe-inline'");
			expect(directives.get(name) ?? [], `${p}: ${name}`).not.toContain("'unsafe-eval'");
			expect(directives.get(name) ?? [], `${p}: ${name}`).not.toContain('*');
		}
		expect(directives.get('object-src') ?? directives.get('default-src'), `${p}: object-src`).toEqual(["'none'"]);

		expect(headers['x-content-type-options'], p).toBe('nosniff');
		expect(headers['referrer-policy'], `${p}: Referrer-Policy`).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
		const frameAncestors = directives.get('frame-ancestors');
		const xfo = headers['x-frame-options']?.toUpperCase();
		expect(xfo === 'DENY' || xfo === 'SAMEORIGIN' || ["'none'", "'self'"].includes(frameAncestors?.join(' ') ?? ''), `${p}: cannot be framed by other sites`).toBe(true);
	}
});

test('static files and built assets are served with nosniff too (adapter-node serves them before hooks run)', async ({ request }) => {
	const home = await (await request.get(`${server.url}/`)).text();
	const css = /href="([^"]*_app\/immutable\/[^"]+\.css)"/.exec(home)?.[1];
	expect(css, 'the home page links its stylesheet').toBeTruthy();
	for (const p of ['/favicon.svg', css!]) {
		const res = await request.get(new URL(p, `${server.url}/`).href);
		expect(res.status(), p).toBe(200);
		expect(res.headers()['x-content-type-options'], p).toBe('nosniff');
	}
});
