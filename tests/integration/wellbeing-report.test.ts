/**
 * The provider's wellbeing report against a fixture computed by hand: check_in rows are written directly
 * for a few participants (as the check-in pages store them), in 2032 so no other test's rows fall in the
 * range. Default thresholds: DIALOG 0.5, SWEMWBS 3, ONS4 2; default schedule: DIALOG, SWEMWBS, ONS4.
 *
 * P1  DIALOG overall 3 -> 4 (improved), care 4 -> 4 (maintained); SWEMWBS 19.98 -> 23.21 (+3.23, improved);
 *     ONS4 [5,5,5,5] -> [7,6,5,2]: life satisfaction +2 improved, worthwhile +1 and happiness 0 maintained,
 *     anxiety down 3 improved (lower is better).
 * P2  DIALOG overall 5 -> 4.5 (down exactly 0.5: reduced), care skipped both times (not counted);
 *     SWEMWBS 22.35 -> 21.54 (maintained).
 * P3  one DIALOG check-in (overall 4, care 5): "only one" on both lines.
 * P4  DIALOG overall 4.12 -> 4.6 (+0.48: maintained), care 3 -> 6 (improved). Two more check-ins just
 *     outside the range, which would change both results if counted: 31 December 2031 23:30 UTC (still 31
 *     December in the UK) with overall 1, and 30 June 2032 23:30 UTC (1 July in the UK, summer time) with 7.
 * P5  in the other programme, overall 1 -> 7: not counted.
 *
 * Expected, by hand:
 *   DIALOG overall  4 participants: improved 1 (33%), maintained 1 (33%), reduced 1 (33%), only one 1
 *   DIALOG care     3 participants: improved 1 (50%), maintained 1 (50%), reduced 0 (0%), only one 1
 *   SWEMWBS         2 participants: improved 1 (50%), maintained 1 (50%), reduced 0 (0%)
 *   ONS4 lines      1 participant each: life satisfaction and anxiety improved, the other two maintained
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { getDb } from '../../src/lib/server/db';
import { checkIn, participant } from '../../src/lib/server/db/schema';
import { createDraft, saveDraftAnswers } from '../../src/lib/server/drafts';
import { assess } from '../../src/lib/server/journey';
import { parseReportQuery, reportCsv, wellbeingReport } from '../../src/lib/server/measures/report';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import { completeAnswers } from '../support/answers';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const lead: StaffUser = { id: '00000000-0000-4000-8000-000000000001', email: 'lead@example.org', name: 'Lee Lead', role: 'team-lead', programmeIds: [PRIMARY] };
const otherSpecialist: StaffUser = { id: '00000000-0000-4000-8000-000000000002', email: 's@example.org', name: 'Sol', role: 'specialist', programmeIds: [SECONDARY] };
/**
 * The fixture's dates are written in 2032 (and 2031); each run moves them to a year of its own, so a run on
 * a PostgreSQL database that an earlier run used finds only its own rows. In any year 31 December is GMT
 * and 30 June is summer time, so the boundaries below hold.
 */
const YEAR = 2033 + Math.floor(Math.random() * 60);
const year = (text: string) => text.replaceAll('2032', String(YEAR)).replaceAll('2031', String(YEAR - 1));
const RANGE = { programmeId: PRIMARY, from: year('2032-01-01'), to: year('2032-06-30') };

interface Owner {
	id: string;
	referralId: string;
	programmeId: string;
}

async function person(answers: Record<string, unknown> = {}): Promise<Owner> {
	const { draft } = await createDraft({ code: 'leaflet' });
	const all = completeAnswers(answers);
	const assessment = await assess({ answers: all, source: draft.source });
	if (assessment.status !== 'done') throw new Error('answers should be complete');
	await saveDraftAnswers(draft, 'refer/consent', all, assessment.result);
	const { referral: created } = await submitReferral(draft.id);
	const db = await getDb();
	const [p] = await db.select().from(participant).where(eq(participant.referralId, created.id));
	return { id: p.id, referralId: created.id, programmeId: created.programmeId };
}

async function add(owner: Owner, instrument: string, at: string, result: Record<string, unknown>) {
	const db = await getDb();
	await db.insert(checkIn).values({ participantId: owner.id, referralId: owner.referralId, programmeId: owner.programmeId, instrument, answers: {}, result, completedAt: new Date(year(at)) });
}

const dialog = (lifeMean: number | null, treatmentMean: number | null) => ({ lifeMean, treatmentMean, lifeAnswered: lifeMean === null ? 0 : 8, treatmentAnswered: treatmentMean === null ? 0 : 3 });
const swemwbs = (raw: number, metric: number) => ({ raw, metric });
const ons4 = (scores: number[]) => ({ scores, bands: ['medium', 'medium', 'medium', 'medium'] });

