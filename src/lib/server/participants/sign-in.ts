/**
 * Participants sign in without a password: a 6-digit code (and a magic link, by email) sent to the email
 * address or mobile number on their referral. See "Participant accounts" in docs/architecture.md.
 *
 * - Every start makes a participant_sign_in row, for a known address or not (participant_id null), so the
 *   pages and their timing are the same either way; nothing is sent for an unknown address.
 * - Only hashes are stored: the browser's token (its pending-sign-in cookie), the link token, and the code
 *   hashed with the browser's token, so a copy of the database can neither look codes up nor use them.
 * - Codes last 10 minutes and work once. Wrong codes are counted per address (its hash) across sign-ins in
 *   `rate_limit`: the fifth within 15 minutes locks the address for 15 minutes from then. A link is a
 *   160-bit secret, so it works even while the address is locked (only guessing codes is locked out).
 * - The code goes out in the language of the person's referral (notify/words.ts).
 * - The code goes out as a job (notify/outbox.ts: an email, or a text through GOV.UK Notify), queued in
 *   the transaction that makes the sign-in, of kind 'participant.sign_in': a short-lived kind given up once
 *   stale and wiped once sent. The worker is woken once it is committed (jobs/worker.ts `wakeWorker`), so
 *   the code goes at once rather than at the notifier's next tick, and never inside the request, so the
 *   answer takes the same time whether or not a code was sent.
 */
import type { CookieJar } from '../cookie-jar';
import { generateRandomIntegerNumber } from '@oslojs/crypto/random';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, desc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { SignInAddress, SignInChannel } from '$lib/domain/participant-sign-in-forms';
import { getConfig, siteOrigin } from '../config';
import { getDb } from '../db';
import { participant, participantSignIn, rateLimit, referral } from '../db/schema';
import { log } from '../log';
import { enqueueEmails, enqueueTexts } from '../notify/outbox';
import { crisisLine, inLocale, languageOf, type Locale } from '../notify/words';
import { m } from '$lib/paraglide/messages';
import { wakeWorker } from '../jobs/worker';
import { listProgrammes } from '../programmes';
import { consumeRateLimit } from '../rate-limit';
import { generateToken, hashToken, secureRandom } from '../tokens';

export const CODE_LIFETIME_MINUTES = 10;
export const MAX_WRONG_CODES = 5;
export const LOCKOUT_MINUTES = 15;
/** Sign-ins started for one address, known or not, in STARTS_WINDOW_MINUTES. */
export const STARTS_PER_ADDRESS = 5;
/** Sign-ins started from one client address in STARTS_WINDOW_MINUTES. */
export const STARTS_PER_CLIENT = 20;
export const STARTS_WINDOW_MINUTES = 15;
export const SIGN_IN_EMAIL_KIND = 'participant.sign_in';
/** The browser's pending sign-in: a random token whose SHA-256 is participant_sign_in.token_hash. */
export const SIGN_IN_COOKIE = 'ips_sign_in';
const SIGN_IN_COOKIE_PATH = '/account/sign-in';

const LOCKOUT_MS = LOCKOUT_MINUTES * 60_000;

/** Whether GOV.UK Notify texts are set up (NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID): then mobile numbers are offered. */
export function textsConfigured(): boolean {
	const { NOTIFY_API_KEY, NOTIFY_SMS_TEMPLATE_ID } = getConfig();
	return !!NOTIFY_API_KEY && !!NOTIFY_SMS_TEMPLATE_ID;
}

/** The hash an address is counted and locked by (never stored or logged in the clear). */
export function addressHash(address: SignInAddress): string {
	return hashToken(`participant-address:${address.channel}:${address.value}`);
}

