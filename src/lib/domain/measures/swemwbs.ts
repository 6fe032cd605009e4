/** Short Warwick-Edinburgh Mental Wellbeing Scale: seven statements 1-5, raw 7-35 converted to the metric score. */
import { checkAnswers, scale, sum, type Instrument } from './instrument';

export interface SwemwbsResult {
	/** Sum of the seven answers, 7-35. */
	raw: number;
	/** The published raw-to-metric conversion; report this, not the raw total. */
	metric: number;
}

/** The published conversion table, raw total -> metric score (DOMAIN.md section 6). */
export const SWEMWBS_METRIC: Readonly<Record<number, number>> = {
	7: 7.0, 8: 9.51, 9: 11.25, 10: 12.4, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84,
	16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54,
	25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.7,
	34: 32.55, 35: 35.0
};

const HOW_OFTEN = scale(1, ['None of the time', 'Rarely', 'Some of the time', 'Often', 'All of the time']);

const STATEMENTS: readonly [string, string][] = [
	['optimistic', "I've been feeling optimistic about the future"],
	['useful', "I've been feeling useful"],
	['relaxed', "I've been feeling relaxed"],
	['dealing-with-problems', "I've been dealing with problems well"],
	['thinking-clearly', "I've been thinking clearly"],
	['close-to-others', "I've been feeling close to other people"],
	['own-mind', "I've been able to make up my own mind about things"]
];

export const swemwbs: Instrument<SwemwbsResult> = {
	id: 'swemwbs',
	title: 'SWEMWBS',
	instructions:
		'Below are some statements about feelings and thoughts. Choose the answer that best describes your experience of each over the last 2 weeks.',
	items: STATEMENTS.map(([key, text]) => ({ key, text, scale: HOW_OFTEN, skippable: false })),
	licence: {
		notice: 'SWEMWBS (c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.',
		mustShowNotice: true,
		requiresLicence: false,
		terms: 'Free to use, but the provider must register its use with the University of Warwick, and the notice must be shown.'
	},
	score(answers) {
		const raw = sum(checkAnswers(swemwbs, answers) as number[]);
		return { raw, metric: SWEMWBS_METRIC[raw] };
	}
};
