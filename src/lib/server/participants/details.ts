/**
 * "Your details": a signed-in participant changes their email address, phone number and contact
 * preferences (domain/your-details.ts). See "Participant accounts" in docs/architecture.md.
 *
 * - A new email address, or a new mobile number while GOV.UK Notify texts are set up, is confirmed with a
 *   6-digit code sent to it before it is used. The pending change is a participant_sign_in row of its own
 *   purpose: no link, the code hashed with the browser's token under a prefix of its own (so it can never
 *   sign anyone in), and the new address bound by `address_hash` (hashed with the participant's id). The
 *   new address itself is kept only in the browser's cookie, never in the database, until it is confirmed.
 * - Codes last CODE_LIFETIME_MINUTES and work once; a code is void after MAX_WRONG_CODES wrong tries; a
 *   person can ask for CHANGE_STARTS_PER_PERSON codes in STARTS_WINDOW_MINUTES.
 * - A landline, or any number while texts are not set up, cannot be sent a code: it is saved at once, and
 *   no texts go to it (participant.text_consent false) until a mobile number is confirmed.
 * - A confirmed change updates the referral (its column and its stored answer) and the participant row,
 *   writes an audit row (what changed, never the values or the code) and appends
 *   `referral.contact_details_changed`, in one transaction. An email address changed is told so at the old
 *   address. Codes and notices are in the language of the person's referral.
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { CookieJar } from '../cookie-jar';
import type { DraftAnswers } from '$lib/domain/draft-answers';
import { isUkMobile, type AddressKind, type ContactDetailName, type PreferencePage } from '$lib/domain/your-details';
import { recordAudit } from '../audit';
import type { ParticipantUser } from '../auth/sessions';
import { getDb, type Tx } from '../db';
import { consent, participant, participantSignIn, referral, type Referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { wakeWorker } from '../jobs/worker';
import { log } from '../log';
import { enqueueEmails, enqueueTexts } from '../notify/outbox';
import { crisisLine, inLocale, languageOf, type Locale } from '../notify/words';
import { m } from '$lib/paraglide/messages';
import { consumeRateLimit } from '../rate-limit';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { notFound } from '../refusal';
import { generateToken, hashToken } from '../tokens';
import { CODE_LIFETIME_MINUTES, MAX_WRONG_CODES, STARTS_WINDOW_MINUTES, newSignInCode, textsConfigured } from './sign-in';

export { CODE_LIFETIME_MINUTES, MAX_WRONG_CODES };
/** Codes for a new address a person may ask for in STARTS_WINDOW_MINUTES. */
export const CHANGE_STARTS_PER_PERSON = 5;
/** The outbox kind of the code's email or text: a secret, short-lived kind (notify/outbox.ts). */
export const CHANGE_CODE_KIND = 'participant.confirm_address';
/** The email to the old address once an email address is changed. */
export const CHANGED_NOTICE_KIND = 'participant.details_changed';
export const CHANGE_COOKIE = 'ips_details_change';
const CHANGE_COOKIE_PATH = '/account/details';

/** A new address waiting for its code: held by the browser that asked (its cookie). */
export interface PendingChange {
	kind: AddressKind;
	token: string;
	value: string;
}

const changeAddressHash = (participantId: string, kind: AddressKind, value: string) => hashToken(`participant-change:${participantId}:${kind}:${value}`);
const changeCodeHash = (token: string, code: string) => hashToken(`participant-change-code:${token}:${code}`);

export function readPendingChange(cookies: CookieJar): PendingChange | null {
	const raw = cookies.get(CHANGE_COOKIE);
	const match = raw ? /^(email|phone)\.([a-z2-7]{32})\.([A-Za-z0-9_-]{1,400})$/.exec(raw) : null;
	if (!match) return null;
	const value = Buffer.from(match[3], 'base64url').toString('utf8');
	return { kind: match[1] as AddressKind, token: match[2], value };
}