function codeHash(token: string, code: string): string {
	return hashToken(`participant-code:${token}:${code}`);
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function newSignInCode(): string {
	return String(generateRandomIntegerNumber(secureRandom, 1_000_000)).padStart(6, '0');
}

const lockKey = (hash: string) => `participant-code-wrong:${hash}`;

/** When the address's lockout ends, or null when it is not locked at `now`. */
export async function lockedUntil(hash: string, now = new Date()): Promise<Date | null> {
	const db = await getDb();
	const [row] = await db.select().from(rateLimit).where(eq(rateLimit.key, lockKey(hash)));
	if (!row || row.count < MAX_WRONG_CODES) return null;
	const until = new Date(row.windowStart.getTime() + LOCKOUT_MS);
	return until > now ? until : null;
}

/**
 * Counts a wrong code for an address. Wrong codes are counted from the first in a 15-minute window; the
 * fifth moves the window's start to `now`, so the lockout lasts a whole 15 minutes from that try. A
 * window (or a lockout) that has ended starts again at one. Returns the count in the window.
 */
async function recordWrongCode(hash: string, now: Date): Promise<{ count: number; windowStart: Date }> {
	const db = await getDb();
	const cutoff = new Date(now.getTime() - LOCKOUT_MS).toISOString();
	const at = now.toISOString();
	const [row] = await db
		.insert(rateLimit)
		.values({ key: lockKey(hash), windowStart: now, count: 1 })
		.onConflictDoUpdate({
			target: rateLimit.key,
			set: {
				count: sql`case when ${rateLimit.windowStart} < ${cutoff}::timestamptz then 1 else ${rateLimit.count} + 1 end`,
				windowStart: sql`case when ${rateLimit.windowStart} < ${cutoff}::timestamptz then ${at}::timestamptz
					when ${rateLimit.count} + 1 >= ${MAX_WRONG_CODES} then ${at}::timestamptz else ${rateLimit.windowStart} end`
			}
		})
		.returning({ count: rateLimit.count, windowStart: rateLimit.windowStart });
	return row;
}

export type StartResult =
	| { ok: true; token: string; channel: SignInChannel; expiresAt: Date }
	| { ok: false; reason: 'locked'; lockedUntil: Date }
	| { ok: false; reason: 'too-many' };

/** The sign-in email, in the person's language (their referral's). */
export function signInEmail(code: string, link: string, locale: Locale): { subject: string; body: string } {
	const o = inLocale(locale);
	const minutes = CODE_LIFETIME_MINUTES;
	return {
		subject: m.n_sign_in_subject({}, o),
		body: [
			m.n_sign_in_code_is({}, o),
			'',
			code,
			'',
			m.n_sign_in_enter({ minutes }, o),
			'',
			m.n_sign_in_link({ minutes }, o),
			link,
			'',
			m.n_sign_in_ignore({}, o),
			'',
			crisisLine(locale)
		].join('\n')
	};
}

/** The sign-in text, in the person's language. */
export function signInText(code: string, locale: Locale): string {
	return m.n_sign_in_text({ code, minutes: CODE_LIFETIME_MINUTES }, inLocale(locale));
}

/**
 * Starts a sign-in for an address. The answer is the same for a known and an unknown address (a new
 * browser token either way); the code goes out only for a known one: by email to the participant of the
 * most recent referral with that email, or by text to the one with that mobile number and consent to texts.
 * Refused while the address is locked, and past the limits per address and per client address (`client`).
 */
export async function startSignIn(address: SignInAddress, options: { now?: Date; client?: string } = {}): Promise<StartResult> {
	const now = options.now ?? new Date();
	const hash = addressHash(address);
	const locked = await lockedUntil(hash, now);
	if (locked) return { ok: false, reason: 'locked', lockedUntil: locked };
	const window = STARTS_WINDOW_MINUTES * 60;
	if (options.client && !(await consumeRateLimit(`participant-sign-in:client:${options.client}`, STARTS_PER_CLIENT, window, now))) return { ok: false, reason: 'too-many' };
	if (!(await consumeRateLimit(`participant-sign-in:address:${hash}`, STARTS_PER_ADDRESS, window, now))) return { ok: false, reason: 'too-many' };

	const db = await getDb();
	const match =
		address.channel === 'email'
			? eq(participant.email, address.value)
			: and(eq(participant.phone, address.value), eq(participant.textConsent, true));
	const [found] = await db
		.select({ id: participant.id, email: participant.email, phone: participant.phone, language: referral.preferredLanguage })
		.from(participant)
		.leftJoin(referral, eq(referral.id, participant.referralId))
		.where(match)
		.orderBy(desc(participant.createdAt), desc(participant.id))
		.limit(1);

	const token = generateToken();
	const linkToken = generateToken();
	const code = newSignInCode();
	const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MINUTES * 60_000);
	// Texts are offered only while GOV.UK Notify texts are set up; should that change under a pending form, no
	// text is queued (it would wait, unsent, holding its code).
	const textable = !!found?.phone && address.channel === 'text' && textsConfigured();
	if (found?.phone && address.channel === 'text' && !textable) log.warn('sign-in text not sent: GOV.UK Notify texts are not configured');
	const queued = await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(participantSignIn)
			.values({
				tokenHash: hashToken(token),
				participantId: found?.id ?? null,
				addressHash: hash,
				channel: address.channel,
				codeHash: codeHash(token, code),
				linkHash: hashToken(linkToken),
				expiresAt,
				createdAt: now
			})
			.returning({ id: participantSignIn.id });
		if (found?.email && address.channel === 'email') {
			const { subject, body } = signInEmail(code, `${siteOrigin()}/account/sign-in/link/${linkToken}`, languageOf(found.language));
			await enqueueEmails(tx, [{ eventId: crypto.randomUUID(), kind: SIGN_IN_EMAIL_KIND, to: found.email, subject, body }], now);
			return true;
		}
		if (textable) {
			await enqueueTexts(tx, [{ eventId: created.id, kind: SIGN_IN_EMAIL_KIND, to: found.phone!, body: signInText(code, languageOf(found.language)), participantId: found.id }], now);
			return true;
		}
		return false;
	});
	if (queued) wakeWorker();
	return { ok: true, token, channel: address.channel, expiresAt };
}

/** The browser's pending sign-in, for the code page: how the code was sent. Null when there is none. */
export async function pendingSignIn(token: string | undefined): Promise<{ channel: SignInChannel } | null> {
	if (!token) return null;
	const db = await getDb();
	const [row] = await db.select({ channel: participantSignIn.channel }).from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(token)));
	return row ?? null;
}

