/** Starting and stopping the built servers the benchmark measures, and reading their memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../tests/support/ports';

export interface Server {
	name: string;
	url: string;
	pid: number;
	process: ChildProcess;
	output: () => string;
	stop: () => Promise<number | null>;
}

export { freePort };

/** Resident memory of a process in bytes (Linux), or null. */
export function rss(pid: number): number | null {
	try {
		const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb ? Number(kb) * 1024 : null;
	} catch {
		return null;
	}
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system) a process has used, in ms (Linux), or 0. */
export function cpuMs(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may hold spaces) close with ")".
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
	} catch {
		return 0;
	}
}

/** CPU time used by every process named postgres on this machine (the local server and its backends), in ms. */
export function postgresCpuMs(): number {
	let total = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuMs(Number(entry));
		} catch {
			// gone meanwhile
		}
	}
	return total;
}

/** Samples the peak RSS of some processes every 100 ms until stopped. */
export function rssPeak(pids: number[]) {
	const peak = new Map<number, number>(pids.map((p) => [p, rss(p) ?? 0]));
	const timer = setInterval(() => {
		for (const p of pids) peak.set(p, Math.max(peak.get(p) ?? 0, rss(p) ?? 0));
	}, 100);
	return () => {
		clearInterval(timer);
		return Math.max(...peak.values());
	};
}

/**
 * Starts a built adapter-node server (`entry` is its index.js) on a free port and waits until `ready`
 * answers 200. `nodeArgs` go to node (for --cpu-prof).
 */
export async function startServer(opts: {
	name: string;
	entry: string;
	env?: Record<string, string>;
	ready?: string;
	origin?: string;
	port?: number;
	nodeArgs?: string[];
}): Promise<Server> {
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.resolve(opts.entry)], {
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: opts.origin ?? url,
			LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
	child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${opts.name} exited early:\n${out}`);
		const ok = await fetch(`${url}${opts.ready ?? '/'}`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) break;
		if (Date.now() > deadline) throw new Error(`${opts.name} did not start:\n${out}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		name: opts.name,
		url,
		pid: child.pid!,
		process: child,
		output: () => out,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), 20_000).unref());
			if ((await Promise.race([exited, timer])) === 'late') {
				// A server that does not stop on SIGTERM is a fault worth seeing, not a reason to hang the run.
				console.error(`${opts.name} (pid ${child.pid}) did not stop within 20 s of SIGTERM; killed. Its last output:\n${out.slice(-3000)}`);
				child.kill('SIGKILL');
			}
			return exited;
		}
	};
}
