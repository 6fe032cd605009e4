/**
 * Limits that hold per person (issue 19, part 2), through the built server behind a proxy: the client
 * address is the last hop in X-Forwarded-For (ADDRESS_HEADER, XFF_DEPTH), as in production.
 * - Twelve client addresses asking for save-and-return emails to one address get the same answer page,
 *   and the real SMTP listener receives no more than the cap.
 * - Twelve addresses in one IPv6 /64 share one /status limit; another /64 is not held back by it.
 * - A burst of cookie-less link opens and empty checker posts writes no draft row.
 */
import { expect, test } from '@playwright/test';
import { startSmtp } from '../support/smtp';
import { removeDir, startServer, withDatabase, type RunningServer } from './support/server';

let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let stopped = false;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	smtp = await startSmtp();
	server = await startServer({ SMTP_URL: smtp.url, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
});

test.afterAll(async () => {
	if (!stopped) await server?.stop();
	removeDir(server.dataDir);
	await smtp?.close();
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus) console.log(server.output().slice(-10_000));
});

function post(path: string, form: Record<string, string>, client: string, cookie = '') {
	return fetch(`${server.url}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client, ...(cookie ? { cookie } : {}) },
		body: new URLSearchParams(form).toString()
	});
}

const toOf = (m: { to?: unknown }) => (Array.isArray(m.to) ? m.to : [m.to]).map((a) => (a as { text?: string })?.text ?? '').join(',');

test('twelve client addresses cannot send more than 3 save-and-return emails to one address, and are told the same', async () => {
	const to = 'someone.else@example.org';
	const pages: string[] = [];
	for (let i = 1; i <= 12; i++) {
		const client = `198.51.100.${i}`;
		// The first answer makes the draft (and its cookie).
		const first = await post('/check/postcode', { postcode: 'M1 1AE' }, client);
		expect(first.status).toBe(303);
		const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		expect(cookie).toContain('ips_draft=');
		const saved = await post('/save', { email: to, website: '' }, client, cookie);
		expect(saved.status).toBe(200);
		pages.push((await saved.text()).replace(/nonce="[^"]*"/g, '').replace(/ips_draft[^"]*/g, ''));
	}
	const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>[\s\S]*?<p>([\s\S]*?)<\/p>/.exec(html)?.slice(1).join(' | ');
	expect(new Set(pages.map(heading))).toEqual(new Set([`Check your email | We have sent a link to <strong>${to}</strong>. Use it to carry on where you left off.`]));
	// A later email to another address arrives: every email sent before it has arrived too.
	const other = await post('/check/postcode', { postcode: 'M1 1AE' }, '198.51.100.50');
	await post('/save', { email: 'after@example.org', website: '' }, '198.51.100.50', other.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
	await smtp.waitFor('after@example.org');
	expect(smtp.messages.filter((m) => toOf(m).includes(to))).toHaveLength(3);
	// The cap is logged, without the address.
	expect(server.output()).toContain('recipient cap reached');
	expect(server.output()).not.toContain(to);
});

test('twelve addresses in one IPv6 /64 share one /status limit; another /64 is not held back', async () => {
	const lookUp = (client: string) => post('/status', { reference: 'ACDE-FGHJ', 'dateOfBirth-day': '1', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990' }, client);
	const statuses: number[] = [];
	for (let i = 1; i <= 12; i++) statuses.push((await lookUp(`2001:db8:5:6:${i.toString(16)}:${(i * 7).toString(16)}::${i.toString(16)}`)).status);
	expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
	expect((await lookUp('2001:db8:5:7::1')).status).toBe(404);
});

test('a burst of cookie-less link opens and empty checker posts makes no draft row', async () => {
	for (let i = 1; i <= 40; i++) {
		const opened = await fetch(`${server.url}/r/gp-p84001`, { redirect: 'manual', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
		expect(opened.status).toBe(303);
		expect(opened.headers.getSetCookie().join(';')).not.toContain('ips_draft=');
		expect((await post('/check/employment', { employment: 'out-of-work' }, `203.0.113.${i}`)).status).toBe(303);
		expect((await post('/check/postcode', { postcode: '' }, `203.0.113.${i}`)).status).toBe(400);
	}
	expect(await server.stop()).toBe(0);
	stopped = true;
	// 12 + 1 drafts from the first test, made by their first answers; none from this burst.
	const rows = await withDatabase(server.dataDir, (query) => query('select count(*)::int as n from draft'));
	expect(rows[0].n).toBe(13);
});
