/**
 * Sessions for both signed-in areas, staff and participants, after the Lucia guide: a random token in an
 * HttpOnly cookie, its SHA-256 as the id in the database (src/lib/server/tokens.ts), sliding expiry (the
 * hook sets the cookie again whenever the expiry moves), sign out everywhere deletes every session of the
 * person. One implementation (`sessionArea`) is parameterised by area: its table (`session` for staff,
 * `participant_session` for participants: the areas never share a session), its cookie (`ips_staff`,
 * `ips_participant`), its idle time and the one prepared query that reads the session with its user.
 * A staff session is only usable for staff pages once the authenticator code was accepted (mfaVerifiedAt);
 * before that it can only finish signing in, and its expiry does not slide.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { CookieJar } from '../cookie-jar';
import { getConfig } from '../config';
import { getDb, preparedQuery } from '../db';
import { participant, participantSession, referral, session, staff, staffProgramme, type ParticipantSession, type Session, type Staff } from '../db/schema';
import { generateToken, hashToken } from '../tokens';

export type StaffRole = Staff['role'];

export interface StaffUser {
	id: string;
	email: string;
	name: string;
	role: StaffRole;
	programmeIds: string[];
}

export interface ParticipantUser {
	id: string;
	referralId: string;
	programmeId: string;
	reference: string;
	email: string | null;
	phone: string | null;
	textConsent: boolean;
}

export interface SessionInfo<S = Session, U = StaffUser> {
	session: S;
	user: U;
	/** The expiry moved forward on this use: the cookie must be set again with `session.expiresAt`. */
	extended: boolean;
}
export type ParticipantSessionInfo = SessionInfo<ParticipantSession, ParticipantUser>;

type SessionTable = PgTable & { id: PgColumn; expiresAt: PgColumn };

interface SessionAreaConfig<T extends SessionTable, U> {
	cookie: string;
	table: T;
	/** The column naming the session's person (sign out everywhere deletes by it). */
	owner: PgColumn;
	/** Signed out after this long without use. */
	idleMs: () => number;
	/** The unexpired session with this id and its user (one prepared query: every request runs it). */
	find: (id: string, now: Date) => Promise<{ session: T['$inferSelect']; user: U } | null>;
	/** Whether a use may move this session's expiry (all unless given). */
	slides?: (row: T['$inferSelect']) => boolean;
}

/** One area's sessions: create, validate (sliding the expiry), invalidate, and the cookie that carries them. */
export function sessionArea<T extends SessionTable, U>(config: SessionAreaConfig<T, U>) {
	const { cookie, table } = config;
	return {
		cookie,
		/** A new session: a fresh token (returned, for the cookie) whose hash is stored with `values`. */
		async create(values: Omit<T['$inferInsert'], 'id' | 'expiresAt'>, lifetimeMs: number, at: Date = new Date()): Promise<{ token: string; session: T['$inferSelect'] }> {
			const db = await getDb();
			const token = generateToken();
			const row = { ...values, id: hashToken(token), expiresAt: new Date(at.getTime() + lifetimeMs) } as T['$inferInsert'];
			const [created] = (await db.insert(table).values(row).returning()) as T['$inferSelect'][];
			return { token, session: created };
		},

		/**
		 * The session and its user for a cookie token; null when unknown or expired. A session used in the
		 * second half of its idle time gets a full idle time again (`extended`), as in the Lucia guide.
		 */
		async validate(token: string, now: Date = new Date()): Promise<SessionInfo<T['$inferSelect'], U> | null> {
			const id = hashToken(token);
			const found = await config.find(id, now);
			if (!found) return null;
			let current = found.session;
			const idle = config.idleMs();
			const extended = (config.slides?.(current) ?? true) && (current as { expiresAt: Date }).expiresAt.getTime() - now.getTime() < idle / 2;
			if (extended) {
				const db = await getDb();
				[current] = (await db
					.update(table)
					.set({ expiresAt: new Date(now.getTime() + idle) } as PgUpdateSetSource<T>)
					.where(eq(table.id, id))
					.returning()) as T['$inferSelect'][];
			}
			return { session: current, user: found.user, extended };
		},

		async invalidate(sessionId: string): Promise<void> {
			const db = await getDb();
			await db.delete(table).where(eq(table.id, sessionId));
		},

		/** Sign out everywhere: ends every session of this person. */
		async invalidateAll(ownerId: string): Promise<void> {
			const db = await getDb();
			await db.delete(table).where(eq(config.owner, ownerId));
		},

		setCookie(cookies: CookieJar, token: string, expiresAt: Date): void {
			// Max-Age, not Expires: the browser counts from its own clock, so a device whose clock is wrong keeps the session.
			cookies.set(cookie, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) });
		},

		clearCookie(cookies: CookieJar): void {
			cookies.delete(cookie, { path: '/' });
		}
	};
}

