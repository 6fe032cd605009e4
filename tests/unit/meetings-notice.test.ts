import { describe, expect, it } from 'vitest';
import { canChange } from '../../src/lib/domain/meetings/notice';
import { DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';

const start = new Date('2027-03-29T08:00:00Z'); // Monday 09:00 BST
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000);

describe('canChange', () => {
	it('allows a change with at least the notice left', () => {
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(24))).toEqual({ ok: true });
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(72))).toEqual({ ok: true });
	});
	it('counts real hours across the clock change (24 hours before 09:00 BST Monday is 08:00 BST Sunday)', () => {
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, new Date('2027-03-28T08:00:00Z'))).toEqual({ ok: true });
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, new Date('2027-03-28T08:00:01Z'))).toEqual({ ok: false, reason: 'too-late' });
	});
	it('says too late inside the notice window', () => {
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(23.9))).toEqual({ ok: false, reason: 'too-late' });
		expect(canChange({ start, status: 'booked' }, { ...DEFAULT_BOOKING_SETTINGS, changeNoticeHours: 2 }, hoursBefore(3))).toEqual({ ok: true });
	});
	it('says past once the meeting has started, or was attended or missed', () => {
		expect(canChange({ start, status: 'booked' }, DEFAULT_BOOKING_SETTINGS, start)).toEqual({ ok: false, reason: 'past' });
		expect(canChange({ start, status: 'attended' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(48))).toEqual({ ok: false, reason: 'past' });
		expect(canChange({ start, status: 'missed' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(48))).toEqual({ ok: false, reason: 'past' });
	});
	it('says cancelled for a cancelled meeting', () => {
		expect(canChange({ start, status: 'cancelled' }, DEFAULT_BOOKING_SETTINGS, hoursBefore(48))).toEqual({ ok: false, reason: 'cancelled' });
	});
});
