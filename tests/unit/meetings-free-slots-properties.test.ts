import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Leave, OneOffChange, WeeklyPattern } from '../../src/lib/domain/meetings/availability';
import { freeSlots, type FreeSlotsInput } from '../../src/lib/domain/meetings/free-slots';
import type { BookedTime } from '../../src/lib/domain/meetings/meeting';
import { addDaysIso, isoWeekday, minutesOf, timeOf, ukDate, ukTime } from '../../src/lib/domain/uk-time';

const MINUTE = 60_000;
const SPECIALISTS = ['ana', 'ben'];
/** Instants through 2027, weighted towards the weeks before both clock changes. */
const instant = fc.oneof(
	fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2027, 11, 31) }),
	fc.integer({ min: Date.UTC(2027, 2, 18), max: Date.UTC(2027, 2, 30) }),
	fc.integer({ min: Date.UTC(2027, 9, 21), max: Date.UTC(2027, 10, 2) })
);
const quarter = fc.integer({ min: 0, max: 95 }).map((q) => q * 15);
const hours = fc.tuple(quarter, quarter).filter(([a, b]) => a !== b).map(([a, b]) => ({ start: timeOf(Math.min(a, b)), end: timeOf(Math.max(a, b)) }));
const specialist = fc.constantFrom(...SPECIALISTS);

const pattern: fc.Arbitrary<WeeklyPattern> = fc.record({
	specialistId: specialist,
	weekday: fc.integer({ min: 1, max: 7 }),
	hours,
	modes: fc.subarray(['in-person', 'phone', 'video'] as const, { minLength: 1 })
}).map(({ hours: h, ...p }) => ({ ...p, ...h, venueId: 'library' }));

const scenario = fc
	.record({
		now: instant,
		meetingMinutes: fc.integer({ min: 15, max: 90 }),
		bufferMinutes: fc.integer({ min: 0, max: 30 }),
		minimumNoticeHours: fc.integer({ min: 0, max: 48 }),
		bookAheadDays: fc.integer({ min: 1, max: 10 }),
		patterns: fc.array(pattern, { minLength: 1, maxLength: 6 }),
		dayOffsets: fc.array(fc.record({ specialistId: specialist, day: fc.integer({ min: 0, max: 11 }), hours, removed: fc.boolean() }), { maxLength: 4 }),
		bookings: fc.array(
			fc.record({ specialistId: specialist, offset: fc.integer({ min: 0, max: 12 * 24 * 60 }), length: fc.integer({ min: 15, max: 120 }), cancelled: fc.boolean() }),
			{ maxLength: 8 }
		),
		leave: fc.array(
			fc.oneof(
				fc.record({ specialistId: specialist, day: fc.integer({ min: 0, max: 11 }), days: fc.integer({ min: 0, max: 2 }) }),
				fc.record({ specialistId: specialist, offset: fc.integer({ min: 0, max: 12 * 24 * 60 }), length: fc.integer({ min: 1, max: 600 }) })
			),
			{ maxLength: 3 }
		)
	})
	.map((s) => {
		const now = new Date(s.now);
		const today = ukDate(now);
		const changes: OneOffChange[] = s.dayOffsets.map((c) =>
			c.removed
				? { kind: 'removed', specialistId: c.specialistId, date: addDaysIso(today, c.day), ...c.hours }
				: { kind: 'extra', specialistId: c.specialistId, date: addDaysIso(today, c.day), ...c.hours, modes: ['phone'] }
		);
		const bookings: BookedTime[] = s.bookings.map((b) => ({
			specialistId: b.specialistId,
			start: new Date(s.now + b.offset * MINUTE),
			end: new Date(s.now + (b.offset + b.length) * MINUTE),
			status: b.cancelled ? 'cancelled' : 'booked'
		}));
		const leave: Leave[] = s.leave.map((l) =>
			'day' in l
				? { kind: 'days', specialistId: l.specialistId, from: addDaysIso(today, l.day), to: addDaysIso(today, l.day + l.days) }
				: { kind: 'instants', specialistId: l.specialistId, start: new Date(s.now + l.offset * MINUTE), end: new Date(s.now + (l.offset + l.length) * MINUTE) }
		);
		const input: FreeSlotsInput = {
			specialistIds: SPECIALISTS,
			patterns: s.patterns,
			changes,
			leave,
			bookings,
			settings: {
				meetingMinutes: s.meetingMinutes,
				bufferMinutes: s.bufferMinutes,
				minimumNoticeHours: s.minimumNoticeHours,
				bookAheadDays: s.bookAheadDays,
				changeNoticeHours: 24,
				reminderOffsets: []
			},
			now
		};
		return input;
	});

const overlaps = (a: { start: Date; end: Date }, start: number, end: number) => a.start.getTime() < end && start < a.end.getTime();