// ---- staff -------------------------------------------------------------------------------------------

/** Signed out after STAFF_IDLE_MINUTES (8 hours unless set) without use. */
function staffIdleMs(): number {
	return getConfig().STAFF_IDLE_MINUTES * 60_000;
}
/** Time allowed between the password and the authenticator code. */
const PENDING_MS = 10 * 60 * 1000;

export const staffSessions = sessionArea({
	cookie: 'ips_staff',
	table: session,
	owner: session.staffId,
	idleMs: staffIdleMs,
	// A session still waiting for the authenticator code keeps its short expiry.
	slides: (row) => !!row.mfaVerifiedAt,
	async find(id, now) {
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
		const { id: staffId, email, name, role } = row.staff;
		return { session: row.session, user: { id: staffId, email, name, role, programmeIds: row.programmeIds } satisfies StaffUser };
	}
});

export const STAFF_COOKIE = staffSessions.cookie;

/** A staff session after the password: verified (usable) only once the authenticator code was accepted. */
export function createSession(staffId: string, mfaVerified: boolean, at: Date = new Date()): Promise<{ token: string; session: Session }> {
	return staffSessions.create({ staffId, mfaVerifiedAt: mfaVerified ? at : null }, mfaVerified ? staffIdleMs() : PENDING_MS, at);
}

export const validateSessionToken = staffSessions.validate;
export const invalidateSession = staffSessions.invalidate;
/** Sign out everywhere: ends every session of this staff member. */
export const invalidateAllSessions = staffSessions.invalidateAll;
export const setSessionCookie = staffSessions.setCookie;
export const clearSessionCookie = staffSessions.clearCookie;

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
			.values({ id: hashToken(token), staffId, mfaVerifiedAt: new Date(now), expiresAt: new Date(now + staffIdleMs()) })
			.returning();
		return created;
	});
	return row ? { token, session: row } : null;
}

export async function markSessionVerified(sessionId: string, now: Date = new Date()): Promise<Session> {
	const db = await getDb();
	const [row] = await db.update(session).set({ mfaVerifiedAt: now, expiresAt: new Date(now.getTime() + staffIdleMs()) }).where(eq(session.id, sessionId)).returning();
	return row;
}

// ---- participants ------------------------------------------------------------------------------------

/** Signed out after four hours without use: pages hold health and contact details. */
export const PARTICIPANT_IDLE_MS = 4 * 60 * 60_000;

export const participantSessions = sessionArea({
	cookie: 'ips_participant',
	table: participantSession,
	owner: participantSession.participantId,
	idleMs: () => PARTICIPANT_IDLE_MS,
	async find(id, now) {
		// Every request with a participant cookie runs this: built once per connection.
		const query = await preparedQuery('participant_session', (db) =>
			db
				.select({ session: participantSession, participant, programmeId: referral.programmeId, reference: referral.reference })
				.from(participantSession)
				.innerJoin(participant, eq(participant.id, participantSession.participantId))
				.innerJoin(referral, eq(referral.id, participant.referralId))
				.where(and(eq(participantSession.id, sql.placeholder('id')), gt(participantSession.expiresAt, sql.placeholder('now'))))
				.prepare('participant_session')
		);
		const [row] = await query.execute({ id, now: now.toISOString() });
		if (!row) return null;
		const p = row.participant;
		const user: ParticipantUser = {
			id: p.id,
			referralId: p.referralId,
			programmeId: row.programmeId,
			reference: row.reference,
			email: p.email,
			phone: p.phone,
			textConsent: p.textConsent
		};
		return { session: row.session, user };
	}
});

export const PARTICIPANT_COOKIE = participantSessions.cookie;

export function createParticipantSession(participantId: string, at: Date = new Date()): Promise<{ token: string; session: ParticipantSession }> {
	return participantSessions.create({ participantId, createdAt: at }, PARTICIPANT_IDLE_MS, at);
}

export const validateParticipantSessionToken = participantSessions.validate;
export const invalidateParticipantSession = participantSessions.invalidate;
/** Sign out everywhere. */
export const invalidateAllParticipantSessions = participantSessions.invalidateAll;
export const setParticipantCookie = participantSessions.setCookie;
export const clearParticipantCookie = participantSessions.clearCookie;
