/** ONS personal wellbeing (ONS4): four 0-10 questions, each banded and reported on its own, never summed. */
import { bandFor, checkAnswers, scale, type Instrument } from './instrument';

export type Ons4Band = 'very low' | 'low' | 'medium' | 'high' | 'very high';

export interface Ons4Result {
	/** The four answers, in question order. */
	scores: [number, number, number, number];
	/** One band per question, in question order. */
	bands: [Ons4Band, Ons4Band, Ons4Band, Ons4Band];
}

/** Life satisfaction, worthwhile and happiness: higher is better. */
const POSITIVE_BANDS = [
	{ from: 0, band: 'low' },
	{ from: 5, band: 'medium' },
	{ from: 7, band: 'high' },
	{ from: 9, band: 'very high' }
] as const;

/** Anxiety: higher is worse. */
const ANXIETY_BANDS = [
	{ from: 0, band: 'very low' },
	{ from: 2, band: 'low' },
	{ from: 4, band: 'medium' },
	{ from: 6, band: 'high' }
] as const;

const ZERO_TO_TEN = scale(
	0,
	Array.from({ length: 11 }, (_, i) => (i === 0 ? '0 - not at all' : i === 10 ? '10 - completely' : String(i)))
);

const QUESTIONS: readonly [string, string][] = [
	['life-satisfaction', 'Overall, how satisfied are you with your life nowadays?'],
	['worthwhile', 'Overall, to what extent do you feel that the things you do in your life are worthwhile?'],
	['happy-yesterday', 'Overall, how happy did you feel yesterday?'],
	['anxious-yesterday', 'Overall, how anxious did you feel yesterday?']
];

export function ons4Band(item: number, score: number): Ons4Band {
	return bandFor(score, item === 3 ? ANXIETY_BANDS : POSITIVE_BANDS);
}

export const ons4: Instrument<Ons4Result> = {
	id: 'ons4',
	title: 'ONS4',
	instructions: 'Answer each question on a scale from 0 to 10, where 0 is "not at all" and 10 is "completely".',
	items: QUESTIONS.map(([key, text]) => ({ key, text, scale: ZERO_TO_TEN, skippable: false })),
	licence: {
		notice: 'ONS personal well-being questions, Office for National Statistics, Open Government Licence v3.0.',
		mustShowNotice: false,
		requiresLicence: false,
		terms: 'Crown copyright, free to use under the Open Government Licence.'
	},
	score(answers) {
		const scores = checkAnswers(ons4, answers) as Ons4Result['scores'];
		return { scores, bands: scores.map((s, i) => ons4Band(i, s)) as Ons4Result['bands'] };
	}
};
