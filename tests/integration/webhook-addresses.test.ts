/**
 * Where webhooks may go, under the strict default (WEBHOOK_ALLOW_PRIVATE unset): a subscription to plain
 * http or to an address inside the server's network is refused with a message, from the admin's server
 * function and from the CLI; and a subscription that already points there (saved before the check, or a
 * name that resolves inside) is refused before every delivery, without a connection. No traffic leaves
 * this machine: the only names used are `localhost`, literal addresses and names under `.invalid` (which
 * never resolve: a subscription to one is refused when it is made).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { asc, eq, isNull, max, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { event, webhookAttempt, webhookDelivery, webhookSubscription } from '../../src/lib/server/db/schema';
import { WEBHOOK_EVENT_TYPES } from '../../src/lib/server/events/payload';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription, newWebhookSecret } from '../../src/lib/server/webhooks/subscriptions';
import { INSIDE_ADDRESSES, METADATA_ADDRESSES } from '../support/webhook-addresses';
import { disableOpenSubscriptions } from '../support/subscriptions';
import { FIT_NOTE_FROM_GP, aReferral } from '../support/factories';

// The strict default is what this file tests.
delete process.env.WEBHOOK_ALLOW_PRIVATE;

const PRIMARY = 'gm-ips-primary-care';
const run = promisify(execFile);
const HTTPS = /^Enter an https address/;
const INSIDE = /^This address points inside the server's own network/;

/** A TCP listener on 127.0.0.1 that counts every connection made to it (TLS or not) and answers nothing. */
let listener: Server;
let port = 0;
let connections = 0;
const sockets = new Set<Socket>();

let cli: { code: number; stderr: string };
let cliUnresolvable: { code: number; stderr: string };
let cliLocal: { code: number; stderr: string };

/** `npm run cli -- webhook add` in its own process: its exit code and what it wrote to stderr. */
function cliAdd(url: string) {
	return run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'webhook', 'add', '--url', url, '--events', 'all', '--programme', PRIMARY], {
		env: { ...process.env, LOG_LEVEL: 'warn' }
	}).then(
		(r) => ({ code: 0, stderr: r.stderr }),
		(e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr })
	);
}

beforeAll(async () => {
	// The commands run in their own process before this file opens the database (PGlite allows one process).
	cli = await cliAdd('http://127.0.0.1:9/hooks');
	cliUnresolvable = await cliAdd(`https://crm-${process.pid}.example.invalid/hooks`);
	cliLocal = await cliAdd('https://127.0.0.1/hooks');

	listener = createServer((socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
	});
	await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
	port = (listener.address() as { port: number }).port;

	await seedProgrammes();
	// On a shared PostgreSQL database, subscriptions left by other files must not take these deliveries' turns.
	const db = await getDb();
	await db.update(webhookSubscription).set({ disabledAt: new Date() }).where(isNull(webhookSubscription.disabledAt));
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
}, 120_000);

afterEach(disableOpenSubscriptions);

afterAll(async () => {
	for (const s of sockets) s.destroy();
	await new Promise((resolve) => listener.close(resolve));
});

async function subscribe(url: string) {
	return createSubscription({ url, eventTypes: [...WEBHOOK_EVENT_TYPES], programmeIds: [PRIMARY] }, { staffId: null, via: 'command line' });
}

/**
 * A subscription saved as it is in the table, without the check at creation: as one made before this
 * check existed would be (the deliverer must refuse it by itself).
 */
async function savedSubscription(url: string) {
	const db = await getDb();
	const [{ last }] = await db.select({ last: max(event.id) }).from(event);
	const [row] = await db
		.insert(webhookSubscription)
		.values({ url, eventTypes: [...WEBHOOK_EVENT_TYPES], programmeIds: [PRIMARY], secret: newWebhookSecret(), startAfterEventId: Number(last ?? 0) })
		.returning();
	return row;
}

async function attemptsOf(subscriptionId: string) {
	const db = await getDb();
	return db.select().from(webhookAttempt).where(eq(webhookAttempt.subscriptionId, subscriptionId)).orderBy(asc(webhookAttempt.id));
}

