/** GAD-7 (anxiety): seven items 0-3, total 0-21. */
import { bandFor, checkAnswers, sum, type Instrument } from './instrument';
import { HOW_OFTEN_0_3, PHQ_INSTRUCTIONS, PHQ_LICENCE } from './phq9';

export type GadBand = 'minimal' | 'mild' | 'moderate' | 'severe';

export interface Gad7Result {
	total: number;
	band: GadBand;
}

const GAD_BANDS = [
	{ from: 0, band: 'minimal' },
	{ from: 5, band: 'mild' },
	{ from: 10, band: 'moderate' },
	{ from: 15, band: 'severe' }
] as const;

export function gadBand(total: number): GadBand {
	return bandFor(total, GAD_BANDS);
}

const PROBLEMS: readonly [string, string][] = [
	['nervous', 'Feeling nervous, anxious or on edge'],
	['cannot-stop-worrying', 'Not being able to stop or control worrying'],
	['worrying-too-much', 'Worrying too much about different things'],
	['trouble-relaxing', 'Trouble relaxing'],
	['restless', 'Being so restless that it is hard to sit still'],
	['irritable', 'Becoming easily annoyed or irritable'],
	['afraid', 'Feeling afraid as if something awful might happen']
];

export const gad7: Instrument<Gad7Result> = {
	id: 'gad7',
	title: 'GAD-7',
	instructions: PHQ_INSTRUCTIONS,
	items: PROBLEMS.map(([key, text]) => ({ key, text, scale: HOW_OFTEN_0_3, skippable: false })),
	licence: PHQ_LICENCE,
	score(answers) {
		const total = sum(checkAnswers(gad7, answers) as number[]);
		return { total, band: gadBand(total) };
	}
};
