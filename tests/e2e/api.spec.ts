import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { ELIGIBLE, MORE, REFERRAL } from './support/journey';
import { referOverHttp, tellUsMoreOverHttp } from './support/http-journey';
import { staffMember } from './support/people';
import { newDataDir, removeDir, startServer, type RunningServer } from './support/server';
import { signIn, type DemoEmail } from './support/staff';

/**
 * The pull API and the CSV export against the built server: API keys made with the CLI before the server
 * starts (the embedded database allows one process), referrals sent in the browser, the event feed, a
 * status sent back twice with one Idempotency-Key, the change in the staff history, and the export with a
 * name that is a spreadsheet formula.
 */
test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const EVIL = '=HYPERLINK("http://evil","x")';

let server: RunningServer;
let dataDir: string;
let primaryKey: string;
let secondaryKey: string;
let revokedKey: string;
let plain: string;
let evil: string;

/** `npm run cli -- api-key ...` on the server's data folder; returns its output. */
async function cli(...args: string[]): Promise<string> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'api-key', ...args], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED: 'demo', DATA_DIR: dataDir }
	});
	return stdout;
}

async function createKey(name: string, programme: string): Promise<string> {
	const out = await cli('create', '--name', name, '--programme', programme);
	const key = /^(ips_[a-z2-7]{32})$/m.exec(out)?.[1];
	if (!key) throw new Error(`unexpected output from api-key create:\n${out}`);
	return key;
}

/**
 * A referral from the GP practice link, sent as a browser without JavaScript sends it; then the person
 * tells us more (their health, the work they would like) after sending.
 */
const refer = async (givenName: string) => {
	const { reference, session } = await referOverHttp(server.url, { ...ELIGIBLE, ...REFERRAL, givenName });
	await tellUsMoreOverHttp(session, MORE);
	return reference;
};

const staffPage = (browser: Browser, email: DemoEmail) => staffMember(browser, server.url, email, { acceptDownloads: true });

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function allEvents(request: APIRequestContext, key: string) {
	const out: { type: string; id: string; data: { sequence: number; reference: string; change: Record<string, unknown> } }[] = [];
	let cursor = '';
	for (;;) {
		const res = await request.get(`${server.url}/api/v1/events?limit=2${cursor ? `&after=${cursor}` : ''}`, { headers: bearer(key) });
		expect(res.status()).toBe(200);
		const body = await res.json();
		out.push(...body.data);
		cursor = body.next_cursor;
		if (!body.has_more) return out;
	}
}

test.beforeAll(async () => {
	// Four commands, each a process of its own, then the server: more than the default 90 s on a busy machine.
	test.setTimeout(180_000);
	dataDir = newDataDir('ips-e2e-api-');
	primaryKey = await createKey('E2E case system', PRIMARY);
	secondaryKey = await createKey('E2E secondary system', SECONDARY);
	revokedKey = await createKey('E2E old system', PRIMARY);
	expect(await cli('revoke', '--prefix', revokedKey.slice(0, 12))).toMatch(/Revoked API key/);
	const list = await cli('list');
	expect(list).not.toContain(primaryKey);
	expect(list).toContain(primaryKey.slice(0, 12));
	server = await startServer({}, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(`----- server ${server.url} -----\n${server.output().slice(-20_000)}`);
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) expect(await server.stop()).toBe(0);
	if (dataDir) removeDir(dataDir);
});

