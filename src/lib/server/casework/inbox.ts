/** The inbox: referrals in the user's programmes that match the filters, in inbox order. */
import { and, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import { STATUS_LABELS, compareInbox, contactDaysLeft, isStatus, type InboxFilters } from '$lib/domain/casework';
import { ukDate } from '$lib/domain/uk-time';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { programme, referral, staff } from '../db/schema';
import { holidaysFor, sourceLabel } from './shared';

const INBOX_LIMIT = 1000;

export interface InboxRow {
	reference: string;
	submittedAt: Date;
	programmeId: string;
	programmeName: string;
	sourceCode: string;
	sourceLabel: string;
	assignedStaffId: string | null;
	assignedStaffName: string | null;
	status: string;
	statusLabel: string;
	closedReason: string | null;
	talkToSpecialist: boolean;
	contactTargetDate: string;
	/** Working days to the contact target; negative when overdue; null once contact was made. */
	daysLeft: number | null;
}

/**
 * Referrals in the user's programmes that match the filters (open ones by default), in inbox order:
 * overdue first, then fewest working days left to the contact target, then oldest.
 */
export async function listInbox(user: StaffUser, filters: InboxFilters, now = new Date()): Promise<{ rows: InboxRow[]; truncated: boolean }> {
	const programmeIds = filters.programme ? user.programmeIds.filter((p) => p === filters.programme) : user.programmeIds;
	if (!programmeIds.length) return { rows: [], truncated: false };
	const conditions: SQL[] = [inArray(referral.programmeId, programmeIds)];
	if (filters.status === 'open') conditions.push(ne(referral.status, 'closed'));
	else if (filters.status !== 'all') conditions.push(eq(referral.status, filters.status));
	if (filters.source) conditions.push(eq(referral.sourceCode, filters.source));
	if (filters.specialist === 'unassigned') conditions.push(isNull(referral.assignedStaffId));
	else if (filters.specialist === 'mine') conditions.push(eq(referral.assignedStaffId, user.id));
	else if (filters.specialist) conditions.push(eq(referral.assignedStaffId, filters.specialist));

	const db = await getDb();
	const found = await db
		.select({
			reference: referral.reference,
			submittedAt: referral.submittedAt,
			programmeId: referral.programmeId,
			programmeName: programme.name,
			sourceCode: referral.sourceCode,
			assignedStaffId: referral.assignedStaffId,
			assignedStaffName: staff.name,
			status: referral.status,
			closedReason: referral.closedReason,
			eligibilityOutcome: referral.eligibilityOutcome,
			contactTargetDate: referral.contactTargetDate,
			firstContactAt: referral.firstContactAt
		})
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.leftJoin(staff, eq(staff.id, referral.assignedStaffId))
		.where(and(...conditions))
		.orderBy(desc(referral.submittedAt))
		.limit(INBOX_LIMIT + 1);

	const today = ukDate(now);
	const holidays = holidaysFor(
		today,
		found.map((r) => r.contactTargetDate)
	);
	const rows = found.slice(0, INBOX_LIMIT).map(
		(r): InboxRow => ({
			reference: r.reference,
			submittedAt: r.submittedAt,
			programmeId: r.programmeId,
			programmeName: r.programmeName,
			sourceCode: r.sourceCode,
			sourceLabel: sourceLabel(r.sourceCode),
			assignedStaffId: r.assignedStaffId,
			assignedStaffName: r.assignedStaffName,
			status: r.status,
			statusLabel: isStatus(r.status) ? STATUS_LABELS[r.status] : r.status,
			closedReason: r.closedReason,
			talkToSpecialist: r.eligibilityOutcome === 'talk-to-specialist',
			contactTargetDate: r.contactTargetDate,
			daysLeft: contactDaysLeft(r, today, holidays)
		})
	);
	rows.sort(compareInbox);
	return { rows, truncated: found.length > INBOX_LIMIT };
}
