/**
 * Staff administration: creating accounts (the authenticator set-up is shown once, never stored in the
 * clear elsewhere), changing role, programmes and GP practices, disabling (which ends every session) and
 * enabling. Every change is written to the audit log.
 */
import { and, count, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ROLES, type Role } from '$lib/domain/staff';
import { recordAudit } from './audit';
import { createStaff, listStaff, newStaffSchema, type CreatedStaff } from './auth/staff';
import { getDb } from './db';
import { programme, recoveryCode, session, staff, staffProgramme } from './db/schema';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StaffFormValues {
	email: string;
	name: string;
	role: string;
	programmeIds: string[];
	practices: string;
}

const text = (form: FormData, name: string, max = 400) => String(form.get(name) ?? '').slice(0, max);

export function splitPractices(value: string): string[] {
	return [...new Set(value.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter(Boolean))];
}

export function readStaffForm(form: FormData): StaffFormValues {
	return {
		email: text(form, 'email').trim(),
		name: text(form, 'name').trim(),
		role: text(form, 'role', 20),
		programmeIds: form.getAll('programmeIds').map((v) => String(v).slice(0, 60)),
		practices: text(form, 'practices', 2000)
	};
}

function firstErrors(issues: z.core.$ZodIssue[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues) {
		const field = String(issue.path[0] ?? 'email');
		errors[field] ??= issue.message;
	}
	return errors;
}

async function programmeIdList(): Promise<string[]> {
	const db = await getDb();
	return (await db.select({ id: programme.id }).from(programme)).map((p) => p.id);
}

function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } };
	return (e.code ?? e.cause?.code) === '23505';
}

export type CreateStaffResult = ({ ok: true } & CreatedStaff & { qrSvg: string }) | { ok: false; errors: Record<string, string> };

/** Validates and creates a staff member; the result carries the set-up details to show once. */
export async function createStaffAsAdmin(values: StaffFormValues, password: string, adminId: string): Promise<CreateStaffResult> {
	const practices = splitPractices(values.practices);
	const parsed = newStaffSchema.safeParse({ ...values, practices, password });
	const errors = parsed.success ? {} : firstErrors(parsed.error.issues);
	if (values.name.length > 100) errors.name = 'Enter a name of 100 characters or fewer';
	if (parsed.success) {
		const known = await programmeIdList();
		if (parsed.data.programmeIds.some((id) => !known.includes(id))) errors.programmeIds = 'Choose programmes from the list';
		const db = await getDb();
		const [taken] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, parsed.data.email));
		if (taken) errors.email = 'There is already a staff account with this email address';
	}
	if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
	let created: CreatedStaff;
	try {
		created = await createStaff({ ...parsed.data });
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, errors: { email: 'There is already a staff account with this email address' } };
		throw error;
	}
	await recordAudit({
		staffId: adminId,
		action: 'staff.created',
		detail: { staffId: created.staff.id, email: created.staff.email, role: created.staff.role, programmeIds: parsed.data.programmeIds, practices: parsed.data.practices }
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

const accessSchema = z.object({
	role: z.enum(ROLES, { error: 'Choose a role' }),
	programmeIds: z.array(z.string().min(1)).min(1, 'Choose at least one programme'),
	practices: z.array(z.string().regex(/^[A-Z]\d{5}$/, 'A GP practice code is a letter and five digits, like P84001'))
});

export type AdminChangeResult = { ok: true; changed: string[] } | { ok: false; errors: Record<string, string> } | { ok: false; notFound: true };

/** Changes role, programmes and GP practices. An admin cannot take away their own admin role. */
export async function updateStaffAccess(targetId: string, values: Pick<StaffFormValues, 'role' | 'programmeIds' | 'practices'>, adminId: string): Promise<AdminChangeResult> {
	if (!UUID.test(targetId)) return { ok: false, notFound: true };
	const parsed = accessSchema.safeParse({ role: values.role, programmeIds: values.programmeIds, practices: splitPractices(values.practices) });
	const errors = parsed.success ? {} : firstErrors(parsed.error.issues);
	if (parsed.success) {
		const known = await programmeIdList();
		if (parsed.data.programmeIds.some((id) => !known.includes(id))) errors.programmeIds = 'Choose programmes from the list';
		if (targetId === adminId && parsed.data.role !== 'admin') errors.role = 'You cannot take away your own administrator role. Ask another administrator.';
	}
	if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
	const data = parsed.data;
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
