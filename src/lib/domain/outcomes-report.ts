/**
 * The outcomes report (issue 23 item 3): every step from a link to a job, per source, per month, by the
 * equality answers people gave, and in total, with the conversions between steps, as a table, a chart, a CSV
 * with exactly the table's numbers, and a CSV for sharing with small numbers suppressed. Pure: the server
 * (server/reports/outcomes.ts) counts; this adds, names and writes.
 */
import { CLOSE_REASONS } from './casework/statuses';
import { MORE_PAGES, REFER_PAGES } from './refer-pages';

/** The counts of one source (a link, a GP practice, a DWP category), month or equality group, or of the total. */
export interface FunnelCounts {
	visits: number;
	checksStarted: number;
	checkOutcomes: { likely: number; talk: number; notEligible: number };
	/** Reason codes of "probably not eligible" results, with how often each was given. */
	notEligibleReasons: Record<string, number>;
	referrals: number;
	contactedWithinTarget: number;
	/** Working days from sending to first contact, one per referral contacted (for the median). */
	daysToFirstContact: number[];
	firstMeetings: number;
	/** Meetings attended, all of them (for meetings per participant). */
	meetingsHeld: number;
	starts: number;
	jobStarts: number;
	/** Job starts of people out of work when they referred, and of people in work (off sick or struggling). */
	jobStartsOutOfWork: number;
	jobStartsInWork: number;
	sustained13: number;
	sustained26: number;
	/** Referrals closed now, by CLOSE_REASONS code. */
	closed: Record<string, number>;
}

export function emptyCounts(): FunnelCounts {
	return {
		visits: 0,
		checksStarted: 0,
		checkOutcomes: { likely: 0, talk: 0, notEligible: 0 },
		notEligibleReasons: {},
		referrals: 0,
		contactedWithinTarget: 0,
		daysToFirstContact: [],
		firstMeetings: 0,
		meetingsHeld: 0,
		starts: 0,
		jobStarts: 0,
		jobStartsOutOfWork: 0,
		jobStartsInWork: 0,
		sustained13: 0,
		sustained26: 0,
		closed: {}
	};
}

const NUMBER_KEYS = [
	'visits',
	'checksStarted',
	'referrals',
	'contactedWithinTarget',
	'firstMeetings',
	'meetingsHeld',
	'starts',
	'jobStarts',
	'jobStartsOutOfWork',
	'jobStartsInWork',
	'sustained13',
	'sustained26'
] as const;

function addRecord(a: Record<string, number>, b: Record<string, number>) {
	for (const [key, n] of Object.entries(b)) a[key] = (a[key] ?? 0) + n;
}

/** Adds `b` into `a` (for totals). */
export function addInto(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
	for (const key of NUMBER_KEYS) a[key] += b[key];
	a.checkOutcomes.likely += b.checkOutcomes.likely;
	a.checkOutcomes.talk += b.checkOutcomes.talk;
	a.checkOutcomes.notEligible += b.checkOutcomes.notEligible;
	addRecord(a.notEligibleReasons, b.notEligibleReasons);
	addRecord(a.closed, b.closed);
	a.daysToFirstContact.push(...b.daysToFirstContact);
	return a;
}

/** The middle value (the mean of the two middle ones for an even count, to one decimal place); null for none. */
export function median(values: readonly number[]): number | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	const value = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return Math.round(value * 10) / 10;
}

const closedTotal = (c: FunnelCounts) => Object.values(c.closed).reduce((n, v) => n + v, 0);

export interface CountColumn {
	key: string;
	label: string;
	get: (c: FunnelCounts) => number;
	/** Counted before anyone refers (anonymous): not known for the equality groups. */
	beforeReferral?: boolean;
}

