/** What the casework modules share: source names, and who works in a programme. */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { sourceStaffLabel } from '$lib/domain/sources';
import { LEADS } from '../auth/route-rules';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Tx } from '../db';
import { staff, staffProgramme } from '../db/schema';

/** The referral's source as staff read it ("Fit Note link or QR code"). */
export function sourceLabel(code: string): string {
	return sourceStaffLabel(code);
}

export const isLead = (user: StaffUser) => LEADS.includes(user.role);

export async function staffNames(ids: string[], tx?: Tx): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const db = tx ?? (await getDb());
	const rows = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Staff in the programme who can hold referrals. */
export async function programmeStaff(programmeId: string, tx?: Tx): Promise<{ id: string; name: string }[]> {
	const db = tx ?? (await getDb());
	return db
		.select({ id: staff.id, name: staff.name })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(and(eq(staffProgramme.programmeId, programmeId), isNull(staff.disabledAt)))
		.orderBy(asc(staff.name));
}
