import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import {
	UK_TIME_ZONE,
	formatDate,
	formatLongDate,
	formatShortDay,
	formatUkDateTime,
	formatUkFullDateTime,
	formatUkShortDate,
	formatUkSpreadsheetDateTime,
	formatUkTimestamp,
	parseUkDateTime,
	ukDate,
	ukMidnight
} from '../../src/lib/domain/uk-time';

const at = (iso: string) => new Date(iso);

describe('ukDate', () => {
	it('uses the Europe/London time zone', () => {
		expect(UK_TIME_ZONE).toBe('Europe/London');
	});
	it('is the next day in the UK late in a BST evening', () => {
		expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
		expect(ukDate(new Date('2026-06-30T22:59:59Z'))).toBe('2026-06-30');
		expect(ukDate(new Date('2026-06-30T23:00:00Z'))).toBe('2026-07-01');
	});
	it('is the same as UTC in winter (GMT)', () => {
		expect(ukDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
		expect(ukDate(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01-01');
	});
	it('follows the clock changes', () => {
		// BST starts at 01:00 UTC on 29 March 2026 and ends at 01:00 UTC on 25 October 2026.
		expect(ukDate(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-28');
		expect(ukDate(new Date('2026-03-29T23:30:00Z'))).toBe('2026-03-30');
		expect(ukDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
		expect(ukDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
	});
});

describe('formatLongDate', () => {
	it('writes the day of the week, day, month and year', () => {
		expect(formatLongDate('2026-12-01')).toBe('Tuesday 1 December 2026');
		expect(formatLongDate('2027-01-04')).toBe('Monday 4 January 2027');
	});
});

describe('the 2027 clock changes (BST from 01:00 UTC on 28 March to 01:00 UTC on 31 October)', () => {
	it('moves the UK date at 23:00 UTC in summer and at midnight UTC in winter', () => {
		expect(ukDate(at('2027-03-27T23:30:00Z'))).toBe('2027-03-27');
		expect(ukDate(at('2027-03-28T23:30:00Z'))).toBe('2027-03-29');
		expect(ukDate(at('2027-10-30T23:30:00Z'))).toBe('2027-10-31');
		expect(ukDate(at('2027-10-31T23:30:00Z'))).toBe('2027-10-31');
	});
	it('jumps from 1am to 2am on 28 March', () => {
		expect(formatUkDateTime(at('2027-03-28T00:59:00Z'))).toBe('28 March 2027 at 12:59am');
		expect(formatUkDateTime(at('2027-03-28T01:00:00Z'))).toBe('28 March 2027 at 2:00am');
		expect(formatUkTimestamp(at('2027-03-28T01:00:00Z'))).toBe('28 Mar 2027, 02:00:00');
	});
	it('goes through 1am twice on 31 October', () => {
		expect(formatUkSpreadsheetDateTime(at('2027-10-31T00:30:00Z'))).toBe('2027-10-31 01:30:00');
		expect(formatUkSpreadsheetDateTime(at('2027-10-31T01:30:00Z'))).toBe('2027-10-31 01:30:00');
		expect(formatUkSpreadsheetDateTime(at('2027-10-31T02:30:00Z'))).toBe('2027-10-31 02:30:00');
	});
	it('starts each UK day at the right instant', () => {
		expect(ukMidnight('2027-03-28').toISOString()).toBe('2027-03-28T00:00:00.000Z');
		expect(ukMidnight('2027-03-29').toISOString()).toBe('2027-03-28T23:00:00.000Z');
		expect(ukMidnight('2027-10-31').toISOString()).toBe('2027-10-30T23:00:00.000Z');
		expect(ukMidnight('2027-11-01').toISOString()).toBe('2027-11-01T00:00:00.000Z');
	});
	it('reads a typed UK time on either side of each change', () => {
		expect(parseUkDateTime('2027-03-28T00:30')?.toISOString()).toBe('2027-03-28T00:30:00.000Z');
		expect(parseUkDateTime('2027-03-28T12:00')?.toISOString()).toBe('2027-03-28T11:00:00.000Z');
		expect(parseUkDateTime('2027-10-31T00:30')?.toISOString()).toBe('2027-10-30T23:30:00.000Z');
		expect(parseUkDateTime('2027-10-31T12:00')?.toISOString()).toBe('2027-10-31T12:00:00.000Z');
	});
});

describe('parseUkDateTime', () => {
	it('reads datetime-local values as UK time and refuses dates that do not exist', () => {
		expect(parseUkDateTime('2026-07-05T14:05')?.toISOString()).toBe('2026-07-05T13:05:00.000Z');
		expect(parseUkDateTime('2026-12-05T14:05:09')?.toISOString()).toBe('2026-12-05T14:05:09.000Z');
		expect(parseUkDateTime('2026-02-30T10:00')).toBeNull();
		expect(parseUkDateTime('2026-12-05T24:00')).toBeNull();
		expect(parseUkDateTime('yesterday')).toBeNull();
	});
});

describe('the date formats', () => {
	const summer = at('2026-09-05T13:05:09Z');
	it('writes calendar dates', () => {
		expect(formatDate('2026-12-01')).toBe('1 December 2026');
		expect(formatShortDay('2026-12-01')).toBe('Tue 1 Dec');
	});
	it('writes instants in UK time', () => {
		expect(formatUkDateTime(summer)).toBe('5 September 2026 at 2:05pm');
		expect(formatUkFullDateTime(summer)).toBe('Saturday, 5 September 2026 at 14:05');
		expect(formatUkShortDate(summer)).toBe('5 Sep 2026');
		expect(formatUkTimestamp(summer)).toBe('5 Sep 2026, 14:05:09');
		expect(formatUkSpreadsheetDateTime(summer)).toBe('2026-09-05 14:05:09');
		expect(formatUkTimestamp(at('2026-12-24T10:00:00Z'))).toBe('24 Dec 2026, 10:00:00');
	});
});

describe('ukDate, worked from the UK offset', () => {
	it('gives the same date as formatting the instant in Europe/London, either side of every clock change', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
				const at = new Date(ms);
				expect(ukDate(at)).toBe(format(new TZDate(ms, 'Europe/London'), 'yyyy-MM-dd'));
			}),
			{ numRuns: 2000 }
		);
		// Midnight in summer is 23:00 UTC the day before; at the autumn change 00:30 BST is still the 26th.
		expect(ukDate(new Date('2026-06-30T23:00:00Z'))).toBe('2026-07-01');
		expect(ukDate(new Date('2026-06-30T22:59:59Z'))).toBe('2026-06-30');
		expect(ukDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
		expect(ukDate(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
	});
});
