/**
 * Wellbeing concern flags (issue 10 item 7): a crisis answer (PHQ-9 item 9 above 0), a steep fall between
 * two check-ins, or a falling trend with missed meetings. Each is one row in `wellbeing_concern` (shown in
 * the specialist's inbox until resolved) and one `wellbeing.concern_raised` event. Neither the row's
 * reasons nor the event carry answers; the event carries no reasons at all (a case system reads them from
 * GET /api/v1/concerns/<id> with its programme's API key).
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lte, type SQL } from 'drizzle-orm';
import { DEFAULT_CONCERN_SETTINGS, wellbeingConcern as concernRules, type ConcernSettings } from '$lib/domain/measures/concern';
import { isCharted, type ScoredCheckIn } from '$lib/domain/measures';
import { formatUkDateTime } from '$lib/domain/uk-time';
import { recordAudit, recordStaffChange } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Db, type Tx } from '../db';
import { checkIn, meeting, programme, referral, staff, wellbeingConcern, type CheckInRow as CheckInRowType, type WellbeingConcernRow } from '../db/schema';
import { CONCERN_RESOLUTIONS, isConcernResolution, type ConcernResolution } from '$lib/domain/measures/concern-resolution';
import { appendEvent } from '../events/log';
import type { CheckInOwner } from './check-ins';
import { assertProgramme, notFound } from '../refusal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ConcernKind = WellbeingConcernRow['kind'];

export interface NewConcern {
	/** Unique per concern, so it is raised once: e.g. `<checkInId>:steep-fall` or `<participantId>:crisis:<draft start>`. */
	key: string;
	kind: ConcernKind;
	owner: CheckInOwner;
	checkInId?: string | null;
	/** Plain words for the specialist, never answers: "DIALOG overall score fell by 2.0 since 3 March". */
	reasons: string[];
	/** A crisis answer: someone must acknowledge it by then, or it is sent again (crisis.ts). */
	acknowledgeBy?: Date | null;
}

/**
 * Records a concern and appends `wellbeing.concern_raised`, inside `tx` (call it last: appendEvent holds
 * the event-order lock). Returns the new row, or null when a concern with this key was already raised.
 */
export async function insertConcern(tx: Tx | Db, concern: NewConcern, now = new Date()): Promise<WellbeingConcernRow | null> {
	return (await raiseConcern(tx, concern, now))?.row ?? null;
}

/**
 * As insertConcern, also giving the event's id (for work that hangs off the event in the same
 * transaction, like the crisis email in the outbox). Null when the concern was already raised.
 */
export async function raiseConcern(tx: Tx | Db, concern: NewConcern, now = new Date()): Promise<{ row: WellbeingConcernRow; eventId: string } | null> {
	const [row] = await tx
		.insert(wellbeingConcern)
		.values({
			key: concern.key,
			kind: concern.kind,
			participantId: concern.owner.id,
			referralId: concern.owner.referralId,
			programmeId: concern.owner.programmeId,
			checkInId: concern.checkInId ?? null,
			reasons: concern.reasons,
			raisedAt: now,
			acknowledgeBy: concern.acknowledgeBy ?? null
		})
		.onConflictDoNothing({ target: wellbeingConcern.key })
		.returning();
	if (!row) return null;
	const appended = await appendEvent(tx, {
		type: 'wellbeing.concern_raised',
		referralId: concern.owner.referralId,
		programmeId: concern.owner.programmeId,
		payload: { concernId: row.id, kind: row.kind, checkInId: row.checkInId, raisedAt: now.toISOString() }
	});
	return { row, eventId: appended.eventId };
}

/** The concern kinds in the order the inbox lists them: crisis first. */
const KIND_ORDER: Readonly<Record<ConcernKind, number>> = { crisis: 0, 'steep-fall': 1, 'falling-trend': 2 };

export const CONCERN_KIND_WORDS: Readonly<Record<ConcernKind, string>> = {
	crisis: 'Crisis answer: may be thinking of self-harm',
	'steep-fall': 'Steep fall in wellbeing',
	'falling-trend': 'Falling wellbeing and missed meetings'
};

/**
 * After a check-in is completed (inside the same transaction, after its `checkin.completed` event): the
 * wellbeing concern rules (concern.ts) over the person's check-ins on the same measure, with their missed
 * meetings since the first check-in a falling trend would look at. A steep fall and a falling trend are
 * each raised at most once per check-in (keys `<checkInId>:steep-fall`, `<checkInId>:falling-trend`), so
 * completing, retrying or re-evaluating never raises the same concern twice. Only the measure of this
 * check-in is looked at: an older fall on another measure was judged when that check-in came in.
 */
