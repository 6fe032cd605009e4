/**
 * A probe that stays: generated bodies posted to every form action (public and staff) and every API
 * endpoint of the built server. Targets are found on disk (every +page.server.ts with actions, every
 * +server.ts under /api and every public POST endpoint), filled with real references, ids and tokens made
 * in setup. Staff actions are posted signed in and anonymously; journey pages with a draft cookie.
 *
 * Every request must be answered without a 5xx; afterwards the server log must hold none of the markers
 * this test sent, and no text stored in the database may hold a control character other than tab, line
 * feed and carriage return. A fixed seed by default; FUZZ_SEED=<n> draws other bodies.
 */
import { PREFERENCE_PAGES } from '../../src/lib/domain/your-details';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { expect, test } from '@playwright/test';
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES } from '../../src/lib/domain/journey';
import { JOB_PAGES } from '../../src/lib/domain/jobs';
import { DEMO_PASSWORD } from '../../src/lib/server/demo-staff';
import { startSmtp } from '../support/smtp';
import { CONTROL_CHARS, ODD_ACTION_NAMES, buildBody, caseArb, formFields, markerFor, percent, valueArb, type Encoding, type FormFields, type FuzzCase, type FuzzValue } from './support/fuzz';
import { actionNames } from './support/actions';
import { fillForm } from './support/http-journey';
import { ELIGIBLE_OFF_SICK, FULL_REFERRAL } from './support/journey';
import { newDataDir, removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { freshCode, type DemoEmail } from './support/staff';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/**
 * The share of each target's runs sent: by default 0.3, some 2,500 requests to some 230 targets (every
 * target at least once; on a 2-core machine shared with the rest of the suite half took nine minutes);
 * FUZZ_SCALE=1 sends them all (over 8,000), FUZZ_SCALE=0.2 a quick look.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? 0.3);
/** How many requests to one target are in flight at once (FUZZ_CONCURRENCY=1 sends one at a time). */
const CONCURRENCY = Math.max(1, Number(process.env.FUZZ_CONCURRENCY ?? 3));
const PRIMARY = 'gm-ips-primary-care';
const run = promisify(execFile);

// ---- targets, found on disk -----------------------------------------------------------------------

type Who = 'draft' | 'anonymous' | 'admin' | 'specialist' | 'account-holder' | 'pending-sign-in' | 'api-key' | 'participant' | 'participant-pending';

interface Route {
	/** Route path with [params]. */
	route: string;
	method: 'POST' | 'GET';
	/** Named form action ('default' for the page's only action); absent for +server.ts endpoints. */
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
	return '/' + rel.split(path.sep).filter((p) => p && !/^\(.*\)$/.test(p)).join('/');
}

function discover(): Route[] {
	const out: Route[] = [];
	for (const file of walk(path.resolve('src/routes'))) {
		const route = routeOf(file);
		const text = readFileSync(file, 'utf8');
		if (file.endsWith('+page.server.ts')) {
			for (const action of actionNames(file, text)) out.push({ route, method: 'POST', action });
		}
		if (file.endsWith('+server.ts')) {
			const methods = [...text.matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE|fallback)\b/g)].map((m) => m[1]);
			if (route.startsWith('/api/')) {
				// Bodies go to every API endpoint (a GET endpoint must refuse them); GETs also get generated queries.
				out.push({ route, method: 'POST' });
				if (methods.includes('GET')) out.push({ route, method: 'GET' });
			} else if (methods.includes('POST') && !route.startsWith('/staff')) out.push({ route, method: 'POST' });
		}
	}
	return out;
}

interface Target {
	label: string;
	path: string;
	method: 'POST' | 'GET';
	who: Who;
	/** Where to read the form's fields (GET, as the same person); absent for endpoints without a page. */
	page?: string;
	action?: string;
	runs: number;
	kind: 'form' | 'api' | 'endpoint';
}

const ROUTES = discover();

// ---- HTTP with a cookie jar ---------------------------------------------------------------------

/** The server's BODY_SIZE_LIMIT in this test (adapter-node answers 413 above it). */
const BODY_LIMIT_BYTES = 512 * 1024;

interface Answer {
	status: number;
	location: string | null;
	setCookies: string[];
	text: string;
}

/**
 * One request on its own connection (node:http, no keep-alive pool), so no request depends on the state a
 * reused connection was left in by an earlier one.
 */
function httpRequest(url: string, method: string, headers: Record<string, string>, body: Buffer | null): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, location: (res.headers.location as string | undefined) ?? null, setCookies: res.headers['set-cookie'] ?? [], text: Buffer.concat(chunks).toString('utf8') })
			);
			res.on('error', reject);
		});
		req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
		req.on('error', (error: NodeJS.ErrnoException) => {
			// A body over the server's limit is refused (413) as soon as its length is known, and the
			// connection is closed while this client may still be sending: that refusal is the answer.
			if (body && body.length > BODY_LIMIT_BYTES && (error.code === 'EPIPE' || error.code === 'ECONNRESET'))
				resolve({ status: 413, location: null, setCookies: [], text: 'closed while an oversized body was being sent' });
			else reject(error);
		});
		req.end(body ?? undefined);
	});
}

let requestNumber = 0;

/** A distinct client address for each request (the server reads X-Forwarded-For), so rate limits stay out of the way. */
function nextAddress(): string {
	requestNumber++;
	return `10.${(requestNumber >> 16) & 255}.${(requestNumber >> 8) & 255}.${requestNumber & 255}`;
}

