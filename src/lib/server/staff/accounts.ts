/**
 * Staff accounts as admins manage them: creating one (the admin page and `npm run cli -- staff create`
 * both call createStaffAccount: same checks, same audit record; the authenticator set-up is shown once),
 * changing role, programmes and GP practices, disabling (which ends every session) and enabling. Every
 * change is written to the audit log. Signing in is in auth/staff.ts.
 */
import { and, count, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import QRCode from 'qrcode';
import { z } from 'zod';
import { email, text, validateRaw, type RawValues } from '$lib/domain/fields';
import { ROLES, splitPractices, staffAccessFields, staffAccountFields, type Role } from '$lib/domain/staff';
import { recordAudit, type Actor } from '../audit';
import { passwordProblem } from '../auth/passwords';
import { createStaff, listStaff, newStaffSchema, type CreatedStaff } from '../auth/staff';
import { getDb } from '../db';
import { programme, recoveryCode, session, staff, staffProgramme } from '../db/schema';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAFF_EMAIL_FORMAT = 'Enter an email address using only letters a to z, numbers and . _ % + - before the @, like name@example.org';
const EMAIL_TAKEN = 'There is already a staff account with this email address';

async function programmeList(): Promise<{ id: string; name: string }[]> {
	const db = await getDb();
	return db.select({ id: programme.id, name: programme.name }).from(programme).orderBy(programme.name);
}

function accessSchema(programmeIds: string[]) {
	return {
		role: text()
			.refine((v) => (ROLES as readonly string[]).includes(v), 'Choose a role')
			.transform((v) => v as Role),
		programmeIds: z
			.array(text())
			.min(1, 'Choose at least one programme')
			.refine((ids) => ids.every((id) => programmeIds.includes(id)), 'Choose programmes from the list')
			.transform((ids) => [...new Set(ids)]),
		practices: text()
			.transform(splitPractices)
			.refine((codes) => codes.every((c) => /^[A-Z]\d{5}$/.test(c)), 'A GP practice code is a letter and five digits, like P84001')
	};
}

/** The form for a new account (fields and schema), with the programmes there are. */
export async function staffAccountForm() {
	const programmes = await programmeList();
	const schema = z.object({
		email: email('Enter an email address in the correct format, like name@example.org')
			.transform((v) => v ?? '')
			// The account is made with newStaffSchema (auth/staff.ts), whose z.email() takes letters a to z only:
			// an address it would refuse is a message beside the field here, not a ZodError (500) there.
			.refine((v) => v === '' || newStaffSchema.shape.email.safeParse(v).success, STAFF_EMAIL_FORMAT),
		name: text().trim().min(1, 'Enter a name').max(100, 'Enter a name of 100 characters or fewer'),
		...accessSchema(programmes.map((p) => p.id)),
		password: text().superRefine((p, ctx) => {
			const problem = passwordProblem(p);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		})
	});
	return { fields: staffAccountFields(programmes), schema };
}

/** The form that changes role, programmes and GP practices. */
export async function staffAccessForm(roleHint?: string) {
	const programmes = await programmeList();
	return { fields: staffAccessFields(programmes, roleHint), schema: z.object(accessSchema(programmes.map((p) => p.id))) };
}

function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } };
	return (e.code ?? e.cause?.code) === '23505';
}

export type CreateStaffResult = ({ ok: true } & CreatedStaff & { qrSvg: string }) | { ok: false; raw: RawValues; errors: Record<string, string> };

/** Checks and creates a staff member, audited as `staff.created`; the result carries the set-up details to show once. */
export async function createStaffAccount(input: RawValues, actor: Actor): Promise<CreateStaffResult> {
	const form = await staffAccountForm();
	// The password is never sent back.
	const parsed = validateRaw(form, input);
	const raw = { ...input, password: '' };
	if (!parsed.ok) return { ok: false, raw, errors: parsed.errors };
	const data = parsed.values;
	const db = await getDb();
	const [taken] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, data.email));
	if (taken) return { ok: false, raw, errors: { email: EMAIL_TAKEN } };
	let created: CreatedStaff;
	try {
		created = await createStaff(data);
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, raw, errors: { email: EMAIL_TAKEN } };
		throw error;
	}
	await recordAudit({
		actor,
		action: 'staff.created',
		detail: { staffId: created.staff.id, email: created.staff.email, role: created.staff.role, programmeIds: data.programmeIds, practices: data.practices }
	});
	const qrSvg = await QRCode.toString(created.totpUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
	return { ok: true, ...created, qrSvg };
}

export async function listStaffForAdmin() {
	const now = new Date();
	return (await listStaff()).map((s) => ({
		id: s.id,
		email: s.email,
		name: s.name,
		role: s.role,
		programmeIds: s.programmeIds,
		practices: s.practices,
		disabled: s.disabledAt !== null,
		locked: s.lockedUntil !== null && s.lockedUntil > now
	}));
}