/** The table's count columns, in funnel order: the same in the page, both CSVs and the chart. */
export const COUNT_COLUMNS: CountColumn[] = [
	{ key: 'visits', label: 'Link visits', get: (c) => c.visits, beforeReferral: true },
	{ key: 'checksStarted', label: 'Checks started', get: (c) => c.checksStarted, beforeReferral: true },
	{ key: 'likely', label: 'Check: likely eligible', get: (c) => c.checkOutcomes.likely, beforeReferral: true },
	{ key: 'talk', label: 'Check: talk to a specialist', get: (c) => c.checkOutcomes.talk, beforeReferral: true },
	{ key: 'notEligible', label: 'Check: probably not eligible', get: (c) => c.checkOutcomes.notEligible, beforeReferral: true },
	{ key: 'referrals', label: 'Referrals', get: (c) => c.referrals },
	{ key: 'contactedWithinTarget', label: 'Contacted within target', get: (c) => c.contactedWithinTarget },
	{ key: 'firstMeetings', label: 'First meetings', get: (c) => c.firstMeetings },
	{ key: 'meetingsHeld', label: 'Meetings held', get: (c) => c.meetingsHeld },
	{ key: 'starts', label: 'Started support', get: (c) => c.starts },
	{ key: 'jobStarts', label: 'Job starts', get: (c) => c.jobStarts },
	{ key: 'jobStartsOutOfWork', label: 'Job starts: were out of work', get: (c) => c.jobStartsOutOfWork },
	{ key: 'jobStartsInWork', label: 'Job starts: were in work', get: (c) => c.jobStartsInWork },
	{ key: 'sustained13', label: 'In work at 13 weeks', get: (c) => c.sustained13 },
	{ key: 'sustained26', label: 'In work at 26 weeks', get: (c) => c.sustained26 },
	{ key: 'closed', label: 'Closed', get: closedTotal },
	...CLOSE_REASONS.map((r) => ({ key: `closed-${r.code}`, label: `Closed: ${r.label}`, get: (c: FunnelCounts) => c.closed[r.code] ?? 0 }))
];

/** The funnel's steps (the chart's bars): the main count columns, without the splits. */
export const FUNNEL_KEYS = ['visits', 'checksStarted', 'likely', 'referrals', 'contactedWithinTarget', 'firstMeetings', 'starts', 'jobStarts', 'sustained13', 'sustained26'] as const;

/**
 * Figures that are not counts: each with the count it is worked from (`base`), so the sharing CSV can leave
 * it out when that count is small.
 */
export const FIGURE_COLUMNS: { key: string; label: string; get: (c: FunnelCounts) => number | null; base: (c: FunnelCounts) => number }[] = [
	{ key: 'medianDaysToFirstContact', label: 'Median working days to first contact', get: (c) => median(c.daysToFirstContact), base: (c) => c.daysToFirstContact.length },
	{
		key: 'meetingsPerParticipant',
		label: 'Meetings per participant who came to one',
		get: (c) => (c.firstMeetings ? Math.round((10 * c.meetingsHeld) / c.firstMeetings) / 10 : null),
		base: (c) => c.firstMeetings
	}
];

/** Conversions between steps: part of whole, as a whole-number percentage, or null when the whole is 0. */
export const RATE_COLUMNS: { key: string; label: string; part: (c: FunnelCounts) => number; whole: (c: FunnelCounts) => number; beforeReferral?: boolean }[] = [
	{ key: 'checkToReferral', label: 'Checks started that became referrals', part: (c) => c.referrals, whole: (c) => c.checksStarted, beforeReferral: true },
	{ key: 'contactedInTime', label: 'Referrals contacted within target', part: (c) => c.contactedWithinTarget, whole: (c) => c.referrals },
	{ key: 'referralToStart', label: 'Referrals that started support', part: (c) => c.starts, whole: (c) => c.referrals },
	{ key: 'referralToJob', label: 'Referrals that led to a job start', part: (c) => c.jobStarts, whole: (c) => c.referrals },
	{ key: 'startToJob', label: 'Starts that found a job', part: (c) => c.jobStarts, whole: (c) => c.starts },
	{ key: 'jobTo13', label: 'Job starts in work at 13 weeks', part: (c) => c.sustained13, whole: (c) => c.jobStarts },
	{ key: 'jobTo26', label: 'Job starts in work at 26 weeks', part: (c) => c.sustained26, whole: (c) => c.jobStarts }
];

export function percent(part: number, whole: number): number | null {
	return whole > 0 ? Math.round((100 * part) / whole) : null;
}

export interface ReportRow {
	/** The link code, ODS code, DWP category, month (YYYY-MM) or answer; '' for "no link" (or none given). */
	key: string;
	label: string;
	counts: FunnelCounts;
}

/** The equality groupings: the steps from referring on, by the answers people gave (none is "Not given"). */
export const EQUALITY_GROUPINGS = [
	{ id: 'age-band', title: 'By age band (at referral)' },
	{ id: 'gender', title: 'By gender' },
	{ id: 'ethnicity', title: 'By ethnic group' },
	{ id: 'disability', title: 'By whether their condition limits day-to-day activities' }
] as const;
export type EqualityGrouping = (typeof EQUALITY_GROUPINGS)[number]['id'];

