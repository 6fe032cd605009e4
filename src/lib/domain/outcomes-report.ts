/**
 * The outcomes report (issue 23 item 3): every step from a link to a job, per source and in total, with the
 * conversions between steps, as a table, a CSV with exactly the table's numbers, and a CSV for sharing with
 * small numbers suppressed. Pure: the server (server/reports/outcomes.ts) counts; this adds, names and writes.
 */

/** The counts of one source (a link, a GP practice, a DWP category) or of the total. */
export interface FunnelCounts {
	visits: number;
	checksStarted: number;
	checkOutcomes: { likely: number; talk: number; notEligible: number };
	/** Reason codes of "probably not eligible" results, with how often each was given. */
	notEligibleReasons: Record<string, number>;
	referrals: number;
	contactedWithinTarget: number;
	firstMeetings: number;
	starts: number;
	jobStarts: number;
	/** Job starts of people out of work when they referred, and of people in work (off sick or struggling). */
	jobStartsOutOfWork: number;
	jobStartsInWork: number;
	sustained13: number;
	sustained26: number;
}

export function emptyCounts(): FunnelCounts {
	return {
		visits: 0,
		checksStarted: 0,
		checkOutcomes: { likely: 0, talk: 0, notEligible: 0 },
		notEligibleReasons: {},
		referrals: 0,
		contactedWithinTarget: 0,
		firstMeetings: 0,
		starts: 0,
		jobStarts: 0,
		jobStartsOutOfWork: 0,
		jobStartsInWork: 0,
		sustained13: 0,
		sustained26: 0
	};
}

/** Adds `b` into `a` (for totals). */
export function addInto(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
	for (const key of NUMBER_KEYS) a[key] += b[key];
	a.checkOutcomes.likely += b.checkOutcomes.likely;
	a.checkOutcomes.talk += b.checkOutcomes.talk;
	a.checkOutcomes.notEligible += b.checkOutcomes.notEligible;
	for (const [reason, n] of Object.entries(b.notEligibleReasons)) a.notEligibleReasons[reason] = (a.notEligibleReasons[reason] ?? 0) + n;
	return a;
}

const NUMBER_KEYS = [
	'visits',
	'checksStarted',
	'referrals',
	'contactedWithinTarget',
	'firstMeetings',
	'starts',
	'jobStarts',
	'jobStartsOutOfWork',
	'jobStartsInWork',
	'sustained13',
	'sustained26'
] as const;

/** The table's columns, in funnel order: the same in the page, both CSVs and the chart. */
export const COUNT_COLUMNS: { key: string; label: string; get: (c: FunnelCounts) => number }[] = [
	{ key: 'visits', label: 'Link visits', get: (c) => c.visits },
	{ key: 'checksStarted', label: 'Checks started', get: (c) => c.checksStarted },
	{ key: 'likely', label: 'Check: likely eligible', get: (c) => c.checkOutcomes.likely },
	{ key: 'talk', label: 'Check: talk to a specialist', get: (c) => c.checkOutcomes.talk },
	{ key: 'notEligible', label: 'Check: probably not eligible', get: (c) => c.checkOutcomes.notEligible },
	{ key: 'referrals', label: 'Referrals', get: (c) => c.referrals },
	{ key: 'contactedWithinTarget', label: 'Contacted within target', get: (c) => c.contactedWithinTarget },
	{ key: 'firstMeetings', label: 'First meetings', get: (c) => c.firstMeetings },
	{ key: 'starts', label: 'Started support', get: (c) => c.starts },
	{ key: 'jobStarts', label: 'Job starts', get: (c) => c.jobStarts },
	{ key: 'jobStartsOutOfWork', label: 'Job starts: were out of work', get: (c) => c.jobStartsOutOfWork },
	{ key: 'jobStartsInWork', label: 'Job starts: were in work', get: (c) => c.jobStartsInWork },
	{ key: 'sustained13', label: 'In work at 13 weeks', get: (c) => c.sustained13 },
	{ key: 'sustained26', label: 'In work at 26 weeks', get: (c) => c.sustained26 }
];

/** Conversions between steps: part of whole, as a whole-number percentage, or null when the whole is 0. */
export const RATE_COLUMNS: { key: string; label: string; part: (c: FunnelCounts) => number; whole: (c: FunnelCounts) => number }[] = [
	{ key: 'checkToReferral', label: 'Checks started that became referrals', part: (c) => c.referrals, whole: (c) => c.checksStarted },
	{ key: 'referralToStart', label: 'Referrals that started support', part: (c) => c.starts, whole: (c) => c.referrals },
	{ key: 'startToJob', label: 'Starts that found a job', part: (c) => c.jobStarts, whole: (c) => c.starts },
	{ key: 'jobTo13', label: 'Job starts in work at 13 weeks', part: (c) => c.sustained13, whole: (c) => c.jobStarts }
];

export function percent(part: number, whole: number): number | null {
	return whole > 0 ? Math.round((100 * part) / whole) : null;
}

export interface ReportRow {
	/** The link code, ODS code or DWP category; '' for "no link" (or no practice). */
	key: string;
	label: string;
	counts: FunnelCounts;
}

export interface OutcomesReport {
	from: string;
	to: string;
	programmeIds: string[];
	/** One row per link ('' is "no link": the start page or a typed address). */
	sources: ReportRow[];
	practices: ReportRow[];
	dwpCategories: ReportRow[];
	totals: FunnelCounts;
}

/** Counts 1 to threshold-1 read "<threshold" ("<5"): 0 and threshold and above are exact. */
export function suppressed(n: number, threshold = 5): string {
	return n > 0 && n < threshold ? `<${threshold}` : String(n);
}

const GROUPS = [
	['link', 'sources'],
	['gp-practice', 'practices'],
	['dwp-category', 'dwpCategories']
] as const;

/**
 * The CSV of the report: one row per source of each grouping and one total row, the count columns then the
 * rates. For sharing, counts 1 to threshold-1 read "<threshold", rates worked from a suppressed count are
 * left out, and the header says so.
 */
export function outcomesCsvRows(report: OutcomesReport, options: { sharing?: boolean; threshold?: number } = {}): { header: string[]; rows: string[][]; note: string | null } {
	const threshold = options.threshold ?? 5;
	const show = (n: number) => (options.sharing ? suppressed(n, threshold) : String(n));
	const header = ['grouping', 'source', 'label', ...COUNT_COLUMNS.map((c) => c.label), ...RATE_COLUMNS.map((r) => `${r.label} (%)`)];
	const line = (grouping: string, row: { key: string; label: string; counts: FunnelCounts }) => [
		grouping,
		row.key,
		row.label,
		...COUNT_COLUMNS.map((c) => show(c.get(row.counts))),
		...RATE_COLUMNS.map((r) => {
			const [part, whole] = [r.part(row.counts), r.whole(row.counts)];
			if (options.sharing && ((part > 0 && part < threshold) || (whole > 0 && whole < threshold))) return '';
			return String(percent(part, whole) ?? '');
		})
	];
	const rows = [...GROUPS.flatMap(([grouping, field]) => report[field].map((row) => line(grouping, row))), line('total', { key: '', label: 'All sources', counts: report.totals })];
	const note = options.sharing
		? `For sharing: counts from 1 to ${threshold - 1} are shown as "<${threshold}" and rates worked from them are left out, so no one can be picked out. Dates ${report.from} to ${report.to}.`
		: null;
	return { header, rows, note };
}
