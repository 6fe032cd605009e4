import { isIPv4, isIPv6 } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { getDb } from './db';
import { rateLimit } from './db/schema';

/**
 * The client a rate limit counts, from its address (as SvelteKit's getClientAddress gives it): an IPv4 address as it is,
 * an IPv6 address by its /64 network (`2001:db8:1:2::/64`), since one home or phone is given a whole /64 and
 * can pick a new address in it for every request. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) counts as the IPv4
 * address. Anything else (not an IP address) is returned unchanged.
 */
export function rateLimitClient(address: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	if (mapped && isIPv4(mapped[1])) return mapped[1];
	if (isIPv4(address)) return address;
	const bare = address.replace(/%.*$/, '');
	if (!isIPv6(bare)) return address;
	return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
	let text = address.toLowerCase();
	const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (v4) {
		const [a, b, c, d] = v4.slice(1).map(Number);
		text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const left = head ? head.split(':') : [];
	const right = tail === undefined ? [] : tail ? tail.split(':') : [];
	const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
	return groups.map((g) => parseInt(g, 16).toString(16));
}

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