class Client {
	cookies = new Map<string, string>();
	constructor(
		readonly base: string,
		readonly name: string
	) {}

	cookieHeader(): Record<string, string> {
		const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		return cookie ? { cookie } : {};
	}

	remember(answer: Answer) {
		for (const line of answer.setCookies) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			const value = pair.slice(eq + 1).trim();
			if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq).trim());
			else this.cookies.set(pair.slice(0, eq).trim(), value);
		}
	}

	async get(p: string) {
		const answer = await httpRequest(new URL(p, this.base).toString(), 'GET', { accept: 'text/html', 'x-forwarded-for': nextAddress(), ...this.cookieHeader() }, null);
		this.remember(answer);
		return { status: answer.status, location: answer.location, html: answer.text };
	}

	async post(p: string, form: URLSearchParams) {
		const headers = { accept: 'text/html', origin: this.base, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextAddress(), ...this.cookieHeader() };
		const answer = await httpRequest(new URL(p, this.base).toString(), 'POST', headers, Buffer.from(form.toString()));
		this.remember(answer);
		return { status: answer.status, location: answer.location, html: answer.text };
	}
}

/** Off sick with every optional question answered, so the conditional pages are part of the journey. */
const CHECK_ANSWERS = ELIGIBLE_OFF_SICK;
const REFER_ANSWERS = FULL_REFERRAL;

/** A draft through the checker (and the referral pages when `refer`), stopping before anything is sent. */
async function journey(client: Client, refer: boolean): Promise<void> {
	await client.get('/r/gp-p84001');
	let p = '/check/postcode';
	for (let i = 0; i < 60; i++) {
		const page = await client.get(p);
		if (page.status === 303 && page.location) {
			p = page.location;
			continue;
		}
		if (page.status !== 200) throw new Error(`GET ${p} answered ${page.status}`);
		if (p === '/check/result') {
			if (!refer) return;
			const next = /href="(\/refer\/[^"]+)"/.exec(page.html)?.[1];
			if (!next) throw new Error('the result page offers no referral');
			p = next;
			continue;
		}
		if (p === '/refer/check-answers') return;
		const posted = await client.post(p, fillForm(page.html, { ...CHECK_ANSWERS, ...REFER_ANSWERS }));
		if (posted.status !== 303 || !posted.location) throw new Error(`POST ${p} answered ${posted.status}`);
		p = posted.location;
	}
	throw new Error('too many pages');
}

/** The first radio value of a field on a page (the booking steps offer only free times). */
function firstChoice(html: string, name: string, prefer?: string): string {
	const values = [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].map((m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? '');
	if (!values.length) throw new Error(`no ${name} to choose`);
	return prefer && values.includes(prefer) ? prefer : values[0];
}

/**
 * Books a meeting over HTTP as the participant the submitting browser became, and finds a day and a time it
 * could move to: the booking and change steps are then posted to with these choices in their addresses.
 */
async function bookOverHttp(client: Client) {
	const step = async (p: string, form: URLSearchParams) => {
		const posted = await client.post(p, form);
		if (posted.status !== 303 || !posted.location) throw new Error(`POST ${p} answered ${posted.status}`);
		return posted.location;
	};
	const how = firstChoice((await client.get('/account/book')).html, 'how', 'phone');
	const dayPath = await step('/account/book', new URLSearchParams({ how }));
	const day = firstChoice((await client.get(dayPath)).html, 'day');
	const timePath = await step(dayPath, new URLSearchParams({ day }));
	const start = firstChoice((await client.get(timePath)).html, 'start');
	const invitePath = await step(timePath, new URLSearchParams({ start }));
	const checkPath = await step(invitePath, new URLSearchParams({ invite: '' }));
	const meetingPath = await step(checkPath, new URLSearchParams());
	const meetingId = /\/account\/meetings\/([0-9a-f-]{36})/.exec(meetingPath)?.[1] ?? '';
	const changeDay = firstChoice((await client.get(`/account/meetings/${meetingId}/change/day`)).html, 'day');
	const changeStart = firstChoice((await client.get(`/account/meetings/${meetingId}/change/time?day=${changeDay}`)).html, 'start');
	const q = (v: string) => encodeURIComponent(v);
	/** The address (query) each step's page and action need. */
	const queries: Record<string, string> = {
		'/account/book/day': `?how=${q(how)}`,
		'/account/book/time': `?how=${q(how)}&day=${day}`,
		'/account/book/invite': `?how=${q(how)}&start=${q(start)}`,
		'/account/book/check': `?how=${q(how)}&start=${q(start)}`,
		'/account/meetings/[id]/change/time': `?day=${changeDay}`,
		'/account/meetings/[id]/change/check': `?start=${q(changeStart)}`
	};
	return { meetingId, queries };
}

/** Signs a demo staff member in over HTTP; `verify: false` stops after the password (a pending session). */
async function signIn(client: Client, email: DemoEmail, verify = true): Promise<void> {
	const first = await client.get('/staff/sign-in');
	const posted = await client.post('/staff/sign-in', fillForm(first.html, { email, password: DEMO_PASSWORD }));
	if (posted.status !== 303 || !posted.location?.startsWith('/staff/sign-in/code')) throw new Error(`sign-in of ${email} answered ${posted.status}`);
	if (!verify) return;
	const page = await client.get(posted.location);
	const done = await client.post(posted.location, fillForm(page.html, { code: await freshCode(email, server.url) }));
	if (done.status !== 303 || done.location?.startsWith('/staff/sign-in')) throw new Error(`code for ${email} answered ${done.status} ${done.location}`);
}

// ---- the run ------------------------------------------------------------------------------------

interface Sent {
	target: string;
	who: Who;
	label: string;
	marker: string;
	status: number;
	errorId?: string;
	kinds: string[];
	encoding: Encoding | 'query';
}

let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let dataDir: string;
let apiKey = '';
let webhookId = '';

async function cli(...args: string[]): Promise<string> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED: 'demo', DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE: 'true' }
	});
	return stdout;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(180_000);
	dataDir = newDataDir('ips-e2e-fuzz-');
	// The embedded database allows one process: keys and subscriptions are made before the server starts.
	apiKey = /^(ips_[a-z2-7]{32})$/m.exec(await cli('api-key', 'create', '--name', 'Fuzz case system', '--programme', PRIMARY))?.[1] ?? '';
	// A receiver on this machine (a literal address: nothing to look up), allowed for the command only: the strict server refuses every delivery to it
	// before connecting (a name like crm.example.org is refused at creation: it does not resolve).
	webhookId = /Created webhook subscription (\S+)/.exec(await cli('webhook', 'add', '--url', 'http://127.0.0.1:9/ips', '--events', 'all', '--programme', PRIMARY))?.[1] ?? '';
	smtp = await startSmtp();
	server = await startServer({ SMTP_URL: smtp.url, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', BODY_SIZE_LIMIT: String(BODY_LIMIT_BYTES) }, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(`----- server log (end) -----\n${server.output().slice(-6_000)}`);
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	if (dataDir) removeDir(dataDir);
	await smtp?.close();
});

