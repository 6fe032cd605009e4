/**
 * The DIALOG+ check-in (DOMAIN.md section 6): rate each of the eleven areas 1-7, one area per page, and
 * say whether more help is wanted; skip an area that does not apply; then compare with last time, choose
 * up to three areas to talk about and agree actions, which are reviewed at the next check-in.
 * A programme may hide the previous ratings while rating (people re-rate without anchoring on their old
 * scores) and show the comparison afterwards.
 */
import { z } from 'zod';
import { text, type Field, type FormDefinition, type RawValues } from '../fields';
import { dialog, DIALOG_AREA_PHRASES, DIALOG_LIFE_ITEMS, type DialogResult } from './dialog';

export interface DialogArea {
	key: string;
	/** 0-based position in the questionnaire. */
	index: number;
	/** As in a sentence: "your mental health". */
	phrase: string;
	/** As a heading: "Your mental health". */
	label: string;
	/** The first eight are life areas, the last three are about care and support. */
	part: 'life' | 'treatment';
}

export const DIALOG_AREAS: readonly DialogArea[] = DIALOG_AREA_PHRASES.map(([key, phrase], index) => ({
	key,
	index,
	phrase,
	label: phrase.charAt(0).toUpperCase() + phrase.slice(1),
	part: index < DIALOG_LIFE_ITEMS ? 'life' : 'treatment'
}));

export function dialogArea(key: string): DialogArea | undefined {
	return DIALOG_AREAS.find((a) => a.key === key);
}

/** One area's answer: rating null when it does not apply (then more help is not asked). */
export interface AreaAnswer {
	rating: number | null;
	moreHelp: boolean | null;
}

/** Answers so far, by area key; an area not in it has not been reached yet. */
export type DialogRatings = Readonly<Record<string, AreaAnswer>>;

const SATISFACTION = dialog.items[0].scale.options;

/** "4 (in the middle)" */
export function ratingWords(rating: number): string {
	const label = SATISFACTION.find((o) => o.value === rating)?.label ?? '';
	return `${rating} (${label.toLowerCase()})`;
}

// ---- rating one area --------------------------------------------------------------------------------

export const DOES_NOT_APPLY = 'does-not-apply';

/**
 * The page for one area: how satisfied (1-7, or "does not apply") and whether more help is wanted, in the
 * questionnaire's own words. `previousHint` is shown only when the programme shows previous ratings.
 */
export function dialogAreaForm(area: DialogArea, previousHint?: string): FormDefinition<z.ZodType<AreaAnswer>> {
	const fields: Field[] = [
		{
			kind: 'radios',
			name: 'rating',
			label: dialog.items[area.index].text,
			hint: previousHint,
			options: [
				...SATISFACTION.map((o) => ({ value: String(o.value), label: `${o.value} - ${o.label}` })),
				{ value: DOES_NOT_APPLY, label: 'This does not apply to me' }
			]
		},
		{
			kind: 'radios',
			name: 'moreHelp',
			label: dialog.followUp!.question,
			hint: 'Leave this if the area does not apply to you.',
			options: [
				{ value: 'yes', label: 'Yes' },
				{ value: 'no', label: 'No' }
			],
			inline: true
		}
	];
	const ratings = [...SATISFACTION.map((o) => String(o.value)), DOES_NOT_APPLY];
	const schema = z
		.object({
			rating: text().refine((v) => ratings.includes(v), `Choose how satisfied you are with ${area.phrase}, or that it does not apply to you`),
			moreHelp: text()
		})
		.superRefine((v, ctx) => {
			// Asked only once a rating is chosen: with no rating we do not know yet whether the area applies.
			const rated = v.rating !== DOES_NOT_APPLY && ratings.includes(v.rating);
			if (rated && v.moreHelp !== 'yes' && v.moreHelp !== 'no') {
				ctx.addIssue({ code: 'custom', path: ['moreHelp'], message: `Choose yes if you want more help with ${area.phrase}, or no` });
			}
		})
		.transform((v): AreaAnswer => (v.rating === DOES_NOT_APPLY ? { rating: null, moreHelp: null } : { rating: Number(v.rating), moreHelp: v.moreHelp === 'yes' }));
	return { fields, schema: schema as unknown as z.ZodType<AreaAnswer> };
}

