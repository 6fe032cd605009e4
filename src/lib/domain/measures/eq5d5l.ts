/**
 * EQ-5D-5L, descriptive system only: five dimensions at levels 1-5 and the optional 0-100 health scale (VAS).
 * The result is the health-state profile ("11223"); no value set or index is applied.
 * Needs a EuroQol licence: off unless a programme records that it holds one. The level labels here are
 * the generic severity levels; a licensed programme shows the official wording EuroQol supplies with the licence.
 */
import { checkAnswers, scale, type Instrument } from './instrument';

export interface Eq5d5lResult {
	/** Five digits, one level (1-5) per dimension in order: mobility, self-care, usual activities, pain/discomfort, anxiety/depression. */
	profile: string;
	/** The 0-100 health scale, or null when not answered. */
	vas: number | null;
}

const DIMENSIONS: readonly [string, string, string, string][] = [
	['mobility', 'Mobility', 'walking about', 'Unable to walk about'],
	['self-care', 'Self-care', 'washing or dressing yourself', 'Unable to wash or dress yourself'],
	['usual-activities', 'Usual activities (for example work, study, housework, family or leisure activities)', 'doing your usual activities', 'Unable to do your usual activities'],
	['pain-discomfort', 'Pain / discomfort', 'pain or discomfort', 'Extreme pain or discomfort'],
	['anxiety-depression', 'Anxiety / depression', 'anxiety or depression', 'Extremely anxious or depressed']
];

const dimensionItems = DIMENSIONS.map(([key, title, problem, worst]) => ({
	key,
	text: `${title}: choose the one that best describes your health today.`,
	scale: scale(1, [
		`No problems with ${problem}`,
		`Slight problems with ${problem}`,
		`Moderate problems with ${problem}`,
		`Severe problems with ${problem}`,
		worst
	]),
	skippable: false
}));

const VAS = scale(
	0,
	Array.from({ length: 101 }, (_, i) =>
		i === 0 ? '0 - the worst health you can imagine' : i === 100 ? '100 - the best health you can imagine' : String(i)
	)
);

export const eq5d5l: Instrument<Eq5d5lResult> = {
	id: 'eq5d5l',
	title: 'EQ-5D-5L',
	instructions: 'Under each heading, choose the one answer that best describes your health today.',
	items: [
		...dimensionItems,
		{ key: 'vas', text: 'How good or bad is your health today, from 0 (the worst health you can imagine) to 100 (the best)?', scale: VAS, skippable: true }
	],
	licence: {
		notice: 'EQ-5D is a trade mark of the EuroQol Research Foundation. Used under licence.',
		mustShowNotice: true,
		requiresLicence: true,
		terms: 'Needs a licence from the EuroQol Research Foundation (euroqol.org); turned on only for a programme that records it holds one.'
	},
	score(answers) {
		const checked = checkAnswers(eq5d5l, answers, [5, 6]);
		return { profile: checked.slice(0, 5).join(''), vas: checked[5] ?? null };
	}
};

