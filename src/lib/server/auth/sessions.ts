/**
 * Staff sessions after the Lucia guide: a random token in an HttpOnly cookie, its SHA-256 as the id in the
 * database, sliding expiry (the hook sets the cookie again whenever the expiry moves). A session is only
 * usable for staff pages once the authenticator code was accepted (mfaVerifiedAt); before that it can
 * only finish signing in.
 */
import type { CookieJar } from '../cookie-jar';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { getConfig } from '../config';
import { getDb, preparedQuery } from '../db';
import { session, staff, staffProgramme, type Session, type Staff } from '../db/schema';
import { generateToken, hashToken } from '../tokens';

export const STAFF_COOKIE = 'ips_staff';
/** Signed out after STAFF_IDLE_MINUTES (8 hours unless set) without use. */
function idleMs(): number {
	return getConfig().STAFF_IDLE_MINUTES * 60_000;
}
/** Time allowed between the password and the authenticator code. */
const PENDING_MS = 10 * 60 * 1000;

export type StaffRole = Staff['role'];

export interface StaffUser {
	id: string;
	email: string;
	name: string;
	role: StaffRole;
	programmeIds: string[];
}

export interface SessionInfo {
	session: Session;
	user: StaffUser;
	/** The expiry moved forward on this use: the cookie must be set again with `session.expiresAt`. */
	extended: boolean;
}

export async function createSession(staffId: string, mfaVerified: boolean, at: Date = new Date()): Promise<{ token: string; session: Session }> {
	const db = await getDb();
	const token = generateToken();
	const now = at.getTime();
	const [row] = await db
		.insert(session)
		.values({
			id: hashToken(token),
			staffId,
			mfaVerifiedAt: mfaVerified ? new Date(now) : null,
			expiresAt: new Date(now + (mfaVerified ? idleMs() : PENDING_MS))
		})
		.returning();
	return { token, session: row };
}

/**
 * The session and its staff member for a cookie token; null when invalid. A verified session used in the
 * second half of its idle time gets a full idle time again (`extended`), as in the Lucia guide.
 */
export async function validateSessionToken(token: string, now: Date = new Date()): Promise<SessionInfo | null> {
	const id = hashToken(token);
	// Every staff request runs this: one prepared query for the session, its user and the user's programmes.
	const query = await preparedQuery('staff_session', (db) =>
		db
			.select({
				session,
				staff,
				programmeIds: sql<string[]>`array(select ${staffProgramme.programmeId} from ${staffProgramme} where ${staffProgramme.staffId} = ${staff.id} order by 1)`
			})
			.from(session)
			.innerJoin(staff, eq(staff.id, session.staffId))
			.where(and(eq(session.id, sql.placeholder('id')), gt(session.expiresAt, sql.placeholder('now')), isNull(staff.disabledAt)))
			.prepare('staff_session')
	);
	const [row] = await query.execute({ id, now: now.toISOString() });
	if (!row) return null;
	let current = row.session;
	const idle = idleMs();
	const extended = !!current.mfaVerifiedAt && current.expiresAt.getTime() - now.getTime() < idle / 2;
	if (extended) {
		const db = await getDb();
		[current] = await db.update(session).set({ expiresAt: new Date(now.getTime() + idle) }).where(eq(session.id, id)).returning();
	}
	return {
		session: current,
		extended,
		user: { id: row.staff.id, email: row.staff.email, name: row.staff.name, role: row.staff.role, programmeIds: row.programmeIds }
	};
}

/**
 * After the authenticator code: a new session (new token, verified) replaces the pending one, so a token
 * seen before the second step (a shared computer, a planted cookie) is worth nothing after it. Null when
 * the pending session no longer exists.
 */
export async function replaceWithVerifiedSession(pendingSessionId: string, staffId: string, at: Date = new Date()): Promise<{ token: string; session: Session } | null> {
	const db = await getDb();
	const token = generateToken();
	const now = at.getTime();
	const row = await db.transaction(async (tx) => {
		// Gone meanwhile (signed out everywhere, disabled, or this code was sent twice): no new session.
		const ended = await tx.delete(session).where(and(eq(session.id, pendingSessionId), eq(session.staffId, staffId))).returning({ id: session.id });
		if (!ended.length) return null;
		const [created] = await tx
			.insert(session)
			.values({ id: hashToken(token), staffId, mfaVerifiedAt: new Date(now), expiresAt: new Date(now + idleMs()) })
			.returning();
		return created;
	});
	return row ? { token, session: row } : null;
}

export async function markSessionVerified(sessionId: string, now: Date = new Date()): Promise<Session> {
	const db = await getDb();
	const [row] = await db.update(session).set({ mfaVerifiedAt: now, expiresAt: new Date(now.getTime() + idleMs()) }).where(eq(session.id, sessionId)).returning();
	return row;
}

export async function invalidateSession(sessionId: string): Promise<void> {
	const db = await getDb();
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Sign out everywhere: ends every session of this staff member. */
export async function invalidateAllSessions(staffId: string): Promise<void> {
	const db = await getDb();
	await db.delete(session).where(eq(session.staffId, staffId));
}

export function setSessionCookie(cookies: CookieJar, token: string, expiresAt: Date): void {
	// Max-Age, not Expires: the browser counts from its own clock, so a device whose clock is wrong keeps the session.
	cookies.set(STAFF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) });
}

export function clearSessionCookie(cookies: CookieJar): void {
	cookies.delete(STAFF_COOKIE, { path: '/' });
}