/** UK wall-clock date and time by the platform's own time-zone data, independent of the code under test. */
function intlWall(date: Date): { date: string; time: string } {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
			.formatToParts(date)
			.map((p) => [p.type, p.value])
	);
	return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// Each property runs fast-check's default 100 scenarios of up to a year of slots: seconds of CPU on a busy
// machine, so the properties get a timeout of their own rather than fewer scenarios.
describe('freeSlots properties', { timeout: 60_000 }, () => {
	it('never offers a time before the minimum notice or ending after the book-ahead horizon', () => {
		fc.assert(
			fc.property(scenario, (input) => {
				const earliest = input.now.getTime() + input.settings.minimumNoticeHours * 3_600_000;
				// the horizon is the same UK clock time `bookAheadDays` later: within an hour of 24-hour days
				const latest = input.now.getTime() + input.settings.bookAheadDays * 86_400_000 + 3_600_000;
				for (const slot of freeSlots(input)) {
					expect(slot.start.getTime()).toBeGreaterThanOrEqual(earliest);
					expect(slot.end.getTime()).toBeLessThanOrEqual(latest);
					expect(slot.end.getTime() - slot.start.getTime()).toBe(input.settings.meetingMinutes * MINUTE);
				}
			})
		);
	});

	it('never overlaps a booked meeting plus its buffer, leave, or hours taken away', () => {
		fc.assert(
			fc.property(scenario, (input) => {
				const buffer = input.settings.bufferMinutes * MINUTE;
				for (const slot of freeSlots(input)) {
					for (const who of slot.specialistIds) {
						for (const b of input.bookings) {
							if (b.specialistId !== who || b.status === 'cancelled') continue;
							expect(overlaps(slot, b.start.getTime() - buffer, b.end.getTime() + buffer)).toBe(false);
						}
						for (const l of input.leave) {
							if (l.specialistId !== who) continue;
							if (l.kind === 'instants') expect(overlaps(slot, l.start.getTime(), l.end.getTime())).toBe(false);
							else {
								const { date: startDay } = intlWall(slot.start);
								const { date: endDay } = intlWall(new Date(slot.end.getTime() - 1));
								expect(startDay >= l.from && startDay <= l.to).toBe(false);
								expect(endDay >= l.from && endDay <= l.to).toBe(false);
							}
						}
						for (const c of input.changes) {
							if (c.kind !== 'removed' || c.specialistId !== who) continue;
							const start = intlWall(slot.start);
							const end = intlWall(new Date(slot.end.getTime() - 1));
							if (start.date === c.date && start.date === end.date) {
								expect(start.time < c.end && end.time >= c.start).toBe(false);
							}
						}
					}
				}
			})
		);
	});

	it('starts every slot on the wall-clock grid of a window of each specialist offering it', () => {
		fc.assert(
			fc.property(scenario, (input) => {
				const step = input.settings.meetingMinutes + input.settings.bufferMinutes;
				for (const slot of freeSlots(input)) {
					const wall = intlWall(slot.start);
					expect(ukTime(slot.start)).toBe(wall.time);
					expect(ukDate(slot.start)).toBe(wall.date);
					for (const who of slot.specialistIds) {
						const windows = [
							...input.patterns.filter((p) => p.specialistId === who && p.weekday === isoWeekday(wall.date)),
							...input.changes.filter((c) => c.kind === 'extra' && c.specialistId === who && c.date === wall.date)
						];
						const onGrid = windows.some(
							(w) => minutesOf(wall.time) >= minutesOf(w.start) && minutesOf(wall.time) < minutesOf(w.end) && (minutesOf(wall.time) - minutesOf(w.start)) % step === 0
						);
						expect(onGrid).toBe(true);
					}
				}
			})
		);
	});

	it("never offers the same specialist two slots closer than meeting plus buffer within one window's grid", () => {
		fc.assert(
			fc.property(scenario, (input) => {
				const slots = freeSlots({ ...input, patterns: input.patterns.slice(0, 1), changes: input.changes.filter((c) => c.kind === 'removed') });
				for (let i = 1; i < slots.length; i++) {
					if (ukDate(slots[i].start) !== ukDate(slots[i - 1].start)) continue;
					expect(slots[i].start.getTime() - slots[i - 1].end.getTime()).toBeGreaterThanOrEqual(input.settings.bufferMinutes * MINUTE);
				}
			})
		);
	});

	it('no longer offers a booked slot, or anything within its buffer, to the specialist who took it', () => {
		fc.assert(
			fc.property(scenario, (input) => {
				const first = freeSlots(input)[0];
				if (!first) return;
				const taken: BookedTime = { specialistId: first.specialistIds[0], start: first.start, end: first.end, status: 'booked' };
				const buffer = input.settings.bufferMinutes * MINUTE;
				for (const slot of freeSlots({ ...input, bookings: [...input.bookings, taken] })) {
					if (!slot.specialistIds.includes(taken.specialistId)) continue;
					expect(overlaps(slot, taken.start.getTime() - buffer, taken.end.getTime() + buffer)).toBe(false);
				}
			})
		);
	});
});
