/**
 * The outcomes report (issue 23 item 3) from a hand-built fixture: two links, anonymous visits, checks and
 * results, and five referrals with contacts, meetings, starts, jobs and a closing, across a month boundary,
 * the spring clock change (30 March 2031) and the Easter and May bank holidays. Every figure is worked out by
 * hand below (per link, per month, by the equality answers given, and in total) and compared with the report
 * the page draws, the chart's numbers, the CSV (and the CSV for sharing, with small numbers suppressed) and
 * the command line's JSON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELL_KEYS, COUNT_COLUMNS, emptyCounts, median, outcomesChartData, outcomesCsvRows, rowCells, suppressed, type FunnelCounts, type ReportRow } from '../../src/lib/domain/outcomes-report';
import { closeDb, getDb } from '../../src/lib/server/db';
import { checkerOutcome, jobOutcome, jobSustainment, linkActivity, meeting, participant, referral, referralLink } from '../../src/lib/server/db/schema';
import { appendEvent } from '../../src/lib/server/events/log';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { outcomesJson, outcomesReport } from '../../src/lib/server/reports/outcomes';
import { aReferral, aStaffMember, RUN } from '../support/factories';

const exec = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const FROM = '2031-03-01';
const TO = '2031-04-30';
const A = `rpa-${RUN}`;
const B = `rpb-${RUN}`;

const counts = (c: Partial<Omit<FunnelCounts, 'checkOutcomes'>> & { checkOutcomes?: Partial<FunnelCounts['checkOutcomes']> }): FunnelCounts => ({
	...emptyCounts(),
	...c,
	checkOutcomes: { ...emptyCounts().checkOutcomes, ...c.checkOutcomes },
	notEligibleReasons: c.notEligibleReasons ?? {},
	daysToFirstContact: [...(c.daysToFirstContact ?? [])].sort((a, b) => a - b),
	closed: c.closed ?? {}
});
/** The report's counts with the working days in order (they come in the order the referrals are read). */
const sorted = (c: FunnelCounts): FunnelCounts => ({ ...c, daysToFirstContact: [...c.daysToFirstContact].sort((a, b) => a - b) });
const byKey = (rows: ReportRow[]) => Object.fromEntries(rows.map((r) => [r.key, sorted(r.counts)]));

/**
 * Working days to first contact, by hand (England: weekends, Good Friday 11 April, Easter Monday 14 April and
 * 5 May 2031 are not working days): r1 sent Monday 31 March, contacted Monday 7 April: 5. r3 sent Saturday
 * 1 March, contacted Tuesday 20 May: 57 weekdays from 3 March to 20 May, less the three bank holidays: 54.
 */
const R1_DAYS = 5;
const R3_DAYS = 54;

/** By hand: link A (a Fit Note link of GP practice P84001), link B (a leaflet), and no link. */
const EXPECTED = {
	[A]: counts({
		visits: 5,
		checksStarted: 4,
		checkOutcomes: { likely: 2, talk: 1, notEligible: 1 },
		notEligibleReasons: { 'out-of-area': 1 },
		referrals: 1,
		contactedWithinTarget: 1,
		daysToFirstContact: [R1_DAYS],
		firstMeetings: 1,
		meetingsHeld: 2,
		starts: 1,
		jobStarts: 1,
		jobStartsOutOfWork: 1,
		sustained13: 1
	}),
	[B]: counts({
		visits: 1,
		checksStarted: 1,
		checkOutcomes: { notEligible: 1 },
		notEligibleReasons: { 'does-not-want-work': 1, 'out-of-area': 1 },
		referrals: 1,
		daysToFirstContact: [R3_DAYS],
		starts: 1
	}),
	'': counts({ referrals: 2, starts: 1, jobStarts: 1, jobStartsInWork: 1, sustained13: 1, sustained26: 1, closed: { '003': 1 } })
};

/** By month: the checker's by the day it happened, the referrals' by the day they were sent (r1 is 31 March in the UK). */
const MONTHS = {
	'2031-03': counts({
		visits: 4,
		checksStarted: 4,
		checkOutcomes: { likely: 2, notEligible: 1 },
		notEligibleReasons: { 'does-not-want-work': 1, 'out-of-area': 1 },
		referrals: 2,
		contactedWithinTarget: 1,
		daysToFirstContact: [R1_DAYS, R3_DAYS],
		firstMeetings: 1,
		meetingsHeld: 2,
		starts: 2,
		jobStarts: 1,
		jobStartsOutOfWork: 1,
		sustained13: 1
	}),
	'2031-04': counts({
		visits: 2,
		checksStarted: 1,
		checkOutcomes: { talk: 1, notEligible: 1 },
		notEligibleReasons: { 'out-of-area': 1 },
		referrals: 2,
		starts: 1,
		jobStarts: 1,
		jobStartsInWork: 1,
		sustained13: 1,
		sustained26: 1,
		closed: { '003': 1 }
	})
};

