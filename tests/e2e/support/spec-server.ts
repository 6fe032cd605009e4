import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, type BrowserContext, type Page } from '@playwright/test';
import { startSmtp } from '../../support/smtp';
import { removeDir, startServer, type RunningServer, type ServerOptions } from './server';

const run = promisify(execFile);

/** A stand-in that reads the object `current()` gives, once the file's beforeAll has made it. */
function standIn<T extends object>(what: string, current: () => T | undefined): T {
	return new Proxy({} as T, {
		get(_target, key) {
			const value = current();
			if (!value) throw new Error(`the spec's ${what} has not started (reading ${String(key)})`);
			const field = value[key as keyof T];
			return typeof field === 'function' ? field.bind(value) : field;
		}
	});
}

export interface SpecServerOptions extends ServerOptions {
	/** A script in tests/e2e/support run on a new data folder (DATA_DIR) before the server starts on it. */
	seedScript?: string;
}

/**
 * The server a spec file's tests share: started before the file's first test (`env` may be a function, read
 * then, for values such as a mail listener's address; `seedScript` prepares its data first), the end of its
 * log printed after a failed test, and stopped with its data folder removed after the last. Returns a
 * stand-in that reads the running server, so tests write `server.url` as with a server of their own.
 */
export function specServer(env: Record<string, string> | (() => Record<string, string>) = {}, options: SpecServerOptions = {}): RunningServer {
	let running: RunningServer | undefined;
	test.beforeAll(async () => {
		test.setTimeout(120_000);
		let dataDir: string | undefined;
		if (options.seedScript) {
			dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-'));
			await run(process.execPath, ['--import', 'tsx', options.seedScript], {
				env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'warn' }
			});
		}
		running = await startServer(typeof env === 'function' ? env() : env, dataDir, options);
	});
	test.afterEach(async ({}, info) => {
		if (info.status !== info.expectedStatus && running) console.log(running.output().slice(-6000));
	});
	test.afterAll(async () => {
		if (running && running.process.exitCode === null) await running.stop();
		if (running) removeDir(running.dataDir);
	});
	return standIn('server', () => running);
}

export type MailListener = Awaited<ReturnType<typeof startSmtp>>;

/** A real SMTP listener for the spec file's tests: started before the first test, closed after the last. */
export function specMail(): MailListener {
	let listener: MailListener | undefined;
	test.beforeAll(async () => {
		listener = await startSmtp();
	});
	test.afterAll(async () => {
		await listener?.close();
	});
	return standIn('mail listener', () => listener);
}

/**
 * A JavaScript-enabled page for axe to check the file's JavaScript-off pages in (`auditHtml`), opened before
 * the first test and closed after the last, with every context the file's tests hand to `keep`.
 */
export function specAxePage(): { page: Page; keep: (context: BrowserContext) => BrowserContext } {
	let axeContext: BrowserContext | undefined;
	let axePage: Page | undefined;
	const kept: BrowserContext[] = [];
	test.beforeAll(async ({ browser }) => {
		axeContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		axePage = await axeContext.newPage();
	});
	test.afterAll(async () => {
		for (const c of kept) await c.close();
		await axeContext?.close();
	});
	return { page: standIn('axe page', () => axePage), keep: (context) => (kept.push(context), context) };
}
