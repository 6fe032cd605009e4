import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayLabel, emailWhen, slotLabel, timeLabel, timeRangeLabel } from '../../src/lib/domain/meetings/labels';
import { ukInstant } from '../../src/lib/domain/uk-time';

const at = (date: string, time: string) => ukInstant(date, time)!;
const meeting = (date: string, time: string, minutes = 45) => {
	const start = at(date, time);
	return { start, end: new Date(start.getTime() + minutes * 60_000) };
};

describe('slotLabel', () => {
	it('reads in UK time with the day, times and how to meet', () => {
		expect(slotLabel(meeting('2027-03-30', '10:00'), { kind: 'phone' })).toBe('Tuesday 30 March, 10:00am to 10:45am, by phone');
		expect(slotLabel(meeting('2027-01-12', '17:30'), { kind: 'video' })).toBe('Tuesday 12 January, 5:30pm to 6:15pm, by video call');
		expect(slotLabel(meeting('2027-07-03', '11:30'), { kind: 'in-person', venueName: 'Central Library' })).toBe(
			'Saturday 3 July, 11:30am to 12:15pm, in person at Central Library'
		);
	});
	it('shows the booked wall-clock time on both clock-change Sundays and the Mondays after', () => {
		for (const date of ['2027-03-28', '2027-03-29', '2027-10-31', '2027-11-01']) {
			expect(slotLabel(meeting(date, '09:00'), { kind: 'phone' })).toMatch(/, 9:00am to 9:45am, by phone$/);
		}
		expect(slotLabel(meeting('2027-03-28', '09:00'), { kind: 'phone' })).toBe('Sunday 28 March, 9:00am to 9:45am, by phone');
		expect(slotLabel(meeting('2027-11-01', '09:00'), { kind: 'phone' })).toBe('Monday 1 November, 9:00am to 9:45am, by phone');
	});
	it('names the day in the UK even when UTC is still on the day before', () => {
		expect(slotLabel(meeting('2027-07-01', '00:30'), { kind: 'phone' })).toBe('Thursday 1 July, 12:30am to 1:15am, by phone');
	});
});

describe('timeLabel', () => {
	it('writes noon as 12:00pm and midnight as 12:00am', () => {
		expect(timeLabel(at('2027-06-01', '12:00'))).toBe('12:00pm');
		expect(timeLabel(at('2027-06-01', '00:00'))).toBe('12:00am');
		expect(timeLabel(at('2027-06-01', '09:05'))).toBe('9:05am');
	});
	it('says BST or GMT in the hour that happens twice when the clocks go back', () => {
		expect(timeLabel(new Date('2027-10-31T00:30:00Z'))).toBe('1:30am BST');
		expect(timeLabel(new Date('2027-10-31T01:30:00Z'))).toBe('1:30am GMT');
		expect(timeRangeLabel({ start: new Date('2027-10-31T00:30:00Z'), end: new Date('2027-10-31T01:15:00Z') })).toBe('1:30am BST to 1:15am GMT');
	});
});

describe('dayLabel and emailWhen', () => {
	it('writes a date as a day', () => {
		expect(dayLabel('2027-03-30')).toBe('Tuesday 30 March');
		expect(dayLabel('2027-10-31')).toBe('Sunday 31 October');
	});
	it('gives emails the same times with the year and the time zone', () => {
		expect(emailWhen(meeting('2027-03-30', '10:00'))).toBe('Tuesday 30 March 2027, 10:00am to 10:45am (UK time)');
		expect(emailWhen(meeting('2027-10-31', '09:00'))).toBe('Sunday 31 October 2027, 9:00am to 9:45am (UK time)');
	});
});

describe('label properties', () => {
	/** The platform's own UK time-zone data, independent of the code under test. */
	const intl = (date: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...options }).format(date);

	it('always shows the UK day and clock time of the instant', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 11, 31) }), (ms) => {
				const start = new Date(Math.floor(ms / 60_000) * 60_000);
				const label = slotLabel({ start, end: new Date(start.getTime() + 45 * 60_000) }, { kind: 'phone' });
				const weekday = intl(start, { weekday: 'long' });
				const day = intl(start, { day: 'numeric' });
				const month = intl(start, { month: 'long' });
				const [hour, minute] = intl(start, { hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).split(':').map(Number);
				const clock = `${hour % 12 || 12}:${String(minute).padStart(2, '0')}${hour < 12 ? 'am' : 'pm'}`;
				expect(label.startsWith(`${weekday} ${day} ${month}, ${clock}`)).toBe(true);
			})
		);
	});
});
