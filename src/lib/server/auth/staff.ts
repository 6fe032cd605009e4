/**
 * Staff accounts: creation (with an authenticator secret and recovery codes), the two sign-in steps,
 * and the lockout after repeated failures (see "Staff sign-in" in docs/architecture.md).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES } from '$lib/domain/staff';
import { getDb } from '../db';
import { programme, recoveryCode, staff, staffProgramme, type Staff } from '../db/schema';
import { generateToken, hashToken } from '../tokens';
import { recordAudit } from '../audit';
import { clearRateLimit, consumeRateLimit, underRateLimit } from '../rate-limit';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { generateTotpSecret, matchTotp, totpUri } from './totp';

/** Wrong passwords from one address for one account, or wrong codes for one account, within LOCKOUT_MINUTES. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
/** Wrong passwords for one account in an hour from all addresses, after which each address gets one try per LOCKOUT_MINUTES. */
export const ACCOUNT_FAILURE_CEILING = 50;
const RECOVERY_CODES = 10;

export const newStaffSchema = z.object({
	email: z.email({ error: 'Enter an email address in the correct format, like name@example.org' }).transform((e) => e.toLowerCase()),
	name: z.string().trim().min(1, 'Enter a name').max(100),
	role: z.enum(ROLES, { error: 'Choose a role' }),
	programmeIds: z.array(z.string().min(1)).min(1, 'Choose at least one programme'),
	password: z.string().superRefine((p, ctx) => {
		const problem = passwordProblem(p);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	}),
	practices: z.array(z.string().regex(/^[A-Z]\d{5}$/, 'A GP practice code is a letter and five digits, like P84001')).default([])
});
export type NewStaff = z.input<typeof newStaffSchema>;

export interface CreatedStaff {
	staff: Staff;
	totpSecret: string;
	totpUri: string;
	recoveryCodes: string[];
}

