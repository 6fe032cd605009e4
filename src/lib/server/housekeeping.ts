/**
 * Housekeeping, run hourly by every instance (each step is a plain delete, safe to run twice at once):
 * drafts never submitted are deleted once they expire (30 days after the last save), as the privacy
 * notice promises; expired staff and participant sessions, participant sign-ins a day old and old
 * rate-limit windows are cleared; and referrals past their programme's retention period are erased
 * (data-rights/retention.ts; each erasure locks its referral, so two instances cannot erase one twice).
 */
import { lt } from 'drizzle-orm';
import { getDb } from './db';
import { participantSession, participantSignIn, rateLimit, session } from './db/schema';
import { deleteExpiredDrafts } from './drafts';
import { startLoop, type BackgroundLoop } from './jobs/runner';
import { runRetention } from './data-rights/retention';

export async function runHousekeeping(now = new Date()): Promise<{ drafts: number; sessions: number; rateLimits: number; participantSignIns: number; erased: number }> {
	const db = await getDb();
	const drafts = await deleteExpiredDrafts(now);
	const sessions = (await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id })).length;
	// No rate limit here uses a window longer than a day.
	const rateLimits = (await db.delete(rateLimit).where(lt(rateLimit.windowStart, new Date(now.getTime() - 24 * 3600_000))).returning({ key: rateLimit.key })).length;
	// Participants' expired sessions go too; their sign-ins (hashes only, 10 minutes long) are kept a day.
	const participantSessions = (await db.delete(participantSession).where(lt(participantSession.expiresAt, now)).returning({ id: participantSession.id })).length;
	const participantSignIns = (
		await db
			.delete(participantSignIn)
			.where(lt(participantSignIn.expiresAt, new Date(now.getTime() - 24 * 3600_000)))
			.returning({ id: participantSignIn.id })
	).length;
	const erased = (await runRetention({ now })).erased.length;
	return { drafts, sessions: sessions + participantSessions, rateLimits, participantSignIns, erased };
}

export function startHousekeeping(intervalMs = 3600_000): BackgroundLoop {
	// The first pass waits a little, so start-up is not slowed by it.
	return startLoop('housekeeping', intervalMs, () => runHousekeeping(), 5_000);
}
