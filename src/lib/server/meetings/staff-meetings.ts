/**
 * Meetings for specialists: "My meetings" by UK day, marking a meeting attended or did not attend, and the
 * follow-up tasks a missed meeting opens (DOMAIN.md section 5). Staff see and change only meetings and
 * tasks in their own programmes; anything else is "not found" (404). Nothing here closes a referral or a
 * task by itself: a task is done only when someone presses "Done".
 */
import { and, asc, eq, gte, inArray, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import { CHANNELS, followUpTasks, type Channel } from '$lib/domain/meetings/follow-up';
import { dayLabel, timeLabel, timeRangeLabel } from '$lib/domain/meetings/labels';
import { placeWords, type MeetingPlace } from '$lib/domain/meetings/modes';
import { MEETING_STATUS_LABELS, type Outcome } from '$lib/domain/meetings/staff-forms';
import { normaliseReference } from '$lib/domain/reference';
import { addDaysIso, ukDate, ukStartOfDay } from '$lib/domain/uk-time';
import { recordAudit, recordStaffChange } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { workingDaysOf } from '$lib/domain/service-hours';
import { calendarFor } from '../service-calendar';
import { getDb, type Db, type Tx } from '../db';
import { meeting, referral, staff, task, venue, type MeetingRow, type Referral } from '../db/schema';
import { availabilityOwner, colleaguesFor } from './availability-store';
import { firstMeetingHeld, firstMeetingUndone } from '../casework/first-meeting';
import { appendMeetingEvent } from './events';
import { assertProgramme, notFound } from '../refusal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many meetings waiting for an outcome from before the days shown. */
const WAITING_LIMIT = 50;

export interface StaffMeeting {
	id: string;
	reference: string;
	/** The name the person asked to be called (or their given name), then their family name. */
	personName: string;
	date: string;
	dayLabel: string;
	/** "10:00am to 10:45am" */
	time: string;
	/** "by phone", "in person at Central Library" */
	place: string;
	mode: MeetingRow['mode'];
	status: MeetingRow['status'];
	statusLabel: string;
	staffName: string;
	/** Booked, and its start has passed: it can be marked attended or did not attend. */
	canRecordOutcome: boolean;
}

export interface StaffMeetingDay {
	date: string;
	label: string;
	meetings: StaffMeeting[];
}

export interface MeetingsForStaff {
	owner: { id: string; name: string; self: boolean };
	/** Whose meetings a team lead or admin may choose (empty for specialists). */
	colleagues: { id: string; name: string }[];
	from: string;
	to: string;
	days: StaffMeetingDay[];
	/** Booked meetings before the days shown whose start has passed: they still need an outcome. */
	waiting: StaffMeeting[];
}

/** The name staff use for the person: the preferred name if they gave one, else the given name; then the family name. */
export function personName(row: Pick<Referral, 'givenName' | 'familyName' | 'answers'>): string {
	const preferred = typeof row.answers?.preferredName === 'string' ? row.answers.preferredName.trim() : '';
	return `${preferred || row.givenName} ${row.familyName}`.trim();
}

function placeOf(mode: MeetingRow['mode'], venueName: string | null): string {
	const place: MeetingPlace = mode === 'in-person' ? { kind: 'in-person', venueName: venueName ?? 'a venue' } : { kind: mode };
	return placeWords(place);
}

const meetingColumns = {
	m: meeting,
	reference: referral.reference,
	givenName: referral.givenName,
	familyName: referral.familyName,
	answers: referral.answers,
	venueName: venue.name,
	staffName: staff.name
};

async function selectMeetings(db: Db | Tx, where: SQL | undefined, limit?: number) {
	const query = db
		.select(meetingColumns)
		.from(meeting)
		.innerJoin(referral, eq(referral.id, meeting.referralId))
		.innerJoin(staff, eq(staff.id, meeting.staffId))
		.leftJoin(venue, eq(venue.id, meeting.venueId))
		.where(where)
		.orderBy(asc(meeting.startsAt), asc(meeting.id));
	const rows = limit ? await query.limit(limit) : await query;
	return rows;
}

function toStaffMeeting(row: Awaited<ReturnType<typeof selectMeetings>>[number], now: Date): StaffMeeting {
	const m = row.m;
	const date = ukDate(m.startsAt);
	return {
		id: m.id,
		reference: row.reference,
		personName: personName(row),
		date,
		dayLabel: dayLabel(date),
		time: timeRangeLabel({ start: m.startsAt, end: m.endsAt }),
		place: placeOf(m.mode, row.venueName),
		mode: m.mode,
		status: m.status,
		statusLabel: MEETING_STATUS_LABELS[m.status] ?? m.status,
		staffName: row.staffName,
		canRecordOutcome: m.status === 'booked' && m.startsAt.getTime() <= now.getTime()
	};
}

/**
 * The meetings of the signed-in staff member (or, for team leads and admins, of someone who shares one
 * of their programmes: `staffId`), in the user's programmes, from the UK date `from` for `days` days,
 * grouped by UK day (days without meetings are left out). Someone the user may not see is 404.
 */
export async function meetingsForStaff(user: StaffUser, options: { staffId?: string | null; from: string; days: number }, now = new Date()): Promise<MeetingsForStaff> {
	const owner = await availabilityOwner(user, options.staffId || user.id);
	if (!owner) notFound();
	const days = Math.max(1, Math.min(62, Math.floor(options.days)));
	const from = options.from;
	const to = addDaysIso(from, days - 1);
	const colleagues = (await colleaguesFor(user)).map((c) => ({ id: c.id, name: c.name }));
	const empty = { owner: { id: owner.id, name: owner.name, self: owner.self }, colleagues, from, to, days: [], waiting: [] };
	if (!user.programmeIds.length) return empty;

	const db = await getDb();
	const start = ukStartOfDay(from);
	const end = ukStartOfDay(addDaysIso(to, 1));
	const mine = and(eq(meeting.staffId, owner.id), inArray(meeting.programmeId, user.programmeIds));
	const [inRange, waiting] = await Promise.all([
		selectMeetings(db, and(mine, gte(meeting.startsAt, start), lt(meeting.startsAt, end))),
		selectMeetings(db, and(mine, eq(meeting.status, 'booked'), lt(meeting.startsAt, start.getTime() < now.getTime() ? start : now)), WAITING_LIMIT)
	]);
	const byDay = new Map<string, StaffMeetingDay>();
	for (const row of inRange) {
		const item = toStaffMeeting(row, now);
		let day = byDay.get(item.date);
		if (!day) byDay.set(item.date, (day = { date: item.date, label: item.dayLabel, meetings: [] }));
		day.meetings.push(item);
	}
	return { ...empty, days: [...byDay.values()], waiting: waiting.map((row) => toStaffMeeting(row, now)) };
}

/** The meetings of one referral for its page (the caller has already found it in the user's programmes). */
export async function meetingsForReferral(referralId: string, now = new Date()): Promise<StaffMeeting[]> {
	const db = await getDb();
	return (await selectMeetings(db, eq(meeting.referralId, referralId))).map((row) => toStaffMeeting(row, now));
}

// ---- outcomes ----------------------------------------------------------------------------------------

export type OutcomeResult = { ok: true; meetingId: string; startsAt: Date; tasks: number } | { ok: false; message: string };

const ALREADY: Record<MeetingRow['status'], string> = {
	booked: '',
	attended: 'This meeting is already marked as attended',
	missed: 'This meeting is already marked as did not attend',
	cancelled: 'This meeting was cancelled, so it cannot be marked'
};

/** Channels the person said we may use (the referral's contactChannels answer), in follow-up order. */
export function channelsFrom(answers: Record<string, unknown>): Channel[] {
	const given = Array.isArray(answers.contactChannels) ? answers.contactChannels.map(String) : [];
	return CHANNELS.filter((c) => given.includes(c));
}

/**
 * Marks a booked meeting whose start has passed as attended or did not attend, in one transaction: the
 * meeting's status and who marked it when; for did not attend, the follow-up tasks (one per attempt, each
 * key unique so they are never made twice) for the meeting's specialist; the audit row; and last the
 * `meeting.attended` or `meeting.missed` event. A meeting outside the user's programmes is 404.
 */
export async function recordOutcome(user: StaffUser, meetingId: string, outcome: Outcome, now = new Date()): Promise<OutcomeResult> {
	if (!UUID.test(meetingId)) notFound();
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(meeting).where(eq(meeting.id, meetingId)).for('update');
		if (!row) notFound();
		assertProgramme(user, row.programmeId);
		if (row.status !== 'booked') return { ok: false, message: ALREADY[row.status] || 'This meeting cannot be marked' } as const;
		if (row.startsAt.getTime() > now.getTime())
			return {
				ok: false,
				message: `This meeting has not started yet. You can mark it from ${timeLabel(row.startsAt)} on ${dayLabel(ukDate(row.startsAt))}`
			} as const;

		const [updated] = await tx
			.update(meeting)
			.set({ status: outcome, outcomeAt: now, outcomeStaffId: user.id, updatedAt: now })
			.where(eq(meeting.id, row.id))
			.returning();
		const [ref] = await tx.select({ reference: referral.reference, answers: referral.answers }).from(referral).where(eq(referral.id, row.referralId));

		let created = 0;
		if (outcome === 'missed') {
			const followUps = followUpTasks({ id: row.id }, { now, channels: channelsFrom(ref.answers), workingDays: workingDaysOf(await calendarFor(row.programmeId, now, { conn: tx })) });
			const inserted = await tx
				.insert(task)
				.values(
					followUps.map((t) => ({
						key: t.key,
						kind: 'missed-meeting',
						referralId: row.referralId,
						programmeId: row.programmeId,
						meetingId: row.id,
						staffId: row.staffId,
						title: t.title,
						note: t.note,
						channel: t.channel,
						dueAt: t.due
					}))
				)
				.onConflictDoNothing({ target: task.key })
				.returning({ id: task.id });
			created = inserted.length;
		}

		const [earlier] = await tx
			.select({ id: meeting.id })
			.from(meeting)
			.where(and(eq(meeting.participantId, row.participantId), ne(meeting.id, row.id), ne(meeting.status, 'cancelled'), lt(meeting.startsAt, row.startsAt)))
			.limit(1);
		await recordAudit(
			{
				staffId: user.id,
				action: outcome === 'attended' ? 'meeting.attended' : 'meeting.missed',
				referralId: row.referralId,
				programmeId: row.programmeId,
				detail: { reference: ref.reference, meetingId: row.id, startsAt: row.startsAt.toISOString(), tasks: created }
			},
			tx
		);
		// A first meeting held makes the referral "Contacted"; one missed no longer counts as contact.
		if (outcome === 'attended') await firstMeetingHeld(tx, updated, { kind: 'staff', staffId: user.id }, now);
		else await firstMeetingUndone(tx, updated, { kind: 'staff', staffId: user.id }, now);
		await appendMeetingEvent(tx, outcome === 'attended' ? 'meeting.attended' : 'meeting.missed', updated, {
			first: !earlier,
			actor: { kind: 'staff', staffId: user.id }
		});
		return { ok: true, meetingId: row.id, startsAt: row.startsAt, tasks: created } as const;
	});
}