export interface OutcomesReport {
	from: string;
	to: string;
	programmeIds: string[];
	/** One row per link ('' is "no link": the start page or a typed address). */
	sources: ReportRow[];
	practices: ReportRow[];
	dwpCategories: ReportRow[];
	/** One row per month (YYYY-MM) with anything in it, in order. */
	months: ReportRow[];
	equality: Record<EqualityGrouping, ReportRow[]>;
	totals: FunnelCounts;
}

export const AGE_BANDS = ['16-24', '25-34', '35-49', '50-64', '65+'] as const;

/** The age band of someone born on `dateOfBirth` (YYYY-MM-DD) on the UK date `on`; under 16 is "Under 16". */
export function ageBand(dateOfBirth: string, on: string): string {
	const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4)) - (on.slice(5) < dateOfBirth.slice(5) ? 1 : 0);
	if (years < 16) return 'under-16';
	if (years < 25) return '16-24';
	if (years < 35) return '25-34';
	if (years < 50) return '35-49';
	if (years < 65) return '50-64';
	return '65+';
}

/** The answer each equality grouping (but age) reads. */
export const EQUALITY_FIELDS: Record<Exclude<EqualityGrouping, 'age-band'>, string> = { gender: 'gender', ethnicity: 'ethnicity', disability: 'dailyImpact' };
const DISABILITY_WORDS: Record<string, string> = {
	'a-lot': 'Limits them a lot',
	'a-little': 'Limits them a little',
	'not-at-all': 'Does not limit them'
};

type Option = { value: string; label: string; staffLabel?: string };
const OPTIONS = new Map<string, Option[]>();
/** The options of a referral question, by its name (read once: the report asks for each referral). */
function optionsOf(name: string): Option[] {
	let options = OPTIONS.get(name);
	if (!options) {
		options = [];
		for (const page of [...REFER_PAGES, ...MORE_PAGES]) for (const field of page.fields) if (field.name === name && 'options' in field && field.options) options = field.options;
		OPTIONS.set(name, options);
	}
	return options;
}

/** The key of a referral in an equality grouping: only from an answer given ('' when none). */
export function equalityKey(grouping: EqualityGrouping, answers: Readonly<Record<string, unknown>>, dateOfBirth: string | null, sentOn: string): string {
	if (grouping === 'age-band') return dateOfBirth ? ageBand(dateOfBirth, sentOn) : '';
	const answer = answers[EQUALITY_FIELDS[grouping]];
	return typeof answer === 'string' && optionsOf(EQUALITY_FIELDS[grouping]).some((o) => o.value === answer) ? answer : '';
}

/** The words for an equality key. */
export function equalityLabel(grouping: EqualityGrouping, key: string): string {
	if (!key) return 'Not given';
	if (grouping === 'age-band') return key === 'under-16' ? 'Under 16' : key === '65+' ? '65 and over' : key.replace('-', ' to ');
	if (grouping === 'disability' && DISABILITY_WORDS[key]) return DISABILITY_WORDS[key];
	const option = optionsOf(EQUALITY_FIELDS[grouping]).find((o) => o.value === key);
	return option ? (option.staffLabel ?? option.label) : key;
}

/** The order of an equality grouping's rows: the answers' own order, "Not given" last. */
export function equalityOrder(grouping: EqualityGrouping, key: string): number {
	if (!key) return 1000;
	if (grouping === 'age-band') return key === 'under-16' ? -1 : AGE_BANDS.indexOf(key as (typeof AGE_BANDS)[number]);
	return optionsOf(EQUALITY_FIELDS[grouping]).findIndex((o) => o.value === key);
}

