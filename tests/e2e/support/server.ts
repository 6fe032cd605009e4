import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../support/ports';

export interface RunningServer {
	url: string;
	dataDir: string;
	process: ChildProcess;
	output: () => string;
	/** SIGTERM, and wait for the process to exit; resolves to its exit code. */
	stop: () => Promise<number | null>;
	/** Started with `clock`: moves the server's clock (tests/support/clock-preload.mjs) and waits until it has. */
	setClock: (at: Date | string) => Promise<void>;
}

export interface ServerOptions {
	/** Starts the server on a controllable clock reading this time (it then runs on from there). */
	clock?: Date | string;
	/** Starts on an empty data folder (migrations and the demo seed run), never on a copy of the run's template. */
	fresh?: boolean;
	/** How long to wait for /healthz (default 60 s). */
	startTimeoutMs?: number;
}

/** Each started server's database (its data folder, or DATABASE_URL), by the server's URL. */
const databases = new Map<string, string>();

/** The database behind a server this process started (a server restarted on the same data has a new URL but the same database). */
export function databaseOf(url: string): string | undefined {
	return databases.get(url.replace(/\/+$/, ''));
}

export { freePort };

/**
 * A new data folder for a spec that runs commands on it before its server starts (the embedded database
 * allows one process): a copy of the run's migrated and seeded template when there is one, as the server
 * would make of an empty folder, so those commands need not migrate and seed it first.
 */
export function newDataDir(prefix = 'ips-e2e-'): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	const template = process.env.E2E_TEMPLATE_DIR;
	if (template) cpSync(template, dir, { recursive: true });
	return dir;
}

/**
 * Starts the built portal (`build/`) on a free port with a new embedded database. An empty (or new) data
 * folder gets a copy of the run's migrated and seeded template (support/global-setup.ts), which is what the
 * server would make of it on a first start, unless the server is on a moved clock, on PostgreSQL, or `fresh`.
 */
export async function startServer(env: Record<string, string> = {}, dataDir?: string, options: ServerOptions = {}): Promise<RunningServer> {
	const port = await freePort();
	const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'ips-e2e-'));
	const url = `http://localhost:${port}`;
	databases.set(url, env.DATABASE_URL ?? dir);
	const clocked = options.clock !== undefined;
	const template = process.env.E2E_TEMPLATE_DIR;
	if (template && !options.fresh && !clocked && !env.DATABASE_URL && env.SEED !== 'none' && (!existsSync(dir) || readdirSync(dir).length === 0)) {
		cpSync(template, dir, { recursive: true });
	}
	const preload = clocked ? ['--import', pathToFileURL(path.resolve('tests/support/clock-preload.mjs')).href] : [];
	const child = spawn(process.execPath, [...preload, path.join(process.env.BUILD_DIR ?? 'build', 'index.js')], {
		env: {
			...(clocked ? { TEST_CLOCK_START: new Date(options.clock!).toISOString() } : {}),
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			DATA_DIR: dir,
			SEED: 'demo',
			LOG_LEVEL: 'info',
			...env
		},
		stdio: clocked ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			// Not left running for the rest of the run (two workers share the machine's cores).
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy:\n${out}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		dataDir: dir,
		process: child,
		output: () => out,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			return exited;
		},
		setClock: (at) => {
			if (!clocked) throw new Error('this server was not started with a clock');
			const iso = new Date(at).toISOString();
			return new Promise<void>((resolve) => {
				const answer = (message: unknown) => {
					if ((message as { clockSet?: string })?.clockSet !== iso) return;
					child.off('message', answer);
					resolve();
				};
				child.on('message', answer);
				child.send({ clock: iso });
			});
		}
	};
}

export function removeDir(dir: string) {
	rmSync(dir, { recursive: true, force: true });
}

/** Opens the stopped server's embedded database and runs a query function. */
export async function withDatabase<T>(dataDir: string, fn: (query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create({ dataDir });
	try {
		return await fn(async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows);
	} finally {
		await db.close();
	}
}
