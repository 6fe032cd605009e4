/**
 * What a database error says about the connection, for deciding whether a query may be run again on a new
 * connection (db/retry.ts) and whether a person is told "try again in a minute" (503) rather than shown an
 * error page. Pure: errors in, words out.
 */

/**
 * How a query failed on its connection:
 * - `not-sent`: no connection could be made (refused, the server starting or stopping): the query never ran;
 * - `aborted`: the server ended the session while the query ran (it was shutting down or crashed), so
 *   PostgreSQL rolled its transaction back;
 * - `lost`: the connection closed or was reset while the query was on its way: it may or may not have run.
 */
export type ConnectionFailure = 'not-sent' | 'aborted' | 'lost';

/** Node's socket errors and postgres.js's own connection codes when no connection could be made. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CONNECT_TIMEOUT', '57P03']);
/** SQLSTATE admin_shutdown, crash_shutdown: the server ended the session and rolled its transaction back. */
const ABORTED = new Set(['57P01', '57P02']);
/** The connection went away under a query. */
const LOST = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** The errors an error wraps (drizzle wraps a failed query's error in `cause`). */
function* chain(error: unknown): Generator<unknown> {
	for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

export function connectionFailure(error: unknown): ConnectionFailure | null {
	for (const e of chain(error)) {
		if (e instanceof DatabaseUnavailableError) return e.failure;
		const code = (e as { code?: unknown }).code;
		if (typeof code !== 'string') continue;
		if (NOT_SENT.has(code)) return 'not-sent';
		if (ABORTED.has(code)) return 'aborted';
		if (LOST.has(code)) return 'lost';
	}
	return null;
}

/**
 * The database could not be reached (after the retries), or is closed because the server is stopping.
 * Pages answer 503 with Retry-After, the API 503 `database_unavailable`; background jobs pause.
 */
export class DatabaseUnavailableError extends Error {
	constructor(
		message: string,
		readonly failure: ConnectionFailure = 'not-sent',
		options?: { cause?: unknown; tries?: number; afterMs?: number }
	) {
		super(message, options);
		this.name = 'DatabaseUnavailableError';
		this.tries = options?.tries ?? 0;
		this.afterMs = options?.afterMs ?? 0;
	}
	/** How many times the query was tried, and for how long, before this was given up. */
	readonly tries: number;
	readonly afterMs: number;
}

/** What the log may say about a database that could not be reached: how the connection failed, and the tries made. */
export function unavailableDetails(error: unknown): { failure: ConnectionFailure | null; tries?: number; afterMs?: number } {
	for (const e of chain(error)) if (e instanceof DatabaseUnavailableError) return { failure: e.failure, tries: e.tries, afterMs: e.afterMs };
	return { failure: connectionFailure(error) };
}

/** True when the error (or one it wraps) means the database could not be reached, not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
	return connectionFailure(error) !== null;
}

/**
 * True for a statement that may change data (or whose effect we cannot rule out). Only a plain SELECT with
 * no locking clause and no data-changing CTE counts as a read.
 */
export function isWrite(statement: string): boolean {
	const text = statement.trimStart().toLowerCase();
	if (!/^(select|with)\b/.test(text)) return !/^(show|explain|values|table)\b/.test(text);
	return /\b(insert|update|delete|merge|nextval|setval|pg_notify|notify)\b/.test(text.replace(/"[^"]*"/g, '""'));
}

/** How long, in seconds, a client is asked to wait before trying again while the database is down. */
export const RETRY_AFTER_SECONDS = 30;
