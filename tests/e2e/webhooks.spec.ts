import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { completeAnswers } from '../support/answers';
import { countById, orderViolations, startReceiver, type Receiver } from '../support/webhook-receiver';
import { referOverHttp } from './support/http-journey';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { signIn } from './support/staff';
import { TAGS } from './support/axe';

/**
 * Signed webhooks against the built server:
 * (a) the receiver is slow, fails and is gone while people send referrals (form posts); sending stays as
 *     fast as it was with a healthy receiver, and every event arrives once it is back, with the same ids;
 * (b) the app is killed (SIGKILL) with deliveries in flight and started again on the same data: nothing lost;
 * (c) two app instances on one PostgreSQL deliver a burst of 1,100 events: every id arrives, in order per
 *     referral, and duplicates are counted (target: none).
 * Every request the receiver gets is verified with the standardwebhooks library.
 */
// The three fault scenarios share nothing (each starts its own servers, receivers and data), so they run side by side.
test.describe.configure({ mode: 'parallel' });

const run = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
/** The receivers listen on 127.0.0.1 over plain http: allowed for local testing only (the default refuses it). */
const LOCAL_RECEIVERS = { WEBHOOK_ALLOW_PRIVATE: 'true' };
const FAST = { ...LOCAL_RECEIVERS, WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', WEBHOOK_TIMEOUT_MS: '5000' };


const servers: RunningServer[] = [];
const receivers: Receiver[] = [];
const dirs: string[] = [];

async function server(env: Record<string, string>, dataDir?: string) {
	const s = await startServer(env, dataDir);
	servers.push(s);
	return s;
}

async function receiver(secret: () => string, options: Parameters<typeof startReceiver>[1] = {}) {
	const r = await startReceiver(secret, options);
	receivers.push(r);
	return r;
}

/** The whole journey as a browser without JavaScript sends it; returns the reference and how long "Send referral" took. */
function refer(url: string): Promise<{ reference: string; submitMs: number }> {
	return referOverHttp(url, { ...ELIGIBLE, ...REFERRAL });
}

/** `npm run cli -- webhook add`: returns the subscription's id and secret. */
async function addWebhook(env: Record<string, string>, url: string): Promise<{ id: string; secret: string }> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'webhook', 'add', '--url', url, '--events', 'all', '--programme', PRIMARY], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED: 'demo', ...LOCAL_RECEIVERS, ...env }
	});
	const id = /Created webhook subscription ([0-9a-f-]{36})/.exec(stdout)?.[1];
	const secret = /^(whsec_\S+)$/m.exec(stdout)?.[1];
	if (!id || !secret) throw new Error(`unexpected output from webhook add:\n${stdout}`);
	return { id, secret };
}

/** The pages ship no JavaScript; the browser has it on, so axe runs in the page itself. */
async function axe(page: Page, name: string) {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect.soft(found, `axe on ${name}`).toEqual([]);
}

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus) for (const s of servers) console.log(`----- server ${s.url} -----\n${s.output().slice(-20_000)}`);
});

test.afterAll(async () => {
	for (const s of servers) if (s.process.exitCode === null && s.process.signalCode === null) await s.stop();
	for (const r of receivers) await r.close().catch(() => {});
	for (const d of dirs) removeDir(d);
});

