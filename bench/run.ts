/**
 * `npm run bench`: the portal's pages beside a bare SvelteKit page, in the same run, alternately.
 * See "Benchmark" in docs/operations.md. Knobs (environment):
 *   BENCH_SECONDS  seconds per measurement (default 8)     BENCH_ROUNDS  rounds of every case (default 2)
 *   BENCH_CONNECTIONS  virtual users (default 32)          BENCH_DB  pglite, postgres or both (default both)
 *   BENCH_CASES    comma list of cases to run (default all) BENCH_PROFILE  1: portal runs with --cpu-prof
 *   BENCH_OUT      where to write results (default bench/results), BENCH_NOTE a note for the table
 *   BENCH_KEEP_DB  1: leave the throwaway PostgreSQL databases in place afterwards (to probe them)
 *   DATABASE_URL   a PostgreSQL server to make throwaway databases on (default postgres://postgres@127.0.0.1:5432/postgres)
 * It expects `build/` (the portal) and `bench/baseline/build/` to be built: `npm run bench` does both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fillForm, walkOverHttp } from '../tests/e2e/support/http-journey';
import { ELIGIBLE, REFERRAL } from '../tests/e2e/support/journey';
import { cannon, client, load, repeat, type LoadResult, type Send } from './lib/load';
import { apiKeys, cloneDrafts, cloneReferrals, count, openDb, staffSession, type Query } from './lib/seed';
import { cpuMs, freePort, postgresCpuMs, rss, rssPeak, startServer, type Server } from './lib/servers';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DBS = (process.env.BENCH_DB ?? 'both') === 'both' ? ['pglite', 'postgres'] : [process.env.BENCH_DB!];
const ONLY = process.env.BENCH_CASES?.split(',').map((s) => s.trim());
const PROFILE = process.env.BENCH_PROFILE === '1';
const OUT = process.env.BENCH_OUT ?? 'bench/results';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INBOX_REFERRALS = Number(process.env.BENCH_INBOX_REFERRALS ?? 10_000);
/** The outcomes report's case (PostgreSQL): this many referrals in all, and this many anonymous checker results. */
const OUTCOME_REFERRALS = Number(process.env.BENCH_OUTCOME_REFERRALS ?? 100_000);
const OUTCOME_CHECKS = Number(process.env.BENCH_OUTCOME_CHECKS ?? 1_000_000);
const ANSWERS = { ...ELIGIBLE, ...REFERRAL };
const MB = (n: number | null) => (n === null ? null : Math.round(n / 1024 / 1024));

type TargetName = 'bare' | 'pglite' | 'postgres' | 'postgres-2';
interface Target {
	name: TargetName;
	url: string;
	origin: string;
	servers: Server[];
	/** Cookie tokens and keys prepared for the cases. */
	pageDraft?: string;
	referPath?: string;
	submitBody?: string;
	drafts?: string[];
	staffToken?: string;
	keys?: string[];
	db?: { query: Query; close: () => Promise<void> };
	dbUrl?: string;
	/** A referral the seed copies, and whether the outcomes report's rows are in yet. */
	reference?: string;
	outcomesSeeded?: boolean;
	dataDir?: string;
}

interface Run extends LoadResult {
	round: number;
	case: string;
	target: TargetName;
	ratio: number | null;
	rssIdleMB: number | null;
	rssLoadMB: number | null;
	/** CPU ms per request while measuring: the portal process(es), PostgreSQL's processes, this process (the load generator). */
	cpu: { portal: number; database: number | null; load: number };
	note?: string;
}

const log = (...a: unknown[]) => console.log(...a);

// ---------------------------------------------------------------------------------------------- setup