export async function getStaffForAdmin(id: string) {
	if (!UUID.test(id)) return null;
	const db = await getDb();
	const [row] = await db.select().from(staff).where(eq(staff.id, id));
	if (!row) return null;
	const programmes = await db.select({ id: staffProgramme.programmeId }).from(staffProgramme).where(eq(staffProgramme.staffId, id));
	const [{ sessions }] = await db.select({ sessions: count() }).from(session).where(and(eq(session.staffId, id), gt(session.expiresAt, new Date())));
	const [{ codes }] = await db.select({ codes: count() }).from(recoveryCode).where(and(eq(recoveryCode.staffId, id), isNull(recoveryCode.usedAt)));
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: row.role,
		practices: row.practices,
		programmeIds: programmes.map((p) => p.id),
		disabledAt: row.disabledAt,
		lockedUntil: row.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null,
		createdAt: row.createdAt,
		activeSessions: sessions,
		unusedRecoveryCodes: codes
	};
}

export type AdminChangeResult = { ok: true; changed: string[] } | { ok: false; raw?: RawValues; errors: Record<string, string> } | { ok: false; notFound: true };

/** Changes role, programmes and GP practices. An admin cannot take away their own admin role. */
export async function updateStaffAccess(targetId: string, raw: RawValues, adminId: string): Promise<AdminChangeResult> {
	if (!UUID.test(targetId)) return { ok: false, notFound: true };
	const parsed = validateRaw(await staffAccessForm(), raw);
	if (!parsed.ok) return { ok: false, raw, errors: parsed.errors };
	if (targetId === adminId && parsed.values.role !== 'admin')
		return { ok: false, raw, errors: { role: 'You cannot take away your own administrator role. Ask another administrator.' } };
	const data = parsed.values;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(staff).where(eq(staff.id, targetId)).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		const before = (await tx.select({ id: staffProgramme.programmeId }).from(staffProgramme).where(eq(staffProgramme.staffId, targetId))).map((p) => p.id).sort();
		const programmeIds = [...new Set(data.programmeIds)].sort();
		const changed: string[] = [];
		if (row.role !== data.role) changed.push('role');
		if (JSON.stringify(before) !== JSON.stringify(programmeIds)) changed.push('programmes');
		if (JSON.stringify([...row.practices].sort()) !== JSON.stringify([...data.practices].sort())) changed.push('practices');
		if (!changed.length) return { ok: true, changed } as const;
		await tx.update(staff).set({ role: data.role as Role, practices: data.practices }).where(eq(staff.id, targetId));
		await tx.delete(staffProgramme).where(eq(staffProgramme.staffId, targetId));
		await tx.insert(staffProgramme).values(programmeIds.map((programmeId) => ({ staffId: targetId, programmeId })));
		await recordAudit(
			{
				staffId: adminId,
				action: 'staff.updated',
				detail: {
					staffId: targetId,
					email: row.email,
					changed,
					...(changed.includes('role') ? { role: { from: row.role, to: data.role } } : {}),
					...(changed.includes('programmes') ? { programmeIds: { from: before, to: programmeIds } } : {}),
					...(changed.includes('practices') ? { practices: { from: row.practices, to: data.practices } } : {})
				}
			},
			tx
		);
		return { ok: true, changed } as const;
	});
}

/**
 * Disables an account and ends every session it has, in one transaction (signing in already refuses a
 * disabled account). An admin cannot disable their own account.
 */
export async function disableStaff(targetId: string, adminId: string): Promise<AdminChangeResult> {
	if (!UUID.test(targetId)) return { ok: false, notFound: true };
	if (targetId === adminId) return { ok: false, errors: { disable: 'You cannot disable your own account. Ask another administrator.' } };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.update(staff).set({ disabledAt: new Date() }).where(and(eq(staff.id, targetId), isNull(staff.disabledAt))).returning();
		if (!row) {
			const [exists] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, targetId));
			return exists ? ({ ok: true, changed: [] } as const) : ({ ok: false, notFound: true } as const);
		}
		const ended = await tx.delete(session).where(eq(session.staffId, targetId)).returning({ id: session.id });
		await recordAudit({ staffId: adminId, action: 'staff.disabled', detail: { staffId: targetId, email: row.email, sessionsEnded: ended.length } }, tx);
		return { ok: true, changed: ['disabled'] } as const;
	});
}

/** Enables a disabled account again, clearing any lockout. */
export async function enableStaff(targetId: string, adminId: string): Promise<AdminChangeResult> {
	if (!UUID.test(targetId)) return { ok: false, notFound: true };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(staff)
			.set({ disabledAt: null, failedAttempts: 0, lockedUntil: null })
			.where(and(eq(staff.id, targetId), isNotNull(staff.disabledAt)))
			.returning();
		if (!row) {
			const [exists] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, targetId));
			return exists ? ({ ok: true, changed: [] } as const) : ({ ok: false, notFound: true } as const);
		}
		await recordAudit({ staffId: adminId, action: 'staff.enabled', detail: { staffId: targetId, email: row.email } }, tx);
		return { ok: true, changed: ['enabled'] } as const;
	});
}

/** Lifts a lockout after too many failed sign-in attempts. */
export async function unlockStaff(targetId: string, adminId: string): Promise<AdminChangeResult> {
	if (!UUID.test(targetId)) return { ok: false, notFound: true };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.update(staff).set({ failedAttempts: 0, lockedUntil: null }).where(eq(staff.id, targetId)).returning();
		if (!row) return { ok: false, notFound: true } as const;
		await recordAudit({ staffId: adminId, action: 'staff.unlocked', detail: { staffId: targetId, email: row.email } }, tx);
		return { ok: true, changed: ['unlocked'] } as const;
	});
}