test('(a) a slow, failing, then stopped receiver never slows or fails a referral; every event arrives afterwards with the same ids', async ({ browser }) => {
	test.setTimeout(300_000);
	let secret = '';
	const r = await receiver(() => secret);
	const app = await server(FAST);
	dirs.push(app.dataDir);

	// An administrator adds the subscription; the form checks its answers and shows the secret once.
	const context = await browser.newContext();
	const admin = await context.newPage();
	await signIn(admin, app.url, 'admin@ips.example');
	await admin.goto(`${app.url}/staff/admin`);
	await admin.getByRole('link', { name: 'Webhooks' }).click();
	await admin.getByRole('button', { name: 'Create subscription' }).click();
	await expect(admin).toHaveTitle(/^Error: /);
	await expect(admin.locator('.error-summary')).toContainText('Enter the address the case system receives webhooks at');
	await expect(admin.locator('.error-summary')).toContainText('Select at least one event type');
	await axe(admin, 'webhooks with errors');
	await admin.getByLabel('Receiver address').fill(r.url);
	for (const type of ['referral.submitted', 'referral.status_changed', 'referral.assigned', 'referral.contact_attempted', 'referral.withdrawn'])
		await admin.locator(`input[name=eventTypes][value="${type}"]`).check();
	await admin.getByRole('button', { name: 'Create subscription' }).click();
	await expect(admin.locator('.error-summary')).toContainText('Select at least one programme');
	await expect(admin.getByLabel('Receiver address')).toHaveValue(r.url);
	await expect(admin.locator('input[name=eventTypes][value="referral.assigned"]')).toBeChecked();
	await admin.locator(`input[name=programmeIds][value="${PRIMARY}"]`).check();
	await admin.getByRole('button', { name: 'Create subscription' }).click();
	await expect(admin.getByRole('heading', { name: 'Webhook subscription created' })).toBeVisible();
	secret = (await admin.locator('#webhook-secret').innerText()).trim();
	expect(secret).toMatch(/^whsec_/);
	await axe(admin, 'webhook created');
	// Staff who are not administrators cannot see or change webhooks.
	const lead = await browser.newContext();
	const leadPage = await lead.newPage();
	await signIn(leadPage, app.url, 'lead@ips.example');
	expect((await leadPage.goto(`${app.url}/staff/admin/webhooks`))?.status()).toBe(403);
	const sneaky = await leadPage.request.post(`${app.url}/staff/admin/webhooks`, { headers: { origin: app.url }, form: { url: 'https://evil.example/x', eventTypes: 'referral.submitted', programmeIds: PRIMARY } });
	expect(sneaky.status()).toBe(403);
	await lead.close();

	const timings: Record<string, number[]> = { healthy: [], slow: [], failing: [], stopped: [] };
	const references: string[] = [];
	const send = async (phase: keyof typeof timings) => {
		const { reference, submitMs } = await refer(app.url);
		timings[phase].push(submitMs);
		references.push(reference);
	};

	// Healthy: the baseline.
	for (let i = 0; i < 3; i++) await send('healthy');
	await expect.poll(() => r.accepted().length, { timeout: 30_000 }).toBe(3);
	// Slow: every answer takes 4 seconds (the timeout is 5).
	r.delayMs = 4000;
	await send('slow');
	await expect.poll(() => r.inFlight, { timeout: 10_000 }).toBeGreaterThan(0);
	for (let i = 0; i < 2; i++) await send('slow');
	r.delayMs = 0;
	// Failing: every delivery is answered 500.
	await expect.poll(() => r.inFlight, { timeout: 15_000 }).toBe(0);
	r.mode = 'fail';
	for (let i = 0; i < 3; i++) await send('failing');
	await expect.poll(() => r.received.filter((x) => x.answered === 500).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
	// Stopped: connections are refused.
	await r.close();
	for (let i = 0; i < 3; i++) await send('stopped');
	await expect.poll(() => app.output().includes('"msg":"webhook not accepted: will try again"') && app.output().includes('ECONNREFUSED'), { timeout: 30_000 }).toBe(true);

	const baseline = Math.max(...timings.healthy);
	const limit = Math.max(3 * baseline, baseline + 1000);
	console.log(`submit timings (ms): ${JSON.stringify(timings)}; baseline ${baseline} ms, limit ${limit} ms`);
	for (const phase of ['slow', 'failing', 'stopped'] as const)
		for (const ms of timings[phase]) expect(ms, `a submit while the receiver was ${phase} took ${ms} ms (baseline ${baseline} ms)`).toBeLessThanOrEqual(limit);

	// Back: everything arrives, each event once, with the ids it had while failing.
	r.mode = 'ok';
	await r.reopen();
	await expect.poll(() => new Set(r.accepted().map((x) => x.id)).size, { timeout: 60_000 }).toBe(references.length);
	expect(r.rejected).toEqual([]);
	const accepted = countById(r.accepted());
	expect(accepted.duplicates).toBe(0);
	for (const failed of r.received.filter((x) => x.answered === 500)) expect(accepted.counts.get(failed.id)).toBe(1);
	expect(new Set(r.accepted().map((x) => x.body.data.reference))).toEqual(new Set(references));

	// The delivery log shows the failures and the deliveries; one event is replayed with its id.
	await admin.goto(`${app.url}/staff/admin/webhooks`);
	await admin.getByRole('link', { name: r.url }).click();
	await expect(admin.getByRole('heading', { name: 'Webhook delivery log' })).toBeVisible();
	await expect(admin.locator('body')).toContainText(`${references.length} delivered, 0 waiting, 0 failed for good`);
	await expect(admin.getByRole('region', { name: 'Attempts' })).toContainText('HTTP 204');
	await expect(admin.getByRole('region', { name: 'Attempts' })).toContainText('ECONNREFUSED');
	await axe(admin, 'webhook delivery log');
	const firstRow = admin.getByRole('region', { name: 'Deliveries' }).locator('tbody tr').first();
	const replayedId = (await firstRow.locator('code.uri').innerText()).trim();
	await firstRow.getByRole('button', { name: /Replay/ }).click();
	await expect(admin.locator('.notice')).toContainText('sent again');
	await expect.poll(() => countById(r.accepted()).counts.get(replayedId), { timeout: 30_000 }).toBe(2);

	// A test event: signed like the rest, answered by the receiver, reported on the page.
	await admin.getByRole('button', { name: 'Send a test event' }).click();
	await expect(admin.locator('.notice.success')).toContainText('The receiver answered HTTP 204');
	await expect.poll(() => r.accepted().filter((x) => x.body.type === 'webhook.test').length).toBe(1);
	await axe(admin, 'webhook test sent');

	// Rolling the secret: the new one is shown once, on the page; the old one keeps signing for a day.
	await admin.getByLabel('Keep signing with the old secret as well for').selectOption('24');
	await admin.getByRole('button', { name: 'Make a new signing secret' }).click();
	await expect(admin.locator('.notice.success')).toContainText('shown only now');
	await expect(admin.locator('code.secret')).toHaveText(/^whsec_[A-Za-z0-9+/=]{40,}$/);
	await expect(admin.locator('.notice.success')).toContainText('signed with the old secret as well');
	await axe(admin, 'webhook secret rolled');
	await context.close();

	expect(await app.stop()).toBe(0);
	const events = await withDatabase(app.dataDir, (query) => query(`select event_id from event where programme_id = $1`, [PRIMARY]));
	expect(new Set(r.accepted().filter((x) => x.body.type !== 'webhook.test').map((x) => x.id))).toEqual(new Set(events.map((e) => e.event_id)));
	const audit = await withDatabase(app.dataDir, (query) => query(`select action from audit_log where action like 'webhook.%' order by id`));
	expect(audit.map((a) => a.action)).toEqual(['webhook.created', 'webhook.replayed', 'webhook.test_sent', 'webhook.secret_rotated']);
	// Every kind of failure is in the delivery log, with its latency.
	const kinds = await withDatabase(app.dataDir, (query) =>
		query(`select coalesce(status_code::text, 'none') as code, count(*)::int as n, min(latency_ms) as min from webhook_attempt group by 1 order by 1`)
	);
	expect(kinds.map((k) => k.code)).toEqual(['204', '500', 'none']);
});

test('(b) the app is killed (SIGKILL) while deliveries are in flight and started again: nothing is lost', async () => {
	test.setTimeout(240_000);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-'));
	dirs.push(dataDir);
	let secret = '';
	const r = await receiver(() => secret);
	// Before the server starts: the embedded database allows one process at a time.
	({ secret } = await addWebhook({ DATA_DIR: dataDir }, r.url));
	const env = { ...FAST, WEBHOOK_TIMEOUT_MS: '3000' };
	let app = await server(env, dataDir);

	// The receiver hangs: deliveries stay in flight.
	let release!: () => void;
	r.gate = new Promise((resolve) => (release = resolve));
	const references = [(await refer(app.url)).reference, (await refer(app.url)).reference];
	await expect.poll(() => r.inFlight, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
	app.process.kill('SIGKILL');
	await app.stop();
	expect(app.process.signalCode).toBe('SIGKILL');
	// Every request the killed app made was cut off (some may have timed out and been tried again before).
	await expect.poll(() => r.abandoned, { timeout: 10_000 }).toBe(r.started);
	release();
	r.gate = null;
	// None of them was answered to it, so none counts as accepted.
	await expect.poll(() => r.received.length, { timeout: 10_000 }).toBe(r.started);
	expect(r.accepted()).toEqual([]);
	expect(new Set(r.received.map((x) => x.body.data.reference))).toEqual(new Set(references));

	// Started again on the same data: the deliveries' leases run out and they are sent again.
	app = await server(env, dataDir);
	const third = await refer(app.url);
	references.push(third.reference);
	await expect.poll(() => new Set(r.accepted().map((x) => x.body.data.reference)).size, { timeout: 90_000 }).toBe(3);
	expect(r.rejected).toEqual([]);
	expect(countById(r.accepted()).duplicates).toBe(0);
	expect(new Set(r.accepted().map((x) => x.body.data.reference))).toEqual(new Set(references));
	// The same webhook-id as the attempt that was cut off.
	for (const cut of r.received.filter((x) => x.answered === 0)) expect(r.accepted().map((x) => x.id)).toContain(cut.id);

	expect(await app.stop()).toBe(0);
	const rows = await withDatabase(dataDir, (query) => query(`select status, count(*)::int as n from webhook_delivery group by status`));
	expect(rows).toEqual([{ status: 'delivered', n: 3 }]);
});

/** A PostgreSQL database of this test's own: on the server of DATABASE_URL, else on 127.0.0.1:5432. */
async function throwawayDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
	const adminDb = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await adminDb`select 1`;
	} catch (error) {
		await adminDb.end().catch(() => {});
		throw new Error(
			`(c) needs PostgreSQL: set DATABASE_URL (as .ci/run does), or run one on 127.0.0.1:5432 that user postgres can reach without a password. ` +
				`Connecting to ${process.env.DATABASE_URL ? 'DATABASE_URL' : base} failed: ${error instanceof Error ? error.message : String(error)}`
		);
	}
	const name = `ips_webhooks_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
	await adminDb.unsafe(`create database ${name}`);
	const url = new URL(base);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			await adminDb.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
			await adminDb.end();
		}
	};
}

test('(c) two app instances on one PostgreSQL deliver a burst of 1,100 events: every id once, in order per referral', async () => {
	test.setTimeout(300_000);
	const database = await throwawayDatabase();
	const sql = postgres(database.url, { max: 4, onnotice: () => {} });
	try {
		const env = { ...FAST, DATABASE_URL: database.url, WEBHOOK_TIMEOUT_MS: '10000', LOG_LEVEL: 'debug' };
		// One after the other: seeding the demo programmes is not safe to race on an empty database
		// (seedProgrammes inserts without ON CONFLICT), which this test is not about.
		const one = await server(env);
		const two = await server(env);
		dirs.push(one.dataDir, two.dataDir);
		let secret = '';
		const r = await receiver(() => secret);
		({ secret } = await addWebhook({ DATABASE_URL: database.url }, r.url));

		// 100 referrals, then 10 rounds of casework events for each: 1,100 events, appended as the app does
		// (under the event-order lock), in transactions of 100, while both instances are delivering.
		const answers = completeAnswers();
		const referrals = await sql<{ id: string; reference: string }[]>`
			insert into referral ${sql(
				Array.from({ length: 100 }, (_, i) => ({
					reference: `BURST-${String(i).padStart(3, '0')}`,
					draft_id: crypto.randomUUID(),
					programme_id: PRIMARY,
					eligibility_outcome: 'likely-eligible',
					eligibility: sql.json({ outcome: 'likely-eligible', programmeId: PRIMARY }),
					given_name: 'Sam',
					family_name: `Burst ${i}`,
					date_of_birth: '1985-06-15',
					postcode: 'M1 1AE',
					employment_status: 'out-of-work',
					answers: sql.json(answers as never),
					source_code: 'leaflet',
					dwp_category: 'self-referral',
					contact_target_date: '2030-01-07'
				}))
			)} returning id, reference`;
		const TYPES = ['referral.assigned', 'referral.status_changed', 'referral.contact_attempted'];
		const events: { type: string; referral: (typeof referrals)[number]; round: number }[] = [];
		for (let round = 0; round < 11; round++) for (const referral of referrals) events.push({ type: round === 0 ? 'referral.submitted' : TYPES[round % 3], referral, round });
		for (let i = 0; i < events.length; i += 100) {
			await sql.begin(async (tx) => {
				await tx`select pg_advisory_xact_lock(7215014)`;
				await tx`insert into event ${tx(
					events.slice(i, i + 100).map((e) => ({
						type: e.type,
						referral_id: e.referral.id,
						programme_id: PRIMARY,
						payload: sql.json({
							version: 1,
							reference: e.referral.reference,
							programmeId: PRIMARY,
							from: e.type === 'referral.status_changed' ? 'received' : null,
							to: e.type === 'referral.status_changed' ? 'contacted' : null,
							how: 'returned',
							channel: 'phone',
							outcome: 'no-answer',
							successful: false,
							firstContact: false,
							round: e.round
						})
					}))
				)}`;
			});
		}
		const ids = (await sql<{ event_id: string }[]>`select event_id from event where programme_id = ${PRIMARY}`).map((e) => e.event_id);
		expect(ids).toHaveLength(1100);

		await expect.poll(() => new Set(r.accepted().map((x) => x.id)).size, { timeout: 240_000, intervals: [500, 1000] }).toBe(ids.length);
		// Each delivery is recorded as delivered once its receiver has answered (the last ones a moment after
		// the receiver has them all).
		await expect
			.poll(async () => (await sql<{ pending: number }[]>`select count(*)::int as pending from webhook_delivery where status <> 'delivered'`)[0].pending, { timeout: 30_000 })
			.toBe(0);

		const { counts, duplicates } = countById(r.accepted());
		const missing = ids.filter((id) => !counts.has(id));
		const byInstance = [one, two].map((s) => (s.output().match(/"msg":"webhook delivered"/g) ?? []).length);
		console.log(`burst: ${ids.length} events, ${counts.size} ids received, ${missing.length} missing, ${duplicates} duplicates; sent by instance: ${byInstance.join(' + ')}`);
		expect(r.rejected).toEqual([]);
		expect(missing).toEqual([]);
		expect(duplicates).toBe(0);
		expect(orderViolations(r.accepted())).toEqual([]);
		// Both instances did part of the work.
		expect(byInstance[0]).toBeGreaterThan(0);
		expect(byInstance[1]).toBeGreaterThan(0);

		expect(await one.stop()).toBe(0);
		expect(await two.stop()).toBe(0);
	} finally {
		await sql.end();
		await database.drop();
	}
});
