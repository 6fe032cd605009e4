/**
 * Faults a provider will meet on PostgreSQL, against a throwaway cluster of the test's own (never the shared
 * server): the database restarted under a load of answer saves, the database down for longer than the
 * retries, and three instances started at once on a new database.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { HttpSession, referOverHttp, walkOverHttp } from './support/http-journey';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { startCluster, type Cluster } from './support/postgres-cluster';
import { startServer } from './support/server';
import { startSmtp } from '../support/smtp';

const exec = promisify(execFile);
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** n in letters, for names that are easy to find in a log. */
const word = (n: number) => [...n.toString(26)].map((d) => LETTERS[parseInt(d, 26)]).join('');
/** A different valid Greater Manchester postcode for each n (outward M1-M60, inward 0-9 and two letters). */
const postcodeFor = (n: number) => `M${(n % 60) + 1} ${Math.floor(n / 60) % 10}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(n / 600) % 20]}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(n / 12000) % 20]}`;

let cluster: Cluster;

test.beforeAll(async () => {
	cluster = await startCluster();
});

test.afterAll(async () => {
	await cluster?.destroy();
});

interface Save {
	kind: 'first' | 'next';
	sentAt: number;
	status: number;
	retryAfter: string | null;
	value: string;
	/** The draft cookie's token (first answers) or the session's index (next answers). */
	who: string;
}

const draftToken = (session: HttpSession) => session.cookie('ips_draft') ?? '';

test('a database restart under a load of answer saves: no 500, no acknowledged save lost, 503 only while it is down', async () => {
	test.setTimeout(180_000);
	const url = await cluster.createDatabase('ips_restart');
	const server = await startServer({ DATABASE_URL: url, NOTIFY_POLL_MS: '500', WEBHOOK_POLL_MS: '500' });
	try {
		// People part-way through the referral, each on the page asking their name and contact details.
		const people = await Promise.all(
			Array.from({ length: 8 }, async () => {
				const walked = await walkOverHttp(server.url, ELIGIBLE, '/refer/your-details');
				if (!('html' in walked)) throw new Error('the journey did not stop at the name and contact details page');
				return walked.session;
			})
		);
		const saves: Save[] = [];
		let counter = 0;
		let running = true;
		// New people answering their first question (each save makes a draft), and people saving their name.
		const nextAnswers = async (i: number) => {
			while (running) {
				const value = `Quorra${word(counter++)}`;
				const sentAt = Date.now();
				const response = await fetch(`${server.url}/refer/your-details`, {
					method: 'POST',
					headers: people[i].headers({ origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }),
					body: new URLSearchParams({ givenName: value, familyName: 'Restart', phone: '07700900982' }).toString(),
					redirect: 'manual'
				}).catch(() => null);
				await response?.text();
				saves.push({ kind: 'next', sentAt, status: response?.status ?? 0, retryAfter: response?.headers.get('retry-after') ?? null, value, who: String(i) });
			}
		};
		const firstAnswers = async () => {
			while (running) {
				const n = counter++;
				const value = postcodeFor(n);
				const sentAt = Date.now();
				const response = await fetch(`${server.url}/check/postcode`, {
					method: 'POST',
					headers: { accept: 'text/html', origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ postcode: value }).toString(),
					redirect: 'manual'
				}).catch(() => null);
				await response?.text();
				const token = /ips_draft=([a-z2-7]+)/.exec(response?.headers.getSetCookie().join(';') ?? '')?.[1] ?? '';
				saves.push({ kind: 'first', sentAt, status: response?.status ?? 0, retryAfter: response?.headers.get('retry-after') ?? null, value, who: token });
			}
		};
		const readiness: { at: number; status: number }[] = [];
		const poll = async () => {
			while (running) {
				const at = Date.now();
				const status = await fetch(`${server.url}/healthz/ready`).then((r) => r.status, () => 0);
				readiness.push({ at, status });
				await new Promise((r) => setTimeout(r, 100));
			}
		};
		const workers = [...Array.from({ length: 6 }, () => firstAnswers()), ...people.map((_, i) => nextAnswers(i)), poll()];

		const acked = () => saves.filter((s) => s.status === 303).length;
		await expect.poll(acked, { timeout: 30_000 }).toBeGreaterThan(100);
		const stoppedAt = Date.now();
		await cluster.stop();
		// Down until readiness has said so (on a busy machine a short restart could fall between two probes).
		await expect.poll(() => readiness.some((r) => r.at >= stoppedAt && r.status === 503), { timeout: 15_000, intervals: [50] }).toBe(true);
		await cluster.start();
		const upAt = Date.now();
		await expect.poll(() => readiness.some((r) => r.at > upAt && r.status === 200), { timeout: 10_000, intervals: [100] }).toBe(true);
		const readyAt = readiness.find((r) => r.at > upAt && r.status === 200)!.at;
		const ackedBefore = acked();
		await expect.poll(acked, { timeout: 30_000 }).toBeGreaterThan(ackedBefore + 100);
		running = false;
		await Promise.all(workers);

		// No 500 (nor anything but "saved, next page" and "try again"); 503 only while the database was down.
		const statuses = [...new Set(saves.map((s) => s.status))];
		expect(statuses.filter((s) => s !== 303 && s !== 503)).toEqual([]);
		for (const s of saves.filter((s) => s.status === 503)) {
			expect(s.retryAfter).toBeTruthy();
			expect(s.sentAt).toBeGreaterThanOrEqual(stoppedAt - 1000);
			expect(s.sentAt).toBeLessThanOrEqual(upAt);
		}
		// Readiness failed while the database was down and came back by itself within seconds.
		expect(readiness.some((r) => r.at >= stoppedAt && r.at <= upAt && r.status === 503)).toBe(true);
		expect(readyAt - upAt).toBeLessThan(10_000);
		console.log(`restart: ${saves.length} saves, ${acked()} acknowledged, ${saves.filter((s) => s.status === 503).length} answered 503; down ${upAt - stoppedAt} ms; ready ${readyAt - upAt} ms after`);

		// Every acknowledged save is in the database.
		const sql = postgres(url, { max: 1, onnotice: () => {} });
		try {
			for (const s of saves.filter((s) => s.kind === 'first' && s.status === 303)) {
				const [row] = await sql`select answers->>'postcode' as postcode from draft where token_hash = ${sha256(s.who)}`;
				expect(row?.postcode, `first answer ${s.value}`).toBe(s.value);
			}
			for (let i = 0; i < people.length; i++) {
				const mine = saves.filter((s) => s.kind === 'next' && s.who === String(i));
				const last = mine.map((s) => s.status).lastIndexOf(303);
				expect(last).toBeGreaterThanOrEqual(0);
				// The last acknowledged name, or one sent after it (a save that answered 503 may still have landed).
				const allowed = mine.slice(last).map((s) => s.value);
				const [row] = await sql`select answers->>'givenName' as name from draft where token_hash = ${sha256(draftToken(people[i]))}`;
				expect(allowed).toContain(row?.name);
			}
		} finally {
			await sql.end();
		}
		// Nothing typed reaches the log.
		const log = server.output();
		for (const s of saves) expect(log.includes(s.value), `${s.value} in the log`).toBe(false);
		expect(log).not.toContain('Quorra');
		expect(log).not.toMatch(/"level":"error".*request failed/);
	} catch (error) {
		console.log(`the portal's log:\n${server.output().split('\n').slice(-60).join('\n')}`);
		throw error;
	} finally {
		await server.stop();
	}
});