test('the generated form bodies that are meant to be readable are read back field for field', async () => {
	const form: FormFields = new Map([
		['name', ['']],
		['choice', ['yes', 'no']]
	]);
	const encodings: [Encoding, number][] = [
		['urlencoded', 1],
		['multipart', 1]
	];
	const cases = fc.sample(caseArb(form, encodings), { seed: SEED, numRuns: 200 });
	for (const [i, c] of cases.entries()) {
		const built = buildBody(c, markerFor(SEED, i), 'selftest');
		const read = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': built.contentType! }, body: new Uint8Array(built.body!) }).formData();
		expect([...read.keys()].length, built.label).toBe(c.fields.length);
	}
	expect(new Set(cases.map((c) => c.encoding))).toEqual(new Set(['urlencoded', 'multipart']));
	// Markers are what the log and the database are searched for: each request's is its own.
	const markers = Array.from({ length: 20_000 }, (_, i) => markerFor(SEED, i));
	expect(new Set(markers).size).toBe(markers.length);
	for (const m of markers.slice(0, 50)) expect(m.toLowerCase()).toMatch(/^fz[a-z2-7]{10}$/);
});

test('odd form action names, control characters in API text and in addresses are answered 4xx, never 5xx, and nothing sent is logged', async () => {
	test.setTimeout(3 * 60_000);
	const admin = new Client(server.url, 'admin (odd requests)');
	await signIn(admin, 'admin@ips.example');
	const anonymous = new Client(server.url, 'anonymous (odd requests)');
	const draft = new Client(server.url, 'draft (odd requests)');
	await draft.get('/r/gp-p84001');
	const problems: string[] = [];
	const sentMarkers: string[] = [];
	const expectRefused = (what: string, status: number, allowed: number[]) => {
		if (!allowed.includes(status)) problems.push(`${what} answered ${status}`);
	};

	// ---- action names, on pages with a default action and pages with named ones, as HTML and as JSON ----
	const pages: [Client, string][] = [
		[draft, '/check/postcode'],
		[draft, '/status'],
		[draft, '/save'],
		[anonymous, '/staff/sign-in'],
		[anonymous, '/account/sign-in'],
		[admin, '/staff/admin/programmes/gm-ips-primary-care'],
		[admin, '/staff/admin/staff/new'],
		[admin, '/staff/admin/webhooks']
	];
	for (const [client, page] of pages) {
		for (const name of ODD_ACTION_NAMES) {
			for (const accept of ['text/html', 'application/json']) {
				const marker = markerFor(SEED + 1, sentMarkers.length);
				sentMarkers.push(marker);
				const body = Buffer.from(new URLSearchParams({ postcode: marker, email: marker, reference: marker }).toString());
				const headers = { accept, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextAddress(), ...client.cookieHeader() };
				const answer = await httpRequest(`${server.url}${page}?/${name}`, 'POST', headers, body);
				expectRefused(`POST ${page}?/${name} (${accept})`, answer.status, [400, 404]);
			}
		}
	}

	// ---- control characters in the API's text: the status note (JSON) and the programme filter ----
	const reference = 'ACDE-FGHJ';
	for (const c of [...CONTROL_CHARS.filter((ch) => !'\t\n\r'.includes(ch)), '\ud800']) {
		const marker = markerFor(SEED + 2, sentMarkers.length);
		sentMarkers.push(marker);
		const body = Buffer.from(JSON.stringify({ status: 'eligibility-confirmed', note: `${marker}${c}` }));
		const headers = { accept: 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': marker, 'content-type': 'application/json', 'x-forwarded-for': nextAddress() };
		const answer = await httpRequest(`${server.url}/api/v1/referrals/${reference}/status`, 'POST', headers, body);
		// 400 invalid_request: the body is read before the reference is looked up.
		expectRefused(`status note with U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`, answer.status, [400]);
		if (answer.status === 400 && !answer.text.includes('"invalid_request"')) problems.push(`status note with U+${c.charCodeAt(0).toString(16)}: ${answer.text.slice(0, 100)}`);
		// In the middle of the value (the list is trimmed); a lone surrogate cannot travel in an address (it arrives as U+FFFD).
		if (c === '\ud800') continue;
		const filter = await httpRequest(`${server.url}/api/v1/events?programme=${percent(`${marker}${c}x`)}`, 'GET', { accept: 'application/json', authorization: `Bearer ${apiKey}`, 'x-forwarded-for': nextAddress() }, null);
		expectRefused(`events programme filter with U+${c.charCodeAt(0).toString(16)}`, filter.status, [400]);
	}

	// ---- a NUL in an address: admin pages by programme, API resources, public pages ----
	for (const [client, p] of [
		[admin, '/staff/admin/programmes/x%00y'],
		[admin, '/staff/admin/programmes/x%00y/booking'],
		[admin, '/staff/admin/programmes/x%00y/measures'],
		[admin, '/staff/admin/programmes/x%00y/service'],
		[admin, '/staff/admin/programmes/x%00y/outcomes'],
		[admin, '/staff/admin/staff/x%00y'],
		[admin, '/staff/admin/webhooks/x%00y'],
		[admin, '/staff/referrals/x%00y'],
		[anonymous, '/r/x%00y'],
		[anonymous, '/resume/x%00y']
	] as [Client, string][]) {
		const answer = await client.get(p);
		expectRefused(`GET ${p}`, answer.status, [404]);
	}
	for (const p of ['/api/v1/referrals/x%00y', '/api/v1/referrals/x%00y/fhir', '/api/v1/check-ins/x%00y', '/api/v1/concerns/x%00y']) {
		const answer = await httpRequest(`${server.url}${p}`, 'GET', { accept: 'application/json', authorization: `Bearer ${apiKey}`, 'x-forwarded-for': nextAddress() }, null);
		expectRefused(`GET ${p}`, answer.status, [404]);
	}

	expect(problems).toEqual([]);
	const logged = server.output().toLowerCase();
	expect(sentMarkers.filter((m) => logged.includes(m.toLowerCase())), 'markers in the server log').toEqual([]);
});

test('every form action and API endpoint answers generated bodies without a 5xx, a logged marker or a stored control character', async () => {
	test.setTimeout(15 * 60_000);
	const started = performance.now();
	console.log(`fuzz seed ${SEED} (set FUZZ_SEED to vary it)`);

	// ---- discovery is complete ----
	const routes = ROUTES.map((r) => `${r.method} ${r.route}${r.action && r.action !== 'default' ? `?/${r.action}` : ''}`);
	for (const expected of [
		'POST /check/[step]',
		'POST /refer/[step]',
		'POST /refer/check-answers',
		'POST /save',
		'POST /status',
		'POST /resume/[token]',
		'POST /staff/sign-in',
		'POST /staff/sign-in/code',
		'POST /staff/referrals/[reference]?/status',
		'POST /staff/admin/staff/[id]?/access',
		'POST /account/sign-in',
		'POST /account/sign-in/code',
		'POST /account/sign-in/link/[token]',
		'POST /account/sign-out?/everywhere',
		'POST /api/v1/referrals/[reference]/status',
		'GET /api/v1/events',
		'GET /api/v1/check-ins/[id]',
		'GET /api/v1/concerns/[id]',
		'GET /api/v1/referrals/[reference]/fhir',
		'GET /api/v1/webhook-deliveries',
		'POST /account/withdraw',
		'POST /account/more/[step]',
		'POST /account/job/[step]',
		'POST /account/job/still-in-work/[jobId]/[weeks]',
		'POST /staff/referrals/[reference]/jobs?/sustained',
		'POST /staff/referrals/[reference]?/withdraw'
	])
		expect(routes, 'targets found on disk').toContain(expected);

	// ---- setup: drafts, a referral, a resume token, staff sessions, ids ----
	const base = server.url;
	const checkDraft = new Client(base, 'check draft');
	await journey(checkDraft, false);
	const referDraft = new Client(base, 'refer draft');
	await journey(referDraft, true);
	const submitDraft = new Client(base, 'submit draft');
	await journey(submitDraft, true);
	const sent = new Client(base, 'referral');
	await journey(sent, true);
	const answered = await sent.post('/refer/check-answers', fillForm((await sent.get('/refer/check-answers')).html, {}));
	expect(answered.location).toBe('/refer/confirmation');
	const reference = /data-testid="reference"[^>]*>([^<]+)</.exec((await sent.get('/refer/confirmation')).html)?.[1]?.trim() ?? '';
	expect(reference).not.toBe('');
	// The browser that sent the referral is signed in as its participant: a booked meeting for the /account actions.
	const booking = await bookOverHttp(sent);
	expect(booking.meetingId, 'a meeting was booked').not.toBe('');

	const resumer = new Client(base, 'resume draft');
	await journey(resumer, false);
	const saved = await resumer.post('/save', fillForm((await resumer.get('/save')).html, { email: 'fuzz.resume@example.com' }));
	expect(saved.status).toBe(200);
	const mail = await smtp.waitFor('fuzz.resume@example.com');
	const token = /\/resume\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
	expect(token).not.toBe('');

	const admin = new Client(base, 'admin');
	await signIn(admin, 'admin@ips.example');
	const specialist = new Client(base, 'specialist');
	await signIn(specialist, 'sam.specialist@ips.example');
	const accountHolder = new Client(base, 'account holder');
	await signIn(accountHolder, 'sol.secondary@ips.example');
	const pending = new Client(base, 'pending sign-in');
	await signIn(pending, 'lead@ips.example', false);
	const anonymous = new Client(base, 'anonymous');
	// The browser that sent the referral is signed in as its participant; another has asked for a sign-in code.
	expect(sent.cookies.has('ips_participant'), 'the referral’s browser is signed in').toBe(true);
	const participantPending = new Client(base, 'participant pending sign-in');
	const asked = await participantPending.post('/account/sign-in', fillForm((await participantPending.get('/account/sign-in')).html, { address: 'fuzz.participant@example.com' }));
	expect(asked.location).toBe('/account/sign-in/code');

	const staffList = await admin.get('/staff/admin/staff');
	const leadId = /href="\/staff\/admin\/staff\/([^"]+)">Lee Lead</.exec(staffList.html)?.[1] ?? '';
	expect(leadId, 'the team lead is listed').not.toBe('');
	const venueId = /href="\/staff\/admin\/venues\/([0-9a-f-]{36})"/.exec((await admin.get('/staff/admin/venues')).html)?.[1] ?? '';
	expect(venueId, 'a demo venue is listed').not.toBe('');
	expect(apiKey, 'an API key was created').not.toBe('');
	expect(webhookId, 'a webhook subscription was created').not.toBe('');

	const clients: Record<Who, Client | null> = {
		draft: null,
		anonymous,
		admin,
		specialist,
		'account-holder': accountHolder,
		'pending-sign-in': pending,
		'api-key': anonymous,
		participant: sent,
		'participant-pending': participantPending
	};
	const draftFor = (route: string): Client => (route.startsWith('/refer/check-answers') ? submitDraft : route.startsWith('/refer/') || route === '/save' ? referDraft : checkDraft);

	// ---- targets with real values ----
	const fill = (route: string, step?: string) =>
		route.replace(/\[(\.\.\.)?(\w+)\]/g, (_m, rest: string | undefined, name: string) => {
			if (rest) return 'fuzz-nothing-here';
			if (name === 'step') return step!;
			if (name === 'reference') return reference;
			if (name === 'token') return token;
			if (name === 'code') return 'gp-p84001';
			if (name === 'id' && route.startsWith('/account/')) return booking.meetingId;
			// Check-ins and concerns by id: an id nobody has (404 not_found), in the shape the API expects.
			if (name === 'id' && route.startsWith('/api/')) return '00000000-0000-4000-8000-000000000000';
			// DIALOG+ areas are numbered 1 to 11.
			if (name === 'area') return '1';
			// Wellbeing check-in questions are numbered from 1.
			if (name === 'item') return '1';
			// Last time's DIALOG+ actions are reviewed one per page, numbered from 1.
			if (name === 'n') return '1';
			// Progress CSVs are per measure; wellbeing check-ins are per questionnaire.
			if (name === 'instrument') return route.startsWith('/account/progress') ? 'dialog' : 'swemwbs';
			if (name === 'id') return route.includes('/programmes/') ? PRIMARY : route.includes('/webhooks/') ? webhookId : route.includes('/venues/') ? venueId : leadId;
			// The lead's availability: the admin shares a programme with them, the specialist may not open it (404).
			if (name === 'staffId') return leadId;
			// A job and a sustainment point nobody has: the page answers 404 whatever is sent.
			if (name === 'jobId') return '00000000-0000-4000-8000-000000000000';
			if (name === 'weeks') return '13';
			// A new email address (a code goes to it) and a consent to withdraw.
			if (name === 'address') return 'email';
			if (name === 'kind') return 'evaluation';
			throw new Error(`no value for [${name}] in ${route}`);
		});
	const targets: Target[] = [];
	for (const r of ROUTES) {
		const pagesOf: Record<string, { id: string }[]> = { '/check/[step]': CHECK_PAGES, '/refer/[step]': REFER_PAGES, '/account/more/[step]': MORE_PAGES, '/account/job/[step]': JOB_PAGES, '/account/details/[step]': PREFERENCE_PAGES };
		const steps = pagesOf[r.route]?.map((p) => p.id) ?? [undefined];
		for (const step of steps) {
			const p = fill(r.route, step);
			const actionPath = r.action && r.action !== 'default' ? `${p}?/${r.action}` : p;
			const label = `${r.method} ${actionPath}`;
			if (r.route.startsWith('/api/')) {
				targets.push({ label, path: p, method: r.method, who: 'api-key', runs: r.method === 'GET' ? 40 : r.route.endsWith('/status') ? 160 : 30, kind: 'api' });
				continue;
			}
			if (!r.action) {
				targets.push({ label, path: p, method: 'POST', who: 'draft', runs: 20, kind: 'endpoint' });
				continue;
			}
			const form = { path: actionPath, method: 'POST' as const, page: p, action: r.action, kind: 'form' as const };
			if (r.route === '/account/sign-in/code') targets.push({ ...form, label, who: 'participant-pending', runs: 50 });
			else if (r.route.startsWith('/account/sign-in')) targets.push({ ...form, label, who: 'anonymous', runs: 40 });
			else if (r.route.startsWith('/account')) {
				// Participant pages: as the participant, with the choices of the earlier steps in the address.
				const query = booking.queries[r.route] ?? '';
				targets.push({ ...form, path: `${actionPath}${query}`, page: `${p}${query}`, label: `${label}${query}`, who: 'participant', runs: 30 });
				targets.push({ ...form, label, who: 'anonymous', runs: 5 });
			} else if (r.route === '/staff/sign-in') targets.push({ ...form, label, who: 'anonymous', runs: 60 });
			else if (r.route === '/staff/sign-in/code') targets.push({ ...form, label, who: 'pending-sign-in', runs: 60 });
			else if (r.route.startsWith('/staff/account')) {
				targets.push({ ...form, label, who: 'account-holder', runs: 10 });
				targets.push({ ...form, label, who: 'anonymous', runs: 10 });
			} else if (r.route.startsWith('/staff')) {
				targets.push({ ...form, label, who: 'admin', runs: 70 });
				if (!r.route.startsWith('/staff/admin')) targets.push({ ...form, label, who: 'specialist', runs: 50 });
				targets.push({ ...form, label, who: 'anonymous', runs: 10 });
			} else targets.push({ ...form, label, who: 'draft', runs: r.route.startsWith('/check/') || r.route.startsWith('/refer/[') ? 45 : 70 });
		}
	}
	// Signing out ends the session, so the account actions go last, and the participant's sign-out after
	// every other participant action.
	const order = (t: Target) => (t.who === 'account-holder' ? 2 : t.who === 'participant' ? (t.path.startsWith('/account/sign-out') ? 3 : 1) : 0);
	targets.sort((a, b) => order(a) - order(b));

	// ---- the requests ----
	const results: Sent[] = [];
	const markers = new Map<string, Sent>();
	const reached = new Map<string, number>();
	let dead = '';
	const timing = new Map<string, number>();
	let numbered = 0;
	for (const [t, target] of targets.entries()) {
		const client = target.who === 'draft' ? draftFor(target.path) : clients[target.who]!;
		let fields: FormFields = new Map();
		const targetStarted = performance.now();
		if (server.process.exitCode !== null) {
			dead = `the server exited (code ${server.process.exitCode}) before ${target.label} as ${target.who}`;
			break;
		}
		if (target.page) {
			// The form as this person sees it; staff forms an anonymous person cannot see are read as the admin.
			try {
				const page = await (target.who === 'anonymous' && target.page.startsWith('/staff/admin') ? admin : client).get(target.page);
				if (page.status === 200) fields = formFields(page.html, target.action ?? 'default');
				else if (target.who === 'anonymous' && page.status === 303) fields = formFields((await specialist.get(target.page)).html, target.action ?? 'default');
			} catch (error) {
				await new Promise((r) => setTimeout(r, 500));
				const last = results.at(-1);
				dead = `GET ${target.page} failed (${(error as Error).message}); server exit code ${server.process.exitCode}; the last request was ${last?.target} as ${last?.who} [${last?.label}] -> ${last?.status}`;
				break;
			}
		}
		if (target.kind === 'api' && target.path.endsWith('/status'))
			fields = new Map([
				['status', ['open', 'contacted', 'closed', 'in-progress']],
				['reason', ['099', '']],
				['note', ['A note']]
			]);
		if (target.kind === 'api' && target.path.endsWith('/events'))
			fields = new Map([
				['after', ['0', '']],
				['limit', ['1', '100']]
			]);
		const encodings: [Encoding, number][] | undefined = target.kind === 'api' && target.method === 'POST' ? [['json', 6], ['urlencoded', 1], ['text-plain', 1], ['multipart-broken', 1], ['none', 1]] : undefined;
		const accept = target.kind === 'api' ? fc.constantFrom('application/json', '*/*') : undefined;
		const cases = fc.sample(fc.tuple(caseArb(fields, encodings, accept), apiHeadersArb), { seed: SEED + t * 7919, numRuns: Math.max(1, Math.round(target.runs * SCALE)) });
		// A few of one target's requests in flight at once, as real traffic arrives; the cases and their markers
		// are the same whatever FUZZ_CONCURRENCY is (1 sends them one after another, in order).
		let next = 0;
		const sender = async () => {
			while (!dead && next < cases.length) {
				const i = next++;
				const [c, headers] = cases[i];
				const marker = markerFor(SEED, numbered++);
				const { status, errorId, label, encoding } = await send(client, target, c, headers, marker, `${t}x${i}`);
				const record: Sent = { target: target.label, who: target.who, label, marker, status, errorId, kinds: [...new Set(c.fields.flatMap((f) => f.value.kinds))], encoding };
				results.push(record);
				markers.set(marker.toLowerCase(), record);
				if (status !== 401 && status !== 0) reached.set(`${target.who} ${target.label}`, (reached.get(`${target.who} ${target.label}`) ?? 0) + 1);
				if (status === 0 && (await new Promise((r) => setTimeout(r, 200)), server.process.exitCode !== null)) {
					dead ||= `the server exited (code ${server.process.exitCode}) at ${target.label} as ${target.who} [${label}]`;
				}
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, sender));
		timing.set(`${target.who} ${target.label}`, performance.now() - targetStarted);
		if (dead) break;
	}
	const seconds = (performance.now() - started) / 1000;

	// ---- report ----
	const byTarget = new Map<string, Map<number, number>>();
	const histogram = new Map<number, number>();
	for (const r of results) {
		const key = `${r.target} as ${r.who}`;
		const m = byTarget.get(key) ?? new Map<number, number>();
		m.set(r.status, (m.get(r.status) ?? 0) + 1);
		byTarget.set(key, m);
		histogram.set(r.status, (histogram.get(r.status) ?? 0) + 1);
	}
	const fmt = (m: Map<number, number>) => [...m].sort(([a], [b]) => a - b).map(([s, n]) => `${s || 'no answer'}:${n}`).join(' ');
	console.log(
		`fuzz: ${results.length} requests to ${byTarget.size} targets in ${seconds.toFixed(1)} s (seed ${SEED})\n` +
			[...byTarget].map(([k, m]) => `  ${String([...m.values()].reduce((a, b) => a + b, 0)).padStart(4)}  ${k}  ${fmt(m)}  (${((timing.get(k.replace(/^(.*) as (\S+)$/, '$2 $1')) ?? 0) / 1000).toFixed(1)} s)`).join('\n') +
			`\nstatuses: ${fmt(histogram)}`
	);

	// ---- 5xx, grouped by target, encoding and status; the value kinds every failing body had in common ----
	const logLines = server.output().split('\n');
	const logged = new Map<string, string>();
	for (const line of logLines) {
		const id = /"errorId":"([^"]+)"/.exec(line)?.[1];
		if (id) logged.set(id, /"error":(\{.*?\})(,"|\})/.exec(line)?.[1]?.replace(/,"stack":\[.*?\]/, '') ?? '');
	}
	const failures = results.filter((r) => r.status >= 500 || r.status === 0);
	const groups = new Map<string, Sent[]>();
	for (const r of failures) {
		const key = `${r.status || 'no answer'} ${r.target} as ${r.who} [${r.encoding}]`;
		groups.set(key, [...(groups.get(key) ?? []), r]);
	}
	const failureReport = [...groups].map(([key, rs]) => {
		const common = rs.map((r) => r.kinds).reduce((a, b) => a.filter((k) => b.includes(k)));
		const errors = [...new Set(rs.map((r) => (r.errorId ? logged.get(r.errorId) : undefined)).filter(Boolean))].slice(0, 2);
		return `${key}: ${rs.length} of ${results.filter((x) => `${x.target} as ${x.who}` === `${rs[0].target} as ${rs[0].who}`).length}; value kinds in every one: ${common.join(',') || '(none in common)'}; e.g. ${rs[0].label}${errors.length ? `; logged ${errors.join(' / ')}` : ''}`;
	});
	if (failureReport.length) console.log(`5xx answers:\n  ${failureReport.join('\n  ')}`);

	// ---- markers in the server log ----
	const leaks = new Map<string, { sent: Sent; line: string }>();
	for (const line of logLines) {
		for (const m of line.toLowerCase().matchAll(/fz[a-z2-7]{10}/g)) {
			const s = markers.get(m[0]);
			if (s && !leaks.has(m[0])) {
				const at = line.toLowerCase().indexOf(m[0]);
				leaks.set(m[0], { sent: s, line: line.slice(Math.max(0, at - 160), at + 40).replace(/[\x00-\x1f]/g, ' ') });
			}
		}
	}
	const leakGroups = new Map<string, { n: number; example: string }>();
	for (const { sent: s, line } of leaks.values()) {
		const key = `${s.target} as ${s.who} [${s.encoding}]`;
		leakGroups.set(key, { n: (leakGroups.get(key)?.n ?? 0) + 1, example: leakGroups.get(key)?.example ?? `${s.label} (status ${s.status}): …${line}` });
	}
	const leakReport = [...leakGroups].map(([k, v]) => `${k}: ${v.n} markers logged, e.g. ${v.example}`);
	if (leakReport.length) console.log(`markers in the server log:\n  ${leakReport.join('\n  ')}`);

	// ---- the database, once the server has stopped ----
	const exitCode = await server.stop();
	const stored = await withDatabase(dataDir, async (query) => {
		const columns = await query(
			`select table_name, column_name, data_type from information_schema.columns
			 where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY') order by table_name, ordinal_position`
		);
		const control: string[] = [];
		const markerCounts = new Map<string, number>();
		const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
		const visit = (v: unknown, where: string, row: unknown) => {
			if (typeof v === 'string') {
				const m = /fz[a-z2-7]{10}/i.exec(v);
				if (m && markers.has(m[0].toLowerCase())) markerCounts.set(where, (markerCounts.get(where) ?? 0) + 1);
				if (bad.test(v)) {
					const s = m ? markers.get(m[0].toLowerCase()) : undefined;
					control.push(`${where}: ${JSON.stringify(v.slice(0, 60))}${s ? ` from ${s.target} as ${s.who} [${s.label}]` : ''}`);
				}
			} else if (Array.isArray(v)) v.forEach((x) => visit(x, where, row));
			else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (visit(k, where, row), visit(x, where, row));
		};
		for (const { table_name, column_name } of columns as { table_name: string; column_name: string }[]) {
			for (const row of await query(`select "${column_name}" as v from "${table_name}" where "${column_name}" is not null`)) visit(row.v, `${table_name}.${column_name}`, row);
		}
		return { control, markerCounts };
	});
	if (stored.markerCounts.size)
		console.log(`markers stored (accepted as valid input):\n  ${[...stored.markerCounts].map(([k, n]) => `${k}: ${n}`).join('\n  ')}`);
	if (stored.control.length) console.log(`control characters stored:\n  ${stored.control.slice(0, 30).join('\n  ')}`);

	// ---- verdicts ----
	expect.soft(dead, 'the server kept running').toBe('');
	expect.soft(exitCode, 'the server stopped cleanly').toBe(0);
	expect.soft(results.length, 'requests sent').toBeGreaterThanOrEqual(Math.floor(2000 * SCALE));
	// Signing out ends the one participant session, so only the first sign-out action can get past sign-in.
	for (const target of targets.filter((x) => (x.who === 'admin' || x.who === 'specialist' || x.who === 'api-key' || x.who === 'participant') && !x.path.startsWith('/account/sign-out')))
		expect.soft(reached.get(`${target.who} ${target.label}`) ?? 0, `${target.label} as ${target.who} got past sign-in at least once`).toBeGreaterThan(0);
	expect.soft(failureReport, 'requests answered with a 5xx (status, target, encoding: count, common value kinds, example)').toEqual([]);
	expect.soft(leakReport, 'submitted values written to the server log').toEqual([]);
	expect.soft(stored.control, 'stored text with control characters other than tab and newline').toEqual([]);
});

