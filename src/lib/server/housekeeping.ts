/**
 * Housekeeping, run hourly by every instance (each step is a plain delete, safe to run twice at once):
 * drafts never submitted are deleted once they expire (30 days after the last save), as the privacy
 * notice promises; expired staff sessions and old rate-limit windows are cleared.
 */
import { lt } from 'drizzle-orm';
import { getDb } from './db';
import { rateLimit, session } from './db/schema';
import { deleteExpiredDrafts } from './drafts';
import { startLoop, type BackgroundLoop } from './jobs/runner';

export async function runHousekeeping(now = new Date()): Promise<{ drafts: number; sessions: number; rateLimits: number }> {
	const db = await getDb();
	const drafts = await deleteExpiredDrafts(now);
	const sessions = (await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id })).length;
	// No rate limit here uses a window longer than a day.
	const rateLimits = (await db.delete(rateLimit).where(lt(rateLimit.windowStart, new Date(now.getTime() - 24 * 3600_000))).returning({ key: rateLimit.key })).length;
	return { drafts, sessions, rateLimits };
}

export function startHousekeeping(intervalMs = 3600_000): BackgroundLoop {
	// The first pass waits a little, so start-up is not slowed by it.
	return startLoop('housekeeping', intervalMs, () => runHousekeeping(), 5_000);
}
