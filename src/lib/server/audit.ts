/**
 * The audit log: who saw or changed what, and when. Append-only (a database trigger refuses updates and
 * deletes); admins read it in the portal (newest first, a page at a time, optionally one action only),
 * nobody can edit it there.
 */
import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { FormDefinition } from '$lib/domain/fields';
import { getDb, type Db, type Tx } from './db';
import { auditLog, referral, staff } from './db/schema';

/**
 * Who made a change that the portal and the command line can both make: a signed-in staff member, or
 * whoever runs `npm run cli` (audited with no staff member and `via: "command line"`).
 */
export type Actor = { staffId: string; via: 'portal' } | { staffId: null; via: 'command line' };
export const COMMAND_LINE: Actor = { staffId: null, via: 'command line' };
export const inPortal = (staffId: string): Actor => ({ staffId, via: 'portal' });

export interface AuditInput {
	/** A staff member in the portal; or give `actor` for changes the command line can make too. */
	staffId?: string | null;
	actor?: Actor;
	action: string;
	referralId?: string | null;
	programmeId?: string | null;
	detail?: Record<string, unknown>;
}

export async function recordAudit(input: AuditInput, tx?: Tx | Db): Promise<void> {
	const db = tx ?? (await getDb());
	await db.insert(auditLog).values({
		staffId: input.actor ? input.actor.staffId : (input.staffId ?? null),
		action: input.action,
		referralId: input.referralId ?? null,
		programmeId: input.programmeId ?? null,
		detail: input.actor ? { ...input.detail, via: input.actor.via } : (input.detail ?? {})
	});
}

/** What a staff member did to one row of a referral (a task, a concern), in the audit log (in the change's transaction). */
export function recordStaffChange(
	user: { id: string },
	action: string,
	row: { referralId: string | null; programmeId: string | null },
	detail: Record<string, unknown>,
	tx?: Tx | Db
): Promise<void> {
	return recordAudit({ staffId: user.id, action, referralId: row.referralId, programmeId: row.programmeId, detail }, tx);
}

export async function auditForReferral(referralId: string) {
	const db = await getDb();
	return db.select().from(auditLog).where(eq(auditLog.referralId, referralId)).orderBy(desc(auditLog.id));
}

export async function recentAudit(limit = 200) {
	const db = await getDb();
	return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
	/** Only entries with an id below this (the next page). */
	before?: number | null;
	action?: string | null;
	limit?: number;
}

/** The audit log's GET filter: one action, or every action for anything else. */
export function auditFilterForm(actions: string[]) {
	return {
		fields: [{ kind: 'select', name: 'action', label: 'Action', options: [{ value: '', label: 'All actions' }, ...actions.map((a) => ({ value: a, label: a }))] }],
		schema: z.object({ action: z.string().transform((v) => (actions.includes(v) ? v : null)) })
	} satisfies FormDefinition;
}

export async function auditActions(): Promise<string[]> {
	const db = await getDb();
	const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
	return rows.map((r) => r.action);
}

export async function listAudit({ before = null, action = null, limit = AUDIT_PAGE_SIZE }: AuditQuery = {}) {
	const db = await getDb();
	const where: SQL[] = [];
	if (before) where.push(lt(auditLog.id, before));
	if (action) where.push(eq(auditLog.action, action));
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			programmeId: auditLog.programmeId,
			detail: auditLog.detail,
			staffName: staff.name,
			staffEmail: staff.email,
			reference: referral.reference
		})
		.from(auditLog)
		.leftJoin(staff, eq(staff.id, auditLog.staffId))
		.leftJoin(referral, eq(referral.id, auditLog.referralId))
		.where(where.length ? and(...where) : undefined)
		.orderBy(desc(auditLog.id))
		.limit(limit + 1);
	const more = rows.length > limit;
	const entries = rows.slice(0, limit);
	return { entries, nextBefore: more ? entries.at(-1)!.id : null };
}

