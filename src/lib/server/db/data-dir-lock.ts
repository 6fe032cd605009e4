/**
 * The embedded database (PGlite) must be opened by one process at a time: two processes on one data folder
 * corrupt it, and PGlite does not stop the second. Whoever opens it (the portal, a command) writes a lock
 * file with its process id in the folder; another process finding the file with a live process id is
 * refused with a message saying what to do. A lock left by a process that has ended is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'ips-portal.lock';

interface LockInfo {
	pid: number;
	since: string;
	by: string;
}

/** Another process holds the data folder. The message says what to do. */
export class DataDirInUseError extends Error {
	constructor(
		readonly dataDir: string,
		readonly holder: LockInfo
	) {
		super(
			`The embedded database in ${dataDir} is open in ${holder.by} (process ${holder.pid}, since ${holder.since}), and only one process may use it at a time. ` +
				`Stop that process and try again. If no such process is running, delete ${path.join(dataDir, LOCK_FILE)} and try again.`
		);
		this.name = 'DataDirInUseError';
	}
}

function alive(pid: number): boolean {
	if (pid === process.pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readLock(file: string): LockInfo | null {
	try {
		const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
		return typeof info.pid === 'number' ? info : null;
	} catch {
		return null;
	}
}

/** Takes the data folder for this process (`by`: "the portal", "a command"); returns the release. */
export function lockDataDir(dataDir: string, by: string): () => void {
	const file = path.join(dataDir, LOCK_FILE);
	const info: LockInfo = { pid: process.pid, since: new Date().toISOString(), by };
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, JSON.stringify(info));
			closeSync(fd);
			const release = () => {
				if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
				process.off('exit', release);
			};
			// A process that exits without closing the database (a crash) leaves no lock behind either.
			process.on('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const holder = readLock(file);
			if (holder && alive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
			// Left by a process that has ended (or unreadable): take it over.
			rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not take ${file}`);
}