export async function raiseConcernsAfterCheckIn(
	tx: Tx | Db,
	owner: CheckInOwner,
	row: Pick<CheckInRowType, 'id' | 'instrument' | 'completedAt'>,
	now = new Date(),
	settings: Readonly<ConcernSettings> = DEFAULT_CONCERN_SETTINGS
): Promise<WellbeingConcernRow[]> {
	if (!isCharted(row.instrument)) return [];
	const rows = await tx
		.select({ id: checkIn.id, instrument: checkIn.instrument, result: checkIn.result, completedAt: checkIn.completedAt })
		.from(checkIn)
		.where(and(eq(checkIn.participantId, owner.id), eq(checkIn.instrument, row.instrument), lte(checkIn.completedAt, row.completedAt)))
		.orderBy(asc(checkIn.completedAt), asc(checkIn.createdAt));
	// Only up to this check-in: it must be the latest one the rules look at.
	const upTo = rows.findIndex((r) => r.id === row.id);
	const mine = upTo >= 0 ? rows.slice(0, upTo + 1) : rows;
	if (mine.length < 2) return [];
	const scored = mine.map((r) => ({ instrument: r.instrument, at: r.completedAt, result: r.result }) as unknown as ScoredCheckIn);
	const windowStart = mine[Math.max(0, mine.length - settings.trendCheckIns)].completedAt;
	const [{ missed }] = await tx
		.select({ missed: count() })
		.from(meeting)
		.where(and(eq(meeting.participantId, owner.id), eq(meeting.status, 'missed'), gte(meeting.startsAt, windowStart), lte(meeting.startsAt, now)));
	// Steep falls alone (no missed meetings can make a trend count), then everything; the rest are trends.
	const steep = concernRules(scored, -1, settings).reasons;
	const all = concernRules(scored, Number(missed), settings).reasons;
	const trend = all.filter((r) => !steep.includes(r));
	const raised: WellbeingConcernRow[] = [];
	for (const [kind, reasons] of [
		['steep-fall', steep],
		['falling-trend', trend]
	] as const) {
		if (!reasons.length) continue;
		const concern = await insertConcern(tx, { key: `${row.id}:${kind}`, kind, owner, checkInId: row.id, reasons }, now);
		if (concern) raised.push(concern);
	}
	return raised;
}

export interface OpenConcern {
	id: string;
	kind: ConcernKind;
	kindWords: string;
	reasons: string[];
	reference: string;
	raisedAt: Date;
	raised: string;
	programmeName: string;
	/** A crisis answer's deadline for an acknowledgement, in words ("7 December 2026 at 1:00pm"); null for other kinds. */
	acknowledgeBy: string | null;
	/** Who acknowledged it and when, in words; null while nobody has. */
	acknowledged: string | null;
	/** Not acknowledged by its deadline: it has been (or is about to be) sent again. */
	overdue: boolean;
}

const openColumns = {
	id: wellbeingConcern.id,
	kind: wellbeingConcern.kind,
	reasons: wellbeingConcern.reasons,
	raisedAt: wellbeingConcern.raisedAt,
	acknowledgeBy: wellbeingConcern.acknowledgeBy,
	acknowledgedAt: wellbeingConcern.acknowledgedAt,
	acknowledgedByName: staff.name,
	reference: referral.reference,
	programmeName: programme.name
};

interface OpenRow {
	id: string;
	kind: ConcernKind;
	reasons: string[];
	raisedAt: Date;
	acknowledgeBy: Date | null;
	acknowledgedAt: Date | null;
	acknowledgedByName: string | null;
	reference: string;
	programmeName: string;
}

function toOpenConcern(r: OpenRow, now: Date): OpenConcern {
	return {
		id: r.id,
		kind: r.kind,
		kindWords: CONCERN_KIND_WORDS[r.kind] ?? r.kind,
		reasons: r.reasons,
		reference: r.reference,
		raisedAt: r.raisedAt,
		raised: formatUkDateTime(r.raisedAt),
		programmeName: r.programmeName,
		acknowledgeBy: r.acknowledgeBy ? formatUkDateTime(r.acknowledgeBy) : null,
		acknowledged: r.acknowledgedAt ? `${r.acknowledgedByName ?? 'Someone'} on ${formatUkDateTime(r.acknowledgedAt)}` : null,
		overdue: !r.acknowledgedAt && !!r.acknowledgeBy && r.acknowledgeBy.getTime() <= now.getTime()
	};
}

async function selectOpen(where: SQL | undefined, now: Date): Promise<OpenConcern[]> {
	const db = await getDb();
	const rows = await db
		.select(openColumns)
		.from(wellbeingConcern)
		.innerJoin(referral, eq(referral.id, wellbeingConcern.referralId))
		.innerJoin(programme, eq(programme.id, wellbeingConcern.programmeId))
		.leftJoin(staff, eq(staff.id, wellbeingConcern.acknowledgedStaffId))
		.where(and(where, isNull(wellbeingConcern.resolvedAt)))
		.orderBy(desc(wellbeingConcern.raisedAt))
		.limit(500);
	// Crisis first; among those, overdue first; then newest first (the order read).
	return rows
		.map((r) => toOpenConcern(r, now))
		.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || Number(b.overdue) - Number(a.overdue));
}

/** Open concerns in the user's programmes, crisis first, then newest first. Words only: no scores beyond the reasons. */
export async function openConcernsFor(user: StaffUser, now = new Date()): Promise<OpenConcern[]> {
	if (!user.programmeIds.length) return [];
	return selectOpen(inArray(wellbeingConcern.programmeId, user.programmeIds), now);
}

