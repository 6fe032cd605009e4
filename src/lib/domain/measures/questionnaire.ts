/**
 * Wellbeing check-ins (issue 10 item 5): any questionnaire in the registry other than DIALOG (which has
 * its own pages), asked one question per page. Generic over the registry: each item becomes a page whose
 * answers are the item's own scale labels; the answers are kept by item key while the person goes, and
 * scored with the instrument's own scoring function once all are in.
 */
import { z } from 'zod';
import { text, type Field, type FormDefinition, type RawValues } from '../fields';
import type { Instrument, InstrumentId, Item } from './instrument';
import { formatScore, isCharted, lineValues, scoreLines } from './progress';
import { INSTRUMENT_IDS } from './registry';

export type QuestionnaireId = Exclude<InstrumentId, 'dialog'>;

/** Every questionnaire asked through the generic pages (all but DIALOG). */
export const QUESTIONNAIRE_IDS = INSTRUMENT_IDS.filter((id): id is QuestionnaireId => id !== 'dialog');

export function isQuestionnaireId(value: string): value is QuestionnaireId {
	return (QUESTIONNAIRE_IDS as readonly string[]).includes(value);
}

/** What the start page says: a heading in plain words and what the questionnaire is. */
export const QUESTIONNAIRE_ABOUT: Readonly<Record<QuestionnaireId, { heading: string; about: string }>> = {
	swemwbs: {
		heading: 'Check in: your wellbeing',
		about: 'This check-in is called the Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS). It asks how you have been feeling and thinking over the last 2 weeks.'
	},
	ons4: {
		heading: 'Check in: how you feel about your life',
		about: 'These are the personal wellbeing questions the Office for National Statistics (ONS) asks people across the UK.'
	},
	gad7: {
		heading: 'Check in: worry and anxiety',
		about: 'This check-in is called GAD-7. It asks how often you have been bothered by feeling worried or anxious over the last 2 weeks.'
	},
	phq9: {
		heading: 'Check in: your mood',
		about: 'This check-in is called PHQ-9. It asks how often you have been bothered by problems such as feeling low or sleeping badly over the last 2 weeks.'
	},
	phq8: {
		heading: 'Check in: your mood',
		about: 'This check-in is called PHQ-8. It asks how often you have been bothered by problems such as feeling low or sleeping badly over the last 2 weeks.'
	},
	eq5d5l: {
		heading: 'Check in: your health today',
		about: 'This check-in is called EQ-5D-5L. It asks about your health today: moving about, looking after yourself, your usual activities, pain, and feeling anxious or low.'
	}
};

/** Answers so far, by item key; null for an item left out (only where the item may be skipped). */
export type QuestionnaireAnswers = Readonly<Record<string, number | null>>;

/** Scales longer than this (the EQ-5D-5L 0-100 health scale) are a number box, not a list of radios. */
const MOST_RADIOS = 11;

function isNumberBox(item: Item): boolean {
	return item.scale.options.length > MOST_RADIOS;
}

/** The one field on a question page, named `answer`. */
export function questionForm(instrument: Pick<Instrument<unknown>, 'items' | 'instructions'>, index: number): FormDefinition<z.ZodType<{ answer: number | null }>> {
	const item = instrument.items[index];
	if (!item) throw new Error(`No question ${index + 1}`);
	const { min, max } = item.scale;
	let field: Field;
	let schema: z.ZodType<{ answer: number | null }>;
	if (isNumberBox(item)) {
		field = {
			kind: 'text',
			name: 'answer',
			label: item.text,
			hint: `Enter a whole number from ${min} to ${max}.${item.skippable ? ' Leave it empty if you would rather not answer.' : ''}`,
			inputmode: 'numeric',
			width: 'short',
			spellcheck: false
		};
		schema = z.object({
			answer: text()
				.trim()
				.refine((v) => v !== '' || item.skippable, `Enter a whole number from ${min} to ${max}`)
				.refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= min && Number(v) <= max), `Enter a whole number from ${min} to ${max}`)
				.transform((v) => (v === '' ? null : Number(v)))
		});
	} else {
		const values = item.scale.options.map((o) => String(o.value));
		field = {
			kind: 'radios',
			name: 'answer',
			label: item.text,
			hint: instrument.instructions,
			options: item.scale.options.map((o) => ({ value: String(o.value), label: o.label }))
		};
		schema = z.object({
			answer: text()
				.refine((v) => (item.skippable && v === '') || values.includes(v), 'Choose the answer that fits you best')
				.transform((v) => (v === '' ? null : Number(v)))
		});
	}
	return { fields: [field], schema };
}

