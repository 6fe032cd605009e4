/**
 * The outcomes report (issue 23 item 3) from a hand-built fixture: two links, anonymous visits, checks and
 * results, and four referrals with contacts, a meeting, starts and jobs, across a month boundary and the
 * spring clock change (30 March 2031). Every figure is worked out by hand below and compared with the report
 * the page draws, the CSV (and the CSV for sharing, with small numbers suppressed) and the command line's JSON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_COLUMNS, emptyCounts, outcomesCsvRows, suppressed, type FunnelCounts } from '../../src/lib/domain/outcomes-report';
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
	notEligibleReasons: c.notEligibleReasons ?? {}
});

/** By hand: link A (a Fit Note link of GP practice P84001), link B (a leaflet), and no link. */
const EXPECTED = {
	[A]: counts({
		visits: 5,
		checksStarted: 4,
		checkOutcomes: { likely: 2, talk: 1, notEligible: 1 },
		notEligibleReasons: { 'out-of-area': 1 },
		referrals: 1,
		contactedWithinTarget: 1,
		firstMeetings: 1,
		starts: 1,
		jobStarts: 1,
		jobStartsOutOfWork: 1,
		sustained13: 1
	}),
	[B]: counts({ visits: 1, checksStarted: 1, checkOutcomes: { notEligible: 1 }, notEligibleReasons: { 'does-not-want-work': 1, 'out-of-area': 1 }, referrals: 1, starts: 1 }),
	'': counts({ referrals: 1, starts: 1, jobStarts: 1, jobStartsInWork: 1, sustained13: 1, sustained26: 1 })
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
		expect(Object.fromEntries(report.sources.map((s) => [s.key, s.counts]))).toEqual(EXPECTED);
		const total = counts({
			visits: 6,
			checksStarted: 5,
			checkOutcomes: { likely: 2, talk: 1, notEligible: 2 },
			notEligibleReasons: { 'out-of-area': 2, 'does-not-want-work': 1 },
			referrals: 3,
			contactedWithinTarget: 1,
			firstMeetings: 1,
			starts: 3,
			jobStarts: 2,
			jobStartsOutOfWork: 1,
			jobStartsInWork: 1,
			sustained13: 2,
			sustained26: 1
		});
		expect(report.totals).toEqual(total);
		// Link A is P84001's; B and no link have no practice.
		expect(Object.fromEntries(report.practices.map((s) => [s.key, s.counts.referrals]))).toEqual({ P84001: 1, '': 2 });
		// A Fit Note link is primary care; the leaflet link and the leaflet referral are self-referrals.
		expect(Object.fromEntries(report.dwpCategories.map((s) => [s.key, [s.counts.visits, s.counts.referrals]]))).toEqual({ 'primary-care': [5, 1], 'self-referral': [1, 2] });
		for (const grouping of [report.practices, report.dwpCategories]) {
			const sum = grouping.reduce((n, row) => n + row.counts.referrals + row.counts.visits + row.counts.jobStarts, 0);
			expect(sum).toBe(total.referrals + total.visits + total.jobStarts);
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

		const sharing = outcomesCsvRows(report, { sharing: true });
		expect(sharing.note).toMatch(/counts from 1 to 4 are shown as "<5"/);
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
		expect(json.totals.referrals).toBe(3);
		const csv = outcomesCsvRows(report);
		expect(cliCsv.trim().split('\r\n').length).toBe(csv.rows.length + 1);
		expect(cliCsv).toContain(csv.rows.find((r) => r[0] === 'total')!.slice(3, 8).join(','));
	});
});