// ---- tasks -------------------------------------------------------------------------------------------

export interface OpenTask {
	id: string;
	kind: string;
	title: string;
	note: string | null;
	channel: string | null;
	dueAt: Date;
	/** "Tuesday 30 March at 2:00pm" */
	due: string;
	overdue: boolean;
	reference: string;
	staffId: string | null;
	staffName: string | null;
	doneAt: Date | null;
	doneByName: string | null;
}

/** "Tuesday 30 March at 2:00pm" (UK time). */
export function dueWords(instant: Date): string {
	return `${dayLabel(ukDate(instant))} at ${timeLabel(instant)}`;
}

async function selectTasks(where: SQL | undefined, now: Date, limit = 200): Promise<OpenTask[]> {
	const db = await getDb();
	const doneBy = staff;
	const rows = await db
		.select({ t: task, reference: referral.reference })
		.from(task)
		.innerJoin(referral, eq(referral.id, task.referralId))
		.where(where)
		.orderBy(asc(task.dueAt), asc(task.key))
		.limit(limit);
	const ids = [...new Set(rows.flatMap((r) => [r.t.staffId, r.t.doneStaffId]).filter((id): id is string => !!id))];
	const names = ids.length ? new Map((await db.select({ id: doneBy.id, name: doneBy.name }).from(doneBy).where(inArray(doneBy.id, ids))).map((s) => [s.id, s.name])) : new Map<string, string>();
	return rows.map(({ t, reference }) => ({
		id: t.id,
		kind: t.kind,
		title: t.title,
		note: t.note,
		channel: t.channel,
		dueAt: t.dueAt,
		due: dueWords(t.dueAt),
		overdue: t.doneAt === null && t.dueAt.getTime() < now.getTime(),
		reference,
		staffId: t.staffId,
		staffName: t.staffId ? (names.get(t.staffId) ?? null) : null,
		doneAt: t.doneAt,
		doneByName: t.doneStaffId ? (names.get(t.doneStaffId) ?? null) : null
	}));
}