/** "March 2031" for "2031-03". */
export function monthLabel(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} ${y}`;
}

/** Counts 1 to threshold-1 read "<threshold" ("<5"): 0 and threshold and above are exact. */
export function suppressed(n: number, threshold = 5): string {
	return n > 0 && n < threshold ? `<${threshold}` : String(n);
}

/** Every grouping of the report, in the order of the page and the CSV (the CSV's first column is `grouping`). */
export function reportGroupings(report: OutcomesReport): { grouping: string; id: string; title: string; rows: ReportRow[]; equality: boolean }[] {
	return [
		{ grouping: 'link', id: 'by-link', title: 'By link', rows: report.sources, equality: false },
		{ grouping: 'gp-practice', id: 'by-practice', title: 'By GP practice', rows: report.practices, equality: false },
		{ grouping: 'dwp-category', id: 'by-dwp', title: 'By DWP referral category', rows: report.dwpCategories, equality: false },
		{ grouping: 'month', id: 'by-month', title: 'By month', rows: report.months, equality: false },
		...EQUALITY_GROUPINGS.map((g) => ({ grouping: g.id, id: `by-${g.id}`, title: g.title, rows: report.equality[g.id], equality: true }))
	];
}

/**
 * The cells of one row, as the page and the CSV show them: counts, figures, then rates (a whole-number
 * percentage). For an equality group the steps before referring are '' (nobody is known before they refer).
 * For sharing, counts 1 to threshold-1 read "<threshold", and figures and rates worked from such a count are ''.
 */
export function rowCells(counts: FunnelCounts, options: { equality?: boolean; sharing?: boolean; threshold?: number } = {}): string[] {
	const threshold = options.threshold ?? 5;
	const small = (n: number) => !!options.sharing && n > 0 && n < threshold;
	return [
		...COUNT_COLUMNS.map((c) => (options.equality && c.beforeReferral ? '' : options.sharing ? suppressed(c.get(counts), threshold) : String(c.get(counts)))),
		...FIGURE_COLUMNS.map((f) => (small(f.base(counts)) ? '' : String(f.get(counts) ?? ''))),
		...RATE_COLUMNS.map((r) => {
			if (options.equality && r.beforeReferral) return '';
			const [part, whole] = [r.part(counts), r.whole(counts)];
			if (small(part) || small(whole)) return '';
			return String(percent(part, whole) ?? '');
		})
	];
}

/** The header of the table's cells (after the row's name), as the CSV writes it. */
export const CELL_LABELS = [...COUNT_COLUMNS.map((c) => c.label), ...FIGURE_COLUMNS.map((f) => f.label), ...RATE_COLUMNS.map((r) => `${r.label} (%)`)];
export const CELL_KEYS = [...COUNT_COLUMNS.map((c) => c.key), ...FIGURE_COLUMNS.map((f) => f.key), ...RATE_COLUMNS.map((r) => r.key)];

/**
 * The CSV of the report: one row per row of each grouping and one total row, the count columns, the figures,
 * then the rates. For sharing, counts 1 to threshold-1 read "<threshold", figures and rates worked from a
 * suppressed count are left out, and the header says so.
 */
export function outcomesCsvRows(report: OutcomesReport, options: { sharing?: boolean; threshold?: number } = {}): { header: string[]; rows: string[][]; note: string | null } {
	const threshold = options.threshold ?? 5;
	const header = ['grouping', 'key', 'label', ...CELL_LABELS];
	const rows = [
		...reportGroupings(report).flatMap((g) => g.rows.map((row) => [g.grouping, row.key, row.label, ...rowCells(row.counts, { ...options, threshold, equality: g.equality })])),
		['total', '', 'All sources', ...rowCells(report.totals, { ...options, threshold })]
	];
	const note = options.sharing
		? `For sharing: counts from 1 to ${threshold - 1} are shown as "<${threshold}" and figures and rates worked from them are left out, so no one can be picked out. Dates ${report.from} to ${report.to}.`
		: null;
	return { header, rows, note };
}

/** The chart's numbers (a data island the chart script draws): the funnel of the total, and the rates by month. */
export function outcomesChartData(report: OutcomesReport) {
	const columns = FUNNEL_KEYS.map((key) => COUNT_COLUMNS.find((c) => c.key === key)!);
	return {
		funnel: { labels: columns.map((c) => c.label), keys: columns.map((c) => c.key), data: columns.map((c) => c.get(report.totals)) },
		months: {
			labels: report.months.map((m) => m.label),
			keys: report.months.map((m) => m.key),
			datasets: RATE_COLUMNS.filter((r) => ['contactedInTime', 'referralToStart', 'referralToJob', 'jobTo13'].includes(r.key)).map((r) => ({
				key: r.key,
				label: r.label,
				data: report.months.map((m) => percent(r.part(m.counts), r.whole(m.counts)))
			}))
		}
	};
}
