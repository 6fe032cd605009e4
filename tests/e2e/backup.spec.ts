/**
 * Backups of the embedded database that restore: the running portal's own (BACKUP_DIR), made while
 * requests run, and the command's of a stopped portal (the data folder and a SQL dump), each restored into
 * a new folder with `npm run cli -- restore` and started; restore refuses a folder that holds data.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { fillForm, HttpSession, walkOverHttp } from './support/http-journey';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { removeDir, startServer, type RunningServer } from './support/server';

test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
const folders: string[] = [];
const newFolder = (name: string) => {
	const dir = mkdtempSync(path.join(tmpdir(), `ips-e2e-${name}-`));
	folders.push(dir);
	return dir;
};

/** `npm run cli -- ...` on a data folder: its exit code and output. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED: 'demo', DATA_DIR: dataDir }
		});
		return { code: 0, out: stdout + stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, out: e.stdout + e.stderr };
	}
}

/** The first radio value of a field on a page. */
function firstChoice(html: string, name: string, prefer?: string): string {
	const values = [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].map((m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? '');
	if (!values.length) throw new Error(`no ${name} to choose`);
	return prefer && values.includes(prefer) ? prefer : values[0];
}

/** A person refers themselves, books a meeting and does an ONS4 check-in, all over HTTP without JavaScript. */
async function personWithEverything(base: string): Promise<string> {
	const walked = await walkOverHttp(base, { ...ELIGIBLE, ...REFERRAL }, '/refer/check-answers');
	if (!('html' in walked)) throw new Error('the journey did not stop at check your answers');
	const session: HttpSession = walked.session;
	const sent = await session.post('/refer/check-answers', fillForm(walked.html, {}));
	expect(sent.location).toMatch(/^\/refer\/confirmation/);
	const confirmation = await session.get(sent.location!);
	const reference = /data-testid="reference"[^>]*>([^<]+)</.exec(confirmation.html)![1].trim();
	const step = async (p: string, form: URLSearchParams) => {
		const posted = await session.post(p, form);
		if (posted.status !== 303 || !posted.location) throw new Error(`POST ${p} answered ${posted.status}`);
		return posted.location;
	};
	const how = firstChoice((await session.get('/account/book')).html, 'how', 'phone');
	const dayPath = await step('/account/book', new URLSearchParams({ how }));
	const timePath = await step(dayPath, new URLSearchParams({ day: firstChoice((await session.get(dayPath)).html, 'day') }));
	const invitePath = await step(timePath, new URLSearchParams({ start: firstChoice((await session.get(timePath)).html, 'start') }));
	const checkPath = await step(invitePath, new URLSearchParams({ invite: '' }));
	expect(await step(checkPath, new URLSearchParams())).toMatch(/^\/account\/meetings\//);
	for (let item = 1; item <= 4; item++) expect(await step(`/account/check-in/ons4/${item}`, new URLSearchParams({ answer: String(item + 3) }))).toBeTruthy();
	expect(await step('/account/check-in/ons4/check', new URLSearchParams())).toBe('/account/check-in/ons4/done');
	return reference;
}

interface ApiEvent {
	type: string;
	data: { reference?: string; checkIn?: { id?: string; href?: string } };
}

/** Every event the key can read, from the start (or after `cursor`). */
async function events(base: string, key: string, cursor = ''): Promise<ApiEvent[]> {
	const out: ApiEvent[] = [];
	for (;;) {
		const response = await fetch(`${base}/api/v1/events?limit=100${cursor ? `&after=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { data: ApiEvent[]; next_cursor: string; has_more: boolean };
		out.push(...body.data);
		cursor = body.next_cursor;
		if (!body.has_more) return out;
	}
}

/** A portal on a restored folder has the referrals, their meetings and check-ins, and the events. */
async function findEverything(server: RunningServer, key: string, references: string[], cursorFromBefore: string) {
	const all = await events(server.url, key);
	for (const reference of references) {
		const mine = all.filter((e) => e.data.reference === reference).map((e) => e.type);
		expect(mine).toEqual(expect.arrayContaining(['referral.submitted', 'meeting.booked', 'checkin.completed']));
		expect((await fetch(`${server.url}/api/v1/referrals/${reference}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
	}
	const checkIns = all.filter((e) => e.type === 'checkin.completed');
	expect(checkIns).toHaveLength(references.length);
	for (const e of checkIns) {
		const href = e.data.checkIn?.href ?? `/api/v1/check-ins/${e.data.checkIn?.id}`;
		expect((await fetch(`${server.url}${href.replace(/^https?:\/\/[^/]+/, '')}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
	}
	// A case system's cursor from before the backup goes on working: the installation secret came along.
	expect((await events(server.url, key, cursorFromBefore)).length).toBe(all.length - 1);
}

let portalDir: string;
let key: string;
let references: string[];
let firstCursor: string;

test.afterAll(() => {
	for (const dir of folders) removeDir(dir);
});

test('the running portal backs itself up while requests run; restored into a new folder and started, it has everything', async () => {
	test.setTimeout(360_000); // a backup under load, a restore and a start: minutes on a loaded 2-core machine
	portalDir = newFolder('portal');
	const backupDir = newFolder('backups');
	const made = await cli(portalDir, 'api-key', 'create', '--name', 'Backup test', '--programme', PRIMARY, '--data', 'health');
	key = /^(ips_[a-z2-7]{32})$/m.exec(made.out)?.[1] ?? '';
	expect(key).toBeTruthy();
	const server = await startServer({ BACKUP_DIR: backupDir, BACKUP_INTERVAL_MINUTES: '0.05', BACKUP_KEEP: '2' }, portalDir);
	let running = true;
	try {
		references = [await personWithEverything(server.url), await personWithEverything(server.url)];
		const page = await fetch(`${server.url}/api/v1/events?limit=1`, { headers: { authorization: `Bearer ${key}` } });
		firstCursor = ((await page.json()) as { next_cursor: string }).next_cursor;

		// The command cannot read the folder the portal holds, and says what to do instead.
		const refused = await cli(portalDir, 'backup', '--out', path.join(newFolder('refused'), 'x.tar.gz'));
		expect(refused.code).toBe(1);
		expect(refused.out).toContain('has the embedded database in');
		expect(refused.out).toContain('stop the portal');
		expect(refused.out).toContain('BACKUP_DIR');

		// Requests keep coming while the portal makes its next backups.
		const load = (async () => {
			let saves = 0;
			while (running) {
				const response = await fetch(`${server.url}/check/postcode`, {
					method: 'POST',
					headers: { accept: 'text/html', origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
					body: 'postcode=M1+1AE',
					redirect: 'manual'
				});
				await response.text();
				expect(response.status).toBe(303);
				saves++;
			}
			return saves;
		})();
		const before = new Set(readdirSync(backupDir));
		const fresh = () => readdirSync(backupDir).filter((f) => f.endsWith('.tar.gz') && !before.has(f));
		await expect.poll(() => fresh().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
		running = false;
		expect(await load).toBeGreaterThan(0);
		// Only the newest BACKUP_KEEP are kept, and no half-written file is left.
		expect(readdirSync(backupDir).filter((f) => f.endsWith('.tar.gz')).length).toBeLessThanOrEqual(2);
		expect(server.output()).toMatch(/"msg":"backup made"/);
	} finally {
		running = false;
		expect(await server.stop()).toBe(0);
	}
	const newest = readdirSync(backupDir).filter((f) => f.endsWith('.tar.gz')).sort().at(-1)!;

	const restoredDir = path.join(newFolder('restored'), 'data');
	const restored = await cli(restoredDir, 'restore', '--from', path.join(backupDir, newest));
	expect(restored.code, restored.out).toBe(0);
	expect(restored.out).toMatch(/2 referrals, 2 meetings, 2 check-ins/);
	const again = await startServer({}, restoredDir);
	try {
		await findEverything(again, key, references, firstCursor);
	} finally {
		expect(await again.stop()).toBe(0);
	}
});

test('the command backs a stopped portal up, as the data folder and as a SQL dump; each restores and starts; restore refuses a folder that holds data', async () => {
	test.setTimeout(360_000); // three restores and starts: minutes on a loaded 2-core machine
	const out = newFolder('command');
	const archive = path.join(out, 'ips.tar.gz');
	const dump = path.join(out, 'ips.sql');
	expect((await cli(portalDir, 'backup', '--out', archive)).code).toBe(0);
	const sql = await cli(portalDir, 'backup', '--out', dump, '--format', 'sql');
	expect(sql.code, sql.out).toBe(0);

	for (const file of [archive, dump]) {
		const dir = path.join(newFolder('from-command'), 'data');
		const restored = await cli(dir, 'restore', '--from', file);
		expect(restored.code, restored.out).toBe(0);
		expect(restored.out).toMatch(/2 referrals, 2 meetings, 2 check-ins/);
		const server = await startServer({}, dir);
		try {
			await findEverything(server, key, references, firstCursor);
		} finally {
			expect(await server.stop()).toBe(0);
		}
	}

	// A folder that holds data is never overwritten.
	const before = readdirSync(portalDir).sort();
	const refused = await cli(portalDir, 'restore', '--from', archive);
	expect(refused.code).toBe(1);
	expect(refused.out).toContain('is not empty');
	expect(readdirSync(portalDir).sort()).toEqual(before);
	expect(existsSync(path.join(portalDir, 'PG_VERSION'))).toBe(true);
});
