/**
 * docs/quick-start.md runs as written (issue 19 part 5). Its code blocks are read from the file and run
 * against the built portal: the "try it" commands (the CLI making the subscription and the key), the
 * receiver (`receiver.mjs`, with the real standardwebhooks package), the curl page of events, the paging
 * script (`page-events.mjs`) and the status curl. Changing the doc's code so that it no longer works fails
 * this test. Two things differ from a person's machine, and only those: the receiver's port is a free one
 * instead of 8080, and `npm start` (build, then run) is the already-built portal started by startServer.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { referOverHttp } from './support/http-journey';
import { freePort, startServer, type RunningServer } from './support/server';

const run = promisify(execFile);

interface Block {
	lang: string;
	name: string;
	code: string;
	/** The heading the block is under. */
	section: string;
}

/** The fenced code blocks of a Markdown file, with the file name after the language (```js receiver.mjs). */
function codeBlocks(markdown: string): Block[] {
	const blocks: Block[] = [];
	let section = '';
	const lines = markdown.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const heading = /^#{1,6} (.*)$/.exec(lines[i]);
		if (heading) section = heading[1];
		const fence = /^```(\w+)(?: (\S+))?$/.exec(lines[i]);
		if (!fence) continue;
		const body: string[] = [];
		for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
		blocks.push({ lang: fence[1], name: fence[2] ?? '', code: body.join('\n') + '\n', section });
	}
	return blocks;
}

const blocks = codeBlocks(readFileSync('docs/quick-start.md', 'utf8'));
const named = (name: string) => {
	const found = blocks.filter((b) => b.name === name);
	expect(found, `docs/quick-start.md has one block named ${name}`).toHaveLength(1);
	return found[0].code;
};
const shellIn = (section: string) => blocks.filter((b) => b.lang === 'sh' && b.section.startsWith(section));

let work: string;
let dataDir: string;
let server: RunningServer | undefined;
let receiver: ChildProcess | undefined;
let receiverOutput = '';
let secret: string;
let key: string;

const eventsIn = (file: string): { id: string; type: string; data: { reference: string; actor: { type: string } } }[] =>
	existsSync(path.join(work, file))
		? readFileSync(path.join(work, file), 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l))
		: [];

/** Runs a shell block with bash (set -e, so a failing command fails it); returns its output. */
async function sh(code: string, env: Record<string, string>, cwd: string): Promise<string> {
	const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', code], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, maxBuffer: 10_000_000 });
	return stdout;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(600_000);
	work = mkdtempSync(path.join(tmpdir(), 'ips-quick-start-'));
	dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-quick-start-'));
	// `npm install standardwebhooks`, from the portal's own copy of the package.
	mkdirSync(path.join(work, 'node_modules'));
	symlinkSync(path.resolve('node_modules/standardwebhooks'), path.join(work, 'node_modules/standardwebhooks'), 'dir');
	writeFileSync(path.join(work, 'receiver.mjs'), named('receiver.mjs'));
	writeFileSync(path.join(work, 'page-events.mjs'), named('page-events.mjs'));

	const port = await freePort();
	const [tryIt] = shellIn('Try it');
	expect(tryIt.code).toContain('npm start');
	// The commands as written, in the portal's folder, on this test's data folder; then the built portal.
	const commands = tryIt.code.replace(/^npm start$/m, '').replaceAll('localhost:8080', `localhost:${port}`);
	const output = await sh(commands, { DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'warn' }, process.cwd());
	secret = /^(whsec_\S+)$/m.exec(output)?.[1] ?? '';
	key = /^(ips_[a-z2-7]{32})$/m.exec(output)?.[1] ?? '';
	expect(secret, output).not.toBe('');
	expect(key, output).not.toBe('');

	receiver = spawn(process.execPath, ['receiver.mjs'], { cwd: work, env: { PATH: process.env.PATH ?? '', PORT: String(port), IPS_WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
	receiver.stdout!.on('data', (d) => (receiverOutput += d));
	receiver.stderr!.on('data', (d) => (receiverOutput += d));
	await expect.poll(() => receiverOutput, { timeout: 15_000 }).toContain(`Listening on http://localhost:${port}/ips-webhooks`);
	server = await startServer({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '200' }, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus) console.log(`----- receiver -----\n${receiverOutput}\n----- server -----\n${server?.output().slice(-20_000)}`);
});

test.afterAll(async () => {
	receiver?.kill();
	if (server && server.process.exitCode === null) expect(await server.stop()).toBe(0);
	for (const dir of [work, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let reference: string;

test('the receiver verifies, stores and deduplicates the webhooks a live portal sends', async () => {
	({ reference } = await referOverHttp(server!.url, { ...ELIGIBLE, ...REFERRAL }));
	await expect.poll(() => eventsIn('ips-events.jsonl').filter((e) => e.data.reference === reference).map((e) => e.type), { timeout: 20_000 }).toContain('referral.submitted');

	// A retry (the same id and body, signed again) is answered 2xx and not stored twice; a forged one is refused.
	const [stored] = eventsIn('ips-events.jsonl');
	const body = JSON.stringify(stored);
	const at = new Date();
	const port = /localhost:(\d+)/.exec(receiverOutput)![1];
	const send = (signature: string) =>
		fetch(`http://localhost:${port}/ips-webhooks`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'webhook-id': stored.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
			body
		});
	const before = eventsIn('ips-events.jsonl').length;
	expect((await send(new Webhook(secret).sign(stored.id, at, body))).status).toBe(204);
	expect((await send(new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).sign(stored.id, at, body))).status).toBe(400);
	expect(eventsIn('ips-events.jsonl')).toHaveLength(before);
});

test('the curl page and the paging script read the same events from the pull API, and the script carries on from its cursor', async () => {
	const [curlPage] = shellIn('2.');
	const page = JSON.parse(await sh(curlPage.code, { IPS_PORTAL: server!.url, IPS_KEY: key }, work));
	expect(page.data.map((e: { data: { reference: string } }) => e.data.reference)).toContain(reference);
	expect(typeof page.next_cursor).toBe('string');

	const env = { PATH: process.env.PATH ?? '', IPS_PORTAL: server!.url, IPS_KEY: key };
	await run(process.execPath, ['page-events.mjs'], { cwd: work, env });
	const pulled = eventsIn('ips-pulled.jsonl');
	const webhooks = eventsIn('ips-events.jsonl');
	expect(pulled.map((e) => e.id)).toEqual(expect.arrayContaining(webhooks.map((e) => e.id)));
	const submitted = pulled.find((e) => e.type === 'referral.submitted' && e.data.reference === reference);
	expect(submitted).toEqual(webhooks.find((e) => e.id === submitted?.id));
	// Run again: nothing new, nothing read twice.
	const again = await run(process.execPath, ['page-events.mjs'], { cwd: work, env });
	expect(again.stdout.trim()).toBe('0 events');
	expect(eventsIn('ips-pulled.jsonl')).toHaveLength(pulled.length);
});

test('the status curl changes the referral, and the change comes back to the receiver as the key\'s own', async () => {
	const [status] = shellIn('3.');
	const answer = JSON.parse(await sh(status.code, { IPS_PORTAL: server!.url, IPS_KEY: key, REFERENCE: reference }, work));
	expect(answer.data).toMatchObject({ reference, status: 'contacted', previousStatus: 'received' });
	await expect
		.poll(() => eventsIn('ips-events.jsonl').find((e) => e.type === 'referral.status_changed' && e.data.reference === reference)?.data.actor.type, { timeout: 20_000 })
		.toBe('api-key');
});
