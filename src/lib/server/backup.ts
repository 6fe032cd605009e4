/**
 * Backups of the embedded database (PGlite) and restoring them (docs/operations.md). Two kinds of file:
 * - the data folder (`.tar.gz`, PGlite's dumpDataDir): an exact copy, restored into a new data folder;
 * - a SQL dump (`.sql`, pg_dump from @electric-sql/pglite-tools): restored into a new data folder, or
 *   loaded into a PostgreSQL server with psql, to move from the embedded database to PostgreSQL.
 * The running portal makes the first kind itself (BACKUP_DIR), since the data folder is one process's.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { embeddedDatabase } from './db';
import { LOCK_FILE, lockDataDir } from './db/data-dir-lock';
import { startLoop, type BackgroundLoop } from './jobs/runner';
import { log } from './log';

export type BackupFormat = 'data' | 'sql';

/** Scheduled backups are named for the time they were made (UTC), so their names sort by age. */
const SCHEDULED = /^ips-backup-\d{8}T\d{6}Z\.tar\.gz$/;

export function scheduledBackupName(now: Date): string {
	return `ips-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz`;
}

/**
 * A consistent copy of an open embedded database: taken inside a transaction, so no other transaction is
 * open while the files are read (PGlite runs one at a time), after a checkpoint.
 */
async function dataArchive(client: PGlite): Promise<Buffer> {
	let archive: Blob | undefined;
	await client.transaction(async (tx) => {
		await tx.exec('checkpoint');
		archive = await client.dumpDataDir('gzip');
	});
	return Buffer.from(await archive!.arrayBuffer());
}

/** Writes `content` to `file` by way of a temporary name, so a file that exists is whole. */
function writeWhole(file: string, content: Buffer | string) {
	const partial = `${file}.partial`;
	writeFileSync(partial, content);
	renameSync(partial, file);
}

/** Backs up the embedded database in `dataDir`, which no other process may have open (the command). */
export async function backupDataDir(dataDir: string, out: string, format: BackupFormat): Promise<{ bytes: number }> {
	if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`There is no embedded database in ${dataDir} (set DATA_DIR to the portal's data folder).`);
	if (existsSync(out)) throw new Error(`${out} exists already: give another file name, so no backup is overwritten.`);
	const unlock = lockDataDir(dataDir, 'a command (npm run cli -- backup)');
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const client = await PGlite.create({ dataDir });
		try {
			if (format === 'data') writeWhole(out, await dataArchive(client));
			else {
				const { pgDump } = await import('@electric-sql/pglite-tools/pg_dump');
				writeWhole(out, await (await pgDump({ pg: client })).text());
			}
		} finally {
			await client.close();
		}
	} finally {
		unlock();
	}
	return { bytes: statSync(out).size };
}

/** A backup made by the running portal of its own embedded database, into `dir`; keeps the newest `keep`. */
export async function backupRunningDatabase(dir: string, keep: number, now = new Date()): Promise<{ file: string; bytes: number; removed: number }> {
	const client = await embeddedDatabase();
	if (!client) throw new Error('Scheduled backups are for the embedded database; back PostgreSQL up with pg_dump (docs/operations.md)');
	const file = path.join(dir, scheduledBackupName(now));
	writeWhole(file, await dataArchive(client));
	const old = readdirSync(dir).filter((name) => SCHEDULED.test(name)).sort().reverse().slice(keep);
	for (const name of old) rmSync(path.join(dir, name), { force: true });
	return { file, bytes: statSync(file).size, removed: old.length };
}

/** Makes BACKUP_DIR if needed and checks the portal can write there, so a wrong setting stops it at start. */
export function backupFolder(dir: string): string {
	const folder = path.resolve(dir);
	try {
		mkdirSync(folder, { recursive: true });
		accessSync(folder, constants.W_OK);
	} catch (error) {
		throw new Error(`BACKUP_DIR: the portal cannot write backups to ${folder} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Make the folder writable by the portal, or leave BACKUP_DIR unset.`);
	}
	return folder;
}

/** Starts the portal's scheduled backups (BACKUP_DIR): the first after one interval. */
export function startBackups(dir: string, intervalMs: number, keep: number): BackgroundLoop {
	return startLoop(
		'backups',
		intervalMs,
		async () => {
			const made = await backupRunningDatabase(dir, keep);
			log.info('backup made', { file: path.basename(made.file), bytes: made.bytes, removed: made.removed });
			return {};
		},
		intervalMs
	);
}

/** What a data folder holds, once restored: counts to check it by. */
export interface RestoredCounts {
	referrals: number;
	meetings: number;
	checkIns: number;
	events: number;
}

/** True when `dir` does not exist or holds nothing. */
function isEmptyFolder(dir: string): boolean {
	return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Restores a backup (either kind) into `dataDir`, which must be empty or not exist. */
export async function restoreBackup(from: string, dataDir: string): Promise<RestoredCounts> {
	if (!existsSync(from)) throw new Error(`${from} does not exist.`);
	if (!isEmptyFolder(dataDir))
		throw new Error(`${dataDir} is not empty: restore only into a new or empty data folder, so nothing is overwritten. Set DATA_DIR to a new folder, or move this one away first.`);
	const content = readFileSync(from);
	const isArchive = content[0] === 0x1f && content[1] === 0x8b;
	if (!isArchive && !content.subarray(0, 4096).toString('utf8').includes('PostgreSQL database dump'))
		throw new Error(`${from} is neither a backup of the data folder (.tar.gz) nor a SQL dump made by "npm run cli -- backup".`);
	mkdirSync(dataDir, { recursive: true });
	const unlock = lockDataDir(dataDir, 'a command (npm run cli -- restore)');
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const client = isArchive ? await PGlite.create({ dataDir, loadDataDir: new Blob([content]) }) : await PGlite.create({ dataDir });
		try {
			if (!isArchive) await client.exec(content.toString('utf8'));
			const count = async (table: string) => Number((await client.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0].n);
			return { referrals: await count('referral'), meetings: await count('meeting'), checkIns: await count('check_in'), events: await count('event') };
		} finally {
			await client.close();
		}
	} catch (error) {
		// Leave no half-restored folder behind to be mistaken for a good one.
		unlock();
		rmSync(dataDir, { recursive: true, force: true });
		throw error;
	} finally {
		unlock();
		// A backup of a running portal carries its lock file: the restored folder is no one's yet.
		const carried = path.join(dataDir, LOCK_FILE);
		if (existsSync(carried)) rmSync(carried, { force: true });
	}
}
