/**
 * Which scheduled check-ins a participant has to do (programme.measures.schedule), for the home page, for
 * marking a completed check-in with its schedule point, and for check-in reminders. The home page asks for
 * them paced (programme.measures.maxDueAtOnce and startSpread, domain/measures/pacing.ts); the schedule
 * point a check-in answers and the reminders go by the schedule alone.
 *
 * The start date the schedule counts from is the UK date the referral was sent (`referral.submitted_at`).
 * It is known for everyone from the first day, it never moves (so a point already done keeps its meaning),
 * and the person can check in from their home page straight after referring themselves. The "started"
 * status was considered and not used: staff or the case system set it late or not at all, and moving the
 * start date would move every due date under the person's feet.
 */
import { and, count, eq, inArray, lte, or } from 'drizzle-orm';
import type { InstrumentId } from '$lib/domain/measures/instrument';
import { paceCheckIns, type WaitingFor } from '$lib/domain/measures/pacing';
import { openCheckIns, scheduledCheckIns, type CompletedCheckIn, type ScheduledCheckIn } from '$lib/domain/measures/schedule';
import { readProgrammeMeasures, type ProgrammeMeasures } from '$lib/domain/measures/settings';
import { ukDate } from '$lib/domain/uk-time';
import { getDb, type Db, type Tx } from '../db';
import { checkIn, meeting, programme, referral } from '../db/schema';
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

interface ParticipantSchedule {
	checkIns: ScheduledCheckIn[];
	measures: ProgrammeMeasures;
}

async function readParticipantSchedule(
	owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>,
	now: Date,
	conn: Db | Tx
): Promise<ParticipantSchedule | null> {
	const [row] = await conn
		.select({ submittedAt: referral.submittedAt, measures: programme.measures })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(and(eq(referral.id, owner.referralId), eq(referral.programmeId, owner.programmeId)));
	if (!row) return null;
	const measures = readProgrammeMeasures(row.measures);
	const completed = (await completedPoints([owner.id], conn)).get(owner.id) ?? [];
	const today = ukDate(now);
	const checkIns = scheduledCheckIns(measures.schedule, checkInStartDate(row.submittedAt), completed, today).filter(
		(c) => c.instrument !== 'eq5d5l' || measures.eq5d5lLicence
	);
	return { checkIns, measures };
}

/** Every check-in of the participant's schedule with its status today (done ones included). */
export async function participantSchedule(owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>, now = new Date(), db?: Db | Tx): Promise<ScheduledCheckIn[]> {
	const read = await readParticipantSchedule(owner, now, db ?? (await getDb()));
	return read?.checkIns ?? [];
}

/**
 * How many meetings the person has had by `now`, for spreading the first check-in over the first meetings:
 * those marked attended, and booked ones that have started (the outcome is often recorded later).
 */
export async function meetingsHadBy(participantId: string, now: Date, db?: Db | Tx): Promise<number> {
	const conn = db ?? (await getDb());
	const [row] = await conn
		.select({ n: count() })
		.from(meeting)
		.where(
			and(
				eq(meeting.participantId, participantId),
				or(eq(meeting.status, 'attended'), and(eq(meeting.status, 'booked'), lte(meeting.startsAt, now)))
			)
		);
	return Number(row?.n ?? 0);
}

/** What each questionnaire is about, in plain words first, for the home page. */
export const PLAIN_TITLES: Record<string, string> = {
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
	/** The schedule point's name: "Start", "3 months" */
	pointLabel: string;
	/** due or overdue: asked now, with a link. waiting: open but held back (pacing.ts). upcoming: not open yet. */
	status: 'due' | 'overdue' | 'waiting' | 'upcoming';
	/**
	 * "Due by 12 June 2027", "Was due by 12 June 2027: you can still do it", "After you have done one of the
	 * check-ins above", "After your first meeting", "You can do it from 29 May 2027"
	 */
	when: string;
	/** `when` as facts (ISO dates), for saying it in the person's language (src/lib/i18n/account.ts). */
	whenFacts: CheckInWhen;
}

export type CheckInWhen =
	| { kind: 'due' | 'overdue' | 'upcoming'; date: string }
	| { kind: 'waiting'; until: WaitingFor };

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

function waitingWords(until: WaitingFor): string {
	if (until.kind === 'one-done') return 'After you have done one of the check-ins above';
	return `After your ${ORDINALS[until.meeting - 1] ?? `${until.meeting}th`} meeting`;
}

/**
 * The home page's list: the check-ins to do now (due or overdue; at most the programme's `maxDueAtOnce`),
 * then the open ones waiting their turn (pacing.ts), then the next point coming up. `meetingsHad` is
 * counted from the meeting table when not given.
 */
export async function dueCheckInsFor(
	owner: Pick<CheckInOwner, 'id' | 'referralId' | 'programmeId'>,
	now = new Date(),
	meetingsHad?: number
): Promise<DueCheckInItem[]> {
	const db = await getDb();
	const read = await readParticipantSchedule(owner, now, db);
	if (!read) return [];
	const had = meetingsHad ?? (await meetingsHadBy(owner.id, now, db));
	const paced = paceCheckIns(read.checkIns, read.measures, had);
	const item = (c: ScheduledCheckIn, status: DueCheckInItem['status'], when: string, whenFacts: CheckInWhen): DueCheckInItem => ({
		pointId: c.pointId,
		instrument: c.instrument,
		href: checkInHref(c.instrument),
		title: `${PLAIN_TITLES[c.instrument] ?? c.instrumentTitle}, ${c.pointLabel} check-in`,
		pointLabel: c.pointLabel,
		status,
		when,
		whenFacts
	});
	return [
		...paced.now.map((c) =>
			c.status === 'due'
				? item(c, 'due', `Due by ${c.closesOnText}`, { kind: 'due', date: c.closesOn })
				: item(c, 'overdue', `Was due by ${c.closesOnText}: you can still do it`, { kind: 'overdue', date: c.closesOn })
		),
		...paced.waiting.map((w) => item(w.checkIn, 'waiting', waitingWords(w.until), { kind: 'waiting', until: w.until })),
		...paced.upcoming.map((c) => item(c, 'upcoming', `You can do it from ${c.opensOnText}`, { kind: 'upcoming', date: c.opensOn }))
	];
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
