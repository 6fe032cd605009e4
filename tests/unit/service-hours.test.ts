import { describe, expect, it } from 'vitest';
import { validateRaw } from '../../src/lib/domain/fields';
import {
	DEFAULT_SERVICE_SETTINGS,
	addOpeningHours,
	isWorkingDay,
	openingHoursWords,
	parseClosures,
	readServiceSettings,
	serviceCalendar,
	serviceSettingsForm,
	serviceSettingsValues,
	teamAvailability,
	whenTeamSeesIt,
	workingDaysOf,
	type ServiceSettings
} from '../../src/lib/domain/service-hours';
import { addWorkingDays } from '../../src/lib/domain/working-days';
import { nationBankHolidays } from '../../src/lib/server/bank-holidays';

const calendar = (settings: Partial<ServiceSettings> = {}) => {
	const s = { ...DEFAULT_SERVICE_SETTINGS, ...settings };
	return serviceCalendar(s, nationBankHolidays(s.nation, 2026, 2027));
};
const at = (iso: string) => new Date(iso);

describe('closed dates', () => {
	it('close England and Wales on Christmas Day, Boxing Day, the substitute day and New Year’s Day', () => {
		const cal = calendar();
		for (const date of ['2026-12-25', '2026-12-26', '2026-12-28', '2027-01-01']) expect(cal.isClosedDate(date), date).toBe(true);
		for (const date of ['2026-12-24', '2026-12-29', '2026-12-31', '2027-01-04']) expect(cal.isClosedDate(date), date).toBe(false);
		expect(cal.closedBecause('2026-12-28')).toMatch(/Boxing Day.*bank holiday/);
		expect(cal.hoursOn('2026-12-28')).toBeNull();
		expect(cal.hoursOn('2026-12-29')).toEqual({ open: '09:00', close: '17:00' });
	});
	it('follow Scotland’s and Northern Ireland’s own bank holidays', () => {
		const scotland = calendar({ nation: 'scotland' });
		expect(scotland.isClosedDate('2026-11-30')).toBe(true); // St Andrew's Day
		expect(scotland.isClosedDate('2027-01-04')).toBe(true); // 2 January's substitute (the 2nd is a Saturday)
		expect(scotland.isClosedDate('2027-03-29')).toBe(false); // no Easter Monday
		expect(scotland.isClosedDate('2026-08-03')).toBe(true); // summer bank holiday, first Monday of August
		const ni = calendar({ nation: 'northern-ireland' });
		expect(ni.isClosedDate('2027-03-17')).toBe(true); // St Patrick's Day
		expect(ni.isClosedDate('2027-07-12')).toBe(true); // Battle of the Boyne
		const england = calendar();
		for (const date of ['2026-11-30', '2027-03-17', '2027-07-12', '2027-01-04']) expect(england.isClosedDate(date), date).toBe(false);
	});
	it('include the closures an admin sets, with their words', () => {
		const cal = calendar({ closures: [{ from: '2027-02-15', to: '2027-02-16', label: 'Staff training' }] });
		expect(cal.isClosedDate('2027-02-15')).toBe(true);
		expect(cal.isClosedDate('2027-02-16')).toBe(true);
		expect(cal.isClosedDate('2027-02-17')).toBe(false);
		expect(cal.closedBecause('2027-02-16')).toBe('Staff training');
	});
});

