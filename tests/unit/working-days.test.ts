import { describe, it, expect } from 'vitest';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../src/lib/domain/working-days';

/** England and Wales bank holidays around the end of 2026 (test inputs). */
const HOLIDAYS: ReadonlySet<string> = new Set(['2026-08-31', '2026-12-25', '2026-12-28', '2027-01-01']);
const NONE: ReadonlySet<string> = new Set();

describe('isWorkingDay', () => {
	it('is true on an ordinary weekday', () => {
		expect(isWorkingDay('2026-11-23', HOLIDAYS)).toBe(true); // Monday
		expect(isWorkingDay('2026-11-27', HOLIDAYS)).toBe(true); // Friday
	});
	it('is false at weekends', () => {
		expect(isWorkingDay('2026-11-28', HOLIDAYS)).toBe(false); // Saturday
		expect(isWorkingDay('2026-11-29', HOLIDAYS)).toBe(false); // Sunday
	});
	it('is false on bank holidays', () => {
		for (const d of HOLIDAYS) expect(isWorkingDay(d, HOLIDAYS)).toBe(false);
	});
	it('uses only the bank holidays it is given', () => {
		expect(isWorkingDay('2026-12-25', NONE)).toBe(true);
		expect(isWorkingDay('2026-12-26', NONE)).toBe(false); // Saturday anyway
	});
});

describe('addWorkingDays', () => {
	it('does not count the start day', () => {
		expect(addWorkingDays('2026-11-23', 1, NONE)).toBe('2026-11-24');
		expect(addWorkingDays('2026-11-23', 0, NONE)).toBe('2026-11-23');
	});
	it('goes from Friday to Monday', () => {
		expect(addWorkingDays('2026-11-27', 1, NONE)).toBe('2026-11-30');
	});
	it('goes from Friday with 2 days to Tuesday', () => {
		expect(addWorkingDays('2026-11-27', 2, NONE)).toBe('2026-12-01');
	});
	it('counts from a weekend start to the next working days', () => {
		expect(addWorkingDays('2026-11-28', 1, NONE)).toBe('2026-11-30'); // Saturday -> Monday
		expect(addWorkingDays('2026-11-29', 1, NONE)).toBe('2026-11-30'); // Sunday -> Monday
	});
	it('adds a whole week as 5 working days', () => {
		expect(addWorkingDays('2026-11-23', 5, NONE)).toBe('2026-11-30');
		expect(addWorkingDays('2026-11-23', 10, NONE)).toBe('2026-12-07');
	});
	it('skips Christmas, the Boxing Day substitute and the weekend', () => {
		expect(addWorkingDays('2026-12-24', 1, HOLIDAYS)).toBe('2026-12-29');
		expect(addWorkingDays('2026-12-24', 1, NONE)).toBe('2026-12-25');
	});
	it('skips New Year and crosses into the next year', () => {
		expect(addWorkingDays('2026-12-31', 1, HOLIDAYS)).toBe('2027-01-04');
		// 5-day target from 23 December: 24, 29, 30, 31 December and 4 January.
		expect(addWorkingDays('2026-12-23', 5, HOLIDAYS)).toBe('2027-01-04');
	});
	it('skips the August bank holiday Monday', () => {
		expect(addWorkingDays('2026-08-28', 1, HOLIDAYS)).toBe('2026-09-01');
	});
	it('handles the end of February and leap years', () => {
		expect(addWorkingDays('2026-02-27', 1, NONE)).toBe('2026-03-02');
		expect(addWorkingDays('2028-02-28', 1, NONE)).toBe('2028-02-29');
	});
	it('is unaffected by the clocks changing', () => {
		// Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
		expect(addWorkingDays('2026-03-27', 1, NONE)).toBe('2026-03-30');
		expect(addWorkingDays('2026-10-23', 1, NONE)).toBe('2026-10-26');
		expect(addWorkingDays('2026-03-23', 10, NONE)).toBe('2026-04-06');
	});
	it('always lands on a working day', () => {
		let start = '2026-12-01';
		for (let i = 0; i < 45; i++) {
			for (const n of [1, 2, 5, 10]) expect(isWorkingDay(addWorkingDays(start, n, HOLIDAYS), HOLIDAYS)).toBe(true);
			start = addWorkingDays(start, 1, NONE);
		}
	});
});

describe('workingDaysBetween', () => {
	it('is zero for the same day', () => {
		expect(workingDaysBetween('2026-12-25', '2026-12-25', HOLIDAYS)).toBe(0);
		expect(workingDaysBetween('2026-11-23', '2026-11-23', HOLIDAYS)).toBe(0);
	});
	it('counts from the start (exclusive) to the end (inclusive)', () => {
		expect(workingDaysBetween('2026-11-23', '2026-11-24', NONE)).toBe(1);
		expect(workingDaysBetween('2026-11-23', '2026-11-27', NONE)).toBe(4);
		expect(workingDaysBetween('2026-11-27', '2026-11-30', NONE)).toBe(1);
		expect(workingDaysBetween('2026-11-27', '2026-11-29', NONE)).toBe(0);
	});
	it('skips bank holidays', () => {
		expect(workingDaysBetween('2026-12-24', '2026-12-29', HOLIDAYS)).toBe(1);
		expect(workingDaysBetween('2026-12-24', '2026-12-29', NONE)).toBe(3);
		expect(workingDaysBetween('2026-12-23', '2027-01-04', HOLIDAYS)).toBe(5);
	});
	it('is negative when the end is earlier', () => {
		expect(workingDaysBetween('2026-11-30', '2026-11-27', NONE)).toBe(-1);
		expect(workingDaysBetween('2027-01-04', '2026-12-23', HOLIDAYS)).toBe(-5);
	});
	it('undoes addWorkingDays', () => {
		for (const start of ['2026-12-21', '2026-12-24', '2026-12-31', '2026-08-27']) {
			for (const n of [1, 3, 5, 10]) {
				expect(workingDaysBetween(start, addWorkingDays(start, n, HOLIDAYS), HOLIDAYS)).toBe(n);
			}
		}
	});
});