// ---- one request ----------------------------------------------------------------------------------

interface ApiHeaders {
	idempotency: string;
	auth: string;
	query: [string, FuzzValue][];
}

const apiHeadersArb: fc.Arbitrary<ApiHeaders> = fc.record({
	idempotency: fc.oneof(
		{ weight: 6, arbitrary: fc.constant('marker') },
		{ weight: 1, arbitrary: fc.constantFrom('missing', 'empty', 'long', 'spaces', 'latin1') }
	),
	auth: fc.oneof({ weight: 12, arbitrary: fc.constant('key') }, { weight: 1, arbitrary: fc.constantFrom('none', 'wrong', 'basic') }),
	query: fc.array(fc.tuple(fc.constantFrom('after', 'limit', 'type', 'x'), valueArb(['0', '1', '100', ''])), { maxLength: 3 })
});

async function send(
	client: Client,
	target: Target,
	c: FuzzCase,
	h: ApiHeaders,
	marker: string,
	boundary: string
): Promise<{ status: number; errorId?: string; label: string; encoding: Encoding | 'query' }> {
	const headers: Record<string, string> = { origin: server.url, 'x-forwarded-for': nextAddress(), ...client.cookieHeader() };
	let url = new URL(target.path, server.url).toString();
	let body: Buffer | null = null;
	let label: string;
	let encoding: Encoding | 'query';
	if (target.kind === 'api') {
		if (h.auth === 'key') headers.authorization = `Bearer ${apiKey}`;
		else if (h.auth === 'wrong') headers.authorization = `Bearer ips_${marker.toLowerCase()}${'a'.repeat(20)}`;
		else if (h.auth === 'basic') headers.authorization = `Basic ${Buffer.from(`${marker}:x`).toString('base64')}`;
		const idem: Record<string, string | undefined> = { marker, missing: undefined, empty: '', long: marker + 'k'.repeat(300), spaces: `${marker} key`, latin1: `${marker}\u00e9` };
		if (idem[h.idempotency] !== undefined) headers['idempotency-key'] = idem[h.idempotency]!;
	}
	if (target.method === 'GET') {
		// Generated query strings (the API's GET endpoints read after, limit and type).
		const pairs = [...c.fields.map((f) => [f.name, f.value] as const), ...h.query];
		// Each value is cut to 2,500 encoded characters (an escape may be cut in half): a longer address only
		// meets Node's 16 KB header limit (431, and a reset while the request is still being written).
		url += (url.includes('?') ? '&' : '?') + pairs.map(([n, v]) => `${percent(n)}=${percent(v.marked ? marker + v.text : v.text).slice(0, 2_500)}`).join('&');
		headers.accept = 'application/json';
		encoding = 'query';
		label = `query values=${[...new Set(pairs.flatMap(([, v]) => v.kinds))].sort().join(',') || 'none'} auth=${h.auth}`;
	} else {
		const built = buildBody(c, marker, boundary);
		if (built.contentType) headers['content-type'] = built.contentType;
		headers.accept = c.accept;
		body = built.body;
		encoding = c.encoding;
		label = built.label + (target.kind === 'api' ? ` auth=${h.auth} idempotency=${h.idempotency}` : '');
	}
	const t0 = performance.now();
	try {
		const res = await httpRequest(url, target.method, headers, body);
		const text = res.text;
		const errorId = res.status >= 500 ? /error number: <strong>([^<]+)<\/strong>|"errorId":"([^"]+)"/.exec(text)?.slice(1).find(Boolean) : undefined;
		return { status: res.status, errorId, label, encoding };
	} catch (error) {
		return { status: 0, label: `${label} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message} after ${Math.round(performance.now() - t0)} ms)`, encoding };
	}
}
