import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	INSTRUMENTS,
	INSTRUMENT_IDS,
	MeasureInputError,
	dialog,
	eq5d5l,
	gad7,
	getInstrument,
	instrumentAvailable,
	ons4,
	phq8,
	phq9,
	swemwbs
} from '../../src/lib/domain/measures';

/** The published SWEMWBS raw -> metric table, copied from DOMAIN.md section 6 (independent of the code's copy). */
const PUBLISHED_METRIC = `7 7.00, 8 9.51, 9 11.25, 10 12.40, 11 13.33, 12 14.08, 13 14.75, 14 15.32,
15 15.84, 16 16.36, 17 16.88, 18 17.43, 19 17.98, 20 18.59, 21 19.25, 22 19.98, 23 20.73, 24 21.54, 25 22.35,
26 23.21, 27 24.11, 28 25.03, 29 26.02, 30 27.03, 31 28.13, 32 29.31, 33 30.70, 34 32.55, 35 35.00`
	.split(',')
	.map((pair) => pair.trim().split(' ').map(Number) as [number, number]);

/** Answers of `count` items on min..max summing to `total`, spread as evenly as possible or piled up front. */
function vectorsSummingTo(total: number, count: number, min: number, max: number): number[][] {
	const even = Array.from({ length: count }, (_, i) => min + Math.floor((total - min * count + i) / count));
	const piled: number[] = [];
	let left = total - min * count;
	for (let i = 0; i < count; i++) {
		const extra = Math.min(max - min, left);
		piled.push(min + extra);
		left -= extra;
	}
	return [even, piled];
}

function refusal(fn: () => unknown): MeasureInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(MeasureInputError);
		return error as MeasureInputError;
	}
	throw new Error('expected the answers to be refused');
}

const arrayOf = (length: number, min: number, max: number) =>
	fc.array(fc.integer({ min, max }), { minLength: length, maxLength: length });

