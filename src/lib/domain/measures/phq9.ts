/** PHQ-9 (depression) and the shared 0-3 "how often" scale of the PHQ and GAD-7 questionnaires. */
import { bandFor, checkAnswers, scale, sum, type Instrument, type Licence } from './instrument';

export const HOW_OFTEN_0_3 = scale(0, ['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);

export const PHQ_LICENCE: Licence = {
	notice:
		'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
	mustShowNotice: false,
	requiresLicence: false,
	terms: 'Public domain: no permission or notice needed.'
};

export const PHQ_INSTRUCTIONS = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

export type PhqBand = 'none-minimal' | 'mild' | 'moderate' | 'moderately severe' | 'severe';

export interface PhqResult {
	total: number;
	band: PhqBand;
}

export interface Phq9Result extends PhqResult {
	/** Item 9 (thoughts of self-harm) answered above 0: show crisis help at once and alert the specialist. */
	item9Alert: boolean;
}

const PHQ_BANDS = [
	{ from: 0, band: 'none-minimal' },
	{ from: 5, band: 'mild' },
	{ from: 10, band: 'moderate' },
	{ from: 15, band: 'moderately severe' },
	{ from: 20, band: 'severe' }
] as const;

export function phqBand(total: number): PhqBand {
	return bandFor(total, PHQ_BANDS);
}

const PROBLEMS: readonly [string, string][] = [
	['interest', 'Little interest or pleasure in doing things'],
	['down', 'Feeling down, depressed, or hopeless'],
	['sleep', 'Trouble falling or staying asleep, or sleeping too much'],
	['tired', 'Feeling tired or having little energy'],
	['appetite', 'Poor appetite or overeating'],
	['feeling-bad', 'Feeling bad about yourself - or that you are a failure or have let yourself or your family down'],
	['concentrating', 'Trouble concentrating on things, such as reading the newspaper or watching television'],
	[
		'moving-speaking',
		'Moving or speaking so slowly that other people could have noticed? Or the opposite - being so fidgety or restless that you have been moving around a lot more than usual'
	],
	['self-harm', 'Thoughts that you would be better off dead or of hurting yourself in some way']
];

/** Item 9, "thoughts that you would be better off dead or of hurting yourself", as a 0-based index. */
export const PHQ9_SELF_HARM_INDEX = 8;

const phqItems = PROBLEMS.map(([key, text]) => ({ key, text, scale: HOW_OFTEN_0_3, skippable: false }));

export const phq9: Instrument<Phq9Result> = {
	id: 'phq9',
	title: 'PHQ-9',
	instructions: PHQ_INSTRUCTIONS,
	items: phqItems,
	licence: PHQ_LICENCE,
	score(answers) {
		const checked = checkAnswers(phq9, answers) as number[];
		const total = sum(checked);
		return { total, band: phqBand(total), item9Alert: checked[PHQ9_SELF_HARM_INDEX] > 0 };
	}
};
