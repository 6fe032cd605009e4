/**
 * Which scheduled check-ins a participant has to do (programme.measures.schedule), for the home page, for
 * marking a completed check-in with its schedule point, and for check-in reminders.
 *
 * The start date the schedule counts from is the UK date the referral was sent (`referral.submitted_at`).
 * It is known for everyone from the first day, it never moves (so a point already done keeps its meaning),
 * and the person can check in from their home page straight after referring themselves. The "started"
 * status was considered and not used: staff or the case system set it late or not at all, and moving the
 * start date would move every due date under the person's feet.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { InstrumentId } from '$lib/domain/measures/instrument';
import { openCheckIns, scheduledCheckIns, type CompletedCheckIn, type ScheduledCheckIn } from '$lib/domain/measures/schedule';
import { readProgrammeMeasures } from '$lib/domain/measures/settings';
import { ukDate } from '$lib/domain/uk-time';
import { getDb, type Db, type Tx } from '../db';
import { checkIn, programme, referral } from '../db/schema';
import type { CheckInOwner } from './check-ins';

/** The UK date a schedule counts from: the day the referral was sent. */
export function checkInStartDate(submittedAt: Date): string {
	return ukDate(submittedAt);
}

/** Where a participant does a check-in on one instrument. */
export function checkInHref(instrument: string): string {
	return instrument === 'dialog' ? '/account/check-in/dialog' : `/account/check-in/${instrument}`;
}

/** Completed check-ins that answered a schedule point, as the schedule functions take them. */
export async function completedPoints(participantIds: readonly string[], db?: Db | Tx): Promise<Map<string, CompletedCheckIn[]>> {
	const out = new Map<string, CompletedCheckIn[]>();
	if (!participantIds.length) return out;
	const conn = db ?? (await getDb());
	const rows = await conn
		.select({ participantId: checkIn.participantId, pointId: checkIn.pointId, instrument: checkIn.instrument, at: checkIn.completedAt })
		.from(checkIn)
		.where(inArray(checkIn.participantId, [...participantIds]));
	for (const r of rows) {
		if (!r.pointId) continue;
		const list = out.get(r.participantId) ?? [];
		list.push({ pointId: r.pointId, instrument: r.instrument as InstrumentId, at: r.at });
		out.set(r.participantId, list);
	}
	return out;
}

/** Every check-in of the participant's schedule with its status today (done ones included). */
export async function participantSchedule(owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>, now = new Date(), db?: Db | Tx): Promise<ScheduledCheckIn[]> {
	const conn = db ?? (await getDb());
	const [row] = await conn
		.select({ submittedAt: referral.submittedAt, measures: programme.measures })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(and(eq(referral.id, owner.referralId), eq(referral.programmeId, owner.programmeId)));
	if (!row) return [];
	const measures = readProgrammeMeasures(row.measures);
	const completed = (await completedPoints([owner.id], conn)).get(owner.id) ?? [];
	const today = ukDate(now);
	return scheduledCheckIns(measures.schedule, checkInStartDate(row.submittedAt), completed, today).filter(
		(c) => c.instrument !== 'eq5d5l' || measures.eq5d5lLicence
	);
}

/** What each questionnaire is about, in plain words first, for the home page. */
const PLAIN_TITLES: Record<string, string> = {
	dialog: 'How things are going (DIALOG+)',
	swemwbs: 'Your wellbeing (SWEMWBS)',
	ons4: 'Your personal wellbeing (ONS4)',
	gad7: 'Worry and anxiety (GAD-7)',
	phq9: 'Your mood (PHQ-9)',
	phq8: 'Your mood (PHQ-8)',
	eq5d5l: 'Your health today (EQ-5D-5L)'
};

export interface DueCheckInItem {
	pointId: string;
	instrument: string;
	href: string;
	/** "How things are going (DIALOG+), Start check-in" */
	title: string;
	status: 'due' | 'overdue' | 'upcoming';
	/** "Due by 12 June 2027", "Was due by 12 June 2027: you can still do it", "From 29 May 2027" */
	when: string;
}

/** The home page's list: check-ins to do now (due or overdue), then the next one coming up. */
export async function dueCheckInsFor(owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>, now = new Date()): Promise<DueCheckInItem[]> {
	const all = await participantSchedule(owner, now);
	const open = openCheckIns(all);
	const upcoming = all.filter((c) => c.status === 'upcoming');
	const nextPoint = upcoming[0]?.pointId;
	const items = [...open, ...upcoming.filter((c) => c.pointId === nextPoint)];
	return items.map((c) => ({
		pointId: c.pointId,
		instrument: c.instrument,
		href: checkInHref(c.instrument),
		title: `${PLAIN_TITLES[c.instrument] ?? c.instrumentTitle}, ${c.pointLabel} check-in`,
		status: c.status as DueCheckInItem['status'],
		when:
			c.status === 'due'
				? `Due by ${c.closesOnText}`
				: c.status === 'overdue'
					? `Was due by ${c.closesOnText}: you can still do it`
					: `You can do it from ${c.opensOnText}`
	}));
}

/**
 * The schedule point a check-in on `instrument` completed at `now` answers: the earliest point that is
 * open for that instrument (due or overdue) and not done yet; null when none is (a check-in outside the
 * schedule). Call it inside the completing transaction with `tx`, before inserting the check-in.
 */
export async function openPointFor(
	owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>,
	instrument: string,
	now = new Date(),
	tx?: Db | Tx
): Promise<string | null> {
	const all = await participantSchedule(owner, now, tx);
	const open = openCheckIns(all).filter((c) => c.instrument === instrument);
	return open[0]?.pointId ?? null;
}
