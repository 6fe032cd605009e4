/** Caseloads: each programme's queue and what each specialist holds, against the programme's cap. */
import { and, asc, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { programme, referral, staff, staffProgramme } from '../db/schema';
import { staffNames } from './shared';

export interface StaffCaseload {
	id: string;
	name: string;
	role: string;
	open: number;
}

export interface ProgrammeCaseload {
	programmeId: string;
	programmeName: string;
	cap: number;
	/** Open referrals nobody holds yet. */
	queue: number;
	staff: StaffCaseload[];
}

/** For each of the user's programmes: its queue and each specialist's open referrals, against the programme's cap. */
export async function listCaseloads(user: StaffUser): Promise<ProgrammeCaseload[]> {
	if (!user.programmeIds.length) return [];
	const db = await getDb();
	const programmes = await db
		.select({ id: programme.id, name: programme.name, cap: programme.caseloadCap })
		.from(programme)
		.where(inArray(programme.id, user.programmeIds))
		.orderBy(asc(programme.name));
	const members = await db
		.select({ id: staff.id, name: staff.name, role: staff.role, programmeId: staffProgramme.programmeId })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(and(inArray(staffProgramme.programmeId, user.programmeIds), isNull(staff.disabledAt)));
	const counts = await db
		.select({ programmeId: referral.programmeId, staffId: referral.assignedStaffId, n: count() })
		.from(referral)
		.where(and(inArray(referral.programmeId, user.programmeIds), ne(referral.status, 'closed')))
		.groupBy(referral.programmeId, referral.assignedStaffId);

	const holders = [...new Set(counts.map((c) => c.staffId).filter((id): id is string => !!id))];
	const names = await staffNames(holders);

	return programmes.map((p) => {
		const mine = counts.filter((c) => c.programmeId === p.id);
		const openFor = (id: string) => Number(mine.find((c) => c.staffId === id)?.n ?? 0);
		const people = new Map<string, StaffCaseload>();
		for (const m of members.filter((m) => m.programmeId === p.id))
			if (m.role === 'specialist' || openFor(m.id) > 0) people.set(m.id, { id: m.id, name: m.name, role: m.role, open: openFor(m.id) });
		// Someone who left the programme may still hold referrals.
		for (const c of mine)
			if (c.staffId && !people.has(c.staffId)) people.set(c.staffId, { id: c.staffId, name: names.get(c.staffId) ?? 'Former staff member', role: 'specialist', open: Number(c.n) });
		return {
			programmeId: p.id,
			programmeName: p.name,
			cap: p.cap,
			queue: Number(mine.find((c) => c.staffId === null)?.n ?? 0),
			staff: [...people.values()].sort((a, b) => a.name.localeCompare(b.name))
		};
	});
}

/** Staff who work in any of the user's programmes (for the specialist filter). */
export async function staffInProgrammes(programmeIds: string[]): Promise<{ id: string; name: string }[]> {
	if (!programmeIds.length) return [];
	const db = await getDb();
	return db
		.selectDistinct({ id: staff.id, name: staff.name })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(inArray(staffProgramme.programmeId, programmeIds))
		.orderBy(asc(staff.name), asc(staff.id));
}