test('the database down for longer than the retries: 503 pages and API answers, readiness fails and recovers, jobs pause and resume without losing or doubling an email', async () => {
	test.setTimeout(180_000);
	const url = await cluster.createDatabase('ips_outage');
	const smtp = await startSmtp();
	const env = { DATABASE_URL: url, SMTP_URL: smtp.url, NOTIFY_POLL_MS: '300', WEBHOOK_POLL_MS: '300' };
	const server = await startServer(env);
	try {
		const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'api-key', 'create', '--name', 'Outage test', '--programme', 'gm-ips-primary-care'], {
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED: 'demo', DATABASE_URL: url }
		});
		const key = /^(ips_[a-z2-7]{32})$/m.exec(stdout)?.[1];
		expect(key).toBeTruthy();
		const walked = await walkOverHttp(server.url, ELIGIBLE, '/refer/your-details');
		if (!('html' in walked)) throw new Error('the journey did not stop at the name and contact details page');
		// Referrals whose staff emails the notifier may be sending when the database goes.
		const references = await Promise.all([1, 2, 3].map(() => referOverHttp(server.url, { ...ELIGIBLE, ...REFERRAL }).then((r) => r.reference)));

		await cluster.stop();
		const [save, page, api, ready, live] = await Promise.all([
			fetch(`${server.url}/refer/your-details`, {
				method: 'POST',
				headers: walked.session.headers({ origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }),
				body: new URLSearchParams({ givenName: 'Zanzibarina', familyName: 'Outage', phone: '07700900982' }).toString(),
				redirect: 'manual'
			}),
			fetch(`${server.url}/refer/your-details`, { headers: walked.session.headers(), redirect: 'manual' }),
			fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${key}` } }),
			fetch(`${server.url}/healthz/ready`),
			fetch(`${server.url}/healthz/live`)
		]);
		expect(save.status).toBe(503);
		expect(save.headers.get('retry-after')).toMatch(/^\d+$/);
		const html = await save.text();
		expect(html).toContain('We could not save this just now. Your earlier answers are safe. Try again in a minute.');
		expect(html).toContain('Samaritans');
		expect(html).toContain('0161'); // the programme's helpline, kept in memory
		expect(page.status).toBe(503);
		expect(await page.text()).toContain('Your earlier answers are safe');
		expect(api.status).toBe(503);
		expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(await api.json()).toMatchObject({ error: { code: 'database_unavailable' } });
		expect(ready.status).toBe(503);
		expect(live.status).toBe(200);

		// Down for longer than the retries: until the notifier has given up its pass and paused.
		await expect.poll(() => /notifier paused: the database cannot be reached/.test(server.output()), { timeout: 30_000 }).toBe(true);
		await cluster.start();
		await expect.poll(async () => (await fetch(`${server.url}/healthz/ready`)).status, { timeout: 15_000 }).toBe(200);
		// The answer the person sends again is saved.
		const again = await fetch(`${server.url}/refer/your-details`, {
			method: 'POST',
			headers: walked.session.headers({ origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }),
			body: new URLSearchParams({ givenName: 'Zanzibarina', familyName: 'Outage', phone: '07700900982' }).toString(),
			redirect: 'manual'
		});
		expect(again.status).toBe(303);

		// Each referral's two staff emails (team and routed specialist) arrive, once each.
		const sentFor = (reference: string) => smtp.messages.filter((m) => m.subject?.includes(reference));
		await expect.poll(() => references.every((r) => sentFor(r).length >= 2), { timeout: 30_000 }).toBe(true);
		const sql = postgres(url, { max: 1, onnotice: () => {} });
		try {
			await expect.poll(async () => (await sql`select count(*)::int as n from job where kind = 'email' and status = 'pending'`)[0].n, { timeout: 30_000 }).toBe(0);
		} finally {
			await sql.end();
		}
		for (const reference of references) {
			const to = sentFor(reference).map((m) => (Array.isArray(m.to) ? m.to : [m.to]).map((a) => a?.text).join());
			expect(to.sort()).toEqual([...new Set(to)].sort());
			expect(to).toHaveLength(2);
		}
		const log = server.output();
		expect(log).toMatch(/notifier paused: the database cannot be reached/);
		expect(log).toMatch(/notifier resumed/);
		expect(log).not.toContain('Zanzibarina');
		expect(log).not.toContain('Outage');
	} finally {
		await server.stop();
		await smtp.close();
	}
});

test('three instances started at once on a new database all serve, with one set of migrations and one of demo data', async () => {
	test.setTimeout(180_000);
	const url = await cluster.createDatabase('ips_three');
	const servers = await Promise.all([1, 2, 3].map(() => startServer({ DATABASE_URL: url })));
	try {
		for (const s of servers) {
			expect((await fetch(`${s.url}/healthz/ready`)).status).toBe(200);
			const start = await fetch(`${s.url}/check/postcode`);
			expect(start.status).toBe(200);
		}
		const sql = postgres(url, { max: 1, onnotice: () => {} });
		try {
			const { readdirSync } = await import('node:fs');
			const files = readdirSync('drizzle').filter((f) => f.endsWith('.sql'));
			const [migrations] = await sql`select count(*)::int as n, count(distinct hash)::int as distinct_hashes from drizzle.__drizzle_migrations`;
			expect(migrations).toEqual({ n: files.length, distinct_hashes: files.length });
			const [counts] = await sql`select
				(select count(*)::int from programme) as programmes,
				(select count(*)::int from staff) as staff,
				(select count(*)::int from referral_link) as links,
				(select count(*)::int from venue) as venues,
				(select count(*)::int from availability_pattern) as patterns`;
			const seed = JSON.parse((await import('node:fs')).readFileSync('seed/programmes.json', 'utf8'));
			expect(counts.programmes).toBe(seed.programmes.length);
			expect(counts.links).toBe(seed.links.length);
			expect(counts.staff).toBe(4);
			expect(counts.venues).toBe(2);
			// Each demo specialist's week once (not three times).
			const [{ n: perSpecialist }] = await sql`select max(c)::int as n from (select count(*) as c from availability_pattern group by staff_id, weekday, start) x`;
			expect(perSpecialist).toBe(1);
		} finally {
			await sql.end();
		}
		for (const s of servers) expect(s.output()).not.toMatch(/"level":"error"/);
	} finally {
		await Promise.all(servers.map((s) => s.stop()));
	}
});
