/**
 * The deliverer connects to the address it checked, yet speaks to the receiver by its name: the Host
 * header and the TLS server name (SNI) are the name in the subscription, and the receiver's certificate
 * is checked against that name. A real https receiver on 127.0.0.1 with a certificate for `localhost`,
 * made with openssl for this run; WEBHOOK_ALLOW_PRIVATE lets webhooks go to it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, eq, isNull } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { webhookAttempt, webhookSubscription } from '../../src/lib/server/db/schema';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription, disableSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { FIT_NOTE_FROM_GP, aReferral } from '../support/factories';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const PRIMARY = 'gm-ips-primary-care';
const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'ips-tls-'));
let server: https.Server;
let port = 0;
let secret = '';
const received: { host: string | undefined; servername: string | false | null; verified: boolean }[] = [];

beforeAll(async () => {
	const key = path.join(dir, 'key.pem');
	const cert = path.join(dir, 'cert.pem');
	await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert]);
	server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			let verified = true;
			try {
				new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
			} catch {
				verified = false;
			}
			received.push({ host: req.headers.host, servername: (req.socket as TLSSocket).servername, verified });
			res.writeHead(204).end();
		});
	});
	// On 127.0.0.1 only: should `localhost` resolve to ::1 first here, the connection goes on to the next checked address.
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as { port: number }).port;
	// The test's own certificate authority for Node's https agent, which the deliverer's requests use.
	https.globalAgent.options.ca = readFileSync(cert);

	await seedProgrammes();
	const db = await getDb();
	await db.update(webhookSubscription).set({ disabledAt: new Date() }).where(isNull(webhookSubscription.disabledAt));
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
}, 120_000);

afterAll(async () => {
	delete https.globalAgent.options.ca;
	https.globalAgent.destroy();
	await new Promise((resolve) => server.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

async function subscribe(url: string) {
	const result = await createSubscription({ url, eventTypes: ['referral.submitted'], programmeIds: [PRIMARY] }, { staffId: null, via: 'command line' });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	secret = result.secret;
	return result.subscription;
}

describe('https delivery to the checked address', () => {
	it('keeps the name for the Host header and SNI, and the certificate is checked against it', async () => {
		const sub = await subscribe(`https://localhost:${port}/hooks`);
		await aReferral({ source: FIT_NOTE_FROM_GP });
		const pass = await runWebhooksOnce({ timeoutMs: 3000 });
		expect(pass.delivered).toBe(1);
		expect(received).toEqual([{ host: `localhost:${port}`, servername: 'localhost', verified: true }]);
		await disableSubscription(sub.id, null);
	});

	it('refuses a certificate that is not for the name in the subscription', async () => {
		received.length = 0;
		const sub = await subscribe(`https://127.0.0.1:${port}/hooks`);
		await aReferral({ source: FIT_NOTE_FROM_GP });
		const pass = await runWebhooksOnce({ timeoutMs: 3000 });
		expect(pass.retrying).toBe(1);
		expect(received).toEqual([]);
		const db = await getDb();
		const [attempt] = await db.select().from(webhookAttempt).where(eq(webhookAttempt.subscriptionId, sub.id)).orderBy(asc(webhookAttempt.id));
		expect(attempt.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
		await disableSubscription(sub.id, null);
	});
});
