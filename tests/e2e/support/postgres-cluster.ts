/**
 * A throwaway PostgreSQL cluster of a test's own (initdb into a temporary folder, pg_ctl on a free port), so
 * a test can stop and start a real server without touching anyone else's. PostgreSQL refuses to run as
 * root: as root (CI), the binaries run as the `postgres` user on a folder that user owns.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from './server';

const run = promisify(execFile);

/** The newest PostgreSQL's binaries (Debian keeps them under /usr/lib/postgresql/<version>/bin). */
function binDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))) : [];
	if (!versions.length) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/<version>/bin/pg_ctl): apt-get install postgresql');
	versions.sort((a, b) => Number(b) - Number(a));
	return path.join(root, versions[0], 'bin');
}

export interface Cluster {
	port: number;
	/** A database URL on this cluster. */
	url: (database?: string) => string;
	createDatabase: (name: string) => Promise<string>;
	/** pg_ctl stop (fast: sessions are ended, as in a restart or a failover). */
	stop: () => Promise<void>;
	/** pg_ctl start, waiting until it takes connections. */
	start: () => Promise<void>;
	/** Stops it (if running) and deletes its folder. */
	destroy: () => Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
	const bin = binDir();
	const asRoot = process.getuid?.() === 0;
	const dir = mkdtempSync(path.join(tmpdir(), 'ips-pg-'));
	const data = path.join(dir, 'data');
	if (asRoot) {
		const { stdout } = await run('id', ['-u', 'postgres']);
		const { stdout: gid } = await run('id', ['-g', 'postgres']);
		chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
		chmodSync(dir, 0o700);
	}
	const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
	const port = await freePort();
	await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
	let running = false;
	const cluster: Cluster = {
		port,
		url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
		createDatabase: async (name) => {
			const sql = postgres(cluster.url(), { max: 1, onnotice: () => {} });
			try {
				await sql.unsafe(`create database "${name}"`);
			} finally {
				await sql.end();
			}
			return cluster.url(name);
		},
		start: async () => {
			try {
				await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
			} catch (error) {
				const log = existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n') : '';
				throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
			}
			running = true;
		},
		stop: async () => {
			await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
			running = false;
		},
		destroy: async () => {
			if (running) await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
			rmSync(dir, { recursive: true, force: true });
		}
	};
	try {
		await cluster.start();
	} catch (error) {
		await cluster.destroy();
		throw error;
	}
	return cluster;
}
