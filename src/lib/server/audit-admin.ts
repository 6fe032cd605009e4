/** Reading the audit log for admins: newest first, a page at a time, optionally one action only. */
import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { getDb } from './db';
import { auditLog, referral, staff } from './db/schema';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
	/** Only entries with an id below this (the next page). */
	before?: number | null;
	action?: string | null;
	limit?: number;
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