/** r1, r3 and r4 were born in 1985 and said nothing more; r5 was 24, a woman, Asian, limited a lot, and closed. */
const THE_THREE = counts({
	referrals: 3,
	contactedWithinTarget: 1,
	daysToFirstContact: [R1_DAYS, R3_DAYS],
	firstMeetings: 1,
	meetingsHeld: 2,
	starts: 3,
	jobStarts: 2,
	jobStartsOutOfWork: 1,
	jobStartsInWork: 1,
	sustained13: 2,
	sustained26: 1
});
const R5 = counts({ referrals: 1, closed: { '003': 1 } });
const EQUALITY = {
	'age-band': { '35-49': THE_THREE, '16-24': R5 },
	gender: { '': THE_THREE, woman: R5 },
	ethnicity: { '': THE_THREE, asian: R5 },
	disability: { '': THE_THREE, 'a-lot': R5 }
};

let cliJson: unknown;
let cliCsv = '';

beforeAll(async () => {
	await seedProgrammes();
	const db = await getDb();
	await db.insert(referralLink).values([
		{ code: A, sourceCode: 'fit-note', odsCode: 'P84001', programmeId: PRIMARY, label: `Fit Note A ${RUN}` },
		{ code: B, sourceCode: 'leaflet', odsCode: null, programmeId: PRIMARY, label: `Leaflet B ${RUN}` }
	]);
	// Visits and checks started, by UK day: the first and last days count, the days either side do not.
	await db.insert(linkActivity).values([
		{ day: '2031-02-28', linkCode: A, visits: 7, checksStarted: 7 },
		{ day: '2031-03-30', linkCode: A, visits: 3, checksStarted: 3 },
		{ day: '2031-04-30', linkCode: A, visits: 2, checksStarted: 1 },
		{ day: '2031-05-01', linkCode: A, visits: 9, checksStarted: 9 },
		{ day: FROM, linkCode: B, visits: 1, checksStarted: 1 }
	]);
	const outcome = (day: string, linkCode: string, outcome: string, reasons: string[] = [], programmeId: string | null = PRIMARY) => ({
		day,
		linkCode,
		odsCode: linkCode === A ? 'P84001' : null,
		sourceCode: linkCode === A ? 'fit-note' : 'leaflet',
		programmeId,
		outcome,
		reasons
	});
	await db.insert(checkerOutcome).values([
		outcome('2031-03-30', A, 'likely-eligible'),
		outcome('2031-03-31', A, 'likely-eligible'),
		outcome('2031-04-30', A, 'not-eligible', ['out-of-area'], null),
		outcome('2031-04-02', A, 'talk-to-specialist'),
		outcome('2031-05-01', A, 'likely-eligible'),
		outcome(FROM, B, 'not-eligible', ['does-not-want-work', 'out-of-area'], null),
		// Another programme's result is not this programme's.
		outcome('2031-03-15', B, 'likely-eligible', [], SECONDARY)
	]);

	const specialist = await aStaffMember('specialist', [PRIMARY]);
	const linkSource = (code: string) => (code === A ? { code: 'fit-note' as const, odsCode: 'P84001', linkCode: A } : { code: 'leaflet' as const, linkCode: B });
	// r1: from A, sent at 00:30 BST on 31 March (23:30 UTC on the 30th): contacted in time, came to a meeting, a job kept 13 weeks.
	const r1 = await aReferral({ now: new Date('2031-03-30T23:30:00Z'), source: linkSource(A) });
	// r2: from A, sent at 00:30 BST on 1 May (23:30 UTC on 30 April): after the last day, so not counted at all.
	const r2 = await aReferral({ now: new Date('2031-04-30T23:30:00Z'), source: linkSource(A) });
	// r3: from B, sent at 00:30 GMT on the first day, off sick; contacted after its target; started (by its event);
	// a job reported and never confirmed (not a job start).
	const r3 = await aReferral({ now: new Date('2031-03-01T00:30:00Z'), source: linkSource(B), answers: { employment: 'off-sick' } });
	// r4: no link, off sick, in work now; a job kept at 13 and 26 weeks.
	const r4 = await aReferral({ now: new Date('2031-04-15T10:00:00Z'), source: { code: 'leaflet' }, answers: { employment: 'off-sick' } });

	// r5: no link, 24, a woman, Asian, limited a lot by their condition; could not be contacted, so closed.
	const r5 = await aReferral({
		now: new Date('2031-04-10T09:00:00Z'),
		source: { code: 'leaflet' },
		answers: { dateOfBirth: '2007-01-01', gender: 'woman', ethnicity: 'asian', dailyImpact: 'a-lot' }
	});
	await db.update(referral).set({ status: 'closed', closedReason: '003' }).where(eq(referral.id, r5.id));

	expect(r1.contactTargetDate).toBe('2031-04-07');
	await db.update(referral).set({ firstContactAt: new Date(`${r1.contactTargetDate}T16:00:00Z`), status: 'started' }).where(eq(referral.id, r1.id));
	await db.update(referral).set({ firstContactAt: new Date('2031-04-20T10:00:00Z'), status: 'started' }).where(eq(referral.id, r2.id));
	await db.update(referral).set({ firstContactAt: new Date('2031-05-20T10:00:00Z') }).where(eq(referral.id, r3.id));
	await db.update(referral).set({ status: 'in-work' }).where(eq(referral.id, r4.id));
	// r3 started, then went back: its status is "contacted" now, but the event says it started.
	await appendEvent(db, {
		type: 'referral.status_changed',
		referralId: r3.id,
		programmeId: PRIMARY,
		payload: { version: 1, reference: r3.reference, programmeId: PRIMARY, byStaffId: specialist.id, at: '2031-04-01T09:00:00Z', from: 'eligibility-confirmed', to: 'started', closedReason: null }
	});
	await db.update(referral).set({ status: 'contacted' }).where(eq(referral.id, r3.id));

	const [p1] = await db.select().from(participant).where(eq(participant.referralId, r1.id));
	await db.insert(meeting).values([
		{ referralId: r1.id, participantId: p1.id, programmeId: PRIMARY, staffId: specialist.id, startsAt: new Date('2031-04-02T09:00:00Z'), endsAt: new Date('2031-04-02T09:45:00Z'), mode: 'phone', status: 'attended' },
		{ referralId: r1.id, participantId: p1.id, programmeId: PRIMARY, staffId: specialist.id, startsAt: new Date('2031-04-09T09:00:00Z'), endsAt: new Date('2031-04-09T09:45:00Z'), mode: 'phone', status: 'attended' }
	]);
	const job = (r: { id: string }, confirmed: boolean, kind: 'new' | 'kept') => ({
		referralId: r.id,
		programmeId: PRIMARY,
		kind,
		startDate: '2031-04-20',
		hoursPerWeek: 16,
		jobTitle: 'Porter',
		reportedBy: 'participant' as const,
		reportedAt: new Date('2031-04-21T10:00:00Z'),
		confirmedAt: confirmed ? new Date('2031-04-22T10:00:00Z') : null,
		confirmedBy: confirmed ? specialist.id : null
	});
	const [j1, , j4, j2] = await db.insert(jobOutcome).values([job(r1, true, 'new'), job(r3, false, 'new'), job(r4, true, 'kept'), job(r2, true, 'new')]).returning();
	await db.insert(jobSustainment).values([
		{ jobId: j1.id, weeks: 13, evidence: 'payslip-seen', recordedAt: new Date('2031-07-21T10:00:00Z'), recordedBy: specialist.id },
		{ jobId: j4.id, weeks: 13, evidence: 'self-reported', recordedAt: new Date('2031-07-21T10:00:00Z'), recordedBy: specialist.id },
		{ jobId: j4.id, weeks: 26, evidence: 'employer-confirmed', recordedAt: new Date('2031-10-20T10:00:00Z'), recordedBy: specialist.id },
		{ jobId: j2.id, weeks: 13, evidence: 'payslip-seen', recordedAt: new Date('2031-07-21T10:00:00Z'), recordedBy: specialist.id }
	]);

	// The command line, in its own process (the embedded database serves one process at a time).
	await closeDb();
	const cli = (format: string, more: string[] = []) =>
		exec(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'report', 'kpis', '--programme', PRIMARY, '--from', FROM, '--to', TO, '--format', format, ...more], {
			env: { ...process.env, LOG_LEVEL: 'warn' }
		});
	cliJson = JSON.parse((await cli('json')).stdout);
	cliCsv = (await cli('csv')).stdout;
}, 180_000);