/** A question page filled in from an earlier answer (going back to change it). */
export function questionValues(item: Item, answers: QuestionnaireAnswers): RawValues {
	const value = answers[item.key];
	return { answer: typeof value === 'number' ? String(value) : '' };
}

/** Stored answers read back: only the instrument's own items, only values its scale allows. */
export function readQuestionnaireAnswers(instrument: Pick<Instrument<unknown>, 'items'>, stored: unknown): Record<string, number | null> {
	const source = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
	const answers: Record<string, number | null> = {};
	for (const item of instrument.items) {
		if (!Object.hasOwn(source, item.key)) continue;
		const value = source[item.key];
		if (value === null && item.skippable) answers[item.key] = null;
		else if (typeof value === 'number' && Number.isInteger(value) && value >= item.scale.min && value <= item.scale.max) answers[item.key] = value;
	}
	return answers;
}

/** The first question not answered yet (0-based), or null when all are. */
export function nextQuestion(instrument: Pick<Instrument<unknown>, 'items'>, answers: QuestionnaireAnswers): number | null {
	const index = instrument.items.findIndex((item) => !Object.hasOwn(answers, item.key));
	return index === -1 ? null : index;
}

/** Scores finished answers with the instrument's own function; null while any question is unanswered. */
export function scoreQuestionnaire<R>(instrument: Instrument<R>, answers: QuestionnaireAnswers): R | null {
	if (nextQuestion(instrument, answers) !== null) return null;
	return instrument.score(instrument.items.map((item) => answers[item.key]));
}

/** An answer as the person chose it: the scale's label ("Some of the time"). */
export function answerWords(item: Item, value: number | null | undefined): string {
	if (value === null || value === undefined) return 'Not answered';
	return item.scale.options.find((o) => o.value === value)?.label ?? String(value);
}

/**
 * The result in plain words for the person who has just answered: each score with its range and which
 * way is better ("Your wellbeing score is 23.21. Scores go from 7 to 35: a higher score is better.").
 * No severity labels: a band like "moderately severe" shown alone, straight after answering, says more
 * than it knows and can frighten; the specialist talks the result through.
 */
export function resultSentences(instrument: InstrumentId, result: unknown): string[] {
	if (isCharted(instrument)) {
		const values = lineValues({ instrument, result } as Parameters<typeof lineValues>[0]);
		return scoreLines(instrument).flatMap((line, i) => {
			const value = values[i];
			if (value === null) return [];
			const better = line.lowerIsBetter ? `a lower score means ${(line.meaning?.fall ?? 'better').replace(/^which means /, '')}` : 'a higher score is better';
			return [`Your ${line.subject} is ${formatScore(value)}. Scores go from ${line.min} to ${line.max}: ${better}.`];
		});
	}
	if (instrument === 'eq5d5l') {
		const vas = (result as { vas?: unknown } | null)?.vas;
		return typeof vas === 'number' ? [`You rated your health today ${vas} out of 100.`] : [];
	}
	return [];
}

/** Questionnaires about symptoms, where the done page says the score is not a diagnosis. */
export function isSymptomQuestionnaire(instrument: InstrumentId): boolean {
	return instrument === 'gad7' || instrument === 'phq9' || instrument === 'phq8';
}