// Each simulated person comes from their own address (x-forwarded-for, as behind a proxy): the portal
// allows 20 referrals an hour from one address, and a burst comes from many people.
const common = { SEED: 'demo', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' };
let people = 0;
const address = () => {
	const i = ++people;
	return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
};

/**
 * The node flags `npm start` gives the portal (package.json's start script, before the script's path:
 * the old-space cap that keeps the embedded mode's memory down), so the benchmark measures what runs.
 */
const START_FLAGS: string[] = (JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string)
	.split(/\s+/)
	.slice(1)
	.filter((a) => a.startsWith('--'));

function portalArgs(name: string): string[] {
	if (!PROFILE) return START_FLAGS;
	const dir = path.resolve('bench/profiles');
	mkdirSync(dir, { recursive: true });
	return [...START_FLAGS, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}-${Date.now()}.cpuprofile`];
}

async function startPortal(name: TargetName, env: Record<string, string>, port?: number, origin?: string): Promise<Server> {
	return startServer({ name, entry: 'build/index.js', env: { ...common, ...env }, ready: '/healthz', port, origin, nodeArgs: portalArgs(name) });
}

function cookieOf(session: unknown, name: string): string {
	return (session as { cookies: Map<string, string> }).cookies.get(name)!;
}

/** Walks the journey over HTTP once to each point the cases need, and sends one referral. */
async function prepareJourney(t: Target): Promise<{ readyDraft: string; reference: string }> {
	const pages = await walkOverHttp(t.url, ANSWERS, '/refer/check-answers');
	if (!('session' in pages)) throw new Error('the journey did not reach check your answers');
	t.pageDraft = cookieOf(pages.session, 'ips_draft');
	const result = await pages.session.get('/check/result');
	t.referPath = /href="(\/refer\/[^"?]+)"/.exec(result.html)?.[1];
	if (!t.referPath) throw new Error('no referral page linked from the result');
	const ready = await walkOverHttp(t.url, ANSWERS, '/refer/check-answers');
	if (!('session' in ready)) throw new Error('the journey did not reach check your answers');
	t.submitBody = fillForm(ready.html, {}).toString();
	const sent = await walkOverHttp(t.url, ANSWERS, null);
	if (!('reference' in sent)) throw new Error('no referral');
	return { readyDraft: cookieOf(ready.session, 'ips_draft'), reference: sent.reference };
}

function draftsNeeded(perSecond: number) {
	return Math.ceil(perSecond * SECONDS * ROUNDS) + 100;
}

async function seed(t: Target, query: Query, readyDraft: string, reference: string, drafts: number) {
	const started = Date.now();
	t.reference = reference;
	t.drafts = await cloneDrafts(query, readyDraft, drafts);
	await cloneReferrals(query, reference, INBOX_REFERRALS);
	t.staffToken = await staffSession(query, 'lead@ips.example');
	t.keys = await apiKeys(query, 64, ['gm-ips-primary-care']);
	log(`  ${t.name}: ${drafts} drafts ready to send, ${INBOX_REFERRALS} referrals, a staff session and 64 API keys (${Date.now() - started} ms)`);
}

async function setupPglite(): Promise<Target> {
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ips-bench-'));
	let server = await startPortal('pglite', { DATA_DIR: dataDir });
	const t: Target = { name: 'pglite', url: server.url, origin: server.url, servers: [server], dataDir };
	const { readyDraft, reference } = await prepareJourney(t);
	// The embedded database is one process's: stop the portal, write the copies, start it again.
	await server.stop();
	const db = await openDb({ dataDir });
	await seed(t, db.query, readyDraft, reference, draftsNeeded(400));
	await db.close();
	server = await startPortal('pglite', { DATA_DIR: dataDir }, Number(new URL(t.url).port));
	t.servers = [server];
	return t;
}

async function postgresAvailable(): Promise<boolean> {
	try {
		const db = await openDb({ databaseUrl: ADMIN_URL });
		await db.query('select 1');
		await db.close();
		return true;
	} catch {
		return false;
	}
}

async function createDatabase(name: string): Promise<string> {
	const admin = await openDb({ databaseUrl: ADMIN_URL });
	await admin.query(`drop database if exists ${name}`);
	await admin.query(`create database ${name}`);
	await admin.close();
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

async function dropDatabase(name: string) {
	if (process.env.BENCH_KEEP_DB === '1') return log(`  kept database ${name} (BENCH_KEEP_DB=1)`);
	const admin = await openDb({ databaseUrl: ADMIN_URL });
	await admin.query(`drop database if exists ${name} with (force)`).catch((e) => log(`  could not drop ${name}: ${e.message}`));
	await admin.close();
}

async function setupPostgres(dbName: string): Promise<Target> {
	const dbUrl = await createDatabase(dbName);
	const server = await startPortal('postgres', { DATABASE_URL: dbUrl });
	const t: Target = { name: 'postgres', url: server.url, origin: server.url, servers: [server], dbUrl };
	const { readyDraft, reference } = await prepareJourney(t);
	t.db = await openDb({ databaseUrl: dbUrl });
	await seed(t, t.db.query, readyDraft, reference, draftsNeeded(800));
	return t;
}

/** Two portal instances on one PostgreSQL database behind a round-robin proxy (bench/proxy.js). */
async function setupTwoInstances(dbName: string): Promise<{ target: Target; proxy: ChildProcess }> {
	const dbUrl = await createDatabase(dbName);
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const a = await startPortal('postgres-2', { DATABASE_URL: dbUrl }, undefined, origin);
	const b = await startPortal('postgres-2', { DATABASE_URL: dbUrl }, undefined, origin);
	const proxy = spawn(process.execPath, ['bench/proxy.js', String(port), new URL(a.url).port, new URL(b.url).port], { stdio: ['ignore', 'ignore', 'inherit'] });
	for (let i = 0; i < 100; i++) {
		if (await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	const t: Target = { name: 'postgres-2', url: origin, origin, servers: [a, b], dbUrl };
	const { readyDraft, reference } = await prepareJourney(t);
	t.db = await openDb({ databaseUrl: dbUrl });
	t.drafts = await cloneDrafts(t.db.query, readyDraft, draftsNeeded(1200));
	void reference;
	log(`  postgres-2: ${t.drafts.length} drafts ready to send`);
	return { target: t, proxy };
}

// ---------------------------------------------------------------------------------------------- cases

interface Case {
	name: string;
	label: string;
	targets: TargetName[];
	/** The unit the case counts (referrals), if any. */
	unit?: string;
	run: (t: Target) => Promise<LoadResult & { note?: string }>;
	/** A GET page whose JS and CSS is weighed. */
	page?: (t: Target) => { path: string; headers?: Record<string, string> };
}

const html = { accept: 'text/html' };
const get = (t: Target, p: { path: string; headers?: Record<string, string> }, ok = [200]) =>
	cannon({ base: t.url, connections: CONNECTIONS, seconds: SECONDS, ok, path: p.path, headers: { ...html, ...p.headers } });

const pages = {
	bare: () => ({ path: '/' }),
	start: () => ({ path: '/' }),
	checker: (t: Target) => ({ path: '/check/postcode', headers: { cookie: `ips_draft=${t.pageDraft}` } }),
	referral: (t: Target) => ({ path: t.referPath!, headers: { cookie: `ips_draft=${t.pageDraft}` } }),
	inbox: (t: Target) => ({ path: '/staff', headers: { cookie: `ips_staff=${t.staffToken}` } }),
	outcomes: (t: Target) => ({ path: `/staff/reports/outcomes?${outcomesQuery()}`, headers: { cookie: `ips_staff=${t.staffToken}` } })
};

/** The last year, as the report's form offers it. */
function outcomesQuery(): string {
	const today = new Date().toISOString().slice(0, 10);
	const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
	return new URLSearchParams({ programme: 'gm-ips-primary-care', from: yearAgo, to: today }).toString();
}

/**
 * The outcomes report's data, once per target: referrals up to OUTCOME_REFERRALS (copies of the seed's, over
 * the last months) and OUTCOME_CHECKS checker results spread over the last year, three links and the three outcomes.
 */
async function seedOutcomes(t: Target): Promise<void> {
	if (t.outcomesSeeded) return;
	const query = t.db!.query;
	const started = Date.now();
	const have = await count(query, 'select count(*) from referral');
	if (OUTCOME_REFERRALS > have) await cloneReferrals(query, t.reference!, OUTCOME_REFERRALS - have);
	for (let i = 0; i < OUTCOME_CHECKS; i += 200_000) {
		await query(
			`insert into checker_outcome (day, link_code, ods_code, source_code, programme_id, outcome, reasons)
			 select current_date - (g % 365), (array['gp-p84001', '', 'leaflet'])[1 + g % 3], case when g % 3 = 0 then 'P84001' end,
			        case when g % 3 = 0 then 'fit-note' end, case when g % 4 = 3 then null else 'gm-ips-primary-care' end,
			        (array['likely-eligible', 'talk-to-specialist', 'likely-eligible', 'not-eligible'])[1 + g % 4],
			        case when g % 4 = 3 then '["out-of-area"]'::jsonb else '[]'::jsonb end
			 from generate_series($1::int, $2::int) g`,
			[i, Math.min(OUTCOME_CHECKS, i + 200_000) - 1]
		);
	}
	// As autovacuum would have long since done in use: otherwise it starts during the measurement.
	await query('vacuum analyze checker_outcome');
	await query('vacuum analyze referral');
	t.outcomesSeeded = true;
	log(`  ${t.name}: ${OUTCOME_REFERRALS} referrals and ${OUTCOME_CHECKS} checker results (${Date.now() - started} ms)`);
}

/** The same report from the command line, timed once (wall clock, the process started and ended). */
async function outcomesCommandMs(t: Target): Promise<number> {
	const started = Date.now();
	const args = ['--import', 'tsx', 'scripts/cli.ts', 'report', 'kpis', '--programme', 'gm-ips-primary-care', '--format', 'json'];
	const code = await new Promise<number>((resolve) =>
		spawn(process.execPath, args, { env: { ...process.env, DATABASE_URL: t.dbUrl!, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] }).on('close', (c) => resolve(c ?? 1))
	);
	if (code !== 0) throw new Error(`report kpis exited with ${code}`);
	return Date.now() - started;
}

/** The final "Send referral" POSTs, one prepared draft each; counted in the database afterwards. */
async function submit(t: Target): Promise<LoadResult & { note?: string }> {
	const q = t.db?.query;
	const before = q ? await count(q, 'select count(*) from referral') : null;
	const drafts = t.drafts!;
	let sent = 0;
	const result = await load({
		base: t.url,
		connections: CONNECTIONS,
		seconds: SECONDS,
		ok: [303],
		user: async ({ send, timeUp, count: done, ranOut }) => {
			while (!timeUp()) {
				const draft = drafts.pop();
				if (!draft) return ranOut();
				const res = await send({
					method: 'POST',
					path: '/refer/check-answers',
					headers: { ...html, origin: t.origin, cookie: `ips_draft=${draft}`, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address() },
					body: t.submitBody
				});
				if (res.status === 303 && String(res.headers.location).startsWith('/refer/confirmation')) done();
				sent++;
			}
		}
	});
	let note: string | undefined;
	if (q && before !== null) {
		const after = await count(q, 'select count(*) from referral');
		const duplicates = await count(q, 'select count(*) from (select draft_id from referral group by draft_id having count(*) > 1) d');
		const lost = result.units - (after - before);
		note = `${sent} sent, ${result.units} confirmed, ${after - before} new in the database, ${duplicates} duplicated${lost !== 0 ? `, ${lost} LOST` : ''}`;
	}
	return { ...result, note };
}

const chainHeaders = (jar: Map<string, string>, extra: Record<string, string> = {}) => ({
	...html,
	...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
	...extra
});

function remember(jar: Map<string, string>, headers: Record<string, unknown>) {
	const set = headers['set-cookie'];
	for (const line of (Array.isArray(set) ? set : set ? [String(set)] : []) as string[]) {
		const [pair] = line.split(';');
		const eq = pair.indexOf('=');
		jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
	}
}

/** One person's whole journey: the link, every checker and referral page (GET then POST), the confirmation. */
async function journey(t: Target, send: Send): Promise<void> {
	const jar = new Map<string, string>();
	const from = { 'x-forwarded-for': address() };
	const go = async (p: string) => {
		const res = await send({ path: p, headers: chainHeaders(jar, from) });
		remember(jar, res.headers);
		return res;
	};
	await go('/r/gp-p84001');
	let p = '/check/postcode';
	for (let i = 0; i < 40; i++) {
		const page = await go(p);
		if (page.status === 303) {
			p = String(page.headers.location);
			continue;
		}
		if (page.status !== 200) throw new Error(`GET ${p} ${page.status}`);
		if (p.startsWith('/refer/confirmation')) return;
		if (p === '/check/result') {
			p = /href="(\/refer\/[^"]+)"/.exec(page.body)![1];
			continue;
		}
		const posted = await send({
			method: 'POST',
			path: p,
			headers: chainHeaders(jar, { ...from, origin: t.origin, 'content-type': 'application/x-www-form-urlencoded' }),
			body: fillForm(page.body, p === '/refer/check-answers' ? {} : ANSWERS).toString()
		});
		remember(jar, posted.headers);
		if (posted.status !== 303) throw new Error(`POST ${p} ${posted.status}`);
		p = String(posted.headers.location);
	}
	throw new Error('too many pages');
}

const CASES: Case[] = [
	{ name: 'start', label: 'Start page', targets: ['pglite', 'postgres'], run: (t) => get(t, pages.start()), page: pages.start },
	{ name: 'checker', label: 'Checker page, with a draft', targets: ['pglite', 'postgres'], run: (t) => get(t, pages.checker(t)), page: pages.checker },
	{ name: 'referral', label: 'Referral page, with a draft', targets: ['pglite', 'postgres'], run: (t) => get(t, pages.referral(t)), page: pages.referral },
	{ name: 'submit', label: 'Final submit (referrals/s)', unit: 'referrals', targets: ['pglite', 'postgres', 'postgres-2'], run: submit },
	{
		name: 'chain',
		label: 'Whole journey, link to confirmation',
		unit: 'referrals',
		targets: ['pglite', 'postgres'],
		run: (t) =>
			load({
				base: t.url,
				connections: CONNECTIONS,
				seconds: SECONDS,
				ok: [200, 303],
				user: async ({ send, timeUp, count: done }) => {
					while (!timeUp()) {
						await journey(t, send);
						done();
					}
				}
			})
	},
	{
		name: 'inbox',
		label: `Staff inbox, ${INBOX_REFERRALS.toLocaleString('en-GB')} referrals`,
		targets: ['pglite', 'postgres'],
		run: (t) => get(t, pages.inbox(t)),
		page: pages.inbox
	},
	{
		name: 'outcomes',
		label: `Outcomes report, ${OUTCOME_REFERRALS.toLocaleString('en-GB')} referrals and ${OUTCOME_CHECKS.toLocaleString('en-GB')} checker results, one at a time`,
		targets: ['postgres'],
		run: async (t) => {
			await seedOutcomes(t);
			const page = pages.outcomes(t);
			const result = await cannon({ base: t.url, connections: 1, seconds: SECONDS, ok: [200], path: page.path, headers: { ...html, ...page.headers } });
			return { ...result, note: `npm run cli -- report kpis: ${((await outcomesCommandMs(t)) / 1000).toFixed(1)} s (target <10 s)` };
		},
		page: pages.outcomes
	},
	{
		name: 'api',
		label: 'Pull API, a page of 100 events',
		targets: ['pglite', 'postgres'],
		run: (t) =>
			load({
				base: t.url,
				connections: CONNECTIONS,
				seconds: SECONDS,
				user: repeat((i) => ({ path: '/api/v1/events?limit=100', headers: { authorization: `Bearer ${t.keys![i % t.keys!.length]}` } }))
			})
	}
].filter((c) => !ONLY || ONLY.includes(c.name));

// ---------------------------------------------------------------------------------------------- weight

function weigh(t: Target, html: string, clientDir: string) {
	const refs = [
		...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"/g)
	].map((m) => m[1] ?? m[2] ?? m[3]);
	const css = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="stylesheet"/g)].map((m) => m[1] ?? m[2]);
	const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).filter(Boolean);
	const file = (u: string) => gzipSync(readFileSync(path.join(clientDir, new URL(u, t.url).pathname))).length;
	return {
		jsKB: Math.round(([...new Set(refs)].reduce((n, u) => n + file(u), 0) + inline.reduce((n, s) => n + gzipSync(s).length, 0)) / 102.4) / 10,
		cssKB: Math.round([...new Set(css)].reduce((n, u) => n + file(u), 0) / 102.4) / 10,
		htmlKB: Math.round(gzipSync(html).length / 102.4) / 10
	};
}

// ---------------------------------------------------------------------------------------------- main

async function measure(t: Target, name: string, round: number, fn: () => Promise<LoadResult & { note?: string }>, bare: number | null): Promise<Run> {
	const pids = t.servers.map((s) => s.pid);
	const idle = Math.max(...pids.map((p) => rss(p) ?? 0));
	const peak = rssPeak(pids);
	const onPostgres = t.name.startsWith('postgres');
	const portalCpuMs = () => pids.reduce((n, p) => n + cpuMs(p), 0);
	const before = { portal: portalCpuMs(), database: onPostgres ? postgresCpuMs() : 0, load: process.cpuUsage() };
	const result = await fn();
	const loadRss = peak();
	const load = process.cpuUsage(before.load);
	const perRequest = (ms: number) => Math.round((ms / Math.max(1, result.requests)) * 100) / 100;
	const cpu = {
		portal: perRequest(portalCpuMs() - before.portal),
		database: onPostgres ? perRequest(postgresCpuMs() - before.database) : null,
		load: perRequest((load.user + load.system) / 1000)
	};
	const rate = result.units && name !== 'api' ? result.units / result.seconds : result.rps;
	const run: Run = {
		round,
		case: name,
		target: t.name,
		...result,
		ratio: bare ? Math.round((result.rps / bare) * 100) / 100 : null,
		rssIdleMB: MB(idle),
		rssLoadMB: MB(loadRss),
		cpu
	};
	const unitRate = result.units ? ` ${(rate).toFixed(1)} ${name === 'chain' ? 'referrals/s' : 'referrals/s'}` : '';
	log(
		`  r${round} ${name.padEnd(8)} ${t.name.padEnd(10)} ${String(result.rps).padStart(8)} req/s${unitRate}  p50 ${result.p50} p95 ${result.p95} p99 ${result.p99} ms  errors ${result.errors}` +
			`${run.ratio !== null ? `  ${run.ratio}x bare` : ''}  RSS ${run.rssIdleMB}->${run.rssLoadMB} MB  CPU ms/req ${cpu.portal}${cpu.database !== null ? `+${cpu.database} db` : ''}+${cpu.load} load${result.exhausted ? '  (drafts ran out)' : ''}${result.note ? `  [${result.note}]` : ''}`
	);
	if (result.errors) log(`      unexpected: ${JSON.stringify(result.unexpected)}`);
	return run;
}

function median<T>(xs: T[], by: (x: T) => number): T {
	const s = [...xs].sort((a, b) => by(a) - by(b));
	return s[Math.floor((s.length - 1) / 2)];
}

async function main() {
	const cleanups: (() => Promise<unknown>)[] = [];
	const targets = new Map<TargetName, Target>();
	const skipped: string[] = [];
	const runs: Run[] = [];
	const weights: Record<string, Record<string, { jsKB: number; cssKB: number; htmlKB: number }>> = {};
	try {
		log(`bench: ${SECONDS} s a measurement, ${ROUNDS} round(s), ${CONNECTIONS} connections, ${os.cpus().length} CPUs`);
		const bareServer = await startServer({ name: 'bare', entry: 'bench/baseline/build/index.js' });
		cleanups.push(() => bareServer.stop());
		const bare: Target = { name: 'bare', url: bareServer.url, origin: bareServer.url, servers: [bareServer] };
		targets.set('bare', bare);
		if (DBS.includes('pglite')) {
			log('setting up the portal on the embedded database (PGlite)');
			const t = await setupPglite();
			cleanups.push(async () => {
				await Promise.all(t.servers.map((s) => s.stop()));
				rmSync(t.dataDir!, { recursive: true, force: true });
			});
			targets.set('pglite', t);
		}
		if (DBS.includes('postgres')) {
			if (await postgresAvailable()) {
				const base = `ips_bench_${process.pid}`;
				log(`setting up the portal on PostgreSQL (${base}, ${base}_two)`);
				const t = await setupPostgres(base);
				cleanups.push(async () => {
					await t.db?.close();
					await Promise.all(t.servers.map((s) => s.stop()));
					await dropDatabase(base);
				});
				targets.set('postgres', t);
				if (CASES.some((c) => c.targets.includes('postgres-2'))) {
					const { target, proxy } = await setupTwoInstances(`${base}_two`);
					cleanups.push(async () => {
						proxy.kill('SIGTERM');
						await target.db?.close();
						await Promise.all(target.servers.map((s) => s.stop()));
						await dropDatabase(`${base}_two`);
					});
					targets.set('postgres-2', target);
				}
			} else {
				const msg = `PostgreSQL is not reachable at ${new URL(ADMIN_URL).host}: PostgreSQL cases skipped`;
				log(msg);
				skipped.push(msg);
			}
		}
		// Page weight, from each page as served.
		for (const c of [{ name: 'bare', page: pages.bare, targets: ['bare'] as TargetName[] }, ...CASES]) {
			if (!c.page) continue;
			for (const name of c.targets) {
				const t = targets.get(name);
				if (!t) continue;
				const p = c.page(t);
				const res = await client(t.url, 1).send({ path: p.path, headers: { ...html, ...p.headers } });
				if (res.status !== 200) throw new Error(`${c.name} on ${name} answered ${res.status}`);
				(weights[c.name] ??= {})[name] = weigh(t, res.body, name === 'bare' ? 'bench/baseline/build/client' : 'build/client');
			}
		}
		// Warm up every server (the JIT, the database's caches) for a second.
		log('warming up');
		for (const t of targets.values())
			await load({ base: t.url, connections: CONNECTIONS, seconds: 1, user: repeat({ path: t.name === 'bare' ? '/' : '/check/postcode', headers: html }) });
		// Rounds: the bare page, then each case on each database, the bare page again before the next case.
		for (let round = 1; round <= ROUNDS; round++) {
			log(`round ${round} of ${ROUNDS}`);
			for (const c of CASES) {
				const b = await measure(bare, 'bare', round, () => get(bare, pages.bare()), null);
				runs.push(b);
				for (const name of c.targets) {
					const t = targets.get(name);
					if (!t) continue;
					runs.push(await measure(t, c.name, round, () => c.run(t), b.rps));
				}
			}
		}
	} finally {
		for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log(`cleanup: ${e.message}`));
	}
	write(runs, weights, skipped);
}

// ---------------------------------------------------------------------------------------------- report

const TARGETS: Record<string, Partial<Record<TargetName, string>>> = {
	start: { pglite: '≥0.3x bare, p99 <100 ms', postgres: '≥0.6x bare, p99 <100 ms' },
	checker: { pglite: '≥0.3x bare, p99 <100 ms', postgres: '≥0.6x bare, p99 <100 ms' },
	referral: { pglite: '≥0.3x bare, p99 <100 ms', postgres: '≥0.6x bare, p99 <100 ms' },
	submit: { 'postgres-2': '≥300 referrals/s, p99 <250 ms, none lost' },
	chain: { postgres: '≥0.5x bare' },
	inbox: { pglite: 'p99 <150 ms', postgres: 'p99 <150 ms' },
	outcomes: { postgres: 'p99 <2000 ms' }
};

function met(r: Run): boolean | null {
	const t = TARGETS[r.case]?.[r.target];
	if (!t) return null;
	const ratio = /≥([\d.]+)x/.exec(t);
	const p99 = /p99 <(\d+)/.exec(t);
	const per = /≥(\d+) referrals/.exec(t);
	if (ratio && (r.ratio ?? 0) < Number(ratio[1])) return false;
	if (p99 && r.p99 >= Number(p99[1])) return false;
	if (per && r.units / r.seconds < Number(per[1])) return false;
	if (t.includes('none lost') && (!r.note || /LOST/.test(r.note) || !/ 0 duplicated/.test(r.note))) return false;
	return true;
}

function write(runs: Run[], weights: Record<string, Record<string, { jsKB: number; cssKB: number; htmlKB: number }>>, skipped: string[]) {
	const keys = [...new Set(runs.map((r) => `${r.case}|${r.target}`))];
	const summary = keys.map((k) => {
		const [c, t] = k.split('|');
		const these = runs.filter((r) => r.case === c && r.target === t);
		const m = median(these, (r) => r.rps);
		const rate = m.units ? Math.round((m.units / m.seconds) * 10) / 10 : null;
		return {
			case: c,
			target: t,
			rps: m.rps,
			ratio: m.ratio,
			referralsPerSecond: c === 'submit' ? rate : null,
			referralsPerMinute: c === 'chain' && rate !== null ? Math.round(rate * 60) : null,
			p50: m.p50,
			p95: m.p95,
			p99: m.p99,
			errors: these.reduce((n, r) => n + r.errors, 0),
			rssIdleMB: Math.max(...these.map((r) => r.rssIdleMB ?? 0)),
			rssLoadMB: Math.max(...these.map((r) => r.rssLoadMB ?? 0)),
			cpu: m.cpu,
			weight: weights[c]?.[t] ?? null,
			goal: TARGETS[c]?.[t as TargetName] ?? null,
			met: met(m),
			note: m.note ?? null,
			rounds: these.map((r) => r.rps)
		};
	});
	const meta = {
		date: new Date().toISOString(),
		note: process.env.BENCH_NOTE ?? null,
		node: process.version,
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		seconds: SECONDS,
		rounds: ROUNDS,
		connections: CONNECTIONS,
		portalNodeFlags: START_FLAGS,
		loadGenerator: 'autocannon for the pages; bench/lib/load.ts (node:http keep-alive) for scripted journeys',
		versions: Object.fromEntries(['@sveltejs/kit', 'svelte', '@sveltejs/adapter-node', '@electric-sql/pglite'].map((p) => [p, JSON.parse(readFileSync(`node_modules/${p}/package.json`, 'utf8')).version])),
		skipped
	};
	writeFileSync(`${OUT}.json`, JSON.stringify({ meta, summary, runs }, null, '\t') + '\n');
	const label: Record<string, string> = { bare: 'Bare SvelteKit page', ...Object.fromEntries(CASES.map((c) => [c.name, c.label])) };
	const dbLabel: Record<string, string> = { bare: '-', pglite: 'embedded', postgres: 'PostgreSQL', 'postgres-2': 'PostgreSQL, 2 instances' };
	const lines = [
		`Run ${meta.date.slice(0, 16).replace('T', ' ')} UTC, Node ${meta.node}, ${meta.cpus} CPUs, ${meta.connections} connections, ${meta.seconds} s a measurement, ${meta.rounds} round(s), median round shown;`,
		`Kit ${meta.versions['@sveltejs/kit']}, Svelte ${meta.versions.svelte}, adapter-node ${meta.versions['@sveltejs/adapter-node']}, PGlite ${meta.versions['@electric-sql/pglite']}; the portal runs as \`npm start\` runs it (\`node ${START_FLAGS.join(' ')}\`).${meta.note ? ` **${meta.note}**` : ''}`,
		...skipped.map((s) => `\n${s}.`),
		'',
		'| Case | Database | req/s | × bare | Referrals | p50 / p95 / p99 ms | Errors | RSS idle / load MB | CPU ms/request: portal / database | JS / CSS gz KB | Target | Met |',
		'|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|'
	];
	for (const s of summary) {
		const refs = s.referralsPerSecond !== null ? `${s.referralsPerSecond}/s` : s.referralsPerMinute !== null ? `${s.referralsPerMinute}/min` : '';
		const w = s.weight ? `${s.weight.jsKB} / ${s.weight.cssKB}` : '';
		const ratio = s.target === 'bare' ? '' : s.ratio === null ? '' : `${s.ratio}`;
		lines.push(
			`| ${label[s.case] ?? s.case} | ${dbLabel[s.target]} | ${s.rps} | ${ratio} | ${refs} | ${s.p50} / ${s.p95} / ${s.p99} | ${s.errors} | ${s.rssIdleMB} / ${s.rssLoadMB} | ${s.cpu ? `${s.cpu.portal}${s.cpu.database !== null ? ` / ${s.cpu.database}` : ''}` : ''} | ${w} | ${s.goal ?? ''} | ${s.met === null ? '' : s.met ? 'yes' : '**no**'} |`
		);
	}
	const notes = summary.filter((s) => s.note).map((s) => `- ${label[s.case]} (${dbLabel[s.target]}): ${s.note}`);
	if (notes.length) lines.push('', ...notes);
	lines.push(
		'',
		'Embedded-mode memory target: under 250 MB RSS idle, under 350 MB under load. JavaScript: 0 KB on public pages; CSS under 10 KB gzipped.',
		'CPU ms/request: the CPU time used while a case was measured, divided by its requests: the portal process (both, with two instances), then every PostgreSQL process on the machine. The machine has 2 cores for the portal, the database and the load generator together.'
	);
	writeFileSync(`${OUT}.md`, lines.join('\n') + '\n');
	// docs/operations.md shows the committed table: a run that writes the committed results copies it there too.
	if (OUT === 'bench/results') {
		const page = 'docs/operations.md';
		const text = readFileSync(page, 'utf8');
		const block = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
		if (block.test(text)) writeFileSync(page, text.replace(block, (_m, a: string, b: string) => `${a}${lines.join('\n')}\n${b}`));
	}
	log(`\n${lines.join('\n')}\n\nwrote ${OUT}.json and ${OUT}.md`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
