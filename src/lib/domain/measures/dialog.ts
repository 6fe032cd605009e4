/** DIALOG: eleven satisfaction ratings (1-7), eight life domains and three treatment items (DOMAIN.md section 6). */
import { checkAnswers, scale, sum, type Instrument, type Item } from './instrument';

export interface DialogResult {
	/** Mean of the answered life-domain items (1-8): subjective quality of life. Null when none answered. */
	lifeMean: number | null;
	/** Mean of the answered treatment items (9-11): treatment satisfaction. Null when none answered. */
	treatmentMean: number | null;
	lifeAnswered: number;
	treatmentAnswered: number;
}

export const DIALOG_LIFE_ITEMS = 8;

const SATISFACTION = scale(1, [
	'Totally dissatisfied',
	'Very dissatisfied',
	'Fairly dissatisfied',
	'In the middle',
	'Fairly satisfied',
	'Very satisfied',
	'Totally satisfied'
]);

/** The eleven areas in item order: key and how a sentence names it ("your mental health"). */
export const DIALOG_AREA_PHRASES: readonly [string, string][] = [
	['mental-health', 'your mental health'],
	['physical-health', 'your physical health'],
	['job-situation', 'your job situation'],
	['accommodation', 'your accommodation'],
	['leisure-activities', 'your leisure activities'],
	['partner-family', 'your relationship with your partner/family'],
	['friendships', 'your friendships'],
	['personal-safety', 'your personal safety'],
	['medication', 'your medication'],
	['practical-help', 'the practical help you receive'],
	['meetings', 'your meetings with mental health professionals']
];

const items: Item[] = DIALOG_AREA_PHRASES.map(([key, area]) => ({
	key,
	text: `How satisfied are you with ${area}?`,
	scale: SATISFACTION,
	skippable: true
}));

/**
 * Mean rounded half up to 2 decimal places. Computed from the whole-number sum, so the halfway cases
 * are exact: 33/8 = 4.125 gives 4.13 (with 3, 6 or 7 items the mean is never exactly halfway).
 */
export function roundedMean(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	return Math.round((sum(values) * 100) / values.length) / 100;
}

export const dialog: Instrument<DialogResult> = {
	id: 'dialog',
	title: 'DIALOG',
	instructions:
		'Rate how satisfied you are with each area of your life and your care, from 1 (totally dissatisfied) to 7 (totally satisfied). Skip an area if it does not apply to you.',
	items,
	followUp: {
		question: 'Do you want more help in this area?',
		options: [
			{ value: true, label: 'Yes' },
			{ value: false, label: 'No' }
		]
	},
	licence: {
		notice: 'DIALOG and DIALOG+ were developed by Queen Mary University of London and are free to use.',
		mustShowNotice: false,
		requiresLicence: false,
		terms: 'Free to use; no registration or notice needed.'
	},
	score(answers) {
		const checked = checkAnswers(dialog, answers);
		const life = checked.slice(0, DIALOG_LIFE_ITEMS).filter((v): v is number => v !== null);
		const treatment = checked.slice(DIALOG_LIFE_ITEMS).filter((v): v is number => v !== null);
		return {
			lifeMean: roundedMean(life),
			treatmentMean: roundedMean(treatment),
			lifeAnswered: life.length,
			treatmentAnswered: treatment.length
		};
	}
};