test('keys that are missing, wrong or revoked get 401 JSON; the OpenAPI document is published', async ({ request }) => {
	const cases: [Record<string, string>, string][] = [
		[{}, 'unauthorized'],
		[bearer('ips_thisisnotakeythisisnotakey12345'), 'invalid_key'],
		[bearer(`${primaryKey.slice(0, -1)}${primaryKey.endsWith('a') ? 'b' : 'a'}`), 'invalid_key'],
		[bearer(revokedKey), 'revoked_key']
	];
	for (const [headers, code] of cases) {
		const res = await request.get(`${server.url}/api/v1/events`, { headers });
		expect(res.status(), code).toBe(401);
		expect(res.headers()['content-type']).toMatch(/^application\/json/);
		expect(res.headers()['cache-control']).toBe('no-store');
		expect(res.headers()['set-cookie']).toBeUndefined();
		expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
	}

	const doc = await request.get(`${server.url}/api/v1/openapi.json`);
	expect(doc.status()).toBe(200);
	const openapi = JSON.parse(await doc.text());
	expect(openapi.openapi).toBe('3.1.0');
	expect(openapi.paths['/events'].get).toBeTruthy();
	expect(JSON.stringify(openapi)).toContain(`${server.url}/api/v1/schema/events.json`);

	const schema = await request.get(`${server.url}/api/v1/schema/events.json`);
	expect(schema.status()).toBe(200);
	expect((await schema.json()).$id).toBe(`${server.url}/api/v1/schema/events.json`);

	const unknown = await request.get(`${server.url}/api/v1/no-such-thing`, { headers: bearer(primaryKey) });
	expect(unknown.status()).toBe(404);
	expect((await unknown.json()).error.code).toBe('not_found');
});

test('referrals sent through the forms appear in the event feed', async ({ request }) => {
	plain = await refer('Sam');
	evil = await refer(EVIL);
	const events = await allEvents(request, primaryKey);
	const submitted = events.filter((e) => e.type === 'referral.submitted').map((e) => e.data.reference);
	expect(submitted).toEqual([plain, evil]);
	// Each page told after sending is an event too.
	expect(events.filter((e) => e.type === 'referral.details_added' && e.data.reference === plain).map((e) => e.data.change.page)).toEqual(['condition', 'condition-types', 'daily-life', 'job-goals', 'referrer-contact']);
	expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

	// Another programme's key sees none of them, and cannot read or change them.
	expect(await allEvents(request, secondaryKey)).toEqual([]);
	const read = await request.get(`${server.url}/api/v1/referrals/${plain}`, { headers: bearer(secondaryKey) });
	expect(read.status()).toBe(404);
	expect((await read.json()).error.code).toBe('not_found');

	const mine = await request.get(`${server.url}/api/v1/referrals/${plain}`, { headers: bearer(primaryKey) });
	expect(mine.status()).toBe(200);
	const { data } = await mine.json();
	expect(data).toMatchObject({ reference: plain, status: 'received', person: { givenName: 'Sam', familyName: 'Taylor' }, source: { code: 'fit-note', odsCode: 'P84001' } });
	expect(data.consents.find((c: { kind: string }) => c.kind === 'processing')).toMatchObject({ given: true, version: expect.stringMatching(/^processing-/) });
});

