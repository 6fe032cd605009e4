/**
 * The audit log: who saw or changed what, and when. Append-only (a database trigger refuses updates and
 * deletes); admins read it in the portal, nobody can edit it there.
 */
import { desc, eq } from 'drizzle-orm';
import { getDb, type Db, type Tx } from './db';
import { auditLog } from './db/schema';

export interface AuditInput {
	staffId: string | null;
	action: string;
	referralId?: string | null;
	programmeId?: string | null;
	detail?: Record<string, unknown>;
}

export async function recordAudit(input: AuditInput, tx?: Tx | Db): Promise<void> {
	const db = tx ?? (await getDb());
	await db.insert(auditLog).values({
		staffId: input.staffId,
		action: input.action,
		referralId: input.referralId ?? null,
		programmeId: input.programmeId ?? null,
		detail: input.detail ?? {}
	});
}

export async function auditForReferral(referralId: string) {
	const db = await getDb();
	return db.select().from(auditLog).where(eq(auditLog.referralId, referralId)).orderBy(desc(auditLog.id));
}

export async function recentAudit(limit = 200) {
	const db = await getDb();
	return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}