export function setPendingChange(cookies: CookieJar, pending: PendingChange): void {
	const value = `${pending.kind}.${pending.token}.${Buffer.from(pending.value, 'utf8').toString('base64url')}`;
	cookies.set(CHANGE_COOKIE, value, { path: CHANGE_COOKIE_PATH, httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 });
}

export function clearPendingChange(cookies: CookieJar): void {
	cookies.delete(CHANGE_COOKIE, { path: CHANGE_COOKIE_PATH });
}

export interface CurrentDetails {
	email: string | null;
	phone: string | null;
	answers: DraftAnswers;
	textConsent: boolean;
}

/** The person's contact details as they are now: the participant row's address and number, the referral's answers. */
export async function currentDetails(user: Pick<ParticipantUser, 'id' | 'referralId'>): Promise<CurrentDetails> {
	const db = await getDb();
	const [row] = await db
		.select({ email: participant.email, phone: participant.phone, textConsent: participant.textConsent, answers: referral.answers })
		.from(participant)
		.innerJoin(referral, eq(referral.id, participant.referralId))
		.where(and(eq(participant.id, user.id), eq(participant.referralId, user.referralId)));
	if (!row) notFound();
	return row;
}

/** Whether the person's text-reminders consent stands: given, and not withdrawn. */
async function textConsentStands(tx: Tx, row: Referral): Promise<boolean> {
	const rows = await tx
		.select({ given: consent.given, withdrawnAt: consent.withdrawnAt })
		.from(consent)
		.where(and(eq(consent.referralId, row.id), eq(consent.kind, 'textReminders')));
	if (rows.length) return rows.some((c) => c.given) && rows.every((c) => !c.withdrawnAt);
	return row.answers.consentTextReminders?.given === true;
}

interface ContactChange {
	email?: string;
	phone?: string;
	answers?: Partial<DraftAnswers>;
	changed: ContactDetailName[];
	/** A new address confirmed with a code sent to it. */
	confirmed: boolean;
}

/** The email to the old address once an email address is changed, in the person's language. */
function changedNotice(locale: Locale): { subject: string; body: string } {
	const o = inLocale(locale);
	return { subject: m.n_changed_subject({}, o), body: [m.n_changed_body({}, o), '', m.n_changed_not_you({}, o), '', crisisLine(locale)].join('\n') };
}

/** Applies a change to the referral and the participant, with its audit row and event, inside `tx`. */
async function applyChange(tx: Tx, user: Pick<ParticipantUser, 'id' | 'referralId'>, change: ContactChange, now: Date): Promise<void> {
	const [row] = await tx.select().from(referral).where(eq(referral.id, user.referralId)).for('update');
	const [person] = await tx.select().from(participant).where(and(eq(participant.id, user.id), eq(participant.referralId, user.referralId)));
	if (!row || !person) notFound();
	const answers = JSON.parse(
		JSON.stringify({
			...row.answers,
			...change.answers,
			...(change.email !== undefined ? { email: change.email } : {}),
			...(change.phone !== undefined ? { phone: change.phone } : {})
		})
	) as DraftAnswers;
	await tx
		.update(referral)
		.set({ answers, ...(change.email !== undefined ? { email: change.email } : {}), ...(change.phone !== undefined ? { phone: change.phone } : {}) })
		.where(eq(referral.id, row.id));
	if (change.email !== undefined || change.phone !== undefined) {
		// A number nobody confirmed gets no texts; a confirmed mobile gets them if the person agreed and has not withdrawn.
		const textConsent = change.phone !== undefined ? change.confirmed && (await textConsentStands(tx, row)) : person.textConsent;
		await tx
			.update(participant)
			.set({ ...(change.email !== undefined ? { email: change.email } : {}), ...(change.phone !== undefined ? { phone: change.phone } : {}), textConsent })
			.where(eq(participant.id, person.id));
	}
	if (change.email !== undefined && person.email && person.email !== change.email) {
		await enqueueEmails(
			tx,
			[
				{
					eventId: crypto.randomUUID(),
					kind: CHANGED_NOTICE_KIND,
					to: person.email,
					...changedNotice(languageOf(row.preferredLanguage))
				}
			],
			now
		);
	}
	// Who and what, never the values typed.
	await recordAudit(
		{
			staffId: null,
			action: 'participant.contact_details_changed',
			referralId: row.id,
			programmeId: row.programmeId,
			detail: { reference: row.reference, by: 'participant', changed: change.changed, confirmed: change.confirmed }
		},
		tx
	);
	await appendEvent(tx, {
		type: 'referral.contact_details_changed',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: {
			version: REFERRAL_EVENT_VERSION,
			reference: row.reference,
			programmeId: row.programmeId,
			byStaffId: null,
			at: now.toISOString(),
			actor: { kind: 'participant' },
			changed: change.changed,
			confirmed: change.confirmed
		}
	});
}

