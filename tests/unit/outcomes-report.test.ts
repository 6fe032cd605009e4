import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addInto, ageBand, CELL_KEYS, emptyCounts, equalityKey, equalityLabel, median, monthLabel, rowCells } from '../../src/lib/domain/outcomes-report';

describe('the outcomes report, pure parts', () => {
	it('takes the median of working days (the mean of the middle two for an even count), or none', () => {
		expect([median([]), median([7]), median([9, 1, 5]), median([5, 54]), median([1, 2, 2, 10])]).toEqual([null, 7, 5, 29.5, 2]);
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1 }), (xs) => {
				const m = median(xs)!;
				expect(xs.filter((x) => x < m).length).toBeLessThanOrEqual(xs.length / 2);
				expect(xs.filter((x) => x > m).length).toBeLessThanOrEqual(xs.length / 2);
			})
		);
	});

	it('puts people in age bands by their age on the day they referred', () => {
		expect(ageBand('2000-06-15', '2025-06-14')).toBe('16-24');
		expect(ageBand('2000-06-15', '2025-06-15')).toBe('25-34');
		expect(ageBand('1976-01-01', '2026-01-01')).toBe('50-64');
		expect(ageBand('1950-01-01', '2026-01-01')).toBe('65+');
		expect(ageBand('2012-01-01', '2026-01-01')).toBe('under-16');
		expect([equalityLabel('age-band', '35-49'), equalityLabel('age-band', '65+'), equalityLabel('age-band', '')]).toEqual(['35 to 49', '65 and over', 'Not given']);
	});

	it('groups only by answers given from the pages’ own options', () => {
		expect(equalityKey('gender', { gender: 'woman' }, '1985-01-01', '2026-01-01')).toBe('woman');
		expect(equalityKey('gender', {}, '1985-01-01', '2026-01-01')).toBe('');
		expect(equalityKey('ethnicity', { ethnicity: 'made-up' }, '1985-01-01', '2026-01-01')).toBe('');
		expect(equalityKey('disability', { dailyImpact: 'prefer-not-to-say' }, '1985-01-01', '2026-01-01')).toBe('prefer-not-to-say');
		expect(equalityLabel('disability', 'prefer-not-to-say')).toBe('Prefers not to say');
		expect(equalityLabel('ethnicity', 'asian')).toBe('Asian or Asian British');
		expect(monthLabel('2031-03')).toBe('March 2031');
	});

	it('leaves out, for sharing, counts 1 to 4 and what is worked from them; equality rows have no steps before referring', () => {
		const c = addInto(emptyCounts(), { ...emptyCounts(), visits: 40, checksStarted: 30, referrals: 12, contactedWithinTarget: 3, daysToFirstContact: [1, 2, 3], firstMeetings: 6, meetingsHeld: 15 });
		const cell = (cells: string[], key: string) => cells[CELL_KEYS.indexOf(key)];
		const plain = rowCells(c);
		expect([cell(plain, 'contactedWithinTarget'), cell(plain, 'medianDaysToFirstContact'), cell(plain, 'meetingsPerParticipant'), cell(plain, 'contactedInTime'), cell(plain, 'checkToReferral')]).toEqual(['3', '2', '2.5', '25', '40']);
		const sharing = rowCells(c, { sharing: true });
		expect([cell(sharing, 'contactedWithinTarget'), cell(sharing, 'medianDaysToFirstContact'), cell(sharing, 'meetingsPerParticipant'), cell(sharing, 'contactedInTime'), cell(sharing, 'referrals')]).toEqual(['<5', '', '2.5', '', '12']);
		const equality = rowCells(c, { equality: true });
		expect([cell(equality, 'visits'), cell(equality, 'checkToReferral'), cell(equality, 'referrals')]).toEqual(['', '', '12']);
	});
});