test('a status sent twice with one Idempotency-Key changes the referral once', async ({ request }) => {
	const idempotencyKey = crypto.randomUUID();
	const send = () =>
		request.post(`${server.url}/api/v1/referrals/${plain}/status`, {
			headers: { ...bearer(primaryKey), 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
			data: { status: 'contacted', note: 'Reached by phone from the case system' }
		});
	const first = await send();
	expect(first.status()).toBe(200);
	const second = await send();
	expect(second.status()).toBe(200);
	expect(await second.text()).toBe(await first.text());
	expect(second.headers()['idempotent-replayed']).toBe('true');
	expect((await first.json()).data).toMatchObject({ reference: plain, status: 'contacted', previousStatus: 'received' });

	const other = await request.post(`${server.url}/api/v1/referrals/${plain}/status`, {
		headers: { ...bearer(primaryKey), 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
		data: { status: 'started' }
	});
	expect(other.status()).toBe(422);
	expect((await other.json()).error.code).toBe('idempotency_key_reused');

	const missing = await request.post(`${server.url}/api/v1/referrals/${plain}/status`, { headers: bearer(primaryKey), data: { status: 'started' } });
	expect(missing.status()).toBe(400);
	expect((await missing.json()).error.code).toBe('idempotency_key_required');

	const changes = (await allEvents(request, primaryKey)).filter((e) => e.type === 'referral.status_changed');
	expect(changes).toHaveLength(1);
	expect(changes[0].data).toMatchObject({ reference: plain, change: { from: 'received', to: 'contacted' } });
});

test('the team lead sees the change in the referral history and exports a CSV with the formula neutralised', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'lead@ips.example');
	await page.goto(`${server.url}/staff/referrals/${plain}`);
	await expect(page.locator('ol.history > li .history-title').last()).toHaveText('Status changed to Contacted');

	await page.getByRole('link', { name: 'Export', exact: true }).click();
	await expect(page).toHaveURL(`${server.url}/staff/export`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Export referrals');

	// The last day before the first: the error summary pattern.
	await page.getByLabel('From').fill('2025-11-10');
	await page.getByLabel('To').fill('2025-11-01');
	await page.getByRole('button', { name: 'Find referrals' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#to');
	await expect(page.locator('#to-error')).toContainText('after the first day');
	await expect(page.getByLabel('From')).toHaveValue('2025-11-10');
	// A date that is not real, sent in the address.
	await page.goto(`${server.url}/staff/export?programme=${PRIMARY}&from=2026-02-30&to=2026-03-01`);
	await expect(page.locator('#from-error')).toContainText('real date');

	await page.goto(`${server.url}/staff/export`);
	await page.getByRole('button', { name: 'Find referrals' }).click();
	await expect(page.getByText(/^2 referrals sent to /)).toBeVisible();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV file' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^ips-referrals-gm-ips-primary-care-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
	const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
	const lines = csv.split('\r\n');
	expect(lines[0]).toBe(
		'reference,submitted_at,programme,status,closed_reason,closed_reason_label,source_code,source_ods_code,dwp_category,contact_target_date,first_contact_at,assigned_specialist,eligibility_outcome,given_name,family_name,date_of_birth,postcode,email,phone,employment_status,status_changed_at,preferred_name,pronouns,contact_channels,best_times,consents,source_detail,source_link_code,nhs_number'
	);
	const evilLine = lines.find((l) => l.startsWith(`${evil},`))!;
	expect(evilLine).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",Taylor,`);
	expect(lines.find((l) => l.startsWith(`${plain},`))).toContain(',contacted,');
	expect(csv).not.toContain('Back pain');

	await context.close();

	// axe cannot run with JavaScript off: the same pages (the form, its error state and its result) in a page with it on.
	const axeContext = await browser.newContext();
	const axePage = await axeContext.newPage();
	await signIn(axePage, server.url, 'lead@ips.example');
	for (const query of ['', `?programme=${PRIMARY}&from=2025-11-10&to=2025-11-01`, `?programme=${PRIMARY}&from=2020-01-01&to=2025-12-31`]) {
		await axePage.goto(`${server.url}/staff/export${query}`);
		const { violations } = await new AxeBuilder({ page: axePage }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
		expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on /staff/export${query}`).toEqual([]);
	}

	const res = await axePage.request.get(`${server.url}/staff/export/referrals.csv?programme=${PRIMARY}&from=2020-01-01&to=2099-12-31`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="ips-referrals-/);
	expect(res.headers()['content-type']).toMatch(/^text\/csv/);
	// Without a query: the form's defaults (this month so far).
	const plainGet = await axePage.request.get(`${server.url}/staff/export/referrals.csv`);
	expect(plainGet.status()).toBe(200);
	expect((await plainGet.text()).replace(/^\uFEFF/, '')).toMatch(/^reference,submitted_at,/);
	await axeContext.close();
});

test('a specialist has no Export link and gets 403 for the page and the CSV', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'sam.specialist@ips.example');
	await expect(page.getByRole('link', { name: 'Export', exact: true })).toHaveCount(0);
	const csv = await page.request.get(`${server.url}/staff/export/referrals.csv?programme=${PRIMARY}&from=2020-01-01&to=2099-12-31`);
	expect(csv.status()).toBe(403);
	expect(await csv.text()).not.toContain('HYPERLINK');
	const form = await page.goto(`${server.url}/staff/export`);
	expect(form?.status()).toBe(403);
	await context.close();
});
