/**
 * The generic wellbeing check-in pages over the registry: one radios question per item with the scale's
 * own labels, the 0-100 health scale as a number box, answers read back only within the scale, scoring
 * through the instrument's own function, and the result in words without severity labels.
 */
import { describe, expect, it } from 'vitest';
import { validateRaw } from '../../src/lib/domain/fields';
import {
	INSTRUMENTS,
	QUESTIONNAIRE_IDS,
	answerWords,
	eq5d5l,
	nextQuestion,
	phq9,
	questionForm,
	readQuestionnaireAnswers,
	resultSentences,
	scoreQuestionnaire,
	swemwbs
} from '../../src/lib/domain/measures';

describe('wellbeing questionnaire pages', () => {
	it('covers every instrument but DIALOG', () => {
		expect(QUESTIONNAIRE_IDS).toEqual(['swemwbs', 'ons4', 'gad7', 'phq9', 'phq8', 'eq5d5l']);
	});

	it('asks each item with its own answer labels, and refuses no answer or a value off the scale', () => {
		for (const id of QUESTIONNAIRE_IDS) {
			const instrument = INSTRUMENTS[id];
			instrument.items.forEach((item, i) => {
				const form = questionForm(instrument, i);
				const [field] = form.fields;
				expect(field.label).toBe(item.text);
				if (field.kind === 'radios') expect(field.options.map((o) => o.label)).toEqual(item.scale.options.map((o) => o.label));
				const top = validateRaw(form, { answer: String(item.scale.max) });
				expect(top.ok && top.values.answer).toBe(item.scale.max);
				expect(validateRaw(form, { answer: String(item.scale.max + 1) }).ok).toBe(false);
				expect(validateRaw(form, { answer: String(item.scale.min - 1) }).ok).toBe(false);
				const empty = validateRaw(form, { answer: '' });
				expect(empty.ok).toBe(item.skippable);
			});
		}
	});

	it('shows the EQ-5D-5L health scale as a number box that may be left empty', () => {
		const form = questionForm(eq5d5l, 5);
		expect(form.fields[0].kind).toBe('text');
		const empty = validateRaw(form, { answer: ' ' });
		expect(empty.ok && empty.values.answer).toBeNull();
		const r = validateRaw(form, { answer: '57' });
		expect(r.ok && r.values.answer).toBe(57);
		expect(validateRaw(form, { answer: '5.5' }).ok).toBe(false);
		expect(validateRaw(form, { answer: '101' }).ok).toBe(false);
	});

	it('reads back only the instrument’s items and values on their scale', () => {
		expect(readQuestionnaireAnswers(swemwbs, { optimistic: 3, useful: 9, relaxed: null, other: 2, 'own-mind': '4' })).toEqual({ optimistic: 3 });
		expect(readQuestionnaireAnswers(eq5d5l, { vas: null, mobility: 1 })).toEqual({ vas: null, mobility: 1 });
		expect(readQuestionnaireAnswers(swemwbs, [1, 2])).toEqual({});
	});

	it('scores only when every question is answered, with the registry’s function', () => {
		const answers: Record<string, number> = {};
		for (const [i, item] of swemwbs.items.entries()) {
			expect(nextQuestion(swemwbs, answers)).toBe(i);
			expect(scoreQuestionnaire(swemwbs, answers)).toBeNull();
			answers[item.key] = 4;
		}
		expect(nextQuestion(swemwbs, answers)).toBeNull();
		expect(scoreQuestionnaire(swemwbs, answers)).toEqual(swemwbs.score([4, 4, 4, 4, 4, 4, 4]));
	});

	it('says the result in words, with its range and direction, never a severity band', () => {
		expect(resultSentences('swemwbs', swemwbs.score([4, 4, 4, 4, 4, 4, 2]))).toEqual([
			'Your wellbeing score is 23.21. Scores go from 7 to 35: a higher score is better.'
		]);
		const phq = resultSentences('phq9', phq9.score([3, 3, 3, 3, 3, 2, 0, 0, 0]));
		expect(phq).toEqual(['Your depression score is 17. Scores go from 0 to 27: a lower score means fewer symptoms.']);
		expect(phq.join(' ')).not.toMatch(/severe|moderate|mild|minimal/i);
		expect(resultSentences('eq5d5l', { profile: '11111', vas: 80 })).toEqual(['You rated your health today 80 out of 100.']);
		expect(resultSentences('eq5d5l', { profile: '11111', vas: null })).toEqual([]);
	});

	it('writes answers with the scale’s labels', () => {
		expect(answerWords(phq9.items[8], 1)).toBe('Several days');
		expect(answerWords(eq5d5l.items[5], null)).toBe('Not answered');
	});
});
