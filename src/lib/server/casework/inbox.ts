/** The inbox: referrals in the user's programmes that match the filters, in inbox order. */
import { and, asc, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { STATUS_LABELS, contactDaysLeft, isStatus, type InboxFilters } from '$lib/domain/casework';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { workingDaysOf } from '$lib/domain/service-hours';
import { ukDate } from '$lib/domain/uk-time';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { meeting, programme, referral, staff } from '../db/schema';
import { calendarsFor } from '../service-calendar';
import { sourceLabel } from './shared';

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
	/** The next booked meeting, in words: "Tuesday 8 December at 10:00am"; null when none is booked. */
	nextMeeting: string | null;
}

/** Referrals a page of the inbox shows. */
export const INBOX_PAGE_SIZE = 50;

export interface InboxPage {
	rows: InboxRow[];
	/** Referrals that match the filters, on every page. */
	total: number;
	/** Of those, how many are past their contact date. */
	overdue: number;
	/** 1-based; a page past the end shows the last one. */
	page: number;
	pageCount: number;
	pageSize: number;
}

/**
 * One page of the referrals in the user's programmes that match the filters (open ones by default), in
 * inbox order, sorted by the database: overdue first (earliest contact date first), then the earliest
 * contact date, then referrals whose contact was made; oldest first within each (compareInbox is the same
 * order). With the count of all that match and of the overdue ones.
 */
export async function listInbox(user: StaffUser, filters: InboxFilters, now = new Date(), page = 1): Promise<InboxPage> {
	const empty = { rows: [], total: 0, overdue: 0, page: 1, pageCount: 1, pageSize: INBOX_PAGE_SIZE };
	const programmeIds = filters.programme ? user.programmeIds.filter((p) => p === filters.programme) : user.programmeIds;
	if (!programmeIds.length) return empty;
	const conditions: SQL[] = [inArray(referral.programmeId, programmeIds)];
	if (filters.status === 'open') conditions.push(ne(referral.status, 'closed'));
	else if (filters.status !== 'all') conditions.push(eq(referral.status, filters.status));
	if (filters.source) conditions.push(eq(referral.sourceCode, filters.source));
	if (filters.specialist === 'unassigned') conditions.push(isNull(referral.assignedStaffId));
	else if (filters.specialist === 'mine') conditions.push(eq(referral.assignedStaffId, user.id));
	else if (filters.specialist) conditions.push(eq(referral.assignedStaffId, filters.specialist));
	const where = and(...conditions);

	const today = ukDate(now);
	// contactDaysLeft's rule (awaitsContact): the target applies until contact is made, while the referral is
	// new or has a first meeting booked that did not count as contact. Written with literals, as in the
	// partial indexes (schema.ts), so the database can use them.
	const awaiting = sql`(${referral.status} in ('received', 'meeting-booked') and ${referral.firstContactAt} is null)`;
	const notAwaiting = sql`not (${referral.status} in ('received', 'meeting-booked') and ${referral.firstContactAt} is null)`;
	const isOverdue = sql`(${awaiting} and ${referral.contactTargetDate} < ${today}::date)`;

	const db = await getDb();
	const [counts] = await db
		.select({
			total: sql<number>`count(*)::int`,
			awaiting: sql<number>`(count(*) filter (where ${awaiting}))::int`,
			overdue: sql<number>`(count(*) filter (where ${isOverdue}))::int`
		})
		.from(referral)
		.where(where);
	const total = Number(counts?.total ?? 0);
	const awaitingCount = Number(counts?.awaiting ?? 0);
	const pageCount = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE));
	const shown = Math.min(Math.max(1, Math.floor(page)), pageCount);

	// The inbox order is: referrals awaiting contact by contact date (so the overdue ones first), then the
	// rest; oldest first within each. Each part is read in the order of its own index, so a page reads
	// about its own rows, not every referral.
	const columns = {
		id: referral.id,
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
	};
	const part = (condition: SQL, order: SQL[], offset: number, limit: number) =>
		db
			.select(columns)
			.from(referral)
			.innerJoin(programme, eq(programme.id, referral.programmeId))
			.leftJoin(staff, eq(staff.id, referral.assignedStaffId))
			.where(and(where, condition))
			.orderBy(...order)
			.limit(limit)
			.offset(offset);
	const start = (shown - 1) * INBOX_PAGE_SIZE;
	const fromAwaiting = Math.max(0, Math.min(INBOX_PAGE_SIZE, awaitingCount - start));
	const found = [
		...(fromAwaiting
			? await part(awaiting, [asc(referral.contactTargetDate), asc(referral.submittedAt), asc(referral.reference)], start, fromAwaiting)
			: []),
		...(fromAwaiting < INBOX_PAGE_SIZE && total > awaitingCount
			? await part(notAwaiting, [asc(referral.submittedAt), asc(referral.reference)], Math.max(0, start - awaitingCount), INBOX_PAGE_SIZE - fromAwaiting)
			: [])
	];

	const calendars = await calendarsFor(
		found.map((r) => r.programmeId),
		now,
		{ earliest: found.reduce((min, r) => (r.contactTargetDate < min ? r.contactTargetDate : min), today) }
	);
	const next = await nextMeetings(
		found.map((r) => r.id),
		now
	);
	const rows = found.map(
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
			daysLeft: calendars.has(r.programmeId) ? contactDaysLeft(r, today, workingDaysOf(calendars.get(r.programmeId)!)) : null,
			nextMeeting: next.get(r.id) ?? null
		})
	);
	return { rows, total, overdue: Number(counts?.overdue ?? 0), page: shown, pageCount, pageSize: INBOX_PAGE_SIZE };
}

/** The next booked meeting of each referral, in words ("Tuesday 8 December at 10:00am"), by referral id. */
async function nextMeetings(referralIds: string[], now: Date): Promise<Map<string, string>> {
	if (!referralIds.length) return new Map();
	const db = await getDb();
	const rows = await db
		.select({ referralId: meeting.referralId, startsAt: meeting.startsAt })
		.from(meeting)
		.where(and(inArray(meeting.referralId, referralIds), eq(meeting.status, 'booked'), gt(meeting.startsAt, now)))
		.orderBy(asc(meeting.startsAt));
	const out = new Map<string, string>();
	for (const r of rows) if (!out.has(r.referralId)) out.set(r.referralId, `${dayLabel(ukDate(r.startsAt))} at ${timeLabel(r.startsAt)}`);
	return out;
}
