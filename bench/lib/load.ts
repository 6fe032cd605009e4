/**
 * Loopback load: `cannon` measures a fixed page with autocannon; `load` runs scripted people (a journey
 * with cookies and redirects): `connections` virtual users, each on its own keep-alive socket, send
 * requests one after another until the time is up or their work runs out. Every response is read to the end; its time is from sending to the last byte.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Req {
	method?: 'GET' | 'POST';
	path: string;
	headers?: Record<string, string>;
	body?: string;
}

export interface Res {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	ms: number;
}

export type Send = (req: Req) => Promise<Res>;

export interface LoadResult {
	requests: number;
	/** Responses with a status the case did not expect, and failed connections. */
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** What the case counted itself (referrals sent, journeys finished). */
	units: number;
	/** True when the work ran out before the time did (prepared drafts all used). */
	exhausted: boolean;
	/** The unexpected answers, as "METHOD path status": count (paths without their query). */
	unexpected: Record<string, number>;
}

export function client(base: string, connections: number) {
	const url = new URL(base);
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
	const send: Send = (req) =>
		new Promise((resolve, reject) => {
			const started = performance.now();
			const body = req.body ?? null;
			const r = http.request(
				{
					host: url.hostname,
					port: url.port,
					method: req.method ?? 'GET',
					path: req.path,
					agent,
					headers: { host: url.host, ...(body !== null ? { 'content-length': Buffer.byteLength(body) } : {}), ...req.headers }
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
					res.on('error', reject);
				}
			);
			r.on('error', reject);
			if (body !== null) r.write(body);
			r.end();
		});
	return { send, close: () => agent.destroy() };
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Runs `user` in `connections` virtual users for `seconds`. A user calls `send` (timed and counted; a
 * status not in `ok` counts as an error), calls `count()` for each unit of work done, and stops when
 * `timeUp()` is true or it has nothing left to do (then calls `ranOut()`).
 */
export async function load(opts: {
	base: string;
	connections: number;
	seconds: number;
	user: (ctx: { send: Send; timeUp: () => boolean; count: () => void; ranOut: () => void; index: number }) => Promise<void>;
	ok?: number[];
}): Promise<LoadResult> {
	const { send: raw, close } = client(opts.base, opts.connections);
	const ok = new Set(opts.ok ?? [200]);
	const latencies: number[] = [];
	let errors = 0;
	let units = 0;
	let exhausted = false;
	const unexpected: Record<string, number> = {};
	const note = (req: Req, what: string | number) => {
		const key = `${req.method ?? 'GET'} ${req.path.split('?')[0]} ${what}`;
		unexpected[key] = (unexpected[key] ?? 0) + 1;
	};
	const started = performance.now();
	const deadline = started + opts.seconds * 1000;
	const timeUp = () => performance.now() >= deadline;
	const send: Send = async (req) => {
		try {
			const res = await raw(req);
			latencies.push(res.ms);
			if (!ok.has(res.status)) errors++, note(req, res.status);
			return res;
		} catch (error) {
			errors++;
			note(req, (error as NodeJS.ErrnoException).code ?? 'failed');
			throw error;
		}
	};
	const users = Array.from({ length: opts.connections }, (_, index) =>
		opts
			.user({ send, timeUp, count: () => units++, ranOut: () => (exhausted = true), index })
			.catch(() => {
				// A failed journey ends that user; the error is already counted.
			})
	);
	await Promise.all(users);
	const seconds = (performance.now() - started) / 1000;
	close();
	latencies.sort((a, b) => a - b);
	const r = (n: number) => Math.round(n * 10) / 10;
	return {
		requests: latencies.length,
		errors,
		seconds: r(seconds),
		rps: r(latencies.length / seconds),
		p50: r(percentile(latencies, 50)),
		p95: r(percentile(latencies, 95)),
		p99: r(percentile(latencies, 99)),
		max: r(latencies.at(-1) ?? 0),
		units,
		exhausted,
		unexpected
	};
}

/** GET (or any fixed request) as fast as the server answers, for the time given. */
export function repeat(req: Req | ((i: number) => Req)) {
	return async ({ send, timeUp }: { send: Send; timeUp: () => boolean }) => {
		let i = 0;
		while (!timeUp()) await send(typeof req === 'function' ? req(i++) : req);
	};
}

/**
 * One fixed GET as fast as the server answers, measured by autocannon (`connections` keep-alive
 * connections, `seconds` long). Used for every page case; the scripted journeys (submit, the whole chain)
 * use `load` above, which follows redirects and cookies per person.
 */
export async function cannon(opts: { base: string; path: string; headers?: Record<string, string>; connections: number; seconds: number; ok?: number[] }): Promise<LoadResult> {
	const { default: autocannon } = await import('autocannon');
	const ok = new Set(opts.ok ?? [200]);
	const unexpected: Record<string, number> = {};
	let errors = 0;
	// Every response's time, from autocannon's client events, for exact percentiles (its summary has no p95).
	const latencies: number[] = [];
	const result = await autocannon({
		url: new URL(opts.path, opts.base).toString(),
		connections: opts.connections,
		duration: opts.seconds,
		headers: opts.headers ?? {},
		setupClient: (c: { on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void }) => {
			c.on('response', (status: number, _bytes: number, ms: number) => {
				latencies.push(ms);
				if (!ok.has(status)) {
					errors++;
					const key = `GET ${opts.path.split('?')[0]} ${status}`;
					unexpected[key] = (unexpected[key] ?? 0) + 1;
				}
			});
		}
	} as never);
	const r = (n: number) => Math.round(n * 10) / 10;
	const seconds = result.duration;
	latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		errors: errors + result.errors + result.timeouts,
		seconds: r(seconds),
		rps: r(latencies.length / seconds),
		p50: r(percentile(latencies, 50)),
		p95: r(percentile(latencies, 95)),
		p99: r(percentile(latencies, 99)),
		max: r(latencies.at(-1) ?? 0),
		units: 0,
		exhausted: false,
		unexpected
	};
}
