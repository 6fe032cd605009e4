/**
 * DIALOG+ check-ins for a participant: answers saved page by page in `check_in_draft` (nothing typed is
 * lost between pages), completed into `check_in` with the result the registry's scorer gives, and read
 * back only through the participant's own id. Completing appends `checkin.completed` with no scores in it:
 * the event log feeds webhooks and the API, which must not carry health data without the programme's say.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import {
	DIALOG_AREAS,
	isCharted,
	isComplete,
	isReviewOutcome,
	scoreDialogRatings,
	type AreaAnswer,
	type DialogRatings,
	type DialogResult,
	type ReviewOutcome,
	type ScoredCheckIn
} from '$lib/domain/measures';
import { readProgrammeMeasures, type ProgrammeMeasures } from '$lib/domain/measures/settings';
import { getDb } from '../db';
import { checkIn, checkInDraft, programme, type CheckInRow } from '../db/schema';
import { appendEvent } from '../events/log';
import { raiseConcernsAfterCheckIn } from './concerns';
import { applyActionReviews } from './dialog-actions';
import type { ParticipantUser } from '../participants/sessions';

export type CheckInOwner = Pick<ParticipantUser, 'id' | 'referralId' | 'programmeId'>;

/**
 * What a DIALOG+ draft and check-in hold: ratings by area key, the areas chosen to talk about, and (in a
 * draft, when last time's agreed actions are being reviewed) the person's answer for each action by id.
 */
export interface DialogAnswers {
	ratings: DialogRatings;
	talkAbout: string[];
	reviews?: Readonly<Record<string, ReviewOutcome>>;
}

const EMPTY: DialogAnswers = { ratings: {}, talkAbout: [] };

function readAnswers(stored: unknown): DialogAnswers {
	const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	const ratings: Record<string, AreaAnswer> = {};
	const raw = typeof source.ratings === 'object' && source.ratings !== null ? (source.ratings as Record<string, unknown>) : {};
	for (const area of DIALOG_AREAS) {
		const a = raw[area.key] as Partial<AreaAnswer> | undefined;
		if (!a || typeof a !== 'object') continue;
		const rating = typeof a.rating === 'number' && Number.isInteger(a.rating) && a.rating >= 1 && a.rating <= 7 ? a.rating : null;
		ratings[area.key] = { rating, moreHelp: rating === null ? null : typeof a.moreHelp === 'boolean' ? a.moreHelp : null };
	}
	const talkAbout = Array.isArray(source.talkAbout) ? source.talkAbout.filter((k): k is string => typeof k === 'string') : [];
	const reviews: Record<string, ReviewOutcome> = {};
	const rawReviews = typeof source.reviews === 'object' && source.reviews !== null ? (source.reviews as Record<string, unknown>) : {};
	for (const [id, outcome] of Object.entries(rawReviews)) if (/^[0-9a-f-]{36}$/.test(id) && isReviewOutcome(outcome)) reviews[id] = outcome;
	return Object.keys(reviews).length ? { ratings, talkAbout, reviews } : { ratings, talkAbout };
}

/** The participant's DIALOG+ check-in in progress (empty when none). */
export async function dialogDraft(owner: Pick<CheckInOwner, 'id'>): Promise<DialogAnswers> {
	const db = await getDb();
	const [row] = await db
		.select()
		.from(checkInDraft)
		.where(and(eq(checkInDraft.participantId, owner.id), eq(checkInDraft.instrument, 'dialog')));
	return row ? readAnswers(row.answers) : { ...EMPTY, ratings: {} };
}

async function writeDraft(owner: Pick<CheckInOwner, 'id'>, answers: DialogAnswers): Promise<void> {
	const db = await getDb();
	await db
		.insert(checkInDraft)
		.values({ participantId: owner.id, instrument: 'dialog', answers: answers as unknown as Record<string, unknown> })
		.onConflictDoUpdate({
			target: [checkInDraft.participantId, checkInDraft.instrument],
			set: { answers: answers as unknown as Record<string, unknown>, updatedAt: new Date() }
		});
}

/** Saves one area's answer (one page) to the draft. */
export async function saveAreaAnswer(owner: Pick<CheckInOwner, 'id'>, areaKey: string, answer: AreaAnswer): Promise<DialogAnswers> {
	if (!DIALOG_AREAS.some((a) => a.key === areaKey)) throw new Error(`Unknown DIALOG area ${areaKey}`);
	const current = await dialogDraft(owner);
	const next: DialogAnswers = { ...current, ratings: { ...current.ratings, [areaKey]: answer } };
	// An area no longer rated cannot stay chosen to talk about.
	next.talkAbout = next.talkAbout.filter((k) => typeof next.ratings[k]?.rating === 'number');
	await writeDraft(owner, next);
	return next;
}

