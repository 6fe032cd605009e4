/**
 * Queries on PostgreSQL that fail because the connection was closed or reset are run again on a new
 * connection, within about 5 seconds, with jittered waits, when that is safe:
 * - a statement on its own: when it never ran (no connection could be made), when the server aborted it
 *   (shutting down: its transaction was rolled back), or when it only reads, or the caller said it is
 *   idempotent (`idempotent`);
 * - a transaction, whole: when it had sent no statement that writes before the connection failed, or the
 *   caller said it is idempotent. A statement inside a transaction is never run again on its own.
 * A database restart (2-3 seconds) then costs a person a slower answer instead of an error page. What cannot
 * be retried, or still fails, becomes DatabaseUnavailableError (pages answer 503, the API 503
 * `database_unavailable`). Logs say what failed by code, never the query or its parameters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { backoffMs } from '../jobs/backoff';
import { describeError, log } from '../log';
import { DatabaseUnavailableError, connectionFailure, isWrite, type ConnectionFailure } from './faults';

/** How long a query keeps being tried, and the waits between tries (the ceiling doubles; half is random). */
export const RETRY_WITHIN_MS = 5000;
const RETRY_BACKOFF = { baseMs: 250, maxMs: 2000, jitter: 0.5 };

interface RetryOptions {
	/** Running it twice leaves the same data as running it once: it may be run again even after it wrote. */
	idempotent?: boolean;
	/** Fail at once rather than try again (the readiness check, which must answer quickly). */
	noRetry?: boolean;
}

const options = new AsyncLocalStorage<RetryOptions>();

/**
 * Runs `fn`, whose queries (or transaction) may be run again after a lost connection even if they wrote:
 * for work that leaves the same data however often it runs (a draft saved with the same answers; a submit
 * that finds the referral it already made).
 */
export function idempotent<T>(fn: () => PromiseLike<T>): Promise<T> {
	// Awaited inside: a drizzle query runs only when awaited, and must run in this context.
	return options.run({ ...options.getStore(), idempotent: true }, async () => await fn());
}

/** Runs `fn` with no retries: a query that cannot reach the database fails at once. */
export function withoutRetry<T>(fn: () => PromiseLike<T>): Promise<T> {
	return options.run({ ...options.getStore(), noRetry: true }, async () => await fn());
}

let outageSince: number | null = null;

function noteFailure(failure: ConnectionFailure, error: unknown) {
	if (outageSince !== null) return;
	outageSince = Date.now();
	log.warn('database connection failed: trying queries again on a new connection', { failure, error: describeError(error) });
}

function noteSuccess() {
	if (outageSince === null) return;
	log.info('database connection back', { afterMs: Date.now() - outageSince });
	outageSince = null;
}

/**
 * Runs `attempt` until it succeeds, fails for another reason, or may not be run again (`mayRetry` says,
 * given how the connection failed), for at most RETRY_WITHIN_MS.
 */
export async function withRetry<T>(attempt: () => Promise<T>, mayRetry: (failure: ConnectionFailure) => boolean): Promise<T> {
	const { noRetry = false } = options.getStore() ?? {};
	const started = Date.now();
	for (let tries = 1; ; tries++) {
		try {
			const result = await attempt();
			noteSuccess();
			return result;
		} catch (error) {
			const failure = connectionFailure(error);
			if (!failure) throw error;
			noteFailure(failure, error);
			const wait = backoffMs(tries, RETRY_BACKOFF);
			if (noRetry || !mayRetry(failure) || Date.now() - started + wait > RETRY_WITHIN_MS) {
				log.debug('database query not tried again', { failure, tries });
				throw new DatabaseUnavailableError('The database could not be reached', failure, { cause: error, tries, afterMs: Date.now() - started });
			}
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
	}
}

/** Whether a single statement that failed this way may be run again. */
export function statementMayRetry(statement: string, failure: ConnectionFailure): boolean {
	if (failure === 'not-sent') return true;
	if (failure === 'aborted') return !/^\s*(commit|end|prepare\s+transaction)\b/i.test(statement);
	return !isWrite(statement) || !!options.getStore()?.idempotent;
}

/** Whether a whole transaction that failed this way may be run again. */
export function transactionMayRetry(wrote: boolean): boolean {
	return !wrote || !!options.getStore()?.idempotent;
}

type Unsafe = (query: string, args?: unknown[], options?: Record<string, unknown>) => PromiseLike<unknown> & { values: () => PromiseLike<unknown> };
type Begin = (...args: unknown[]) => Promise<unknown>;

/** The parts of a postgres.js client that drizzle uses. */
export interface PostgresJsClient {
	options: unknown;
	unsafe: Unsafe;
	begin: Begin;
}

/** Calls `onStatement` with each statement sent through a transaction's client (and its savepoints'). */
function tracking<S>(sql: S, onStatement: (statement: string) => void): S {
	const scope = sql as unknown as { unsafe: (query: string, ...rest: unknown[]) => unknown; savepoint?: (...args: unknown[]) => unknown };
	const unsafe = scope.unsafe;
	scope.unsafe = (query, ...rest) => {
		onStatement(query);
		return unsafe(query, ...rest);
	};
	const savepoint = scope.savepoint;
	if (savepoint) {
		scope.savepoint = (...args: unknown[]) => {
			const fn = args.pop() as (inner: unknown) => unknown;
			return savepoint(...args, (inner: unknown) => fn(tracking(inner, onStatement)));
		};
	}
	return sql;
}

/**
 * A stand-in for the postgres.js client, given to drizzle: its statements and transactions are tried again
 * as above.
 */
export function retryingClient(client: PostgresJsClient): PostgresJsClient {
	return {
		options: client.options,
		unsafe(query, args, queryOptions) {
			const run = (values: boolean) =>
				withRetry(
					async () => {
						const pending = client.unsafe(query, args, queryOptions);
						return values ? await pending.values() : await pending;
					},
					(failure) => statementMayRetry(query, failure)
				);
			const result = {
				values: () => run(true),
				then: <A, B>(onValue?: (v: unknown) => A | PromiseLike<A>, onError?: (e: unknown) => B | PromiseLike<B>) => run(false).then(onValue, onError)
			};
			return result as ReturnType<Unsafe>;
		},
		begin(...args: unknown[]) {
			const fn = args.pop() as (sql: unknown) => unknown;
			let wrote = false;
			return withRetry(
				() => {
					wrote = false;
					return client.begin(...args, (sql: unknown) => fn(tracking(sql, (statement) => (wrote ||= isWrite(statement)))));
				},
				() => transactionMayRetry(wrote)
			);
		}
	};
}