beforeAll(async () => {
	await seedProgrammes();
	const [p1, p2, p3, p4] = [await person(), await person(), await person(), await person()];
	const p5 = await person({ circumstances: ['secondary-care'] });
	expect([p1, p2, p3, p4].map((p) => p.programmeId)).toEqual([PRIMARY, PRIMARY, PRIMARY, PRIMARY]);
	expect(p5.programmeId).toBe(SECONDARY);

	await add(p1, 'dialog', '2032-01-10T10:00:00Z', dialog(3, 4));
	await add(p1, 'dialog', '2032-04-10T10:00:00Z', dialog(4, 4));
	await add(p1, 'swemwbs', '2032-01-10T10:05:00Z', swemwbs(26, 19.98));
	await add(p1, 'swemwbs', '2032-04-10T10:05:00Z', swemwbs(26, 23.21));
	await add(p1, 'ons4', '2032-01-10T10:10:00Z', ons4([5, 5, 5, 5]));
	await add(p1, 'ons4', '2032-04-10T10:10:00Z', ons4([7, 6, 5, 2]));

	await add(p2, 'dialog', '2032-02-01T10:00:00Z', dialog(5, null));
	await add(p2, 'dialog', '2032-05-01T10:00:00Z', dialog(4.5, null));
	await add(p2, 'swemwbs', '2032-02-01T10:05:00Z', swemwbs(25, 22.35));
	await add(p2, 'swemwbs', '2032-05-01T10:05:00Z', swemwbs(24, 21.54));

	await add(p3, 'dialog', '2032-03-01T10:00:00Z', dialog(4, 5));

	await add(p4, 'dialog', '2031-12-31T23:30:00Z', dialog(1, 1));
	await add(p4, 'dialog', '2032-01-01T00:30:00Z', dialog(4.12, 3));
	await add(p4, 'dialog', '2032-06-30T22:30:00Z', dialog(4.6, 6));
	await add(p4, 'dialog', '2032-06-30T23:30:00Z', dialog(7, 7));

	await add(p5, 'dialog', '2032-02-01T10:00:00Z', dialog(1, 1));
	await add(p5, 'dialog', '2032-05-01T10:00:00Z', dialog(7, 7));
});

describe('wellbeing report', () => {
	it('matches the hand-computed fixture, in the table and in the CSV', async () => {
		const found = await wellbeingReport(lead, RANGE);
		expect(found).not.toBeNull();
		expect(found!.participants).toBe(4);
		expect(found!.report.table.columns).toEqual(['Measure', 'Participants', 'Improved', 'Maintained', 'Reduced', 'Only one check-in']);
		expect(found!.report.table.rows.map((r) => [r.label, ...r.cells])).toEqual([
			['DIALOG: Overall score', '4', '1 (33%)', '1 (33%)', '1 (33%)', '1'],
			['DIALOG: Care score', '3', '1 (50%)', '1 (50%)', '0 (0%)', '1'],
			['SWEMWBS', '2', '1 (50%)', '1 (50%)', '0 (0%)', '0'],
			['ONS4: Life satisfaction', '1', '1 (100%)', '0 (0%)', '0 (0%)', '0'],
			['ONS4: Feeling the things you do are worthwhile', '1', '0 (0%)', '1 (100%)', '0 (0%)', '0'],
			['ONS4: Happiness yesterday', '1', '0 (0%)', '1 (100%)', '0 (0%)', '0'],
			['ONS4: Anxiety yesterday', '1', '1 (100%)', '0 (0%)', '0 (0%)', '0']
		]);
		expect(reportCsv(found!.report)).toBe(
			[
				'measure,participants,improved,improved_percent,maintained,maintained_percent,reduced,reduced_percent,only_one_check_in',
				'DIALOG: Overall score,4,1,33,1,33,1,33,1',
				'DIALOG: Care score,3,1,50,1,50,0,0,1',
				'SWEMWBS,2,1,50,1,50,0,0,0',
				'ONS4: Life satisfaction,1,1,100,0,0,0,0,0',
				'ONS4: Feeling the things you do are worthwhile,1,0,0,1,100,0,0,0',
				'ONS4: Happiness yesterday,1,0,0,1,100,0,0,0',
				'ONS4: Anxiety yesterday,1,1,100,0,0,0,0,0',
				''
			].join('\r\n')
		);
		// The chart is drawn from the same shares.
		expect(found!.report.chart.datasets.map((d) => [d.key, d.data])).toEqual([
			['improved', [33, 50, 50, 100, 0, 0, 100]],
			['maintained', [33, 50, 50, 0, 100, 100, 0]],
			['reduced', [33, 0, 0, 0, 0, 0, 0]]
		]);
	});

	it('widening the range to the check-ins just outside changes P4 as the fixture says', async () => {
		const found = await wellbeingReport(lead, { ...RANGE, from: year('2031-12-31'), to: year('2032-07-01') });
		// P4 overall now 1 -> 7: improved (it was maintained); care 1 -> 7 is still improved.
		expect(found!.report.table.rows.slice(0, 2).map((r) => [r.label, ...r.cells])).toEqual([
			['DIALOG: Overall score', '4', '2 (67%)', '0 (0%)', '1 (33%)', '1'],
			['DIALOG: Care score', '3', '1 (50%)', '1 (50%)', '0 (0%)', '1']
		]);
	});

	it('gives a specialist of another programme nothing, and checks the form in UK dates', async () => {
		expect(await wellbeingReport(otherSpecialist, RANGE)).toBeNull();
		const ok = parseReportQuery(lead, [{ id: PRIMARY, name: 'Primary' }], new URLSearchParams({ programme: PRIMARY, from: year('1/1/2032'), to: year('30/6/2032') }));
		expect(ok).toMatchObject({ ok: true, filter: RANGE });
		const bad = parseReportQuery(lead, [{ id: PRIMARY, name: 'Primary' }], new URLSearchParams({ programme: SECONDARY, from: '31/2/2032', to: '1/1/2031' }));
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.errors.programme).toBe('Choose one of your programmes');
			expect(bad.errors.from).toBe('The first day must be a real date, like 1/4/2026');
			expect(bad.values).toEqual({ programme: SECONDARY, from: '31/2/2032', to: '1/1/2031' });
		}
		const backwards = parseReportQuery(lead, [{ id: PRIMARY, name: 'Primary' }], new URLSearchParams({ programme: PRIMARY, from: '1/2/2032', to: '1/1/2032' }));
		expect(backwards.ok ? {} : backwards.errors).toEqual({ to: 'The last day must be the same as or after the first day' });
	});
});