/** Open concerns of one referral (for its pages); the caller has found it in the user's programmes. */
export async function openConcernsForReferral(referralId: string, now = new Date()): Promise<OpenConcern[]> {
	return selectOpen(eq(wellbeingConcern.referralId, referralId), now);
}

/** One concern of a referral in the user's programmes (404 otherwise, or when it belongs to another referral). */
async function lockConcern(tx: Tx, user: StaffUser, concernId: string, reference?: string): Promise<{ row: WellbeingConcernRow; reference: string }> {
	if (!UUID.test(concernId)) notFound();
	const [row] = await tx.select().from(wellbeingConcern).where(eq(wellbeingConcern.id, concernId)).for('update');
	if (!row) notFound();
	assertProgramme(user, row.programmeId);
	const [ref] = await tx.select({ reference: referral.reference }).from(referral).where(eq(referral.id, row.referralId));
	if (reference !== undefined && ref.reference !== reference) notFound();
	return { row, reference: ref.reference };
}

/**
 * "I am dealing with this": stops a crisis answer being sent again. Who and when go on the concern and in
 * the audit log; acknowledging twice changes nothing.
 */
export async function acknowledgeConcern(user: StaffUser, concernId: string, now = new Date(), onReferral?: string): Promise<{ changed: boolean; reference: string }> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const { row, reference } = await lockConcern(tx, user, concernId, onReferral);
		if (row.acknowledgedAt || row.resolvedAt) return { changed: false, reference };
		await tx.update(wellbeingConcern).set({ acknowledgedAt: now, acknowledgedStaffId: user.id }).where(eq(wellbeingConcern.id, row.id));
		await recordStaffChange(user, 'wellbeing-concern.acknowledged', row, { reference, concernId: row.id, kind: row.kind, late: !!row.acknowledgeBy && row.acknowledgeBy <= now }, tx);
		return { changed: true, reference };
	});
}

/** One open or resolved concern of a referral, for its "dealt with" page (404 outside the user's programmes). */
export async function concernForStaff(user: StaffUser, reference: string, concernId: string, now = new Date()) {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const { row, reference: ref } = await lockConcern(tx, user, concernId, reference);
		const names = row.resolvedStaffId ? await tx.select({ name: staff.name }).from(staff).where(eq(staff.id, row.resolvedStaffId)) : [];
		return {
			id: row.id,
			reference: ref,
			kind: row.kind,
			kindWords: CONCERN_KIND_WORDS[row.kind] ?? row.kind,
			reasons: row.reasons,
			raised: formatUkDateTime(row.raisedAt),
			overdue: !row.acknowledgedAt && !row.resolvedAt && !!row.acknowledgeBy && row.acknowledgeBy <= now,
			resolved: row.resolvedAt
				? {
						at: formatUkDateTime(row.resolvedAt),
						by: names[0]?.name ?? 'A former staff member',
						resolution: isConcernResolution(row.resolution) ? CONCERN_RESOLUTIONS[row.resolution] : 'Dealt with',
						note: row.resolutionNote
					}
				: null
		};
	});
}

export interface ConcernResolutionInput {
	resolution: ConcernResolution;
	note: string | null;
}

/**
 * "Dealt with": what was done (coded) and an optional note, who and when, an audit row (the code and
 * whether there is a note, never the note) and a `wellbeing.concern_resolved` event (the code: no note, no
 * reasons, no scores). 404 outside the user's programmes; a concern already dealt with stays as it was.
 */
export async function resolveConcern(
	user: StaffUser,
	concernId: string,
	input: ConcernResolutionInput,
	now = new Date(),
	reference?: string
): Promise<{ changed: boolean; reference: string }> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const { row, reference: ref } = await lockConcern(tx, user, concernId, reference);
		if (row.resolvedAt) return { changed: false, reference: ref };
		await tx
			.update(wellbeingConcern)
			.set({
				resolvedAt: now,
				resolvedStaffId: user.id,
				resolution: input.resolution,
				resolutionNote: input.note,
				...(row.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedStaffId: user.id })
			})
			.where(eq(wellbeingConcern.id, row.id));
		await recordAudit(
			{
				staffId: user.id,
				action: 'wellbeing-concern.resolved',
				referralId: row.referralId,
				programmeId: row.programmeId,
				detail: { reference: ref, concernId: row.id, kind: row.kind, resolution: input.resolution, note: input.note !== null }
			},
			tx
		);
		await appendEvent(tx, {
			type: 'wellbeing.concern_resolved',
			referralId: row.referralId,
			programmeId: row.programmeId,
			payload: {
				concernId: row.id,
				kind: row.kind,
				checkInId: row.checkInId,
				raisedAt: row.raisedAt.toISOString(),
				resolvedAt: now.toISOString(),
				resolution: input.resolution,
				byStaffId: user.id
			}
		});
		return { changed: true, reference: ref };
	});
}
