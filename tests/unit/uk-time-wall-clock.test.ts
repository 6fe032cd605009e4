import { describe, expect, it } from 'vitest';
import {
	addUkDays,
	datesBetween,
	inRepeatedHour,
	isIsoDate,
	isWallTime,
	isoWeekday,
	ukClockReaches,
	ukInstant,
	ukStartOfDay,
	ukTime
} from '../../src/lib/domain/uk-time';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('ukInstant', () => {
	it('reads winter times as GMT and summer times as BST', () => {
		expect(iso(ukInstant('2027-01-12', '09:00'))).toBe('2027-01-12T09:00:00.000Z');
		expect(iso(ukInstant('2027-07-12', '09:00'))).toBe('2027-07-12T08:00:00.000Z');
	});
	it('gives the wall-clock time on both clock-change Sundays and the Mondays after', () => {
		expect(iso(ukInstant('2027-03-28', '00:30'))).toBe('2027-03-28T00:30:00.000Z');
		expect(iso(ukInstant('2027-03-28', '09:00'))).toBe('2027-03-28T08:00:00.000Z');
		expect(iso(ukInstant('2027-03-29', '09:00'))).toBe('2027-03-29T08:00:00.000Z');
		expect(iso(ukInstant('2027-10-31', '00:30'))).toBe('2027-10-30T23:30:00.000Z');
		expect(iso(ukInstant('2027-10-31', '09:00'))).toBe('2027-10-31T09:00:00.000Z');
		expect(iso(ukInstant('2027-11-01', '09:00'))).toBe('2027-11-01T09:00:00.000Z');
	});
	it('has no instant for a time in the missing hour in spring', () => {
		expect(ukInstant('2027-03-28', '01:00')).toBeNull();
		expect(ukInstant('2027-03-28', '01:59')).toBeNull();
		expect(iso(ukInstant('2027-03-28', '02:00'))).toBe('2027-03-28T01:00:00.000Z');
	});
	it('takes the first occurrence of a time in the repeated hour in autumn', () => {
		expect(iso(ukInstant('2027-10-31', '01:00'))).toBe('2027-10-31T00:00:00.000Z');
		expect(iso(ukInstant('2027-10-31', '01:30'))).toBe('2027-10-31T00:30:00.000Z');
		expect(iso(ukInstant('2027-10-31', '02:00'))).toBe('2027-10-31T02:00:00.000Z');
	});
	it('round-trips every quarter hour of the clock-change months with ukTime, except the missing hour', () => {
		for (const date of [...datesBetween('2027-03-01', '2027-04-05'), ...datesBetween('2027-10-01', '2027-11-05')]) {
			for (let m = 0; m < 24 * 60; m += 15) {
				const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
				const instant = ukInstant(date, time);
				if (date === '2027-03-28' && time.startsWith('01:')) expect(instant).toBeNull();
				else expect(instant && ukTime(instant)).toBe(time);
			}
		}
	});
});

describe('ukClockReaches', () => {
	it('is the moment the clocks go forward for a time in the missing hour', () => {
		expect(iso(ukClockReaches('2027-03-28', '01:30'))).toBe('2027-03-28T01:00:00.000Z');
	});
	it('is the same as ukInstant for a time that exists', () => {
		expect(iso(ukClockReaches('2027-10-31', '01:30'))).toBe('2027-10-31T00:30:00.000Z');
		expect(iso(ukClockReaches('2027-06-01', '17:00'))).toBe('2027-06-01T16:00:00.000Z');
	});
	it('makes the clock-change days 23 and 25 hours long', () => {
		const hours = (a: string, b: string) => (ukStartOfDay(b).getTime() - ukStartOfDay(a).getTime()) / 3_600_000;
		expect(hours('2027-03-28', '2027-03-29')).toBe(23);
		expect(hours('2027-10-31', '2027-11-01')).toBe(25);
		expect(hours('2027-06-01', '2027-06-02')).toBe(24);
	});
});

describe('calendar helpers', () => {
	it('numbers weekdays 1 Monday to 7 Sunday', () => {
		expect(isoWeekday('2027-03-28')).toBe(7);
		expect(isoWeekday('2027-03-29')).toBe(1);
		expect(isoWeekday('2027-03-30')).toBe(2);
	});
	it('adds UK calendar days keeping the wall-clock time across a clock change', () => {
		const before = new Date('2027-03-20T12:00:00Z'); // 12:00 GMT
		expect(addUkDays(before, 14).toISOString()).toBe('2027-04-03T11:00:00.000Z'); // 12:00 BST
	});
	it('knows which instants are in the repeated hour', () => {
		expect(inRepeatedHour(new Date('2027-10-31T00:30:00Z'))).toBe(true);
		expect(inRepeatedHour(new Date('2027-10-31T01:30:00Z'))).toBe(true);
		expect(inRepeatedHour(new Date('2027-10-31T02:00:00Z'))).toBe(false);
		expect(inRepeatedHour(new Date('2027-10-30T23:59:00Z'))).toBe(false);
		expect(inRepeatedHour(new Date('2027-03-28T01:30:00Z'))).toBe(false);
	});
	it('checks dates and times', () => {
		expect(isIsoDate('2027-02-29')).toBe(false);
		expect(isIsoDate('2028-02-29')).toBe(true);
		expect(isWallTime('24:00')).toBe(false);
		expect(isWallTime('9:00')).toBe(false);
		expect(isWallTime('23:59')).toBe(true);
	});
});