describe('the outcomes report', () => {
	it('counts every step by hand, per link, practice and DWP category, and in total', async () => {
		const report = await outcomesReport({ programmeIds: [PRIMARY], from: FROM, to: TO });
		expect(byKey(report.sources)).toEqual(EXPECTED);
		const total = counts({
			visits: 6,
			checksStarted: 5,
			checkOutcomes: { likely: 2, talk: 1, notEligible: 2 },
			notEligibleReasons: { 'out-of-area': 2, 'does-not-want-work': 1 },
			referrals: 4,
			contactedWithinTarget: 1,
			daysToFirstContact: [R1_DAYS, R3_DAYS],
			firstMeetings: 1,
			meetingsHeld: 2,
			starts: 3,
			jobStarts: 2,
			jobStartsOutOfWork: 1,
			jobStartsInWork: 1,
			sustained13: 2,
			sustained26: 1,
			closed: { '003': 1 }
		});
		expect(sorted(report.totals)).toEqual(total);
		expect(median(report.totals.daysToFirstContact)).toBe((R1_DAYS + R3_DAYS) / 2);
		// Link A is P84001's; B and no link have no practice.
		expect(Object.fromEntries(report.practices.map((s) => [s.key, s.counts.referrals]))).toEqual({ P84001: 1, '': 3 });
		// A Fit Note link is primary care; the leaflet link and the leaflet referrals are self-referrals.
		expect(Object.fromEntries(report.dwpCategories.map((s) => [s.key, [s.counts.visits, s.counts.referrals]]))).toEqual({ 'primary-care': [5, 1], 'self-referral': [1, 3] });
		// By month, in order, and by the equality answers given ("Not given" last).
		expect(report.months.map((m) => [m.key, m.label])).toEqual([
			['2031-03', 'March 2031'],
			['2031-04', 'April 2031']
		]);
		expect(byKey(report.months)).toEqual(MONTHS);
		for (const [grouping, expected] of Object.entries(EQUALITY)) expect(byKey(report.equality[grouping as keyof typeof EQUALITY])).toEqual(expected);
		expect(report.equality.gender.map((r) => r.label)).toEqual(['Woman', 'Not given']);
		expect(report.equality['age-band'].map((r) => r.label)).toEqual(['16 to 24', '35 to 49']);
		expect(report.equality.disability.map((r) => r.label)).toEqual(['Limits them a lot', 'Not given']);
		for (const grouping of [report.practices, report.dwpCategories, report.months, ...Object.values(report.equality)]) {
			const sum = grouping.reduce((n, row) => n + row.counts.referrals + row.counts.visits + row.counts.jobStarts, 0);
			expect(sum).toBe(total.referrals + total.jobStarts + (grouping.some((r) => r.counts.visits) ? total.visits : 0));
		}
	});

	it('writes the same numbers in the CSV, and for sharing shows 1 to 4 as "<5" and 0 and 5 as they are', async () => {
		const report = await outcomesReport({ programmeIds: [PRIMARY], from: FROM, to: TO });
		const csv = outcomesCsvRows(report);
		expect(csv.note).toBeNull();
		const linkRow = (rows: string[][], key: string) => rows.find((r) => r[0] === 'link' && r[1] === key)!;
		for (const [key, expected] of Object.entries(EXPECTED))
			expect(linkRow(csv.rows, key).slice(3, 3 + COUNT_COLUMNS.length)).toEqual(COUNT_COLUMNS.map((c) => String(c.get(expected))));
		const totalRow = csv.rows.find((r) => r[0] === 'total')!;
		expect(totalRow.slice(3, 3 + COUNT_COLUMNS.length)).toEqual(COUNT_COLUMNS.map((c) => String(c.get(report.totals))));
		// The figures and rates by hand, for the total: median (5 + 54) / 2; 2 meetings by 1 person; 1 of 4 contacted in time.
		const cell = (row: string[], key: string) => row[3 + CELL_KEYS.indexOf(key)];
		expect(csv.header.slice(3)).toHaveLength(CELL_KEYS.length);
		expect([cell(totalRow, 'medianDaysToFirstContact'), cell(totalRow, 'meetingsPerParticipant'), cell(totalRow, 'contactedInTime'), cell(totalRow, 'referralToJob'), cell(totalRow, 'jobTo26')]).toEqual([
			'29.5',
			'2',
			'25',
			'50',
			'50'
		]);
		expect([cell(totalRow, 'closed'), cell(totalRow, 'closed-003'), cell(totalRow, 'closed-001')]).toEqual(['1', '1', '0']);
		// Month and equality rows: the equality rows leave the steps before referring empty.
		const row = (grouping: string, key: string) => csv.rows.find((r) => r[0] === grouping && r[1] === key)!;
		expect(row('month', '2031-04').slice(3)).toEqual(rowCells(MONTHS['2031-04']));
		const woman = row('gender', 'woman');
		expect([cell(woman, 'visits'), cell(woman, 'checkToReferral'), cell(woman, 'referrals'), cell(woman, 'closed-003'), cell(woman, 'contactedInTime')]).toEqual(['', '', '1', '1', '0']);
		expect(row('age-band', '35-49').slice(3)).toEqual(rowCells(THE_THREE, { equality: true }));
		// Every row of the CSV is the report's row, cell for cell (the page draws the same rowCells).
		expect(csv.rows.length).toBe(report.sources.length + report.practices.length + report.dwpCategories.length + report.months.length + Object.values(report.equality).flat().length + 1);

		// The chart's numbers: the funnel is the total's steps, the lines the months' rates.
		const chart = outcomesChartData(report);
		expect(Object.fromEntries(chart.funnel.keys.map((k, i) => [k, chart.funnel.data[i]]))).toMatchObject({ visits: 6, referrals: 4, jobStarts: 2, sustained26: 1 });
		for (const [i, k] of chart.funnel.keys.entries()) expect(String(chart.funnel.data[i])).toBe(cell(totalRow, k));
		expect(chart.months.keys).toEqual(['2031-03', '2031-04']);
		for (const dataset of chart.months.datasets)
			for (const [i, month] of chart.months.keys.entries()) expect(String(dataset.data[i] ?? '')).toBe(cell(row('month', month), dataset.key));

		const sharing = outcomesCsvRows(report, { sharing: true });
		expect(sharing.note).toMatch(/counts from 1 to 4 are shown as "<5"/);
		// A figure worked from fewer than 5 people is left out too.
		expect(cell(sharing.rows.find((r) => r[0] === 'total')!, 'medianDaysToFirstContact')).toBe('');
		const a = linkRow(sharing.rows, A);
		const column = (label: string) => 3 + COUNT_COLUMNS.findIndex((c) => c.label === label);
		expect(a[column('Link visits')]).toBe('5');
		expect(a[column('Checks started')]).toBe('<5');
		expect(a[column('Job starts: were in work')]).toBe('0');
		expect([suppressed(0), suppressed(1), suppressed(4), suppressed(5), suppressed(3, 3)]).toEqual(['0', '<5', '<5', '5', '3']);
		// A rate worked from a suppressed count is left out.
		expect(a.slice(3 + COUNT_COLUMNS.length).every((cell) => cell === '')).toBe(true);
	});

	it('gives the command line the same figures, as JSON and as the CSV', async () => {
		const report = await outcomesReport({ programmeIds: [PRIMARY], from: FROM, to: TO });
		expect(cliJson).toEqual(JSON.parse(JSON.stringify(outcomesJson(report))));
		const json = cliJson as { sources: { link: string; visits: number; checkOutcomes: Record<string, number>; sustained13: number }[]; totals: { referrals: number } };
		expect(json.sources.find((s) => s.link === A)).toMatchObject({ visits: 5, checkOutcomes: { likely: 2, talk: 1, notEligible: 1 }, sustained13: 1 });
		expect(json.totals.referrals).toBe(4);
		expect(cliJson).toMatchObject({ totals: { medianDaysToFirstContact: 29.5, meetingsPerParticipant: 2, closed: { '003': 1 } }, months: [{ month: '2031-03' }, { month: '2031-04' }] });
		const csv = outcomesCsvRows(report);
		expect(cliCsv.trim().split('\r\n').length).toBe(csv.rows.length + 1);
		expect(cliCsv).toContain(csv.rows.find((r) => r[0] === 'total')!.slice(3, 8).join(','));
	});
});
