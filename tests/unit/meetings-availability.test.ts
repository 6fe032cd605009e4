import { describe, expect, it } from 'vitest';
import {
	extraHoursSchema,
	leaveDaysSchema,
	modesOf,
	removedHoursSchema,
	weeklyPatternSchema
} from '../../src/lib/domain/meetings/availability';
import { placeWords, modeKey } from '../../src/lib/domain/meetings/modes';

const messages = (schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown) => {
	const parsed = schema.safeParse(raw);
	return parsed.success ? {} : Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message]).reverse()) // first message per field, as validate() shows;
};

describe('weekly pattern form', () => {
	const raw = { weekday: '2', start: '9:00', end: '17:00', modes: ['phone', 'in-person'], venueId: 'library' };
	it('reads a pattern, padding a one-digit hour', () => {
		expect(weeklyPatternSchema.parse(raw)).toEqual({ weekday: 2, start: '09:00', end: '17:00', modes: ['phone', 'in-person'], venueId: 'library' });
	});
	it('says what to fix', () => {
		expect(messages(weeklyPatternSchema, { ...raw, weekday: '' })).toEqual({ weekday: 'Choose a day of the week' });
		expect(messages(weeklyPatternSchema, { ...raw, start: '9am' })).toEqual({ start: 'Start time must be a time in 24-hour format, like 09:30 or 17:00' });
		expect(messages(weeklyPatternSchema, { ...raw, end: '08:00' })).toEqual({ end: 'End time must be after the start time' });
		expect(messages(weeklyPatternSchema, { ...raw, modes: [] })).toEqual({ modes: 'Choose at least one way to meet' });
		expect(messages(weeklyPatternSchema, { ...raw, venueId: '' })).toEqual({ venueId: 'Choose a venue for meetings in person' });
		expect(messages(weeklyPatternSchema, { ...raw, modes: ['phone'], venueId: '' })).toEqual({});
	});
});

describe('one-off changes and leave', () => {
	it('reads extra hours and hours taken away on a real date', () => {
		expect(extraHoursSchema.parse({ date: '2027-03-28', start: '18:00', end: '20:00', modes: ['video'], venueId: '' })).toEqual({
			date: '2027-03-28',
			start: '18:00',
			end: '20:00',
			modes: ['video'],
			venueId: null
		});
		expect(messages(removedHoursSchema, { date: '2027-02-30', start: '09:00', end: '10:00' })).toEqual({ date: 'Date must be a real date, like 2027-03-30' });
	});
	it('needs the last day of leave on or after the first', () => {
		expect(leaveDaysSchema.parse({ from: '2027-08-02', to: '2027-08-02' })).toEqual({ from: '2027-08-02', to: '2027-08-02' });
		expect(messages(leaveDaysSchema, { from: '2027-08-02', to: '2027-08-01' })).toEqual({ to: 'Last day must be the same as or after the first day' });
	});
});

describe('modes', () => {
	it('attaches the venue to in-person and drops in-person without one', () => {
		expect(modesOf({ modes: ['video', 'in-person', 'phone'], venueId: 'hub' })).toEqual([{ kind: 'in-person', venueId: 'hub' }, { kind: 'phone' }, { kind: 'video' }]);
		expect(modesOf({ modes: ['in-person'], venueId: null })).toEqual([]);
		expect(modeKey({ kind: 'in-person', venueId: 'hub' })).toBe('in-person:hub');
	});
	it('has words for each place', () => {
		expect(placeWords({ kind: 'phone' })).toBe('by phone');
		expect(placeWords({ kind: 'video' })).toBe('by video call');
		expect(placeWords({ kind: 'in-person', venueName: 'The Hub' })).toBe('in person at The Hub');
	});
});
