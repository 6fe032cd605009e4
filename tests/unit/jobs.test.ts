import { describe, expect, it } from 'vitest';
import { validateRaw } from '$lib/domain/fields';
import {
	completeReport,
	firstUnanswered,
	hoursWords,
	JOB_PAGES,
	jobEndForm,
	jobPagesFor,
	jobStartForm,
	pointDate,
	reachedPoints,
	readOutcomeSettings,
	sustainmentForm
} from '$lib/domain/jobs';

const page = (id: string) => JOB_PAGES.find((p) => p.id === id)!;
const parse = (id: string, raw: Record<string, unknown>, today = '2027-03-01') =>
	page(id).schema({ today, now: () => `${today}T10:00:00Z` }).safeParse(raw);

describe('sustainment points', () => {
	it('fall whole weeks after the start, across a clock change', () => {
		expect(pointDate('2027-01-04', 13)).toBe('2027-04-05');
		expect(pointDate('2027-01-04', 26)).toBe('2027-07-05');
	});

	it('are reached on their day, and not after the job ended', () => {
		const job = { startDate: '2027-01-04', endedOn: null };
		expect(reachedPoints(job, [13, 26], '2027-04-04')).toEqual([]);
		expect(reachedPoints(job, [13, 26], '2027-04-05')).toEqual([13]);
		expect(reachedPoints(job, [13, 26], '2027-08-01')).toEqual([13, 26]);
		expect(reachedPoints({ ...job, endedOn: '2027-05-01' }, [13, 26], '2027-08-01')).toEqual([13]);
	});

	it('come from the programme, or 13 and 26 weeks by default', () => {
		expect(readOutcomeSettings(null).sustainmentWeeks).toEqual([13, 26]);
		expect(readOutcomeSettings({ sustainmentWeeks: [26, 13, 52] }).sustainmentWeeks).toEqual([13, 26, 52]);
		expect(readOutcomeSettings({ sustainmentWeeks: [] }).sustainmentWeeks).toEqual([13, 26]);
	});
});

describe('"I have started a job", one question per page', () => {
	it('asks whether it is a new job only of people who were in work when referred', () => {
		expect(jobPagesFor({ employment: 'out-of-work' }).map((p) => p.id)).toEqual(['start-date', 'hours', 'title', 'employer']);
		expect(jobPagesFor({ employment: 'off-sick' }).map((p) => p.id)).toEqual(['start-date', 'hours', 'title', 'employer', 'kind']);
	});

	it('takes a start date in the last 2 years or the next 8 weeks, with the messages people need', () => {
		expect(parse('start-date', { startDate: { day: '1', month: '2', year: '2027' } }).data).toEqual({ startDate: '2027-02-01' });
		const message = (raw: Record<string, string>) => parse('start-date', { startDate: raw }).error?.issues[0].message;
		expect(message({ day: '', month: '', year: '' })).toBe('Enter the date you started');
		expect(message({ day: '1', month: '', year: '2027' })).toBe('The date you started must include a month');
		expect(message({ day: '30', month: '2', year: '2027' })).toBe('The date you started must be a real date, like 27 3 2027');
		expect(message({ day: '1', month: '6', year: '2027' })).toBe('The date you start must be in the next 8 weeks');
		expect(message({ day: '1', month: '1', year: '2024' })).toBe('The date you started must be in the last 2 years');
	});

	it('takes hours as a number, to the nearest half hour', () => {
		expect(parse('hours', { hoursPerWeek: '16' }).data).toEqual({ hoursPerWeek: 16 });
		expect(parse('hours', { hoursPerWeek: '22.5 hours' }).data).toEqual({ hoursPerWeek: 22.5 });
		expect(parse('hours', { hoursPerWeek: 'sixteen' }).error?.issues[0].message).toBe('Enter the hours as a number, like 16 or 22.5');
		expect(parse('hours', { hoursPerWeek: '0' }).error?.issues[0].message).toBe('Enter hours a week between 0.5 and 80');
		expect(parse('hours', { hoursPerWeek: '' }).error?.issues[0].message).toBe('Enter how many hours a week you work');
		expect(hoursWords(22.5)).toBe('22.5 hours a week');
	});

	it('lets the employer be left blank, and refuses hidden characters', () => {
		expect(parse('employer', { employer: '' }).data).toEqual({ employer: null });
		expect(parse('title', { jobTitle: 'Care\u0007 worker' }).success).toBe(false);
	});

	it('knows the next unanswered page and when the report is complete', () => {
		const pages = jobPagesFor({ employment: 'off-sick' });
		expect(firstUnanswered(pages, {})?.id).toBe('start-date');
		const draft = { startDate: '2027-02-01', hoursPerWeek: 16, jobTitle: 'Care worker', employer: null };
		expect(firstUnanswered(pages, draft)?.id).toBe('kind');
		expect(completeReport(draft, true)).toBeNull();
		expect(completeReport(draft, false)).toEqual({ ...draft, kind: 'new' });
		expect(completeReport({ ...draft, jobKind: 'kept' }, true)?.kind).toBe('kept');
	});
});

describe('the specialist forms', () => {
	it('record a start, a point reached and an end with coded reasons', () => {
		const start = validateRaw(jobStartForm('2027-03-01'), {
			startDate: { day: '1', month: '2', year: '2027' },
			hoursPerWeek: '30',
			jobTitle: 'Chef',
			employer: '',
			jobKind: 'new'
		});
		expect(start.ok && start.values).toEqual({ startDate: '2027-02-01', hoursPerWeek: 30, jobTitle: 'Chef', employer: null, jobKind: 'new' });
		const id = '6f1f7d7e-4b8a-4c43-9a53-0e0f5a8f4d11';
		const kept = validateRaw(sustainmentForm([13]), { jobId: id, weeks: '13', evidence: 'payslip-seen' });
		expect(kept.ok && kept.values).toEqual({ jobId: id, weeks: 13, evidence: 'payslip-seen' });
		const noEvidence = validateRaw(sustainmentForm([13]), { jobId: id, weeks: '13', evidence: '' });
		expect(!noEvidence.ok && noEvidence.errors).toEqual({ evidence: 'Select how you know they are still in work' });
		const ended = validateRaw(jobEndForm('2027-03-01'), { jobId: id, endedOn: { day: '2', month: '3', year: '2027' }, endReason: 'health' });
		expect(!ended.ok && ended.errors).toEqual({ endedOn: 'The last day must be today or before' });
	});
});