/** Saves one contact preference page. Nothing is written (and no event sent) when the answer is the same. */
export async function savePreference(user: Pick<ParticipantUser, 'id' | 'referralId'>, page: PreferencePage, value: unknown, now = new Date()): Promise<boolean> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select({ answers: referral.answers }).from(referral).where(eq(referral.id, user.referralId));
		if (!row) notFound();
		if (JSON.stringify(row.answers[page.name as keyof DraftAnswers] ?? null) === JSON.stringify(value ?? null)) return false;
		await applyChange(tx, user, { answers: { [page.name]: value } as Partial<DraftAnswers>, changed: [page.name], confirmed: false }, now);
		return true;
	});
}

export type StartChangeResult =
	/** A code went to the new address: the browser keeps `pending`. */
	| { ok: true; pending: PendingChange; expiresAt: Date }
	/** A number that cannot be sent a code, saved at once. */
	| { ok: true; saved: true }
	| { ok: false; reason: 'same' | 'too-many' };

/** The code for a new email address, in the person's language (their referral's). */
function codeEmail(code: string, locale: Locale): { subject: string; body: string } {
	const o = inLocale(locale);
	return {
		subject: m.n_confirm_subject({}, o),
		body: [
			m.n_confirm_code_is({}, o),
			'',
			code,
			'',
			m.n_confirm_enter({ minutes: CODE_LIFETIME_MINUTES }, o),
			'',
			m.n_confirm_ignore({}, o),
			'',
			crisisLine(locale)
		].join('\n')
	};
}

const codeText = (code: string, locale: Locale) => m.n_confirm_text({ code, minutes: CODE_LIFETIME_MINUTES }, inLocale(locale));

/** The person's language, from their referral. */
async function languageFor(tx: Tx, referralId: string): Promise<Locale> {
	const [row] = await tx.select({ language: referral.preferredLanguage }).from(referral).where(eq(referral.id, referralId));
	return languageOf(row?.language);
}

/**
 * Starts changing the email address or phone number. A code goes to a new email address, or to a new UK
 * mobile number while texts are set up; any other number is saved at once (and gets no texts). Refused when
 * it is the address the person already has, and past CHANGE_STARTS_PER_PERSON codes in the window.
 */
