/**
 * Staff sessions after the Lucia guide: a random token in an HttpOnly cookie, its SHA-256 as the id in the
 * database, sliding expiry. A session is only usable for staff pages once the authenticator code was
 * accepted (mfaVerifiedAt); before that it can only finish signing in.
 */
import type { Cookies } from '@sveltejs/kit';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { getDb } from '../db';
import { session, staff, staffProgramme, type Session, type Staff } from '../db/schema';
import { generateToken, hashToken } from '../tokens';

export const STAFF_COOKIE = 'ips_staff';
/** Signed out after 8 hours without use. */
const IDLE_MS = 8 * 60 * 60 * 1000;
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
}

export async function createSession(staffId: string, mfaVerified: boolean): Promise<{ token: string; session: Session }> {
	const db = await getDb();
	const token = generateToken();
	const now = Date.now();
	const [row] = await db
		.insert(session)
		.values({
			id: hashToken(token),
			staffId,
			mfaVerifiedAt: mfaVerified ? new Date(now) : null,
			expiresAt: new Date(now + (mfaVerified ? IDLE_MS : PENDING_MS))
		})
		.returning();
	return { token, session: row };
}

/** The session and its staff member for a cookie token, sliding the expiry; null when invalid. */
export async function validateSessionToken(token: string): Promise<SessionInfo | null> {
	const db = await getDb();
	const id = hashToken(token);
	const now = new Date();
	const [row] = await db
		.select({ session, staff })
		.from(session)
		.innerJoin(staff, eq(staff.id, session.staffId))
		.where(and(eq(session.id, id), gt(session.expiresAt, now), isNull(staff.disabledAt)));
	if (!row) return null;
	let current = row.session;
	if (current.mfaVerifiedAt && current.expiresAt.getTime() - now.getTime() < IDLE_MS / 2) {
		[current] = await db.update(session).set({ expiresAt: new Date(now.getTime() + IDLE_MS) }).where(eq(session.id, id)).returning();
	}
	const programmes = await db.select({ id: staffProgramme.programmeId }).from(staffProgramme).where(eq(staffProgramme.staffId, row.staff.id));
	return {
		session: current,
		user: { id: row.staff.id, email: row.staff.email, name: row.staff.name, role: row.staff.role, programmeIds: programmes.map((p) => p.id) }
	};
}

/**
 * After the authenticator code: a new session (new token, verified) replaces the pending one, so a token
 * seen before the second step (a shared computer, a planted cookie) is worth nothing after it. Null when
 * the pending session no longer exists.
 */
export async function replaceWithVerifiedSession(pendingSessionId: string, staffId: string): Promise<{ token: string; session: Session } | null> {
	const db = await getDb();
	const token = generateToken();
	const now = Date.now();
	const row = await db.transaction(async (tx) => {
		// Gone meanwhile (signed out everywhere, disabled, or this code was sent twice): no new session.
		const ended = await tx.delete(session).where(and(eq(session.id, pendingSessionId), eq(session.staffId, staffId))).returning({ id: session.id });
		if (!ended.length) return null;
		const [created] = await tx
			.insert(session)
			.values({ id: hashToken(token), staffId, mfaVerifiedAt: new Date(now), expiresAt: new Date(now + IDLE_MS) })
			.returning();
		return created;
	});
	return row ? { token, session: row } : null;
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

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date): void {
	cookies.set(STAFF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', expires: expiresAt });
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(STAFF_COOKIE, { path: '/' });
}
