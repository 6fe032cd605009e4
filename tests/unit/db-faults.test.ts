/**
 * The rules for running a query again after a lost connection (db/faults.ts, db/retry.ts). A real
 * PostgreSQL restart under load is tests/e2e/postgres-faults.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, connectionFailure, isDatabaseUnavailable, isWrite } from '../../src/lib/server/db/faults';
import { idempotent, statementMayRetry, transactionMayRetry, withRetry, withoutRetry } from '../../src/lib/server/db/retry';

const coded = (code: string) => Object.assign(new Error('details that may hold parameters'), { code });
/** As drizzle wraps a failed query's error. */
const wrapped = (cause: unknown) => new Error('Failed query: update draft set answers = $1 params: secret', { cause });

describe('what a failure says about the connection', () => {
	it('tells a query that never ran, one the server aborted and one lost on the way', () => {
		expect(connectionFailure(coded('ECONNREFUSED'))).toBe('not-sent');
		expect(connectionFailure(coded('57P03'))).toBe('not-sent');
		expect(connectionFailure(coded('CONNECT_TIMEOUT'))).toBe('not-sent');
		expect(connectionFailure(wrapped(coded('57P01')))).toBe('aborted');
		expect(connectionFailure(wrapped(coded('CONNECTION_CLOSED')))).toBe('lost');
		expect(connectionFailure(coded('ECONNRESET'))).toBe('lost');
	});

	it('leaves errors of the query itself alone', () => {
		expect(connectionFailure(wrapped(coded('23505')))).toBeNull();
		expect(connectionFailure(new Error('no code'))).toBeNull();
		expect(isDatabaseUnavailable(coded('42P01'))).toBe(false);
		expect(isDatabaseUnavailable(new DatabaseUnavailableError('closed'))).toBe(true);
	});

	it('counts only plain reads as reads', () => {
		expect(isWrite('select "id", "updated_at" from "draft" where "token_hash" = $1')).toBe(false);
		expect(isWrite('select pg_advisory_xact_lock(7215015)')).toBe(false);
		expect(isWrite('select * from "draft" where "id" = $1 for update')).toBe(true);
		expect(isWrite('update "draft" set "answers" = $1')).toBe(true);
		expect(isWrite('insert into "event" ("type") values ($1)')).toBe(true);
		expect(isWrite('with x as (delete from "session" returning *) select count(*) from x')).toBe(true);
		expect(isWrite('select nextval(\'event_id_seq\')')).toBe(true);
	});
});

describe('when a query may run again', () => {
	it('runs again a statement that never ran or was aborted, and a lost one only if it reads or is idempotent', async () => {
		expect(statementMayRetry('update "draft" set "answers" = $1', 'not-sent')).toBe(true);
		expect(statementMayRetry('update "draft" set "answers" = $1', 'aborted')).toBe(true);
		expect(statementMayRetry('commit', 'aborted')).toBe(false);
		expect(statementMayRetry('select 1', 'lost')).toBe(true);
		expect(statementMayRetry('update "draft" set "answers" = $1', 'lost')).toBe(false);
		expect(await idempotent(async () => statementMayRetry('update "draft" set "answers" = $1', 'lost'))).toBe(true);
	});

	it('runs a transaction again whole only when it wrote nothing yet or is idempotent', async () => {
		expect(transactionMayRetry(false)).toBe(true);
		expect(transactionMayRetry(true)).toBe(false);
		expect(await idempotent(async () => transactionMayRetry(true))).toBe(true);
	});

	it('tries again on a new connection until the database answers', async () => {
		let tries = 0;
		const result = await withRetry(async () => {
			if (++tries < 3) throw coded('ECONNREFUSED');
			return 'answered';
		}, () => true);
		expect(result).toBe('answered');
		expect(tries).toBe(3);
	});

	// Waits out the whole 5-second retry budget, so more than Vitest's default 5 s per test.
	it('gives up within about 5 seconds, as DatabaseUnavailableError', { timeout: 20_000 }, async () => {
		const started = Date.now();
		let tries = 0;
		const failing = withRetry(async () => {
			tries++;
			throw coded('ECONNREFUSED');
		}, () => true);
		await expect(failing).rejects.toBeInstanceOf(DatabaseUnavailableError);
		// About 5 s: the last wait never goes past the budget (timers on a busy machine can run late).
		expect(Date.now() - started).toBeLessThanOrEqual(6500);
		expect(tries).toBeGreaterThanOrEqual(3);
	});

	it('does not try again what may not be, nor errors of the query, nor under withoutRetry', async () => {
		let tries = 0;
		await expect(withRetry(async () => ++tries && Promise.reject(coded('CONNECTION_CLOSED')), () => false)).rejects.toBeInstanceOf(DatabaseUnavailableError);
		expect(tries).toBe(1);
		await expect(withRetry(async () => ++tries && Promise.reject(coded('23505')), () => true)).rejects.toMatchObject({ code: '23505' });
		expect(tries).toBe(2);
		await expect(withoutRetry(() => withRetry(async () => ++tries && Promise.reject(coded('ECONNREFUSED')), () => true))).rejects.toBeInstanceOf(DatabaseUnavailableError);
		expect(tries).toBe(3);
	});
});

describe('the idempotent mark', () => {
	it('holds for work that only starts when awaited (a drizzle query)', async () => {
		// Like a drizzle query: nothing runs until `then` is called.
		const lazy: PromiseLike<boolean> = { then: (onValue, onError) => Promise.resolve(statementMayRetry('update "draft" set "answers" = $1', 'lost')).then(onValue, onError) };
		expect(await idempotent(() => lazy)).toBe(true);
	});
});
