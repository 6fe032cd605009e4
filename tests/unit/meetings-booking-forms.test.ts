import { describe, expect, it } from 'vitest';
import { validateRaw } from '../../src/lib/domain/fields';
import { cancelQuestion, dayOptionLabel, dayQuestion, howValue, inviteQuestion, parseDay, parseHow, parseStart } from '../../src/lib/domain/meetings/booking-forms';
import { dayLabel } from '../../src/lib/domain/meetings/labels';

const VENUE = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('the booking questions', () => {
	it('read "how to meet" values both ways, and nothing else', () => {
		expect(parseHow(howValue('in-person', VENUE))).toEqual({ mode: 'in-person', venueId: VENUE });
		expect(parseHow('phone')).toEqual({ mode: 'phone' });
		expect(parseHow('video')).toEqual({ mode: 'video' });
		for (const bad of ['in-person', 'in-person:', 'in-person:x', 'fax', '', null, undefined, 'phone ']) expect(parseHow(bad), String(bad)).toBeNull();
	});

	it('read a start only as a whole ISO instant in UTC, and a day only as a date', () => {
		expect(parseStart('2027-03-30T09:00:00.000Z')?.toISOString()).toBe('2027-03-30T09:00:00.000Z');
		for (const bad of ['2027-03-30', '2027-03-30T09:00:00+01:00', '1743325200000', 'x', '', null]) expect(parseStart(bad), String(bad)).toBeNull();
		expect(parseDay('2027-03-30')).toBe('2027-03-30');
		expect(parseDay('30/03/2027')).toBeNull();
	});

	it('label days with how many times they have', () => {
		expect(dayOptionLabel('2027-03-30', 6, dayLabel)).toBe('Tuesday 30 March (6 times)');
		expect(dayOptionLabel('2027-03-30', 1, dayLabel)).toBe('Tuesday 30 March (1 time)');
	});

	it('accept only an offered day, with a message that says what to do', () => {
		const question = dayQuestion([{ value: '2027-03-30', label: 'Tuesday 30 March (6 times)' }]);
		expect(validateRaw(question, { day: '2027-03-30' })).toMatchObject({ ok: true, values: { day: '2027-03-30' } });
		expect(validateRaw(question, { day: '2027-03-31' })).toMatchObject({ ok: false, errors: { day: 'Choose a day' } });
		expect(validateRaw(question, { day: '' })).toMatchObject({ ok: false, errors: { day: 'Choose a day' } });
	});

	it('take an optional invitee address and an optional reason, refusing control characters and lists of addresses', () => {
		expect(validateRaw(inviteQuestion, { invite: '' })).toMatchObject({ ok: true, values: { invite: null } });
		expect(validateRaw(inviteQuestion, { invite: ' Worker@Example.org ' })).toMatchObject({ ok: true, values: { invite: 'worker@example.org' } });
		expect(validateRaw(inviteQuestion, { invite: 'a@example.org, b@example.org' }).ok).toBe(false);
		expect(validateRaw(cancelQuestion, { reason: '' })).toMatchObject({ ok: true, values: { reason: null } });
		expect(validateRaw(cancelQuestion, { reason: 'bad\u0000' }).ok).toBe(false);
		expect(validateRaw(cancelQuestion, { reason: 'x'.repeat(501) }).ok).toBe(false);
	});
});