/** Saves the areas chosen to talk about (already checked against the ratings by chooseAreasForm). */
export async function saveTalkAbout(owner: Pick<CheckInOwner, 'id'>, areas: string[]): Promise<void> {
	const current = await dialogDraft(owner);
	await writeDraft(owner, { ...current, talkAbout: areas });
}

/** Saves the person's answer about one of last time's agreed actions (one page) to the draft. */
export async function saveActionReview(owner: Pick<CheckInOwner, 'id'>, actionId: string, outcome: ReviewOutcome): Promise<void> {
	const current = await dialogDraft(owner);
	await writeDraft(owner, { ...current, reviews: { ...current.reviews, [actionId]: outcome } });
}

/**
 * Completes the draft: scores it with the registry's DIALOG scorer, stores the check-in, deletes the draft
 * and appends `checkin.completed` (ids and time only), all in one transaction. Null when the draft is not
 * finished (or there is none, e.g. sent twice).
 */
export async function completeDialog(owner: CheckInOwner, now = new Date()): Promise<CheckInRow | null> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [draftRow] = await tx
			.select()
			.from(checkInDraft)
			.where(and(eq(checkInDraft.participantId, owner.id), eq(checkInDraft.instrument, 'dialog')))
			.for('update');
		if (!draftRow) return null;
		const answers = readAnswers(draftRow.answers);
		if (!isComplete(answers.ratings)) return null;
		const result: DialogResult = scoreDialogRatings(answers.ratings);
		const [row] = await tx
			.insert(checkIn)
			.values({
				participantId: owner.id,
				referralId: owner.referralId,
				programmeId: owner.programmeId,
				instrument: 'dialog',
				answers: { ratings: answers.ratings } as Record<string, unknown>,
				result: result as unknown as Record<string, unknown>,
				talkAbout: answers.talkAbout,
				completedAt: now
			})
			.returning();
		await tx.delete(checkInDraft).where(eq(checkInDraft.id, draftRow.id));
		await applyActionReviews(tx, owner, answers.reviews ?? {}, row.id, now);
		await appendEvent(tx, {
			type: 'checkin.completed',
			referralId: owner.referralId,
			programmeId: owner.programmeId,
			payload: { checkInId: row.id, instrument: 'dialog', completedAt: now.toISOString() }
		});
		await raiseConcernsAfterCheckIn(tx, owner, row, now);
		return row;
	});
}

/** The participant's completed check-ins on one instrument, oldest first. Always filtered by participant. */
export async function listCheckIns(owner: Pick<CheckInOwner, 'id'>, instrument = 'dialog'): Promise<CheckInRow[]> {
	const db = await getDb();
	return db
		.select()
		.from(checkIn)
		.where(and(eq(checkIn.participantId, owner.id), eq(checkIn.instrument, instrument)))
		.orderBy(asc(checkIn.completedAt), asc(checkIn.createdAt));
}

/** The participant's latest DIALOG check-in, optionally the latest before a given one. */
export async function latestDialog(owner: Pick<CheckInOwner, 'id'>): Promise<CheckInRow | null> {
	const db = await getDb();
	const [row] = await db
		.select()
		.from(checkIn)
		.where(and(eq(checkIn.participantId, owner.id), eq(checkIn.instrument, 'dialog')))
		.orderBy(desc(checkIn.completedAt), desc(checkIn.createdAt))
		.limit(1);
	return row ?? null;
}

/** A stored check-in's DIALOG ratings. */
export function ratingsOf(row: Pick<CheckInRow, 'answers'>): DialogRatings {
	return readAnswers(row.answers).ratings;
}

/** Stored rows as the progress functions take them. */
export function scoredDialog(rows: readonly CheckInRow[]): ScoredCheckIn[] {
	return rows.map((r) => ({ instrument: 'dialog', at: r.completedAt, result: r.result as unknown as DialogResult }));
}

/** All the participant's completed check-ins, every instrument, oldest first. Always filtered by participant. */
export async function listAllCheckIns(owner: Pick<CheckInOwner, 'id'>): Promise<CheckInRow[]> {
	const db = await getDb();
	return db.select().from(checkIn).where(eq(checkIn.participantId, owner.id)).orderBy(asc(checkIn.completedAt), asc(checkIn.createdAt));
}

/** Stored rows of any charted instrument as the progress functions take them (EQ-5D-5L has no score to chart). */
export function scoredCheckIns(rows: readonly CheckInRow[]): ScoredCheckIn[] {
	return rows
		.filter((r) => isCharted(r.instrument))
		.map((r) => ({ instrument: r.instrument, at: r.completedAt, result: r.result }) as unknown as ScoredCheckIn);
}

/** The participant's programme measures settings (hide previous ratings by default). */
export async function programmeMeasures(programmeId: string): Promise<ProgrammeMeasures> {
	const db = await getDb();
	const [row] = await db.select({ measures: programme.measures }).from(programme).where(eq(programme.id, programmeId));
	return readProgrammeMeasures(row?.measures ?? null);
}
