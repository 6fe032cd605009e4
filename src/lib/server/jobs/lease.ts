/**
 * Leased claims on a queue table (the job table): rows with a `status`,
 * `attempts`, `next_attempt_at` and `locked_until`. A claim is one UPDATE of due rows picked with
 * FOR UPDATE SKIP LOCKED: it counts the attempt and takes a lease, so two app instances never hold one row
 * at once, and a crashed instance's lease runs out so another picks the row up (at-least-once).
 */
import { and, eq, inArray, isNull, lt, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db';

/** A table with the columns a leased queue needs. */
export type QueueTable = PgTable & {
	id: PgColumn;
	status: PgColumn;
	attempts: PgColumn;
	nextAttemptAt: PgColumn;
	lockedUntil: PgColumn;
};

/** Pending, due at `now`, and not leased by anyone. */
export function due(table: QueueTable, now: Date): SQL {
	return and(
		eq(table.status, 'pending'),
		lte(table.nextAttemptAt, now),
		or(isNull(table.lockedUntil), lt(table.lockedUntil, now))
	)!;
}

export interface ClaimOptions {
	/** Further conditions on top of `due` (one subscription, an ordering rule). */
	where?: SQL;
	orderBy: SQL | PgColumn;
	limit: number;
	now: Date;
	leaseMs: number;
}

/** Claims up to `limit` due rows for this process: counts the attempt and takes a lease until `now + leaseMs`. */
export async function claimDue<T extends QueueTable>(db: Db | Tx, table: T, options: ClaimOptions): Promise<T['$inferSelect'][]> {
	const picked = db
		.select({ id: table.id })
		.from(table as PgTable)
		.where(and(due(table, options.now), options.where))
		.orderBy(options.orderBy)
		.limit(options.limit)
		.for('update', { skipLocked: true });
	return claimPicked(db, table, picked, options.now, options.leaseMs);
}

/**
 * Claims the rows `picked` names (a SELECT of ids of due rows locked FOR UPDATE SKIP LOCKED, or those ids
 * read in the same transaction): counts the attempt and takes a lease until `now + leaseMs`. For a claim
 * that needs a join or an order of its own.
 */
export async function claimPicked<T extends QueueTable>(
	db: Db | Tx,
	table: T,
	picked: SQL | SQLWrapper | (string | number)[],
	now: Date,
	leaseMs: number
): Promise<T['$inferSelect'][]> {
	const claimed = await db
		.update(table as PgTable)
		.set({ lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${table.attempts} + 1` } as never)
		.where(and(inArray(table.id, picked as never), eq(table.status, 'pending')))
		.returning();
	return claimed as T['$inferSelect'][];
}

/** Gives claimed rows back untried (shutting down), so the next instance need not wait for the lease. */
export async function release(db: Db | Tx, table: QueueTable, ids: (string | number)[]): Promise<void> {
	if (!ids.length) return;
	await db
		.update(table as PgTable)
		.set({ lockedUntil: null, attempts: sql`greatest(${table.attempts} - 1, 0)` } as never)
		.where(and(inArray(table.id, ids), eq(table.status, 'pending')));
}