describe('creating a subscription (strict default)', () => {
	it('refuses plain http with a message beside the address', async () => {
		const result = await subscribe('http://crm.example.org/ips-webhooks');
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(Object.keys(result.errors)).toEqual(['url']);
			expect(result.errors.url).toMatch(HTTPS);
		}
	});

	it.each([...INSIDE_ADDRESSES, 'https://172.16.5.4/hooks', 'https://192.168.1.10/hooks', 'https://100.64.0.1/hooks', ...METADATA_ADDRESSES])('refuses %s: it points inside the server network', async (url) => {
		const db = await getDb();
		const [{ before }] = await db.select({ before: sql<number>`count(*)::int` }).from(webhookSubscription);
		const result = await subscribe(url);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.url).toMatch(INSIDE);
		const [{ after }] = await db.select({ after: sql<number>`count(*)::int` }).from(webhookSubscription);
		expect(after).toBe(before);
	});

	it('accepts a public https address', async () => {
		// A literal public address: no name needs looking up (no DNS where the tests run), and nothing is sent.
		const result = await subscribe('https://93.184.215.14/ips-webhooks');
		expect(result.ok).toBe(true);
	});

	it('says how to test locally when it refuses an address inside the network, but not for a metadata service', async () => {
		for (const url of ['https://localhost/hooks', 'https://10.0.0.1/hooks', 'https://[fd00::1]/hooks']) {
			const result = await subscribe(url);
			expect(result.ok ? null : result.errors.url, url).toMatch(/WEBHOOK_ALLOW_PRIVATE=true/);
		}
		const metadata = await subscribe('https://169.254.169.254/latest/meta-data/');
		expect(metadata.ok ? null : metadata.errors.url).toMatch(INSIDE);
		expect(metadata.ok ? null : metadata.errors.url).not.toMatch(/WEBHOOK_ALLOW_PRIVATE/);
	});

	it('refuses a host name that does not resolve, saying why, and makes nothing', async () => {
		const db = await getDb();
		const [{ before }] = await db.select({ before: sql<number>`count(*)::int` }).from(webhookSubscription);
		const host = `crm-${process.pid}.example.invalid`;
		const result = await subscribe(`https://${host}/ips-webhooks`);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(Object.keys(result.errors)).toEqual(['url']);
			expect(result.errors.url).toBe(`No address could be found for ${host}: check it is spelt correctly. Enter the case system's public https address, like https://crm.example.org/ips-webhooks`);
		}
		// With other fields wrong too, every message is given at once.
		const both = await createSubscription({ url: `https://${host}/x`, eventTypes: [], programmeIds: [PRIMARY] }, { staffId: null, via: 'command line' });
		expect(both.ok ? [] : Object.keys(both.errors).sort()).toEqual(['eventTypes', 'url']);
		const [{ after }] = await db.select({ after: sql<number>`count(*)::int` }).from(webhookSubscription);
		expect(after).toBe(before);
	});

	it('refuses it from the CLI too, with the message against --url', () => {
		expect(cli.code).toBe(2);
		expect(cli.stderr).toMatch(/--url: Enter an https address/);
		expect(cliUnresolvable.code).toBe(2);
		expect(cliUnresolvable.stderr).toMatch(/--url: No address could be found for crm-\d+\.example\.invalid: check it is spelt correctly/);
		expect(cliLocal.code).toBe(2);
		expect(cliLocal.stderr).toMatch(/--url: This address points inside the server's own network.*WEBHOOK_ALLOW_PRIVATE=true/);
	});
});

describe('delivering (strict default)', () => {
	it.each([
		['https://localhost:PORT/hooks', /^blocked_address: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/],
		['https://127.0.0.1:PORT/hooks', /^blocked_address: 127\.0\.0\.1 is a loopback address$/],
		['https://2130706433:PORT/hooks', /^blocked_address: 127\.0\.0\.1 is a loopback address$/],
		['https://[::ffff:127.0.0.1]:PORT/hooks', /^blocked_address: ::ffff:7f00:1 is a loopback address$/],
		['http://127.0.0.1:PORT/hooks', /^blocked_http: http is not allowed/]
	])('refuses %s before connecting: a failed attempt, tried again later, and the loop goes on', async (template, expected) => {
		const sub = await savedSubscription(template.replace('PORT', String(port)));
		const referral = await aReferral({ source: FIT_NOTE_FROM_GP });
		const before = connections;

		const pass = await runWebhooksOnce({ timeoutMs: 3000 });
		expect(pass.retrying).toBeGreaterThanOrEqual(1);
		expect(connections).toBe(before);

		const tries = await attemptsOf(sub.id);
		expect(tries).toHaveLength(1);
		expect(tries[0].statusCode).toBeNull();
		expect(tries[0].error).toMatch(expected);
		expect(tries[0].error).not.toContain(referral.reference);
		const db = await getDb();
		const [delivery] = await db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
		expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
		expect(delivery.lastError).toMatch(expected);

		// Tried again when due: still refused, still no connection.
		await runWebhooksOnce({ timeoutMs: 3000, now: new Date(Date.now() + 2 * 3_600_000) });
		expect(await attemptsOf(sub.id)).toHaveLength(2);
		expect(connections).toBe(before);
	});
});
