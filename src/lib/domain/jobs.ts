/**
 * Job outcomes (issue 23 item 2): a job a participant started, reported by them or recorded by their
 * specialist, kept at the programme's sustainment points (13 and 26 weeks by default) with the evidence
 * seen, and ended with a coded reason. Pure: the pages the person answers, the staff forms, the points
 * and their dates, and the words. No I/O.
 */
import { z } from 'zod';
import { choice, optionalText, requiredText, text, type FormDefinition, type RawValues } from './fields';
import type { QuestionPage } from './question-page';
import { addDaysIso, formatLongDate } from './uk-time';

// ---- codes --------------------------------------------------------------------------------------

/** A new job, or the job the person had when they were referred (back from sick leave, or kept). */
export const JOB_KINDS = ['new', 'kept'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_KIND_LABELS: Record<JobKind, string> = {
	new: 'A new job',
	kept: 'Kept the job they had (back at work or stayed in it)'
};

/** How the specialist knows the person is still in work at a sustainment point. */
export const EVIDENCE = ['self-reported', 'payslip-seen', 'employer-confirmed'] as const;
export type Evidence = (typeof EVIDENCE)[number];
export const EVIDENCE_LABELS: Record<Evidence, string> = {
	'self-reported': 'Self-reported: the person told us',
	'payslip-seen': 'Payslip seen',
	'employer-confirmed': 'Employer confirmed'
};

/** Coded reasons a job ended. The code is stored and sent. */
export const JOB_END_REASONS = [
	{ code: 'health', label: 'Their health' },
	{ code: 'resigned', label: 'They chose to leave' },
	{ code: 'dismissed', label: 'Dismissed' },
	{ code: 'contract-ended', label: 'Temporary or fixed-term work ended' },
	{ code: 'redundancy', label: 'Made redundant' },
	{ code: 'better-job', label: 'Left for another job' },
	{ code: 'other', label: 'Another reason' }
] as const;
export type JobEndReason = (typeof JOB_END_REASONS)[number]['code'];
export const JOB_END_REASON_CODES = JOB_END_REASONS.map((r) => r.code) as [JobEndReason, ...JobEndReason[]];
export function jobEndReasonLabel(code: string | null | undefined): string {
	return JOB_END_REASONS.find((r) => r.code === code)?.label ?? code ?? '';
}

// ---- sustainment points ---------------------------------------------------------------------------

export interface OutcomeSettings {
	/** Weeks after the job start at which sustainment is recorded (and the person asked). */
	sustainmentWeeks: number[];
}
export const DEFAULT_OUTCOME_SETTINGS: OutcomeSettings = { sustainmentWeeks: [13, 26] };

export const outcomeSettingsSchema = z.object({
	sustainmentWeeks: z.array(z.number().int().min(1).max(104)).min(1).max(6)
});

/** The programme's settings, or the defaults where missing or unreadable. */
export function readOutcomeSettings(stored: unknown): OutcomeSettings {
	const parsed = outcomeSettingsSchema.safeParse(stored);
	if (!parsed.success) return DEFAULT_OUTCOME_SETTINGS;
	return { sustainmentWeeks: [...new Set(parsed.data.sustainmentWeeks)].sort((a, b) => a - b) };
}

/** The date a sustainment point falls on: the start date plus that many weeks. */
export function pointDate(startDate: string, weeks: number): string {
	return addDaysIso(startDate, weeks * 7);
}

export interface JobFacts {
	startDate: string;
	endedOn: string | null;
	confirmedAt: Date | null;
}

/**
 * The sustainment points a job has reached by `today` (a UK date) while it lasted: a point reached after the
 * job ended was not sustained, so it is not offered.
 */
export function reachedPoints(job: Pick<JobFacts, 'startDate' | 'endedOn'>, weeks: readonly number[], today: string): number[] {
	return weeks.filter((w) => {
		const on = pointDate(job.startDate, w);
		return on <= today && (!job.endedOn || on <= job.endedOn);
	});
}

/** "13 weeks (12 March 2027)" */
export function pointWords(startDate: string, weeks: number): string {
	return `${weeks} weeks (${formatLongDate(pointDate(startDate, weeks))})`;
}

/** "16.5 hours a week" */
export function hoursWords(hours: number): string {
	return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} ${hours === 1 ? 'hour' : 'hours'} a week`;
}

// ---- dates typed in day, month and year boxes -------------------------------------------------------

/**
 * A date from day, month and year boxes, as an ISO date, between `earliest` and `latest` (ISO dates).
 * `what` names the date in the messages, like "The date you started".
 */
export const dayMonthYear = (o: { empty: string; what: string; earliest: string; latest: string; tooEarly: string; tooLate: string }) =>
	z.object({ day: text(), month: text(), year: text() }).transform((parts, ctx) => {
		const fail = (message: string) => {
			ctx.addIssue({ code: 'custom', message });
			return z.NEVER;
		};
		const day = parts.day.trim();
		const month = parts.month.trim();
		const year = parts.year.trim();
		if (!day && !month && !year) return fail(o.empty);
		const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
		if (missing.length) return fail(`${o.what} must include a ${missing.join(' and ')}`);
		const example = `${o.what} must be a real date, like 27 3 2027`;
		if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return fail(example);
		const [d, m, y] = [Number(day), Number(month), Number(year)];
		const date = new Date(Date.UTC(y, m - 1, d));
		if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return fail(example);
		const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
		if (iso < o.earliest) return fail(o.tooEarly);
		if (iso > o.latest) return fail(o.tooLate);
		return iso;
	});

/** Hours a week, typed: a number from 0.5 to 80, halves allowed ("16", "16.5", "16 and a half" is refused). */
export const hoursPerWeek = (empty: string) =>
	text()
		.trim()
		.min(1, empty)
		.transform((v, ctx) => {
			const n = Number(v.replace(/\s*(hours?|hrs?|h)\s*$/i, ''));
			if (!Number.isFinite(n) || !/^\d{1,2}(\.\d{1,2})?(\s*(hours?|hrs?|h))?$/i.test(v)) {
				ctx.addIssue({ code: 'custom', message: 'Enter the hours as a number, like 16 or 22.5' });
				return z.NEVER;
			}
			if (n < 0.5 || n > 80) {
				ctx.addIssue({ code: 'custom', message: 'Enter hours a week between 0.5 and 80' });
				return z.NEVER;
			}
			return Math.round(n * 2) / 2;
		});

// ---- the person's pages: "I have started a job" -------------------------------------------------------

/** The first day a start may be on (two years back) and the last (eight weeks ahead: a job offered, not begun). */
export function startDateBounds(today: string): { earliest: string; latest: string } {
	return { earliest: addDaysIso(today, -731), latest: addDaysIso(today, 56) };
}

const startDateQuestion = (ctx: { today: string }) => {
	const { earliest, latest } = startDateBounds(ctx.today);
	return dayMonthYear({
		empty: 'Enter the date you started',
		what: 'The date you started',
		earliest,
		latest,
		tooEarly: 'The date you started must be in the last 2 years',
		tooLate: 'The date you start must be in the next 8 weeks'
	});
};

/** People who were in work when they were referred are asked whether this is a new job or the one they had. */
export function wasInWork(answers: Readonly<Record<string, unknown>>): boolean {
	return answers.employment === 'off-sick' || answers.employment === 'struggling-in-work' || answers.employment === 'in-work-ok';
}

/** The pages of "I have started a job", one question each. `kind` shows only for people in work at referral. */
export const JOB_PAGES: QuestionPage[] = [
	{
		id: 'start-date',
		flow: 'job',
		heading: 'When did you start?',
		hint: 'If you have been offered a job and not started yet, tell us the day you will start. For example, 27 3 2027',
		fields: [{ kind: 'date', name: 'startDate', label: 'When did you start?' }],
		schema: (ctx) => z.object({ startDate: startDateQuestion(ctx) }),
		summaryLabel: 'Start date'
	},
	{
		id: 'hours',
		flow: 'job',
		heading: 'How many hours a week do you work?',
		hint: 'Your usual hours. If they change from week to week, tell us about how many. For example, 16 or 22.5',
		fields: [{ kind: 'text', name: 'hoursPerWeek', label: 'How many hours a week do you work?', width: 'short', inputmode: 'text', spellcheck: false, suffix: 'hours a week' }],
		schema: () => z.object({ hoursPerWeek: hoursPerWeek('Enter how many hours a week you work') }),
		summaryLabel: 'Hours a week'
	},
	{
		id: 'title',
		flow: 'job',
		heading: 'What is your job?',
		hint: 'Your job title or what you do, like "Shop assistant" or "Care worker"',
		fields: [{ kind: 'text', name: 'jobTitle', label: 'What is your job?', width: 'long', autocomplete: 'organization-title' }],
		schema: () => z.object({ jobTitle: requiredText('Enter your job title or what you do', 100, 'Job title must be 100 characters or fewer') }),
		summaryLabel: 'Job'
	},
	{
		id: 'employer',
		flow: 'job',
		heading: 'Who do you work for? (optional)',
		hint: 'The name of your employer. Leave it blank if you would rather not say, or if you work for yourself.',
		optional: true,
		fields: [{ kind: 'text', name: 'employer', label: 'Who do you work for? (optional)', width: 'long', autocomplete: 'organization' }],
		schema: () => z.object({ employer: optionalText(100, 'Employer must be 100 characters or fewer') }),
		summaryLabel: 'Employer'
	},
	{
		id: 'kind',
		flow: 'job',
		heading: 'Is this a new job?',
		fields: [
			{
				kind: 'radios',
				name: 'jobKind',
				label: 'Is this a new job?',
				options: [
					{ value: 'new', label: 'Yes, it is a new job' },
					{ value: 'kept', label: 'No, it is the job I had when I was referred', hint: 'For example, you have gone back after being off sick' }
				]
			}
		],
		schema: () => z.object({ jobKind: choice(JOB_KINDS, 'Select whether this is a new job') }),
		summaryLabel: 'New job',
		showIf: (ctx) => wasInWork(ctx.answers)
	}
];

/** The pages this person sees, from their referral's answers. */
export function jobPagesFor(referralAnswers: Readonly<Record<string, unknown>>): QuestionPage[] {
	return JOB_PAGES.filter((p) => !p.showIf || p.showIf({ answers: referralAnswers, hasSource: true }));
}

export interface JobReport {
	startDate: string;
	hoursPerWeek: number;
	jobTitle: string;
	employer: string | null;
	kind: JobKind;
}

/** The answers so far, read leniently (what the draft holds). */
export const jobDraftSchema = z.object({
	startDate: z.iso.date().optional(),
	hoursPerWeek: z.number().optional(),
	jobTitle: z.string().optional(),
	employer: z.string().nullable().optional(),
	jobKind: z.enum(JOB_KINDS).optional()
});
export type JobDraft = z.infer<typeof jobDraftSchema>;

/** The first page of `pages` not yet answered, or null when every one is. */
export function firstUnanswered(pages: readonly QuestionPage[], draft: Readonly<Record<string, unknown>>): QuestionPage | null {
	return pages.find((p) => p.fields.some((f) => !(f.name in draft))) ?? null;
}

/** The finished report, or null while a page is unanswered. People not in work at referral have a new job. */
export function completeReport(draft: JobDraft, askedKind: boolean): JobReport | null {
	if (!draft.startDate || draft.hoursPerWeek === undefined || !draft.jobTitle || draft.employer === undefined) return null;
	if (askedKind && !draft.jobKind) return null;
	return { startDate: draft.startDate, hoursPerWeek: draft.hoursPerWeek, jobTitle: draft.jobTitle, employer: draft.employer, kind: draft.jobKind ?? 'new' };
}

// ---- the specialist's forms -------------------------------------------------------------------------

const staffStartDate = (today: string) => {
	const { earliest, latest } = startDateBounds(today);
	return dayMonthYear({
		empty: 'Enter the start date',
		what: 'The start date',
		earliest,
		latest,
		tooEarly: 'The start date must be in the last 2 years',
		tooLate: 'The start date must be in the next 8 weeks'
	});
};

/** A specialist records a job start they know of (confirmed as they record it). */
export function jobStartForm(today: string) {
	return {
		fields: [
			{ kind: 'date', name: 'startDate', label: 'Start date', hint: 'For example, 27 3 2027' },
			{ kind: 'text', name: 'hoursPerWeek', label: 'Hours a week', hint: 'Usual hours, like 16 or 22.5', width: 'short', spellcheck: false },
			{ kind: 'text', name: 'jobTitle', label: 'Job title', width: 'long' },
			{ kind: 'text', name: 'employer', label: 'Employer (optional)', width: 'long' },
			{ kind: 'radios', name: 'jobKind', label: 'New job or kept job', options: JOB_KINDS.map((value) => ({ value, label: JOB_KIND_LABELS[value] })) }
		],
		schema: z.object({
			startDate: staffStartDate(today),
			hoursPerWeek: hoursPerWeek('Enter the hours a week'),
			jobTitle: requiredText('Enter the job title', 100, 'Job title must be 100 characters or fewer'),
			employer: optionalText(100, 'Employer must be 100 characters or fewer'),
			jobKind: choice(JOB_KINDS, 'Select whether this is a new job or the one they had')
		})
	} satisfies FormDefinition;
}

const jobId = z.uuid({ error: 'That job was not found: reload the page' });

/** Confirms a job start the person reported. */
export const confirmJobForm = {
	fields: [{ kind: 'hidden', name: 'jobId' }],
	schema: z.object({ jobId })
} satisfies FormDefinition;

/** Sustainment at one of the points the job has reached, with the evidence seen. */
export function sustainmentForm(points: number[] = []) {
	return {
		fields: [
			{ kind: 'hidden', name: 'jobId' },
			{ kind: 'radios', name: 'weeks', label: 'Which point?', options: points.map((w) => ({ value: String(w), label: `${w} weeks` })) },
			{ kind: 'radios', name: 'evidence', label: 'How do you know they are still in work?', options: EVIDENCE.map((value) => ({ value, label: EVIDENCE_LABELS[value] })) }
		],
		schema: z.object({
			jobId,
			weeks: text()
				.refine((v) => /^\d{1,3}$/.test(v), 'Select which point')
				.transform(Number),
			evidence: choice(EVIDENCE, 'Select how you know they are still in work')
		})
	} satisfies FormDefinition;
}

/** A job that ended: the date and a coded reason. */
export function jobEndForm(today: string) {
	return {
		fields: [
			{ kind: 'hidden', name: 'jobId' },
			{ kind: 'date', name: 'endedOn', label: 'Last day in the job', hint: 'For example, 27 3 2027' },
			{ kind: 'select', name: 'endReason', label: 'Why it ended', options: [{ value: '', label: 'Choose a reason' }, ...JOB_END_REASONS.map((r) => ({ value: r.code, label: r.label }))] }
		],
		schema: z.object({
			jobId,
			endedOn: dayMonthYear({
				empty: 'Enter the last day in the job',
				what: 'The last day',
				earliest: addDaysIso(today, -731),
				latest: today,
				tooEarly: 'The last day must be in the last 2 years',
				tooLate: 'The last day must be today or before'
			}),
			endReason: choice(JOB_END_REASON_CODES, 'Select why the job ended')
		})
	} satisfies FormDefinition;
}

/** The person's answer to "Are you still in this job?" near a sustainment point. */
export const stillInWorkForm = {
	fields: [
		{
			kind: 'radios',
			name: 'stillInWork',
			label: 'Are you still in this job?',
			inline: true,
			options: [
				{ value: 'yes', label: 'Yes' },
				{ value: 'no', label: 'No' }
			]
		}
	],
	schema: z.object({ stillInWork: choice(['yes', 'no'] as const, 'Select yes if you are still in this job') })
} satisfies FormDefinition;

/** The raw values of a date field for an ISO date (to show it again in a form). */
export function rawDate(iso: string | undefined): RawValues[string] {
	const [year = '', month = '', day = ''] = iso ? iso.split('-') : [];
	return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
}

// ---- the admin form for the sustainment points ----------------------------------------------------

const WEEKS_HINT = 'Up to 6 numbers from 1 to 104, separated by commas, like 13, 26. The outcomes report counts 13 and 26 weeks.';

/** The programme's sustainment points, as admins set them (`/staff/admin/programmes/<id>/outcomes`). */
export const outcomeSettingsForm = {
	fields: [
		{ kind: 'hidden', name: 'version' },
		{ kind: 'text', name: 'sustainmentWeeks', label: 'Weeks after a job start to check the person is still in work', hint: WEEKS_HINT, width: 'medium' }
	],
	schema: z.object({
		version: text().transform((v) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : undefined)),
		sustainmentWeeks: text()
			.trim()
			.refine((v) => v !== '', 'Enter the weeks, like 13, 26')
			.transform((v, ctx) => {
				const parts = v.split(/[\s,]+/).filter(Boolean);
				if (!parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) >= 1 && Number(p) <= 104)) {
					ctx.addIssue({ code: 'custom', message: 'Enter whole numbers of weeks from 1 to 104, separated by commas, like 13, 26' });
					return z.NEVER;
				}
				const weeks = [...new Set(parts.map(Number))].sort((a, b) => a - b);
				if (weeks.length > 6) {
					ctx.addIssue({ code: 'custom', message: 'Enter at most 6 points' });
					return z.NEVER;
				}
				return weeks;
			})
	})
} satisfies FormDefinition;

export function outcomeSettingsValues(settings: OutcomeSettings, version: number): RawValues {
	return { version: String(version), sustainmentWeeks: settings.sustainmentWeeks.join(', ') };
}
