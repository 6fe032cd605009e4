import { describe, expect, it } from 'vitest';
import type { Leave, OneOffChange, WeeklyPattern } from '../../src/lib/domain/meetings/availability';
import { freeSlots, slotsByDay, specialistsFor, windowTimes, type FreeSlotsInput } from '../../src/lib/domain/meetings/free-slots';
import type { BookedTime } from '../../src/lib/domain/meetings/meeting';
import { DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';
import { ukDate, ukTime } from '../../src/lib/domain/uk-time';

const settings = DEFAULT_BOOKING_SETTINGS;

function input(over: Partial<FreeSlotsInput>): FreeSlotsInput {
	return { specialistIds: ['ana'], patterns: [], changes: [], leave: [], bookings: [], settings, now: new Date('2027-03-01T12:00:00Z'), ...over };
}

const everyDay = (specialistId: string, start: string, end: string, modes: WeeklyPattern['modes'] = ['phone'], venueId?: string) =>
	[1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ specialistId, weekday, start, end, modes, venueId }));

/** UK wall-clock start times of the slots on one UK date. */
const timesOn = (slots: { start: Date }[], date: string) => slots.filter((s) => ukDate(s.start) === date).map((s) => ukTime(s.start));

const NINE_TO_FIVE = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];

describe('freeSlots: clock changes', () => {
	for (const [label, now] of [
		['spring', '2027-03-20T12:00:00Z'],
		['autumn', '2027-10-23T12:00:00Z']
	] as const) {
		it(`gives the pattern's wall-clock times on the ${label} clock-change Sunday and the Monday after`, () => {
			const slots = freeSlots(input({ now: new Date(now), patterns: everyDay('ana', '09:00', '17:00') }));
			const [sunday, monday] = label === 'spring' ? ['2027-03-28', '2027-03-29'] : ['2027-10-31', '2027-11-01'];
			for (const date of [sunday, monday]) expect(timesOn(slots, date)).toEqual(NINE_TO_FIVE);
			for (const slot of slots) expect(slot.end.getTime() - slot.start.getTime()).toBe(45 * 60_000);
		});
	}

	it('skips starts in the missing hour on the spring-forward night', () => {
		const slots = freeSlots(input({ now: new Date('2027-03-20T12:00:00Z'), patterns: everyDay('ana', '00:30', '03:00') }));
		expect(timesOn(slots, '2027-03-27')).toEqual(['00:30', '01:30']);
		// 01:30 does not exist; 02:30 BST would end at 03:15, after the window.
		expect(timesOn(slots, '2027-03-28')).toEqual(['00:30']);
		expect(timesOn(slots, '2027-03-29')).toEqual(['00:30', '01:30']);
	});

	it('offers a start in the repeated hour once, at its first occurrence, on the autumn night', () => {
		const slots = freeSlots(input({ now: new Date('2027-10-23T12:00:00Z'), patterns: everyDay('ana', '00:30', '03:00') }));
		const sunday = slots.filter((s) => ukDate(s.start) === '2027-10-31');
		expect(sunday.map((s) => s.start.toISOString())).toEqual(['2027-10-30T23:30:00.000Z', '2027-10-31T00:30:00.000Z']);
		expect(timesOn(slots, '2027-11-01')).toEqual(['00:30', '01:30']);
	});

	it('never puts two starts closer than meeting plus buffer when the spring gap shortens the real time', () => {
		const long = { ...settings, meetingMinutes: 75, bufferMinutes: 15 };
		const times = windowTimes({ specialistId: 'ana', date: '2027-03-28', start: '00:40', end: '06:00', modes: [{ kind: 'phone' }] }, long);
		// Wall-clock grid: 00:40, 02:10 (real time only 30 minutes later: skipped), 03:40, 05:10 (too late to end by 06:00)
		expect(times.map((t) => ukTime(t.start))).toEqual(['00:40', '03:40']);
	});

	it('ends a window at the moment the clocks go forward when its end is in the missing hour', () => {
		const times = windowTimes({ specialistId: 'ana', date: '2027-03-28', start: '00:00', end: '01:30', modes: [{ kind: 'phone' }] }, settings);
		expect(times.map((t) => t.start.toISOString())).toEqual(['2027-03-28T00:00:00.000Z']);
	});
});

