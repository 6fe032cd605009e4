/**
 * Check-ins for a participant, DIALOG+ and the wellbeing questionnaires: answers saved page by page in
 * `check_in_draft` (nothing typed is lost between pages), completed into `check_in` with the result the
 * registry's scorer gives (one completion function for every instrument), and read
 * back only through the participant's own id. Completing appends `checkin.completed` with no scores in it:
 * the event log feeds webhooks and the API, which must not carry health data without the programme's say.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import {
	DIALOG_AREAS,
	getInstrument,
	isCharted,
	isComplete,
	isQuestionnaireId,
	isReviewOutcome,
	needsCrisisHelp,
	readQuestionnaireAnswers,
	scoreDialogRatings,
	scoreQuestionnaire,
	type Instrument,
	type QuestionnaireAnswers,
	type AreaAnswer,
	type DialogRatings,
	type DialogResult,
	type ReviewOutcome,
	type ScoredCheckIn
} from '$lib/domain/measures';
import { enabledInstruments, readProgrammeMeasures, type ProgrammeMeasures } from '$lib/domain/measures/settings';
import { getDb } from '../db';
import { checkIn, checkInDraft, programme, wellbeingConcern, type CheckInRow } from '../db/schema';
import { appendEvent } from '../events/log';
import { raiseConcernsAfterCheckIn } from './concerns';
import { applyActionReviews } from './dialog-actions';
import { openPointFor } from './due';
import type { ParticipantUser } from '../auth/sessions';
import { crisisKey, raiseCrisisAlert } from './crisis';

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

/** What a finished draft becomes: the answers and result to store, and DIALOG+'s areas to talk about. */
interface Finished {
	answers: Record<string, unknown>;
	result: unknown;
	talkAbout: string[];
}

/** A draft's answers scored with the registry's function; null while the check-in is not finished. */
function finish(instrument: string, stored: unknown): Finished | null {
	if (instrument === 'dialog') {
		const answers = readAnswers(stored);
		if (!isComplete(answers.ratings)) return null;
		return { answers: { ratings: answers.ratings }, result: scoreDialogRatings(answers.ratings), talkAbout: answers.talkAbout };
	}
	const registered = getInstrument(instrument);
	if (!registered) return null;
	const answers = readQuestionnaireAnswers(registered, stored);
	const result = scoreQuestionnaire(registered, answers);
	return result === null ? null : { answers, result, talkAbout: [] };
}

/**
 * Completes the participant's draft on one instrument (DIALOG+ or any questionnaire in the registry):
 * scores it with the registry's scorer, stores the check-in, deletes the draft and appends
 * `checkin.completed` (ids and time only), all in one transaction. A crisis alert this draft raised is
 * linked to the stored check-in. Null when the draft is not finished (or there is none, e.g. sent twice).
 */
export async function completeCheckIn(owner: CheckInOwner, instrument: string, now = new Date()): Promise<CheckInRow | null> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [draftRow] = await tx
			.select()
			.from(checkInDraft)
			.where(and(eq(checkInDraft.participantId, owner.id), eq(checkInDraft.instrument, instrument)))
			.for('update');
		if (!draftRow) return null;
		const finished = finish(instrument, draftRow.answers);
		if (!finished) return null;
		const pointId = await openPointFor(owner, instrument, now, tx);
		const [row] = await tx
			.insert(checkIn)
			.values({
				participantId: owner.id,
				referralId: owner.referralId,
				programmeId: owner.programmeId,
				instrument,
				answers: finished.answers,
				result: finished.result as Record<string, unknown>,
				talkAbout: finished.talkAbout,
				pointId,
				completedAt: now
			})
			.returning();
		await tx.delete(checkInDraft).where(eq(checkInDraft.id, draftRow.id));
		await tx
			.update(wellbeingConcern)
			.set({ checkInId: row.id })
			.where(and(eq(wellbeingConcern.key, crisisKey(owner, draftRow.id)), isNull(wellbeingConcern.checkInId)));
		// Last time's agreed actions, as the person reviewed them at the start of this DIALOG+ check-in.
		if (instrument === 'dialog') await applyActionReviews(tx, owner, readAnswers(draftRow.answers).reviews ?? {}, row.id, now);
		await appendEvent(tx, {
			type: 'checkin.completed',
			referralId: owner.referralId,
			programmeId: owner.programmeId,
			payload: { checkInId: row.id, instrument, completedAt: now.toISOString() }
		});
		await raiseConcernsAfterCheckIn(tx, owner, row, now);
		return row;
	});
}

/** Completes the participant's DIALOG+ draft (see completeCheckIn). */
export function completeDialog(owner: CheckInOwner, now = new Date()): Promise<CheckInRow | null> {
	return completeCheckIn(owner, 'dialog', now);
}

// ---- questionnaires (every instrument but DIALOG) ----------------------------------------------------

/** The participant's check-in in progress on one questionnaire: its draft id (null before the first answer) and answers by item key. */
export async function questionnaireDraft(
	owner: Pick<CheckInOwner, 'id'>,
	instrument: Instrument<unknown>
): Promise<{ id: string | null; answers: QuestionnaireAnswers }> {
	const db = await getDb();
	const [row] = await db
		.select()
		.from(checkInDraft)
		.where(and(eq(checkInDraft.participantId, owner.id), eq(checkInDraft.instrument, instrument.id)));
	return row ? { id: row.id, answers: readQuestionnaireAnswers(instrument, row.answers) } : { id: null, answers: {} };
}

/**
 * Saves one question's answer (one page) to the draft. When the answer calls for crisis help (PHQ-9 item 9
 * above 0) the specialist is alerted in the same transaction (crisis.ts) and `crisis` is true, so the next
 * page shown is crisis help.
 */
export async function saveQuestionAnswer(
	owner: CheckInOwner,
	instrument: Instrument<unknown>,
	index: number,
	value: number | null,
	now = new Date()
): Promise<{ crisis: boolean }> {
	const item = instrument.items[index];
	if (!item) throw new Error(`${instrument.title} has no question ${index + 1}`);
	const answer = { [item.key]: value };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(checkInDraft)
			.values({ participantId: owner.id, instrument: instrument.id, answers: answer, updatedAt: now })
			.onConflictDoUpdate({
				target: [checkInDraft.participantId, checkInDraft.instrument],
				set: { answers: sql`${checkInDraft.answers} || excluded.answers`, updatedAt: now }
			})
			.returning({ id: checkInDraft.id });
		const crisis = needsCrisisHelp(instrument.id, answer);
		if (crisis) await raiseCrisisAlert(tx, owner, row.id, now);
		return { crisis };
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

/**
 * The questionnaire named in an address (`/account/check-in/<id>`) when the participant's programme turns
 * it on (its schedule asks for it; EQ-5D-5L only with the licence); null otherwise, and for DIALOG, which
 * has its own pages.
 */
export async function enabledQuestionnaire(owner: Pick<CheckInOwner, 'programmeId'>, id: string): Promise<Instrument<unknown> | null> {
	if (!isQuestionnaireId(id)) return null;
	const measures = await programmeMeasures(owner.programmeId);
	return enabledInstruments(measures).includes(id) ? (getInstrument(id) ?? null) : null;
}
