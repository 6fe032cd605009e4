/** PHQ-8: the PHQ-9 without item 9 (thoughts of self-harm), for settings where that item cannot be followed up. */
import { checkAnswers, sum, type Instrument } from './instrument';
import { PHQ_INSTRUCTIONS, PHQ_LICENCE, phq9, phqBand, type PhqResult } from './phq9';

/** PHQ-8: the first eight PHQ-9 items (no item 9), same bands. */
export const phq8: Instrument<PhqResult> = {
	id: 'phq8',
	title: 'PHQ-8',
	instructions: PHQ_INSTRUCTIONS,
	items: phq9.items.slice(0, 8),
	licence: PHQ_LICENCE,
	score(answers) {
		const total = sum(checkAnswers(phq8, answers) as number[]);
		return { total, band: phqBand(total) };
	}
};
