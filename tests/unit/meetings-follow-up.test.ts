import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, followUpTasks, type Channel } from '../../src/lib/domain/meetings/follow-up';
import { ukDate, ukTime } from '../../src/lib/domain/uk-time';
import { isWorkingDay } from '../../src/lib/domain/working-days';
import { DEFAULT_SERVICE_SETTINGS, serviceCalendar, workingDaysOf, type ServiceSettings } from '../../src/lib/domain/service-hours';
import { nationBankHolidays } from '../../src/lib/server/bank-holidays';

/** A programme's working days, as the server gives them (its nation's bank holidays and its closures). */
const programmeDays = (settings: Partial<ServiceSettings>) => {
	const s = { ...DEFAULT_SERVICE_SETTINGS, ...settings };
	return workingDaysOf(serviceCalendar(s, nationBankHolidays(s.nation, 2027, 2028)));
};

/** England bank holidays in 2027 (test input). */
const HOLIDAYS: ReadonlySet<string> = new Set(['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']);
const ALL: Channel[] = ['phone', 'text', 'email'];
const wall = (d: Date) => `${ukDate(d)} ${ukTime(d)}`;

describe('followUpTasks', () => {
	it('sets a first attempt within 24 hours, then three on different days, times and channels', () => {
		const tasks = followUpTasks({ id: 'm1' }, { now: new Date('2027-06-07T09:30:00Z'), channels: ALL, workingDays: HOLIDAYS }); // Monday 10:30
		expect(tasks.map((t) => [wall(t.due), t.channel])).toEqual([
			['2027-06-08 10:00', 'phone'],
			['2027-06-09 14:00', 'text'],
			['2027-06-11 17:30', 'email'],
			['2027-06-15 10:00', 'phone']
		]);
		expect(tasks.map((t) => t.key)).toEqual(['missed-meeting:m1:attempt-1', 'missed-meeting:m1:attempt-2', 'missed-meeting:m1:attempt-3', 'missed-meeting:m1:attempt-4']);
		expect(tasks[0].title).toBe('Phone the person about their missed meeting (attempt 1 of 4)');
		expect(tasks.every((t) => t.note === null)).toBe(true);
	});

	it('follow the programme’s own calendar: Scotland’s St Andrew’s Day and a closure an admin set are not working days', () => {
		const now = new Date('2027-11-29T10:30:00Z'); // Monday 29 November 2027, 10:30; St Andrew's Day is Tuesday 30th
		const england = followUpTasks({ id: 'm1' }, { now, channels: ALL, workingDays: programmeDays({}) });
		const scotland = followUpTasks({ id: 'm1' }, { now, channels: ALL, workingDays: programmeDays({ nation: 'scotland' }) });
		expect(ukDate(england[0].due)).toBe('2027-11-30');
		expect(scotland.map((t) => ukDate(t.due))).not.toContain('2027-11-30');
		expect(ukDate(scotland[0].due)).toBe('2027-11-29');
		const closed = followUpTasks({ id: 'm1' }, { now, channels: ALL, workingDays: programmeDays({ closures: [{ from: '2027-12-01', to: '2027-12-02', label: 'Staff training' }] }) });
		expect(closed.map((t) => ukDate(t.due)).filter((d) => d === '2027-12-01' || d === '2027-12-02')).toEqual([]);
	});

	it('brings the first attempt forward to Friday when 24 hours on is a Saturday', () => {
		const tasks = followUpTasks({ id: 'm1' }, { now: new Date('2027-06-11T13:00:00Z'), channels: ALL, workingDays: HOLIDAYS }); // Friday 14:00
		expect(tasks.map((t) => wall(t.due))).toEqual(['2027-06-11 17:30', '2027-06-14 10:00', '2027-06-16 14:00', '2027-06-18 17:30']);
	});

	it('keeps to 24 hours over a bank holiday weekend, says why, and counts working days after it', () => {
		const tasks = followUpTasks({ id: 'm1' }, { now: new Date('2027-03-25T18:00:00Z'), channels: ALL, workingDays: HOLIDAYS }); // Thursday before Good Friday, 18:00
		expect(tasks.map((t) => wall(t.due))).toEqual(['2027-03-26 18:00', '2027-03-30 10:00', '2027-04-01 14:00', '2027-04-05 17:30']);
		expect(tasks[0].note).toMatch(/within 24 hours/);
		expect(tasks[1].due.toISOString()).toBe('2027-03-30T09:00:00.000Z'); // 10:00 BST
	});

	it('says so when the person allows only one channel', () => {
		const tasks = followUpTasks({ id: 'm1' }, { now: new Date('2027-06-07T09:30:00Z'), channels: ['email'], workingDays: HOLIDAYS });
		expect(tasks.map((t) => t.channel)).toEqual(['email', 'email', 'email', 'email']);
		expect(tasks.every((t) => t.note === 'This person allows contact only by email, so every attempt uses it.')).toBe(true);
	});

	it('still sets the attempts when no channel is known, with a note to look for one', () => {
		const tasks = followUpTasks({ id: 'm1' }, { now: new Date('2027-06-07T09:30:00Z'), channels: [], workingDays: HOLIDAYS });
		expect(tasks).toHaveLength(4);
		expect(tasks.every((t) => t.channel === null && /check the referral/.test(t.note ?? ''))).toBe(true);
	});

	it('keeps its rules for any moment and any channels, and never closes anything', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2027, 11, 20) }),
				fc.subarray([...CHANNELS]),
				(ms, channels) => {
					const now = new Date(ms);
					const tasks = followUpTasks({ id: 'm' }, { now, channels, workingDays: HOLIDAYS });
					expect(tasks.length).toBeGreaterThanOrEqual(4);
					expect(tasks[0].due.getTime()).toBeGreaterThan(ms);
					expect(tasks[0].due.getTime()).toBeLessThanOrEqual(ms + 24 * 3_600_000);
					const days = tasks.map((t) => ukDate(t.due));
					expect(new Set(days).size).toBe(tasks.length);
					expect([...days].sort()).toEqual(days);
					for (const day of days.slice(1)) expect(isWorkingDay(day, HOLIDAYS)).toBe(true);
					const times = tasks.slice(1).map((t) => ukTime(t.due));
					expect(new Set(times).size).toBe(3);
					expect(times[0]).not.toBe(ukTime(tasks[0].due));
					if (channels.length > 1) for (let i = 1; i < tasks.length; i++) expect(tasks[i].channel).not.toBe(tasks[i - 1].channel);
					if (channels.length >= 3) expect(new Set(tasks.map((t) => t.channel)).size).toBe(3);
					for (const task of tasks) {
						expect(task.action).toBe('contact');
						expect(JSON.stringify(task)).not.toMatch(/close/i);
					}
				}
			)
		);
	});
});