export type VerifyResult =
	| { ok: true; participantId: string }
	/** This browser has no sign-in in progress. */
	| { ok: false; reason: 'missing' }
	| { ok: false; reason: 'wrong'; triesLeft: number }
	| { ok: false; reason: 'expired' }
	| { ok: false; reason: 'used' }
	| { ok: false; reason: 'locked'; lockedUntil: Date };

/**
 * Checks a code against this browser's pending sign-in (`token`). A wrong code counts against the
 * address; a right one is used up and clears the address's count. A sign-in for an unknown address has
 * no participant, so no code is ever right for it; every other answer is the same as for a known one.
 */
export async function verifySignInCode(token: string, code: string, now = new Date()): Promise<VerifyResult> {
	const db = await getDb();
	const [row] = await db.select().from(participantSignIn).where(eq(participantSignIn.tokenHash, hashToken(token)));
	if (!row) return { ok: false, reason: 'missing' };
	const locked = await lockedUntil(row.addressHash, now);
	if (locked) return { ok: false, reason: 'locked', lockedUntil: locked };
	if (row.usedAt) return { ok: false, reason: 'used' };
	if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
	const enc = new TextEncoder();
	const right = constantTimeEqual(enc.encode(codeHash(token, code)), enc.encode(row.codeHash)) && row.participantId !== null;
	if (right) {
		const [used] = await db
			.update(participantSignIn)
			.set({ usedAt: now })
			.where(and(eq(participantSignIn.id, row.id), isNull(participantSignIn.usedAt), gt(participantSignIn.expiresAt, now)))
			.returning({ participantId: participantSignIn.participantId });
		if (!used?.participantId) return { ok: false, reason: 'used' };
		await db.delete(rateLimit).where(eq(rateLimit.key, lockKey(row.addressHash)));
		return { ok: true, participantId: used.participantId };
	}
	await db
		.update(participantSignIn)
		.set({ attempts: sql`${participantSignIn.attempts} + 1` })
		.where(eq(participantSignIn.id, row.id));
	const counted = await recordWrongCode(row.addressHash, now);
	if (counted.count >= MAX_WRONG_CODES) return { ok: false, reason: 'locked', lockedUntil: new Date(counted.windowStart.getTime() + LOCKOUT_MS) };
	return { ok: false, reason: 'wrong', triesLeft: MAX_WRONG_CODES - counted.count };
}

const LINK_TOKEN = /^[a-z2-7]{32}$/;

/** The magic link's row while it may still sign someone in: unused, unexpired, for a known participant. */
const unusedLink = (linkToken: string, now: Date) =>
	and(
		eq(participantSignIn.linkHash, hashToken(linkToken)),
		isNull(participantSignIn.usedAt),
		gt(participantSignIn.expiresAt, now),
		isNotNull(participantSignIn.participantId)
	);

/** Whether a magic link would sign someone in (unused, unexpired, for a known participant). Uses nothing up. */
export async function signInLinkUsable(linkToken: string, now = new Date()): Promise<boolean> {
	if (!LINK_TOKEN.test(linkToken)) return false;
	const db = await getDb();
	const [row] = await db
		.select({ id: participantSignIn.id })
		.from(participantSignIn)
		.where(unusedLink(linkToken, now));
	return !!row;
}

/** Uses a magic link (only ever from a POST): the participant to sign in, or null when it is unknown, used or expired. */
export async function useSignInLink(linkToken: string, now = new Date()): Promise<string | null> {
	if (!LINK_TOKEN.test(linkToken)) return null;
	const db = await getDb();
	const [used] = await db
		.update(participantSignIn)
		.set({ usedAt: now })
		.where(unusedLink(linkToken, now))
		.returning({ participantId: participantSignIn.participantId, addressHash: participantSignIn.addressHash });
	if (!used?.participantId) return null;
	await db.delete(rateLimit).where(eq(rateLimit.key, lockKey(used.addressHash)));
	return used.participantId;
}

/** Kept for an hour, longer than the code, so a late code is told it has expired rather than sent back to the start. */
export function setSignInCookie(cookies: CookieJar, token: string): void {
	cookies.set(SIGN_IN_COOKIE, token, { path: SIGN_IN_COOKIE_PATH, httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 });
}

export function clearSignInCookie(cookies: CookieJar): void {
	cookies.delete(SIGN_IN_COOKIE, { path: SIGN_IN_COOKIE_PATH });
}

/** The helpline the sign-in pages offer: the first programme's, as on the start page (the same whoever asks). */
export async function signInHelpline(): Promise<{ phone: string; hours: string } | null> {
	const [first] = await listProgrammes();
	return first ? { phone: first.helpline.phone, hours: first.helpline.hours } : null;
}

/** `?next=...` to carry a page to return to through the sign-in pages; nothing for the account home. */
export function nextQuery(next: string): string {
	return next === '/account' ? '' : `?next=${encodeURIComponent(next)}`;
}