describe('registry', () => {
	it('lists the seven instruments by id, each with items, a labelled scale and a licence', () => {
		expect(INSTRUMENT_IDS).toEqual(['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9', 'phq8', 'eq5d5l']);
		const counts = { dialog: 11, swemwbs: 7, ons4: 4, gad7: 7, phq9: 9, phq8: 8, eq5d5l: 6 };
		for (const id of INSTRUMENT_IDS) {
			const instrument = INSTRUMENTS[id];
			expect(instrument.id).toBe(id);
			expect(instrument.items).toHaveLength(counts[id]);
			expect(instrument.licence.notice.length).toBeGreaterThan(10);
			for (const item of instrument.items) {
				expect(item.text.length).toBeGreaterThan(5);
				expect(item.scale.options.map((o) => o.value)).toEqual(
					Array.from({ length: item.scale.max - item.scale.min + 1 }, (_, i) => item.scale.min + i)
				);
				for (const option of item.scale.options) expect(option.label).not.toBe('');
			}
		}
	});
	it('asks DIALOG in the order of the published scale, with "more help?" after each', () => {
		expect(dialog.items[0].text).toBe('How satisfied are you with your mental health?');
		expect(dialog.items[10].text).toBe('How satisfied are you with your meetings with mental health professionals?');
		expect(dialog.items[0].scale.options[0]).toEqual({ value: 1, label: 'Totally dissatisfied' });
		expect(dialog.items[0].scale.options[6]).toEqual({ value: 7, label: 'Totally satisfied' });
		expect(dialog.followUp?.question).toBe('Do you want more help in this area?');
	});
	it('uses the standard PHQ-9 item 9 wording and PHQ-8 drops it', () => {
		expect(phq9.items[8].text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
		expect(phq8.items.map((i) => i.text)).toEqual(phq9.items.slice(0, 8).map((i) => i.text));
	});
	it('shows the SWEMWBS notice and keeps EQ-5D-5L off unless the programme holds a licence', () => {
		expect(swemwbs.licence.mustShowNotice).toBe(true);
		expect(swemwbs.licence.notice).toBe(
			'SWEMWBS (c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.'
		);
		expect(eq5d5l.licence.requiresLicence).toBe(true);
		expect(instrumentAvailable('eq5d5l', [])).toBe(false);
		expect(instrumentAvailable('eq5d5l', ['eq5d5l'])).toBe(true);
		for (const id of INSTRUMENT_IDS.filter((i) => i !== 'eq5d5l')) expect(instrumentAvailable(id, [])).toBe(true);
	});
	it('finds instruments by exact id only', () => {
		expect(getInstrument('phq9')).toBe(phq9);
		expect(getInstrument('PHQ9')).toBeUndefined();
		expect(getInstrument('toString')).toBeUndefined();
	});
});

describe('DIALOG', () => {
	it('scores the lowest and highest answers', () => {
		expect(dialog.score(Array(11).fill(1))).toMatchObject({ lifeMean: 1, treatmentMean: 1 });
		expect(dialog.score(Array(11).fill(7))).toMatchObject({ lifeMean: 7, treatmentMean: 7 });
	});
	it('takes the mean of the first eight for life and of the last three for treatment', () => {
		expect(dialog.score([1, 2, 3, 4, 5, 6, 7, 7, 2, 3, 5])).toEqual({
			lifeMean: 4.38, // 35/8 = 4.375, rounded half up
			treatmentMean: 3.33, // 10/3
			lifeAnswered: 8,
			treatmentAnswered: 3
		});
		expect(dialog.score([4, 4, 4, 4, 4, 4, 4, 5, 7, 7, 6]).lifeMean).toBe(4.13); // 33/8 = 4.125
		expect(dialog.score([4, 4, 4, 4, 4, 4, 4, 4, 7, 7, 7]).treatmentMean).toBe(7);
		expect(dialog.score([4, 4, 4, 4, 4, 4, 4, 4, 6, 6, 7]).treatmentMean).toBe(6.33); // 19/3
		expect(dialog.score([4, 4, 4, 4, 4, 4, 4, 4, 6, 7, 7]).treatmentMean).toBe(6.67); // 20/3
	});
	it('leaves skipped items out of the mean', () => {
		expect(dialog.score([4, 5, null, 6, 7, 7, 7, 7, null, null, 3])).toEqual({
			lifeMean: 6.14, // 43/7
			treatmentMean: 3,
			lifeAnswered: 7,
			treatmentAnswered: 1
		});
	});
	it('gives null means when a whole group is skipped', () => {
		expect(dialog.score([...Array(8).fill(null), 2, 3, 4])).toEqual({
			lifeMean: null,
			treatmentMean: 3,
			lifeAnswered: 0,
			treatmentAnswered: 3
		});
		expect(dialog.score([...Array(8).fill(5), null, null, null])).toMatchObject({ lifeMean: 5, treatmentMean: null });
		expect(dialog.score(Array(11).fill(null))).toMatchObject({ lifeMean: null, treatmentMean: null });
	});
	it('refuses ratings outside 1-7, fractions and the wrong count', () => {
		expect(refusal(() => dialog.score([0, ...Array(10).fill(4)])).message).toBe(
			'Item 1 of DIALOG must be a whole number from 1 to 7, got 0'
		);
		expect(refusal(() => dialog.score([...Array(10).fill(4), 8])).item).toBe(11);
		expect(refusal(() => dialog.score([4.5, ...Array(10).fill(4)])).problem).toBe('out-of-range');
		expect(refusal(() => dialog.score(Array(10).fill(4))).message).toBe('DIALOG needs 11 answers, got 10');
	});
	it('keeps both means within 1-7 and equal to the hand mean, whatever is skipped', () => {
		const rating = fc.option(fc.integer({ min: 1, max: 7 }), { nil: null });
		fc.assert(
			fc.property(fc.array(rating, { minLength: 11, maxLength: 11 }), (answers) => {
				const result = dialog.score(answers);
				const life = answers.slice(0, 8).filter((a) => a !== null) as number[];
				for (const [mean, values] of [
					[result.lifeMean, life],
					[result.treatmentMean, answers.slice(8).filter((a) => a !== null) as number[]]
				] as const) {
					if (values.length === 0) expect(mean).toBeNull();
					else {
						expect(mean).toBeGreaterThanOrEqual(1);
						expect(mean).toBeLessThanOrEqual(7);
						const exact = values.reduce((a, b) => a + b, 0) / values.length;
						expect(Math.abs(mean! - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
						expect(Number(mean!.toFixed(2))).toBe(mean); // at most 2 decimals
					}
				}
			})
		);
	});
});

describe('SWEMWBS', () => {
	it('converts every raw total 7-35 with the published table', () => {
		expect(PUBLISHED_METRIC).toHaveLength(29);
		for (const [raw, metric] of PUBLISHED_METRIC) {
			for (const answers of vectorsSummingTo(raw, 7, 1, 5)) {
				expect(answers.reduce((a, b) => a + b, 0)).toBe(raw);
				expect(swemwbs.score(answers)).toEqual({ raw, metric });
			}
		}
	});
	it('gives the published metric for any answers with the same raw total', () => {
		const table = new Map(PUBLISHED_METRIC);
		fc.assert(
			fc.property(arrayOf(7, 1, 5), (answers) => {
				const raw = answers.reduce((a, b) => a + b, 0);
				expect(swemwbs.score(answers)).toEqual({ raw, metric: table.get(raw) });
			})
		);
	});
	it('refuses skipped items and answers outside 1-5', () => {
		expect(refusal(() => swemwbs.score([5, 5, null, 5, 5, 5, 5])).message).toBe(
			'Item 3 of SWEMWBS needs an answer (it cannot be skipped)'
		);
		expect(refusal(() => swemwbs.score([5, 5, 5, 5, 5, 5, 6])).message).toBe(
			'Item 7 of SWEMWBS must be a whole number from 1 to 5, got 6'
		);
		expect(refusal(() => swemwbs.score([0, 5, 5, 5, 5, 5, 5])).item).toBe(1);
	});
});

describe('ONS4', () => {
	const positive = ['low', 'low', 'low', 'low', 'low', 'medium', 'medium', 'high', 'high', 'very high', 'very high'];
	const anxiety = ['very low', 'very low', 'low', 'low', 'medium', 'medium', 'high', 'high', 'high', 'high', 'high'];
	it('bands every score of every question, on both sides of each boundary', () => {
		for (let score = 0; score <= 10; score++) {
			const result = ons4.score([score, score, score, score]);
			expect(result.scores).toEqual([score, score, score, score]);
			expect(result.bands).toEqual([positive[score], positive[score], positive[score], anxiety[score]]);
		}
	});
	it('reports each question separately, never a total', () => {
		const result = ons4.score([0, 5, 9, 10]);
		expect(result).toEqual({ scores: [0, 5, 9, 10], bands: ['low', 'medium', 'very high', 'high'] });
		expect(Object.keys(result)).toEqual(['scores', 'bands']);
	});
	it('refuses scores outside 0-10 and skipped items', () => {
		expect(refusal(() => ons4.score([11, 5, 5, 5])).message).toBe('Item 1 of ONS4 must be a whole number from 0 to 10, got 11');
		expect(refusal(() => ons4.score([5, 5, 5, -1])).item).toBe(4);
		expect(refusal(() => ons4.score([5, null, 5, 5])).problem).toBe('missing-answer');
		expect(refusal(() => ons4.score([5, 5, 5])).message).toBe('ONS4 needs 4 answers, got 3');
	});
});

describe('GAD-7', () => {
	const cases: [number, string][] = [
		[0, 'minimal'], [4, 'minimal'], [5, 'mild'], [9, 'mild'],
		[10, 'moderate'], [14, 'moderate'], [15, 'severe'], [21, 'severe']
	];
	it('bands the lowest, highest and both sides of each boundary', () => {
		for (const [total, band] of cases)
			for (const answers of vectorsSummingTo(total, 7, 0, 3)) expect(gad7.score(answers)).toEqual({ total, band });
	});
	it('totals the answers and never moves to a lower band as the total rises', () => {
		const order = ['minimal', 'mild', 'moderate', 'severe'];
		fc.assert(
			fc.property(arrayOf(7, 0, 3), fc.integer({ min: 0, max: 6 }), (answers, i) => {
				const result = gad7.score(answers);
				expect(result.total).toBe(answers.reduce((a, b) => a + b, 0));
				if (answers[i] < 3) {
					const higher = gad7.score(answers.map((a, j) => (j === i ? a + 1 : a)));
					expect(order.indexOf(higher.band)).toBeGreaterThanOrEqual(order.indexOf(result.band));
				}
			})
		);
	});
	it('refuses answers outside 0-3 with the item number', () => {
		expect(refusal(() => gad7.score([0, 0, 4, 0, 0, 0, 0])).message).toBe('Item 3 of GAD-7 must be a whole number from 0 to 3, got 4');
		expect(refusal(() => gad7.score([0, 0, 0, 0, 0, 0, '1'])).message).toBe(
			'Item 7 of GAD-7 must be a whole number from 0 to 3, got "1"'
		);
		expect(refusal(() => gad7.score([0, 0, 0, 0, 0, 0, 0, 0])).message).toBe('GAD-7 needs 7 answers, got 8');
	});
});

describe('PHQ-9 and PHQ-8', () => {
	const cases: [number, string][] = [
		[0, 'none-minimal'], [4, 'none-minimal'], [5, 'mild'], [9, 'mild'], [10, 'moderate'], [14, 'moderate'],
		[15, 'moderately severe'], [19, 'moderately severe'], [20, 'severe']
	];
	it('bands PHQ-9 totals at the lowest, highest and both sides of each boundary', () => {
		for (const [total, band] of [...cases, [27, 'severe'] as [number, string]])
			for (const answers of vectorsSummingTo(total, 9, 0, 3))
				expect(phq9.score(answers)).toEqual({ total, band, item9Alert: answers[8] > 0 });
	});
	it('bands PHQ-8 the same way up to its highest total of 24', () => {
		for (const [total, band] of [...cases, [24, 'severe'] as [number, string]])
			for (const answers of vectorsSummingTo(total, 8, 0, 3)) expect(phq8.score(answers)).toEqual({ total, band });
	});
	it('raises the item 9 alert whenever item 9 is above 0, and only then', () => {
		expect(phq9.score([0, 0, 0, 0, 0, 0, 0, 0, 1])).toEqual({ total: 1, band: 'none-minimal', item9Alert: true });
		expect(phq9.score([3, 3, 3, 3, 3, 3, 3, 3, 0])).toEqual({ total: 24, band: 'severe', item9Alert: false });
		fc.assert(
			fc.property(arrayOf(9, 0, 3), (answers) => {
				const result = phq9.score(answers);
				expect(result.item9Alert).toBe(answers[8] > 0);
				expect(result.total).toBe(answers.reduce((a, b) => a + b, 0));
			})
		);
	});
	it('puts a higher PHQ-9 total in the same or a higher band', () => {
		const order = ['none-minimal', 'mild', 'moderate', 'moderately severe', 'severe'];
		fc.assert(
			fc.property(arrayOf(9, 0, 3), arrayOf(9, 0, 3), (a, b) => {
				const [x, y] = [phq9.score(a), phq9.score(b)];
				if (x.total <= y.total) expect(order.indexOf(x.band)).toBeLessThanOrEqual(order.indexOf(y.band));
			})
		);
	});
	it('scores the first eight PHQ-9 answers as PHQ-8', () => {
		fc.assert(
			fc.property(arrayOf(9, 0, 3), (answers) => {
				const eight = phq8.score(answers.slice(0, 8));
				expect(eight.total).toBe(phq9.score(answers).total - answers[8]);
				expect(Object.keys(eight)).toEqual(['total', 'band']);
			})
		);
	});
	it('refuses the wrong count, skipped items and out-of-range answers', () => {
		expect(refusal(() => phq9.score([0, 0, 0, 0, 0, 0, 0, 0])).message).toBe('PHQ-9 needs 9 answers, got 8');
		expect(refusal(() => phq8.score([0, 0, 0, 0, 0, 0, 0, 0, 0])).message).toBe('PHQ-8 needs 8 answers, got 9');
		expect(refusal(() => phq9.score([0, 0, 0, 0, 0, 0, 0, 0, null])).message).toBe(
			'Item 9 of PHQ-9 needs an answer (it cannot be skipped)'
		);
		expect(refusal(() => phq9.score([0, 0, 0, 0, 0, 0, 0, 0, NaN])).problem).toBe('out-of-range');
		expect(refusal(() => phq9.score([0, 0, 0, 0, 0, 0, 0, 0, Infinity])).item).toBe(9);
		expect(refusal(() => phq9.score('000000000' as unknown as number[])).problem).toBe('not-a-list');
	});
});

describe('EQ-5D-5L', () => {
	it('gives the five-digit profile and the optional health scale', () => {
		expect(eq5d5l.score([1, 1, 2, 2, 3])).toEqual({ profile: '11223', vas: null });
		expect(eq5d5l.score([1, 1, 1, 1, 1, 0])).toEqual({ profile: '11111', vas: 0 });
		expect(eq5d5l.score([5, 5, 5, 5, 5, 100])).toEqual({ profile: '55555', vas: 100 });
		expect(eq5d5l.score([5, 4, 3, 2, 1, null])).toEqual({ profile: '54321', vas: null });
	});
	it('refuses levels outside 1-5, a health scale outside 0-100 and the wrong count', () => {
		expect(refusal(() => eq5d5l.score([1, 1, 6, 1, 1])).message).toBe('Item 3 of EQ-5D-5L must be a whole number from 1 to 5, got 6');
		expect(refusal(() => eq5d5l.score([1, 1, 1, 1, 1, 101])).item).toBe(6);
		expect(refusal(() => eq5d5l.score([1, 1, null, 1, 1])).problem).toBe('missing-answer');
		expect(refusal(() => eq5d5l.score([1, 1, 1, 1])).message).toBe('EQ-5D-5L needs 5 or 6 answers, got 4');
	});
});