/** The area page filled in from an earlier answer (going back to change it). */
export function areaFormValues(answer: AreaAnswer | undefined): RawValues {
	if (!answer) return { rating: '', moreHelp: '' };
	if (answer.rating === null) return { rating: DOES_NOT_APPLY, moreHelp: '' };
	return { rating: String(answer.rating), moreHelp: answer.moreHelp === null ? '' : answer.moreHelp ? 'yes' : 'no' };
}

/**
 * What the page says about last time, or nothing when the programme hides previous ratings while rating
 * (or there was no last time).
 */
export function previousRatingHint(area: DialogArea, previous: DialogRatings | null, showPreviousWhileRating: boolean): string | undefined {
	const answer = previous?.[area.key];
	if (!showPreviousWhileRating || !answer) return undefined;
	if (answer.rating === null) return 'Last time you said this did not apply to you.';
	return `Last time you rated this ${ratingWords(answer.rating)}.`;
}

// ---- the whole check-in -------------------------------------------------------------------------

/** The first area not answered yet (the next page), or null when all eleven are. */
export function nextAreaToRate(ratings: DialogRatings): DialogArea | null {
	return DIALOG_AREAS.find((a) => !Object.hasOwn(ratings, a.key)) ?? null;
}

export function isComplete(ratings: DialogRatings): boolean {
	return nextAreaToRate(ratings) === null;
}

/** The answers in questionnaire order, as `dialog.score` takes them (null for an area that does not apply). */
export function dialogAnswers(ratings: DialogRatings): (number | null)[] {
	const missing = nextAreaToRate(ratings);
	if (missing) throw new Error(`DIALOG check-in is not finished: ${missing.phrase} has no answer`);
	return DIALOG_AREAS.map((a) => ratings[a.key].rating);
}

/** Scores a finished check-in with the registry's scoring function. */
export function scoreDialogRatings(ratings: DialogRatings): DialogResult {
	return dialog.score(dialogAnswers(ratings));
}

/** Areas that were rated (not "does not apply"), in questionnaire order. */
export function ratedAreas(ratings: DialogRatings): DialogArea[] {
	return DIALOG_AREAS.filter((a) => typeof ratings[a.key]?.rating === 'number');
}

// ---- choosing areas to talk about -------------------------------------------------------------------

export const MAX_AREAS_TO_DISCUSS = 3;

/** Why a choice of areas cannot be accepted, or null. Only rated areas, and no more than three. */
export function chosenAreasProblem(ratings: DialogRatings, chosen: readonly string[]): string | null {
	const rated = new Set(ratedAreas(ratings).map((a) => a.key));
	if (!chosen.every((key) => rated.has(key))) return 'Choose areas from the list';
	if (new Set(chosen).size > MAX_AREAS_TO_DISCUSS) return `Choose up to ${MAX_AREAS_TO_DISCUSS} areas to talk about`;
	return null;
}

/** Helps people choose: the rating, and whether they asked for more help. */
function areaHint(answer: AreaAnswer): string {
	const rated = `You rated this ${ratingWords(answer.rating!)}`;
	return answer.moreHelp ? `${rated} and want more help.` : `${rated}.`;
}

/** The page to choose up to three rated areas to talk about; the output is area keys in questionnaire order. */
export function chooseAreasForm(ratings: DialogRatings): FormDefinition<z.ZodType<string[]>> {
	const rated = ratedAreas(ratings);
	return {
		fields: [
			{
				kind: 'checkboxes',
				name: 'areas',
				label: `Choose up to ${MAX_AREAS_TO_DISCUSS} areas to talk about`,
				hint: 'You and your employment specialist will agree what to do about each one.',
				options: rated.map((a) => ({ value: a.key, label: a.label, hint: areaHint(ratings[a.key]) }))
			}
		],
		schema: z
			.object({ areas: z.array(text()) })
			.superRefine((v, ctx) => {
				const problem = chosenAreasProblem(ratings, v.areas);
				if (problem) ctx.addIssue({ code: 'custom', path: ['areas'], message: problem });
			})
			.transform((v) => rated.map((a) => a.key).filter((key) => v.areas.includes(key))) as unknown as z.ZodType<string[]>
	};
}

// ---- agreed actions -------------------------------------------------------------------------------

export interface AgreedAction {
	area: string;
	action: string;
}

export const MAX_ACTION_LENGTH = 1000;

