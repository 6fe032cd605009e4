/**
 * Participant sessions, separate from staff sessions: their own cookie (`ips_participant`) and table
 * (participant_session). As in the Lucia guide, the browser holds a random token and the database its
 * SHA-256. Sliding expiry: PARTICIPANT_IDLE_MS without use signs the person out. Sign out everywhere
 * deletes every session of the participant.
 */
import type { CookieJar } from '../cookie-jar';
import { and, eq, gt, sql } from 'drizzle-orm';
import { getDb, preparedQuery, type Db, type Tx } from '../db';
import { participant, participantSession, referral, type ParticipantSession, type Referral } from '../db/schema';
import { generateToken, hashToken } from '../tokens';

export const PARTICIPANT_COOKIE = 'ips_participant';
/** Signed out after four hours without use: pages hold health and contact details. */
export const PARTICIPANT_IDLE_MS = 4 * 60 * 60_000;

export interface ParticipantUser {
	id: string;
	referralId: string;
	programmeId: string;
	reference: string;
	email: string | null;
	phone: string | null;
	textConsent: boolean;
}

export interface ParticipantSessionInfo {
	session: ParticipantSession;
	user: ParticipantUser;
	/** The expiry moved: set the cookie again with `session.expiresAt`. */
	extended: boolean;
}

/** Whether the person gave the text-reminders consent ("The service can send me text message reminders"). */
export function allowsTexts(answers: Referral['answers']): boolean {
	return answers.consentTextReminders?.given === true;
}

/** The participant for a new referral, inside the submit transaction; one per referral. */
export async function createParticipantForReferral(tx: Tx | Db, created: Referral): Promise<string> {
	const [row] = await tx
		.insert(participant)
		.values({
			referralId: created.id,
			email: created.email ? created.email.trim().toLowerCase() : null,
			phone: created.phone,
			textConsent: !!created.phone && allowsTexts(created.answers)
		})
		.onConflictDoNothing()
		.returning({ id: participant.id });
	if (row) return row.id;
	const [existing] = await tx.select({ id: participant.id }).from(participant).where(eq(participant.referralId, created.id));
	return existing.id;
}

export async function participantIdForReferral(referralId: string): Promise<string | null> {
	const db = await getDb();
	const [row] = await db.select({ id: participant.id }).from(participant).where(eq(participant.referralId, referralId));
	return row?.id ?? null;
}

export async function createParticipantSession(participantId: string, at: Date = new Date()): Promise<{ token: string; session: ParticipantSession }> {
	const db = await getDb();
	const token = generateToken();
	const [row] = await db
		.insert(participantSession)
		.values({ id: hashToken(token), participantId, expiresAt: new Date(at.getTime() + PARTICIPANT_IDLE_MS), createdAt: at })
		.returning();
	return { token, session: row };
}

/** The session and participant for a cookie token; null when unknown or expired. */
export async function validateParticipantSessionToken(token: string, now: Date = new Date()): Promise<ParticipantSessionInfo | null> {
	const id = hashToken(token);
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
	let current = row.session;
	const extended = current.expiresAt.getTime() - now.getTime() < PARTICIPANT_IDLE_MS / 2;
	if (extended)
		[current] = await (await getDb())
			.update(participantSession)
			.set({ expiresAt: new Date(now.getTime() + PARTICIPANT_IDLE_MS) })
			.where(eq(participantSession.id, id))
			.returning();
	const p = row.participant;
	return {
		session: current,
		extended,
		user: {
			id: p.id,
			referralId: p.referralId,
			programmeId: row.programmeId,
			reference: row.reference,
			email: p.email,
			phone: p.phone,
			textConsent: p.textConsent
		}
	};
}

export async function invalidateParticipantSession(sessionId: string): Promise<void> {
	const db = await getDb();
	await db.delete(participantSession).where(eq(participantSession.id, sessionId));
}

/** Sign out everywhere. */
export async function invalidateAllParticipantSessions(participantId: string): Promise<void> {
	const db = await getDb();
	await db.delete(participantSession).where(eq(participantSession.participantId, participantId));
}

export function setParticipantCookie(cookies: CookieJar, token: string, expiresAt: Date): void {
	// Max-Age, not Expires: the browser counts from its own clock, so a device whose clock is wrong keeps the session.
	cookies.set(PARTICIPANT_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) });
}

export function clearParticipantCookie(cookies: CookieJar): void {
	cookies.delete(PARTICIPANT_COOKIE, { path: '/' });
}