describe('opening hours', () => {
	it('count a crisis answer on Sunday 6 December 2026 at 07:16 with 4 hours to Monday at 1pm', () => {
		expect(addOpeningHours(calendar(), at('2026-12-06T07:16:00Z'), 4).toISOString()).toBe('2026-12-07T13:00:00.000Z');
	});
	it('carry what is left of a day over to the next open day, past weekends, bank holidays and closures', () => {
		// Friday 4pm: one hour on Friday, three on Monday.
		expect(addOpeningHours(calendar(), at('2026-12-04T16:00:00Z'), 4).toISOString()).toBe('2026-12-07T12:00:00.000Z');
		// Christmas Eve at 4:30pm: half an hour, then closed until Tuesday 29 December (25th, weekend, 28th substitute).
		expect(addOpeningHours(calendar(), at('2026-12-24T16:30:00Z'), 4).toISOString()).toBe('2026-12-29T12:30:00.000Z');
		const closed29 = calendar({ closures: [{ from: '2026-12-29', to: '2026-12-29', label: null }] });
		expect(addOpeningHours(closed29, at('2026-12-24T16:30:00Z'), 4).toISOString()).toBe('2026-12-30T12:30:00.000Z');
		// Inside opening hours it is simply later the same day.
		expect(addOpeningHours(calendar(), at('2026-12-08T10:00:00Z'), 4).toISOString()).toBe('2026-12-08T14:00:00.000Z');
	});
	it('read opening times as UK time, in summer too', () => {
		// 9am BST is 8am UTC: Sunday 5 July 2026 + 1 hour is Monday 6 July at 10am BST.
		expect(addOpeningHours(calendar(), at('2026-07-05T12:00:00Z'), 1).toISOString()).toBe('2026-07-06T09:00:00.000Z');
	});
	it('say truthfully when the team will next see a message, never "soon"', () => {
		expect(whenTeamSeesIt(calendar(), at('2026-12-06T07:16:00Z'))).toBe('Our team is closed now. They will see this when they open on Monday 7 December at 9am.');
		expect(whenTeamSeesIt(calendar(), at('2026-12-24T18:00:00Z'))).toBe('Our team is closed now. They will see this when they open on Tuesday 29 December at 9am.');
		expect(whenTeamSeesIt(calendar(), at('2026-12-07T10:00:00Z'))).toBe('Our team is open now, until 5pm today. They have been told and will see this today.');
		const late = calendar({ openingHours: [{ weekday: 1, open: '09:30', close: '20:00' }] });
		expect(whenTeamSeesIt(late, at('2026-12-06T07:16:00Z'))).toMatch(/Monday 7 December at 9:30am\.$/);
		expect(teamAvailability(calendar({ openingHours: [] }), at('2026-12-06T07:16:00Z'))).toEqual({ open: false, opensAt: null });
	});
	it('describe the week in words', () => {
		expect(openingHoursWords(DEFAULT_SERVICE_SETTINGS)).toEqual(['Monday to Friday, 9am to 5pm']);
		expect(openingHoursWords({ ...DEFAULT_SERVICE_SETTINGS, openingHours: [{ weekday: 1, open: '09:00', close: '17:00' }, { weekday: 6, open: '10:00', close: '13:30' }] })).toEqual([
			'Monday, 9am to 5pm',
			'Saturday, 10am to 1:30pm'
		]);
	});
	it('make open days the working days of contact targets', () => {
		const cal = calendar();
		expect(isWorkingDay(cal, '2026-12-28')).toBe(false);
		// Wednesday 23 December + 3 working days: 24th, (25th-28th closed), 29th, 30th.
		expect(addWorkingDays('2026-12-23', 3, workingDaysOf(cal))).toBe('2026-12-30');
		const saturdays = calendar({ openingHours: [...DEFAULT_SERVICE_SETTINGS.openingHours, { weekday: 6, open: '10:00', close: '13:00' }] });
		expect(addWorkingDays('2026-12-04', 1, workingDaysOf(saturdays))).toBe('2026-12-05');
	});
});

describe('the settings', () => {
	it('fall back to the defaults for anything missing or unreadable', () => {
		expect(readServiceSettings(null)).toEqual(DEFAULT_SERVICE_SETTINGS);
		expect(readServiceSettings({ safetyContacts: ['duty@ips.example'] })).toEqual({ ...DEFAULT_SERVICE_SETTINGS, safetyContacts: ['duty@ips.example'] });
		expect(readServiceSettings({ nation: 'mars' })).toEqual(DEFAULT_SERVICE_SETTINGS);
	});
	it('read closures one a line, in UK or ISO dates, with clear messages', () => {
		expect(parseClosures('24/12/2026 to 2/1/2027 Christmas closure\n\n2027-02-15 Staff training\n1/3/2027')).toEqual({
			ok: true,
			closures: [
				{ from: '2026-12-24', to: '2027-01-02', label: 'Christmas closure' },
				{ from: '2027-02-15', to: '2027-02-15', label: 'Staff training' },
				{ from: '2027-03-01', to: '2027-03-01', label: null }
			]
		});
		expect(parseClosures('next Tuesday')).toEqual({ ok: false, message: expect.stringMatching(/^Line 1: start with a date/) });
		expect(parseClosures('1/1/2027\n31/2/2027')).toEqual({ ok: false, message: expect.stringMatching(/^Line 2:/) });
		expect(parseClosures('5/1/2027 to 4/1/2027')).toEqual({ ok: false, message: 'Line 1: the last closed day must be the same as or after the first' });
	});
	it('come from the admin form, with each message beside its field and the values kept', () => {
		const values = serviceSettingsValues({ ...DEFAULT_SERVICE_SETTINGS, safetyContacts: ['Duty@IPS.example'], closures: [{ from: '2027-02-15', to: '2027-02-15', label: 'Training' }] }, 3);
		const parsed = validateRaw(serviceSettingsForm, values);
		expect(parsed.ok && parsed.values).toEqual({
			version: 3,
			settings: { ...DEFAULT_SERVICE_SETTINGS, safetyContacts: ['duty@ips.example'], closures: [{ from: '2027-02-15', to: '2027-02-15', label: 'Training' }] }
		});
		const wrong = validateRaw(serviceSettingsForm, {
			...values,
			open1: '9am',
			close2: '',
			open3: '17:00',
			close3: '09:00',
			safetyContacts: 'duty@ips.example\nnot an address',
			crisisAcknowledgeHours: '0',
			nation: ''
		});
		expect(wrong.ok).toBe(false);
		if (wrong.ok) return;
		expect(wrong.raw.open1).toBe('9am');
		expect(wrong.errors).toEqual({
			nation: 'Choose whose bank holidays close the service',
			open1: "Monday's opening time must be a time in 24-hour format, like 09:00",
			close2: 'Enter the time the service closes on Tuesday, or clear its opening time',
			close3: "Wednesday's closing time must be after its opening time",
			safetyContacts: 'Line 2: enter an email address in the correct format, like duty@example.org',
			crisisAcknowledgeHours: 'Hours to acknowledge a crisis answer must be between 1 and 80'
		});
	});
});