/**
 * Open tasks (not done) in the user's programmes, soonest due first: a specialist sees their own and the
 * team's (no one named); team leads and admins see every open task in their programmes.
 */
export async function openTasksFor(user: StaffUser, now = new Date()): Promise<OpenTask[]> {
	if (!user.programmeIds.length) return [];
	const scope = and(inArray(task.programmeId, user.programmeIds), isNull(task.doneAt));
	const where = user.role === 'specialist' ? and(scope, or(eq(task.staffId, user.id), isNull(task.staffId))) : scope;
	return selectTasks(where, now);
}

/** Every task of one referral, open and done, for its page (the caller has already found it in the user's programmes). */
export async function tasksForReferral(referralId: string, now = new Date()): Promise<OpenTask[]> {
	return selectTasks(eq(task.referralId, referralId), now);
}

/**
 * The meetings and tasks of one referral, for the referral page: 404 when the referral is not in one of
 * the user's programmes (the page has already checked and audited the view; this checks again).
 */
export async function referralMeetingsAndTasks(user: StaffUser, reference: string, now = new Date()): Promise<{ meetings: StaffMeeting[]; tasks: OpenTask[] }> {
	const ref = normaliseReference(reference);
	if (!ref) notFound();
	const db = await getDb();
	const [row] = await db.select({ id: referral.id, programmeId: referral.programmeId }).from(referral).where(eq(referral.reference, ref));
	if (!row) notFound();
	assertProgramme(user, row.programmeId);
	const [meetings, tasks] = await Promise.all([meetingsForReferral(row.id, now), tasksForReferral(row.id, now)]);
	return { meetings, tasks };
}

/** Marks a task done (who and when) with an audit row; a task already done stays as it was. 404 outside the user's programmes. */
export async function completeTask(user: StaffUser, taskId: string, now = new Date()): Promise<{ changed: boolean; reference: string }> {
	if (!UUID.test(taskId)) notFound();
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(task).where(eq(task.id, taskId)).for('update');
		if (!row) notFound();
		assertProgramme(user, row.programmeId);
		const [ref] = await tx.select({ reference: referral.reference }).from(referral).where(eq(referral.id, row.referralId));
		if (row.doneAt) return { changed: false, reference: ref.reference };
		await tx.update(task).set({ doneAt: now, doneStaffId: user.id }).where(eq(task.id, row.id));
		await recordStaffChange(user, 'task.done', row, { reference: ref.reference, taskId: row.id, kind: row.kind, meetingId: row.meetingId }, tx);
		return { changed: true, reference: ref.reference };
	});
}