/** The specialist's form: what was agreed for each chosen area. An area may have nothing agreed yet. */
/** "your mental health" as the specialist says it: "their mental health", "the practical help they receive". */
function theirPhrase(phrase: string): string {
	return phrase.replace(/\byour\b/g, 'their').replace('help you receive', 'help they receive');
}

export function agreedActionsForm(chosen: readonly string[]): FormDefinition<z.ZodType<AgreedAction[]>> {
	const areas = chosen
		.map(dialogArea)
		.filter((a): a is DialogArea => a !== undefined)
		.map((a) => ({ ...a, phrase: theirPhrase(a.phrase) }));
	const field = (a: DialogArea) => `action-${a.key}`;
	return {
		fields: areas.map((a) => ({ kind: 'textarea', name: field(a), label: `What was agreed about ${a.phrase}`, rows: 3, maxLength: MAX_ACTION_LENGTH })),
		schema: z
			.object(Object.fromEntries(areas.map((a) => [field(a), text().trim().max(MAX_ACTION_LENGTH, `What was agreed about ${a.phrase} must be ${MAX_ACTION_LENGTH} characters or fewer`)])))
			.transform((v) => areas.flatMap((a) => (v[field(a)] ? [{ area: a.key, action: v[field(a)] as string }] : []))) as unknown as z.ZodType<AgreedAction[]>
	};
}

// ---- reviewing last time's actions ---------------------------------------------------------------

export const REVIEW_OUTCOMES = ['done', 'partly', 'not-done'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_OUTCOME_WORDS: Readonly<Record<ReviewOutcome, string>> = {
	done: 'Yes, I did this',
	partly: 'I did some of it',
	'not-done': 'Not yet'
};

/** The same answers as staff read them beside each action. */
export const REVIEW_OUTCOME_STAFF_WORDS: Readonly<Record<ReviewOutcome, string>> = {
	done: 'They did this',
	partly: 'They did some of it',
	'not-done': 'Not done yet'
};

export function isReviewOutcome(value: unknown): value is ReviewOutcome {
	return typeof value === 'string' && (REVIEW_OUTCOMES as readonly string[]).includes(value);
}

/**
 * One agreed action from last time, one page: did the person do it? The action is shown as agreed (the
 * specialist's words) above the question, in the page's intro.
 */
export function actionReviewForm(action: AgreedAction): FormDefinition<z.ZodType<ReviewOutcome>> {
	const area = dialogArea(action.area);
	return {
		fields: [
			{
				kind: 'radios',
				name: 'outcome',
				label: 'Did you do this?',
				hint: area ? `You agreed this about ${area.phrase}.` : undefined,
				options: REVIEW_OUTCOMES.map((value) => ({ value, label: REVIEW_OUTCOME_WORDS[value] }))
			}
		],
		schema: z
			.object({ outcome: text().refine(isReviewOutcome, 'Choose whether you did this, did some of it, or not yet') })
			.transform((v) => v.outcome as ReviewOutcome) as unknown as z.ZodType<ReviewOutcome>
	};
}

// ---- comparing with last time -------------------------------------------------------------------------

export interface AreaComparison {
	key: string;
	label: string;
	previous: number | null;
	now: number | null;
	/** now - previous, when both were rated. */
	change: number | null;
	/** "up 2", "same", "down 1", "first rating", "not rated this time", "not rated" */
	words: string;
	moreHelp: boolean | null;
}

/** A change between two ratings in words: "up 2", "same", "down 1". */
export function changeWords(previous: number | null, now: number | null): string {
	if (previous === null && now === null) return 'not rated';
	if (now === null) return 'not rated this time';
	if (previous === null) return 'first rating';
	const change = now - previous;
	if (change === 0) return 'same';
	return change > 0 ? `up ${change}` : `down ${-change}`;
}

/** Each area's previous and current rating, for the page shown after rating (and to the specialist). */
export function compareRatings(previous: DialogRatings | null, now: DialogRatings): AreaComparison[] {
	return DIALOG_AREAS.map((a) => {
		const before = previous?.[a.key]?.rating ?? null;
		const after = now[a.key]?.rating ?? null;
		return {
			key: a.key,
			label: a.label,
			previous: before,
			now: after,
			change: before !== null && after !== null ? after - before : null,
			words: changeWords(before, after),
			moreHelp: now[a.key]?.moreHelp ?? null
		};
	});
}
