import { eq, sql } from 'drizzle-orm';
import { getDb } from './db';
import { rateLimit } from './db/schema';

/**
 * Fixed-window rate limit kept in the database, so every app instance shares it.
 * Returns true when the action may go ahead.
 */
export async function consumeRateLimit(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<boolean> {
	const db = await getDb();
	const windowStartCutoff = new Date(now.getTime() - windowSeconds * 1000);
	const [row] = await db
		.insert(rateLimit)
		.values({ key, windowStart: now, count: 1 })
		.onConflictDoUpdate({
			target: rateLimit.key,
			set: {
				count: sql`case when ${rateLimit.windowStart} < ${windowStartCutoff.toISOString()}::timestamptz then 1 else ${rateLimit.count} + 1 end`,
				windowStart: sql`case when ${rateLimit.windowStart} < ${windowStartCutoff.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${rateLimit.windowStart} end`
			}
		})
		.returning({ count: rateLimit.count });
	return row.count <= limit;
}

/** Whether `key` is still under `limit` in its current window, without counting this look. */
export async function underRateLimit(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<boolean> {
	const db = await getDb();
	const [row] = await db.select({ count: rateLimit.count, windowStart: rateLimit.windowStart }).from(rateLimit).where(eq(rateLimit.key, key));
	return !row || row.windowStart.getTime() < now.getTime() - windowSeconds * 1000 || row.count < limit;
}

/** Forgets `key`'s window, as if it had never been used. */
export async function clearRateLimit(key: string): Promise<void> {
	const db = await getDb();
	await db.delete(rateLimit).where(eq(rateLimit.key, key));
}
