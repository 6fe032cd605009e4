/**
 * Health checks. Liveness (`/healthz/live`): the process answers requests; it never looks at the database,
 * so an outage of the database does not get every instance restarted. Readiness (`/healthz/ready`, and
 * `/healthz` as before): the database answers a query now (no retries, at most 2 s), and the server is not
 * stopping; a load balancer sends people only to a ready instance. Readiness recovers by itself once the
 * database does.
 */
import { count } from 'drizzle-orm';
import { getDb, getDbKind } from './db';
import { RETRY_AFTER_SECONDS } from './db/faults';
import { withoutRetry } from './db/retry';
import { programme } from './db/schema';
import { log } from './log';

/** How long the readiness check waits for the database. */
export const READINESS_TIMEOUT_MS = 2000;

let stopping = false;
let lastOk: boolean | null = null;

/** Readiness fails from now on: the server is shutting down. */
export function markStopping(): void {
	stopping = true;
}

export interface Readiness {
	ok: boolean;
	status: 'ok' | 'unavailable' | 'stopping';
	database: { ok: boolean; kind?: string; programmes?: number };
}

export async function checkDatabase(): Promise<Readiness['database']> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
		});
		const query = withoutRetry(async () => {
			const db = await getDb();
			const [row] = await db.select({ n: count() }).from(programme);
			return { ok: true, kind: await getDbKind(), programmes: row.n };
		});
		const result = await Promise.race([query, timeout]);
		if (lastOk === false) log.info('health check: database reachable again');
		lastOk = true;
		return result;
	} catch (error) {
		// Once per outage, not once per probe.
		if (lastOk !== false) log.error('health check: database unavailable', { error });
		lastOk = false;
		return { ok: false };
	} finally {
		clearTimeout(timer);
	}
}

export async function readiness(): Promise<Readiness> {
	if (stopping) return { ok: false, status: 'stopping', database: { ok: false } };
	const database = await checkDatabase();
	return { ok: database.ok, status: database.ok ? 'ok' : 'unavailable', database };
}

/** The readiness answer as JSON: 200, or 503 with Retry-After. */
export async function readinessResponse(): Promise<Response> {
	const ready = await readiness();
	const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
	if (!ready.ok) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
	return new Response(JSON.stringify({ status: ready.status, database: ready.database }), { status: ready.ok ? 200 : 503, headers });
}