export async function startAddressChange(user: Pick<ParticipantUser, 'id' | 'referralId'>, kind: AddressKind, value: string, now = new Date()): Promise<StartChangeResult> {
	const current = await currentDetails(user);
	if ((kind === 'email' ? current.email : current.phone) === value) return { ok: false, reason: 'same' };
	if (kind === 'phone' && !(isUkMobile(value) && textsConfigured())) {
		const db = await getDb();
		await db.transaction((tx) => applyChange(tx, user, { phone: value, changed: ['phone'], confirmed: false }, now));
		return { ok: true, saved: true };
	}
	if (!(await consumeRateLimit(`participant-change:${user.id}`, CHANGE_STARTS_PER_PERSON, STARTS_WINDOW_MINUTES * 60, now))) return { ok: false, reason: 'too-many' };
	const token = generateToken();
	const code = newSignInCode();
	const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MINUTES * 60_000);
	const db = await getDb();
	await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(participantSignIn)
			.values({
				tokenHash: hashToken(token),
				participantId: user.id,
				addressHash: changeAddressHash(user.id, kind, value),
				channel: kind === 'email' ? 'email' : 'text',
				codeHash: changeCodeHash(token, code),
				linkHash: null,
				expiresAt,
				createdAt: now
			})
			.returning({ id: participantSignIn.id });
		const locale = await languageFor(tx, user.referralId);
		if (kind === 'email') await enqueueEmails(tx, [{ eventId: created.id, kind: CHANGE_CODE_KIND, to: value, ...codeEmail(code, locale) }], now);
		else await enqueueTexts(tx, [{ eventId: created.id, kind: CHANGE_CODE_KIND, to: value, body: codeText(code, locale), participantId: user.id }], now);
	});
	wakeWorker();
	log.info('contact detail change started', { participantId: user.id, kind });
	return { ok: true, pending: { kind, token, value }, expiresAt };
}

export type ConfirmResult =
	| { ok: true }
	/** No change waiting for this browser (or not this person's, or not this address's). */
	| { ok: false; reason: 'missing' }
	| { ok: false; reason: 'wrong'; triesLeft: number }
	| { ok: false; reason: 'expired' | 'used' | 'too-many' };

/**
 * Checks the code for the browser's pending change. A right code is used up and the change applied in the
 * same transaction; a wrong one counts against this code, which is void after MAX_WRONG_CODES.
 */
export async function confirmAddressChange(user: Pick<ParticipantUser, 'id' | 'referralId'>, pending: PendingChange, code: string, now = new Date()): Promise<ConfirmResult> {
	const db = await getDb();
	const [row] = await db
		.select()
		.from(participantSignIn)
		.where(
			and(
				eq(participantSignIn.tokenHash, hashToken(pending.token)),
				eq(participantSignIn.participantId, user.id),
				eq(participantSignIn.addressHash, changeAddressHash(user.id, pending.kind, pending.value)),
				isNull(participantSignIn.linkHash)
			)
		);
	if (!row) return { ok: false, reason: 'missing' };
	if (row.usedAt) return { ok: false, reason: 'used' };
	if (row.attempts >= MAX_WRONG_CODES) return { ok: false, reason: 'too-many' };
	if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
	const enc = new TextEncoder();
	if (constantTimeEqual(enc.encode(changeCodeHash(pending.token, code)), enc.encode(row.codeHash))) {
		const done = await db.transaction(async (tx) => {
			const [used] = await tx
				.update(participantSignIn)
				.set({ usedAt: now })
				.where(and(eq(participantSignIn.id, row.id), isNull(participantSignIn.usedAt), gt(participantSignIn.expiresAt, now), lt(participantSignIn.attempts, MAX_WRONG_CODES)))
				.returning({ id: participantSignIn.id });
			if (!used) return false;
			const change: ContactChange =
				pending.kind === 'email' ? { email: pending.value, changed: ['email'], confirmed: true } : { phone: pending.value, changed: ['phone'], confirmed: true };
			await applyChange(tx, user, change, now);
			return true;
		});
		return done ? { ok: true } : { ok: false, reason: 'used' };
	}
	const [counted] = await db
		.update(participantSignIn)
		.set({ attempts: sql`${participantSignIn.attempts} + 1` })
		.where(eq(participantSignIn.id, row.id))
		.returning({ attempts: participantSignIn.attempts });
	if (counted.attempts >= MAX_WRONG_CODES) return { ok: false, reason: 'too-many' };
	return { ok: false, reason: 'wrong', triesLeft: MAX_WRONG_CODES - counted.attempts };
}