function newRecoveryCode(): string {
	// 10 characters of base32 (50 bits), shown as xxxxx-xxxxx.
	const raw = generateToken().slice(0, 10);
	return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

function normaliseRecoveryCode(code: string): string {
	return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `totpSecret` is only given by the demo seed, whose secrets are published in the README. */
export async function createStaff(input: NewStaff, options: { totpSecret?: string } = {}): Promise<CreatedStaff> {
	const data = newStaffSchema.parse(input);
	const db = await getDb();
	const known = await db.select({ id: programme.id }).from(programme);
	for (const id of data.programmeIds) if (!known.some((p) => p.id === id)) throw new Error(`There is no programme "${id}"`);
	const totpSecret = options.totpSecret ?? generateTotpSecret();
	const passwordHash = await hashPassword(data.password);
	const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
	const created = await db.transaction(async (tx) => {
		const [row] = await tx
			.insert(staff)
			.values({ email: data.email, name: data.name, role: data.role, passwordHash, totpSecret, practices: data.practices })
			.returning();
		await tx.insert(staffProgramme).values(data.programmeIds.map((programmeId) => ({ staffId: row.id, programmeId })));
		await tx.insert(recoveryCode).values(recoveryCodes.map((c) => ({ staffId: row.id, codeHash: hashToken(normaliseRecoveryCode(c)) })));
		return row;
	});
	return { staff: created, totpSecret, totpUri: totpUri(totpSecret, data.email), recoveryCodes };
}

let dummyHash: Promise<string> | undefined;

export type SignInResult = { ok: true; staff: Staff } | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: Date };

/** Counted per account and client address, so a stranger's failures never lock the person out elsewhere. */
function pairKey(staffId: string, address: string): string {
	return `sign-in-failed:${staffId}:${address}`;
}
function accountKey(staffId: string): string {
	return `sign-in-failed:${staffId}`;
}

/**
 * How many wrong passwords this address may still try for this account is 5 per 15 minutes; once the
 * account has had ACCOUNT_FAILURE_CEILING failures in the hour from anywhere, it is 1 per 15 minutes.
 * That slows a spread-out attack without locking the person out.
 */
async function pairLocked(staffId: string, address: string): Promise<boolean> {
	const busy = !(await underRateLimit(accountKey(staffId), ACCOUNT_FAILURE_CEILING, 3600));
	return !(await underRateLimit(pairKey(staffId, address), busy ? 1 : MAX_FAILED_ATTEMPTS, LOCKOUT_MINUTES * 60));
}

async function recordPasswordFailure(staffId: string, address: string): Promise<void> {
	await consumeRateLimit(pairKey(staffId, address), MAX_FAILED_ATTEMPTS, LOCKOUT_MINUTES * 60);
	await consumeRateLimit(accountKey(staffId), ACCOUNT_FAILURE_CEILING, 3600);
}

/** Wrong authenticator codes lock the whole account: only someone who knew the password can cause that. */
async function recordCodeFailure(id: string): Promise<void> {
	const db = await getDb();
	await db
		.update(staff)
		.set({
			failedAttempts: sql`${staff.failedAttempts} + 1`,
			lockedUntil: sql`case when ${staff.failedAttempts} + 1 >= ${MAX_FAILED_ATTEMPTS} then now() + make_interval(mins => ${LOCKOUT_MINUTES}) else ${staff.lockedUntil} end`
		})
		.where(eq(staff.id, id));
}

function isLocked(row: Staff, now = new Date()): boolean {
	return row.lockedUntil !== null && row.lockedUntil > now;
}

/**
 * Step one: email and password, from the client's `address`. An unknown email, a locked account and a
 * wrong password take the same time (argon2 always runs) and the page shows them the same way. Failures are
 * written to the audit log with the account's id only: never the typed email, which may be a password.
 */
export async function checkPassword(email: string, password: string, address = 'unknown'): Promise<SignInResult> {
	const db = await getDb();
	const [row] = await db.select().from(staff).where(and(eq(staff.email, email.trim().toLowerCase()), isNull(staff.disabledAt)));
	if (!row) {
		dummyHash ??= hashPassword('not a real password, only for timing');
		await verifyPassword(await dummyHash, password);
		await recordAudit({ staffId: null, action: 'sign-in.failed', detail: { step: 'password', reason: 'unknown account' } });
		return { ok: false, reason: 'invalid' };
	}
	const locked = isLocked(row) || (await pairLocked(row.id, address));
	const right = await verifyPassword(row.passwordHash, password);
	if (locked) {
		await recordAudit({ staffId: row.id, action: 'sign-in.failed', detail: { step: 'password', reason: 'locked' } });
		return { ok: false, reason: 'locked' };
	}
	if (!right) {
		await recordPasswordFailure(row.id, address);
		await recordAudit({ staffId: row.id, action: 'sign-in.failed', detail: { step: 'password', reason: 'invalid' } });
		return (await pairLocked(row.id, address)) ? { ok: false, reason: 'locked' } : { ok: false, reason: 'invalid' };
	}
	return { ok: true, staff: row };
}

/**
 * Step two: an authenticator code, or a one-time recovery code. Success clears the account's code failures
 * and this address's password failures.
 */
export async function checkSecondFactor(staffId: string, code: string, at = new Date(), address = 'unknown'): Promise<SignInResult & { usedRecoveryCode?: boolean }> {
	const result = await secondFactor(staffId, code, at, address);
	if (result.ok) await clearRateLimit(pairKey(staffId, address));
	return result;
}

async function secondFactor(staffId: string, code: string, at: Date, address: string): Promise<SignInResult & { usedRecoveryCode?: boolean }> {
	const db = await getDb();
	const [row] = await db.select().from(staff).where(and(eq(staff.id, staffId), isNull(staff.disabledAt)));
	if (!row) return { ok: false, reason: 'invalid' };
	if (isLocked(row, at)) return { ok: false, reason: 'locked', lockedUntil: row.lockedUntil! };
	if (await pairLocked(staffId, address)) return { ok: false, reason: 'locked' };
	const step = matchTotp(row.totpSecret, code, row.totpLastStep ?? null, at);
	if (step !== null) {
		const [updated] = await db
			.update(staff)
			.set({ totpLastStep: step, failedAttempts: 0, lockedUntil: null })
			.where(and(eq(staff.id, staffId), sql`coalesce(${staff.totpLastStep}, -1) < ${step}`))
			.returning();
		if (updated) return { ok: true, staff: updated };
	} else if (normaliseRecoveryCode(code).length === 10) {
		const [used] = await db
			.update(recoveryCode)
			.set({ usedAt: at })
			.where(and(eq(recoveryCode.staffId, staffId), eq(recoveryCode.codeHash, hashToken(normaliseRecoveryCode(code))), isNull(recoveryCode.usedAt)))
			.returning();
		if (used) {
			const [updated] = await db.update(staff).set({ failedAttempts: 0, lockedUntil: null }).where(eq(staff.id, staffId)).returning();
			return { ok: true, staff: updated, usedRecoveryCode: true };
		}
	}
	await recordCodeFailure(staffId);
	const [after] = await db.select().from(staff).where(eq(staff.id, staffId));
	return isLocked(after, at) ? { ok: false, reason: 'locked', lockedUntil: after.lockedUntil! } : { ok: false, reason: 'invalid' };
}

export async function listStaff() {
	const db = await getDb();
	const rows = await db.select().from(staff).orderBy(staff.name);
	const links = await db.select().from(staffProgramme);
	return rows.map((s) => ({ ...s, programmeIds: links.filter((l) => l.staffId === s.id).map((l) => l.programmeId) }));
}