describe('freeSlots: notice, horizon and stepping', () => {
	const now = new Date('2027-06-07T10:20:00Z'); // Monday 11:20 BST
	const patterns = everyDay('ana', '09:00', '17:00');

	it('starts no earlier than the minimum notice and ends no later than the book-ahead horizon', () => {
		const slots = freeSlots(input({ now, patterns }));
		expect(ukTime(slots[0].start)).toBe('12:00');
		expect(ukDate(slots[0].start)).toBe('2027-06-08');
		const last = slots.at(-1)!;
		expect(ukDate(last.start)).toBe('2027-07-05');
		expect(ukTime(last.start)).toBe('10:00'); // 10:45 ends before 11:20 on day 28; 11:00 would end after
	});

	it('steps by meeting length plus buffer from each window start', () => {
		const slots = freeSlots(input({ now, patterns: everyDay('ana', '09:30', '12:00'), settings: { ...settings, meetingMinutes: 30, bufferMinutes: 10 } }));
		expect(timesOn(slots, '2027-06-10')).toEqual(['09:30', '10:10', '10:50', '11:30']); // 11:30-12:00 ends exactly at the window's end
	});

	it('keeps a booked meeting and its buffer on both sides free, but not a cancelled one', () => {
		const bookings: BookedTime[] = [
			{ specialistId: 'ana', start: new Date('2027-06-10T11:50:00Z'), end: new Date('2027-06-10T12:35:00Z'), status: 'booked' }, // 12:50-13:35 BST
			{ specialistId: 'ana', start: new Date('2027-06-10T13:00:00Z'), end: new Date('2027-06-10T13:45:00Z'), status: 'cancelled' }
		];
		const slots = freeSlots(input({ now, patterns, bookings }));
		// 12:00-12:45 ends 5 minutes before 12:50 (inside the buffer); 13:00 overlaps; 14:00 starts 25 minutes after 13:35
		expect(timesOn(slots, '2027-06-10')).toEqual(['09:00', '10:00', '11:00', '14:00', '15:00', '16:00']);
		const noBuffer = freeSlots(input({ now, patterns, bookings, settings: { ...settings, bufferMinutes: 0 } }));
		expect(timesOn(noBuffer, '2027-06-10')).toContain('12:00');
	});

	it('leaves out hours taken away, whole days of leave and spans of leave', () => {
		const changes: OneOffChange[] = [{ kind: 'removed', specialistId: 'ana', date: '2027-06-10', start: '09:30', end: '11:00' }];
		const leave: Leave[] = [
			{ kind: 'days', specialistId: 'ana', from: '2027-06-11', to: '2027-06-12' },
			{ kind: 'instants', specialistId: 'ana', start: new Date('2027-06-13T14:00:00Z'), end: new Date('2027-06-13T14:30:00Z') }
		];
		const slots = freeSlots(input({ now, patterns, changes, leave }));
		expect(timesOn(slots, '2027-06-10')).toEqual(['11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
		expect(timesOn(slots, '2027-06-11')).toEqual([]);
		expect(timesOn(slots, '2027-06-12')).toEqual([]);
		// 14:00-14:30 UTC is 15:00-15:30 BST
		expect(timesOn(slots, '2027-06-13')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '16:00']);
	});

	it('adds extra hours on one date', () => {
		const changes: OneOffChange[] = [{ kind: 'extra', specialistId: 'ana', date: '2027-06-12', start: '18:00', end: '20:00', modes: ['video'] }];
		const slots = freeSlots(input({ now, patterns: [], changes }));
		expect(slots.map((s) => [ukDate(s.start), ukTime(s.start)])).toEqual([
			['2027-06-12', '18:00'],
			['2027-06-12', '19:00']
		]);
		expect(slots[0].modes).toEqual([{ kind: 'video' }]);
	});

	it('uses only the patterns of the specialists asked about', () => {
		const slots = freeSlots(input({ now, patterns: everyDay('ben', '09:00', '17:00') }));
		expect(slots).toEqual([]);
	});
});

describe('freeSlots: modes and several specialists', () => {
	const now = new Date('2027-06-07T10:20:00Z');
	const patterns: WeeklyPattern[] = [
		{ specialistId: 'ana', weekday: 4, start: '09:00', end: '11:00', modes: ['phone', 'in-person'], venueId: 'library' },
		{ specialistId: 'ben', weekday: 4, start: '10:00', end: '12:00', modes: ['phone', 'video'] }
	];

	it('merges specialists free at the same time into one slot', () => {
		const slots = freeSlots(input({ now, patterns, specialistIds: ['ana', 'ben'] })).filter((s) => ukDate(s.start) === '2027-06-10');
		expect(slots.map((s) => [ukTime(s.start), s.specialistIds])).toEqual([
			['09:00', ['ana']],
			['10:00', ['ana', 'ben']],
			['11:00', ['ben']]
		]);
		const ten = slots[1];
		expect(ten.modes).toEqual([{ kind: 'in-person', venueId: 'library' }, { kind: 'phone' }, { kind: 'video' }]);
		expect(specialistsFor(ten, { kind: 'video' })).toEqual(['ben']);
		expect(specialistsFor(ten, { kind: 'phone' })).toEqual(['ana', 'ben']);
	});

	it('offers only times in the chosen mode, and at the chosen venue', () => {
		const video = freeSlots(input({ now, patterns, specialistIds: ['ana', 'ben'], mode: 'video' })).filter((s) => ukDate(s.start) === '2027-06-10');
		expect(video.map((s) => [ukTime(s.start), s.specialistIds, s.modes])).toEqual([
			['10:00', ['ben'], [{ kind: 'video' }]],
			['11:00', ['ben'], [{ kind: 'video' }]]
		]);
		const elsewhere = freeSlots(input({ now, patterns, specialistIds: ['ana', 'ben'], mode: 'in-person', venueId: 'hub' }));
		expect(elsewhere).toEqual([]);
	});

	it('does not offer in person without a venue', () => {
		const slots = freeSlots(input({ now, patterns: [{ specialistId: 'ana', weekday: 4, start: '09:00', end: '10:00', modes: ['in-person'] }] }));
		expect(slots).toEqual([]);
	});

	it('groups slots by UK date, in order', () => {
		const slots = freeSlots(input({ now: new Date('2027-10-20T12:00:00Z'), patterns: everyDay('ana', '00:30', '01:30') }));
		const days = slotsByDay([...slots].reverse());
		expect(days[0].date).toBe('2027-10-22');
		expect(days.every((d) => d.slots.every((s) => ukDate(s.start) === d.date))).toBe(true);
		// 00:30 BST on 31 October is 23:30 UTC on the 30th, but a slot on the 31st in the UK
		expect(days.find((d) => d.date === '2027-10-31')?.slots.map((s) => s.start.toISOString())).toEqual(['2027-10-30T23:30:00.000Z']);
		expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
	});
});
