/** What every measure in the registry has: its questions, answer scale, licence and scoring. Pure. */

export type InstrumentId = 'dialog' | 'swemwbs' | 'ons4' | 'gad7' | 'phq9' | 'phq8' | 'eq5d5l';

export interface ScaleOption {
	value: number;
	label: string;
}

/** Whole numbers from min to max; options label every value (in order). */
export interface Scale {
	min: number;
	max: number;
	options: readonly ScaleOption[];
}

export interface Item {
	/** Stable key for stored answers, e.g. "mental-health". */
	key: string;
	/** The question as the person reads it. */
	text: string;
	scale: Scale;
	/** True when the person may leave it out (a DIALOG area that does not apply, the EQ VAS). */
	skippable: boolean;
}

export interface Licence {
	/** The notice to show beside the questions. */
	notice: string;
	/** The licence asks for the notice to be shown with the questions. */
	mustShowNotice: boolean;
	/** Only usable by a programme that records that it holds a licence. */
	requiresLicence: boolean;
	/** Plain-English summary of the terms, for the README and admin pages. */
	terms: string;
}

export interface Instrument<Result> {
	id: InstrumentId;
	title: string;
	/** Shown before the questions (the time frame and how to answer). */
	instructions: string;
	items: readonly Item[];
	/** Asked after every item, not scored (DIALOG's "Do you want more help in this area?"). */
	followUp?: { question: string; options: readonly { value: boolean; label: string }[] };
	licence: Licence;
	/** Validates the answers (in item order, null for a skipped item) and scores them; throws MeasureInputError. */
	score(answers: readonly unknown[]): Result;
}

export type MeasureInputProblem = 'not-a-list' | 'wrong-count' | 'missing-answer' | 'out-of-range';

/** Answers that cannot be scored; the message says what is wrong in words a person can act on. */
export class MeasureInputError extends Error {
	readonly name = 'MeasureInputError';
	constructor(
		readonly problem: MeasureInputProblem,
		readonly instrument: InstrumentId,
		message: string,
		/** 1-based item number, where one item is at fault. */
		readonly item?: number
	) {
		super(message);
	}
}

/** A scale labelled at every value. */
export function scale(min: number, labels: readonly string[]): Scale {
	return { min, max: min + labels.length - 1, options: labels.map((label, i) => ({ value: min + i, label })) };
}

function describe(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (value === undefined) return 'nothing';
	return JSON.stringify(value) ?? String(value);
}

/**
 * Checks count, whole numbers and range; null (or undefined) only for skippable items.
 * `counts` lists the accepted lengths (all items by default; EQ-5D-5L also takes the 5 dimensions alone).
 */
export function checkAnswers(
	instrument: Pick<Instrument<unknown>, 'id' | 'title' | 'items'>,
	answers: readonly unknown[],
	counts: readonly number[] = [instrument.items.length]
): (number | null)[] {
	const { id, title, items } = instrument;
	if (!Array.isArray(answers)) throw new MeasureInputError('not-a-list', id, `${title} answers must be a list, in question order.`);
	if (!counts.includes(answers.length)) {
		const needed = counts.join(' or ');
		throw new MeasureInputError('wrong-count', id, `${title} needs ${needed} answers, got ${answers.length}`);
	}
	return answers.map((value, i) => {
		const item = items[i];
		const n = i + 1;
		if (value === null || value === undefined) {
			if (item.skippable) return null;
			throw new MeasureInputError('missing-answer', id, `Item ${n} of ${title} needs an answer (it cannot be skipped)`, n);
		}
		if (typeof value !== 'number' || !Number.isInteger(value) || value < item.scale.min || value > item.scale.max) {
			throw new MeasureInputError(
				'out-of-range',
				id,
				`Item ${n} of ${title} must be a whole number from ${item.scale.min} to ${item.scale.max}, got ${describe(value)}`,
				n
			);
		}
		return value;
	});
}

export function sum(values: readonly number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

/** The band whose lower bound is the highest one at or below the total; bands are listed lowest first. */
export function bandFor<B extends string>(total: number, bands: readonly { from: number; band: B }[]): B {
	let found = bands[0].band;
	for (const b of bands) if (total >= b.from) found = b.band;
	return found;
}
