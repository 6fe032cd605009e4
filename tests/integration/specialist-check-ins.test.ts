/**
 * The specialist's side of check-ins on a real database (issue 10 items 4, 7 and 8): wellbeing concerns
 * raised after a check-in by the concern rules over hand-built sequences (a steep fall raises one, an
 * ordinary change none, a falling trend only with a missed meeting, the same check-in never twice), the
 * concern in the inbox of its programme's staff only and marked as dealt with (audited); the check-ins
 * view and its CSV and agreed actions for the referral's programme only (404 otherwise), audited without
 * scores; agreed actions reviewed at the next DIALOG+ check-in and written to the action when it is sent.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALOG_AREAS, type AreaAnswer } from '../../src/lib/domain/measures';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { getDb } from '../../src/lib/server/db';
import { auditLog, dialogAction, event, meeting, referral, wellbeingConcern } from '../../src/lib/server/db/schema';
import { completeDialog, dialogDraft, saveActionReview, saveAreaAnswer, saveTalkAbout, type CheckInOwner } from '../../src/lib/server/measures/check-ins';
import { openConcernsFor, raiseConcernsAfterCheckIn, resolveConcern } from '../../src/lib/server/measures/concerns';
import { firstUnreviewedHref, pendingActions } from '../../src/lib/server/measures/dialog-actions';
import { checkInsCsvForStaff, checkInsForStaff, saveAgreedActions, theirSentence } from '../../src/lib/server/measures/specialist-view';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aParticipant, aStaffMember } from '../support/factories';

const PROGRAMMES = ['gm-ips-primary-care', 'gm-ips-secondary-care'];
let count = 0;

interface Person extends CheckInOwner {
	reference: string;
}

/** A DIALOG+ check-in whose overall (life) score is `life`: halves as four areas half a point up and four down. */
async function checkInWithOverall(owner: CheckInOwner, life: number, at: Date, talkAbout: string[] = []) {
	const low = Math.floor(life);
	const high = Math.ceil(life);
	for (const area of DIALOG_AREAS) {
		const rating = area.part === 'life' ? (area.index % 2 === 0 ? high : low) : 5;
		const answer: AreaAnswer = { rating, moreHelp: false };
		await saveAreaAnswer(owner, area.key, answer);
	}
	if (talkAbout.length) await saveTalkAbout(owner, talkAbout);
	const row = await completeDialog(owner, at);
	if (!row) throw new Error('check-in should complete');
	expect((row.result as { lifeMean: number }).lifeMean).toBe(life);
	return row;
}

async function concernsOf(owner: CheckInOwner) {
	const db = await getDb();
	return db.select().from(wellbeingConcern).where(eq(wellbeingConcern.participantId, owner.id)).orderBy(asc(wellbeingConcern.raisedAt));
}

async function concernEvents(owner: CheckInOwner) {
	const db = await getDb();
	return db
		.select()
		.from(event)
		.where(and(eq(event.referralId, owner.referralId), eq(event.type, 'wellbeing.concern_raised')));
}

async function missedMeeting(owner: CheckInOwner, staffId: string, startsAt: Date) {
	const db = await getDb();
	await db.insert(meeting).values({
		referralId: owner.referralId,
		participantId: owner.id,
		programmeId: owner.programmeId,
		staffId,
		startsAt,
		endsAt: new Date(startsAt.getTime() + 45 * 60_000),
		mode: 'phone',
		status: 'missed'
	});
}

async function auditOf(referralId: string, action: string) {
	const db = await getDb();
	return db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.referralId, referralId), eq(auditLog.action, action)))
		.orderBy(asc(auditLog.id));
}

const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

let ownSpecialist: StaffUser;
let otherSpecialist: StaffUser;
let sample: Person;

beforeAll(async () => {
	await seedProgrammes();
	sample = await aParticipant();
	const other = PROGRAMMES.find((p) => p !== sample.programmeId)!;
	ownSpecialist = await aStaffMember('specialist', [sample.programmeId]);
	otherSpecialist = await aStaffMember('specialist', [other]);
});

describe('wellbeing concerns after a check-in', () => {
	it('a steep fall raises one concern and one event, with reasons in words and no answers', async () => {
		const owner = await aParticipant();
		await checkInWithOverall(owner, 6, day('2027-01-10'));
		expect(await concernsOf(owner)).toEqual([]);
		const second = await checkInWithOverall(owner, 4, day('2027-02-10'));
		const concerns = await concernsOf(owner);
		expect(concerns).toHaveLength(1);
		expect(concerns[0]).toMatchObject({ kind: 'steep-fall', key: `${second.id}:steep-fall`, checkInId: second.id, resolvedAt: null, programmeId: owner.programmeId });
		expect(concerns[0].reasons).toEqual(['The DIALOG overall score fell by 2 points (worse) between 10 January 2027 and 10 February 2027.']);
		const events = await concernEvents(owner);
		expect(events).toHaveLength(1);
		expect(events[0].payload).toEqual({ concernId: concerns[0].id, kind: 'steep-fall', checkInId: second.id, raisedAt: day('2027-02-10').toISOString() });
	});

	it('an ordinary change raises nothing', async () => {
		const owner = await aParticipant();
		await checkInWithOverall(owner, 5, day('2027-01-10'));
		await checkInWithOverall(owner, 4.5, day('2027-02-10'));
		await checkInWithOverall(owner, 5.5, day('2027-03-10'));
		expect(await concernsOf(owner)).toEqual([]);
		expect(await concernEvents(owner)).toEqual([]);
	});

	it('a falling trend raises a concern only with a missed meeting in the same time', async () => {
		const without = await aParticipant();
		await checkInWithOverall(without, 6, day('2027-01-10'));
		await checkInWithOverall(without, 5.5, day('2027-02-10'));
		await checkInWithOverall(without, 5, day('2027-03-10'));
		expect(await concernsOf(without)).toEqual([]);

		const owner = await aParticipant();
		const staff = await aStaffMember('specialist', [owner.programmeId]);
		// A missed meeting before the trend began does not count.
		await missedMeeting(owner, staff.id, day('2026-12-01'));
		await checkInWithOverall(owner, 6, day('2027-01-10'));
		await checkInWithOverall(owner, 5.5, day('2027-02-10'));
		await missedMeeting(owner, staff.id, day('2027-02-20'));
		const third = await checkInWithOverall(owner, 5, day('2027-03-10'));
		const concerns = await concernsOf(owner);
		expect(concerns.map((c) => [c.kind, c.key])).toEqual([['falling-trend', `${third.id}:falling-trend`]]);
		expect(concerns[0].reasons).toEqual([
			'The DIALOG overall score got worse at each of the last 3 check-ins (10 January 2027, 10 February 2027, 10 March 2027), and 1 meeting was missed.'
		]);
	});

	it('never raises a concern twice for the same check-in', async () => {
		const owner = await aParticipant();
		await checkInWithOverall(owner, 6, day('2027-01-10'));
		const second = await checkInWithOverall(owner, 3, day('2027-02-10'));
		expect(await concernsOf(owner)).toHaveLength(1);
		const db = await getDb();
		expect(await raiseConcernsAfterCheckIn(db, owner, second, day('2027-02-11'))).toEqual([]);
		expect(await db.transaction((tx) => raiseConcernsAfterCheckIn(tx, owner, second, day('2027-02-12')))).toEqual([]);
		expect(await concernsOf(owner)).toHaveLength(1);
		expect(await concernEvents(owner)).toHaveLength(1);
	});

	it('shows the concern to its programme’s staff only, and marks it dealt with once (audited)', async () => {
		await checkInWithOverall(sample, 6.5, day('2027-01-10'));
		await checkInWithOverall(sample, 4.5, day('2027-02-10'), ['mental-health', 'job-situation']);
		const [concern] = await concernsOf(sample);
		expect(concern.kind).toBe('steep-fall');

		const mine = await openConcernsFor(ownSpecialist);
		expect(mine.find((c) => c.id === concern.id)).toMatchObject({ reference: sample.reference, kind: 'steep-fall', kindWords: 'Steep fall in wellbeing' });
		// Crisis first.
		expect(mine.findIndex((c) => c.kind !== 'crisis')).toBeGreaterThanOrEqual(mine.filter((c) => c.kind === 'crisis').length);
		expect((await openConcernsFor(otherSpecialist)).map((c) => c.id)).not.toContain(concern.id);
		const spoke = { resolution: 'spoke-to-them', note: 'Talked it through; they are seeing their GP on Monday.' } as const;
		await expect(resolveConcern(otherSpecialist, concern.id, spoke)).rejects.toMatchObject({ status: 404 });
		await expect(resolveConcern(ownSpecialist, '00000000-0000-4000-8000-000000000000', spoke)).rejects.toMatchObject({ status: 404 });
		await expect(resolveConcern(ownSpecialist, 'not-an-id', spoke)).rejects.toMatchObject({ status: 404 });
		expect((await concernsOf(sample))[0].resolvedAt).toBeNull();

		expect(await resolveConcern(ownSpecialist, concern.id, spoke, day('2027-02-12'))).toEqual({ changed: true, reference: sample.reference });
		expect(await resolveConcern(ownSpecialist, concern.id, { resolution: 'other', note: null })).toEqual({ changed: false, reference: sample.reference });
		const [resolved] = await concernsOf(sample);
		expect(resolved).toMatchObject({ resolvedStaffId: ownSpecialist.id, resolvedAt: day('2027-02-12'), resolution: 'spoke-to-them', resolutionNote: spoke.note });
		expect((await openConcernsFor(ownSpecialist)).map((c) => c.id)).not.toContain(concern.id);
		const audit = await auditOf(sample.referralId, 'wellbeing-concern.resolved');
		expect(audit).toHaveLength(1);
		// The audit row says what was done and that there is a note, never the note.
		expect(audit[0].detail).toEqual({ reference: sample.reference, concernId: concern.id, kind: 'steep-fall', resolution: 'spoke-to-them', note: true });
	});
});

describe('the specialist’s view of check-ins', () => {
	it('refuses staff of another programme (404) for the view, the CSV and the agreed actions, and audits nothing for them', async () => {
		const before = (await auditOf(sample.referralId, 'check-ins.viewed')).length;
		await expect(checkInsForStaff(otherSpecialist, sample.reference)).rejects.toMatchObject({ status: 404 });
		await expect(checkInsCsvForStaff(otherSpecialist, sample.reference, 'dialog')).rejects.toMatchObject({ status: 404 });
		await expect(saveAgreedActions(otherSpecialist, sample.reference, '00000000-0000-4000-8000-000000000000', {})).rejects.toMatchObject({ status: 404 });
		await expect(checkInsForStaff(ownSpecialist, 'IPS-NOPE-0000')).rejects.toMatchObject({ status: 404 });
		expect(await auditOf(sample.referralId, 'check-ins.viewed')).toHaveLength(before);
	});

	it('shows the same progress sections in the third person and the DIALOG+ check-ins, audited without scores', async () => {
		const view = await checkInsForStaff(ownSpecialist, sample.reference);
		expect(view.hasAccount).toBe(true);
		const dialog = view.views.find((v) => v.instrument === 'dialog')!;
		expect(dialog.chart.datasets[0].data).toEqual([6.5, 4.5]);
		expect(dialog.table.rows.map((r) => r.cells[0])).toEqual(['6.5', '4.5']);
		expect(dialog.sentences[0]).toMatch(/^Their overall score went down from 6\.5 to 4\.5 since 10 January 2027/);
		// Named in words; DIALOG+ area by area, in their words, the chart holding the table's ratings.
		expect(dialog.title).toBe('How things are going');
		expect(dialog.areas!.table.rows[0]).toEqual({ area: 'Their mental health', cells: ['7', '5', 'Down 2', 'No', 'No'] });
		expect(dialog.areas!.chart!.datasets.map((d) => d.data)).toEqual([
			dialog.areas!.table.rows.map((r) => Number(r.cells[0])),
			dialog.areas!.table.rows.map((r) => Number(r.cells[1]))
		]);
		expect(dialog.areas!.sentences[0]).toBe('Since 10 January 2027, they rated 0 areas higher, 8 areas lower and 3 areas the same.');
		expect(view.dialogs.map((d) => [d.date, d.overall, d.talkAbout])).toEqual([
			['10 February 2027', '4.5', ['Your mental health', 'Your job situation']],
			['10 January 2027', '6.5', []]
		]);
		expect(view.latest).toMatchObject({ areas: ['mental-health', 'job-situation'], values: { 'action-mental-health': '', 'action-job-situation': '' } });

		const audit = await auditOf(sample.referralId, 'check-ins.viewed');
		expect(audit.at(-1)).toMatchObject({ staffId: ownSpecialist.id, programmeId: sample.programmeId, detail: { reference: sample.reference } });
		expect(JSON.stringify(audit.at(-1)!.detail)).not.toMatch(/6\.5|4\.5|lifeMean|rating/);

		const csv = await checkInsCsvForStaff(ownSpecialist, sample.reference, 'dialog');
		expect(csv!.csv.rows.map((r) => r[1])).toEqual(['6.5', '4.5']);
		expect(await checkInsCsvForStaff(ownSpecialist, sample.reference, 'nothing')).toBeNull();
	});

	it('says it in the third person', () => {
		expect(theirSentence('Your overall score stayed the same, at 4, since 1 May 2027.')).toBe('Their overall score stayed the same, at 4, since 1 May 2027.');
		expect(theirSentence('Your overall score was 4 on 1 May 2027. After your next DIALOG+ check-in you will see how it has changed.')).toBe(
			'Their overall score was 4 on 1 May 2027. After their next DIALOG+ check-in you will see how it has changed.'
		);
		expect(theirSentence('You have not done a DIALOG+ check-in yet.')).toBe('They have not done a DIALOG+ check-in yet.');
	});
});

describe('DIALOG+ agreed actions', () => {
	it('records actions for the latest check-in’s areas (errors beside the field, audited without the words), reviewed at the next check-in', async () => {
		const checkInId = (await checkInsForStaff(ownSpecialist, sample.reference)).latest!.id;
		// Too long: the error is on that area's box, and the typed values come back.
		const long = 'x'.repeat(1001);
		const refused = await saveAgreedActions(ownSpecialist, sample.reference, checkInId, { 'action-mental-health': long, 'action-job-situation': 'Apply for two jobs' });
		expect(refused).toMatchObject({ ok: false, values: { 'action-mental-health': long, 'action-job-situation': 'Apply for two jobs' } });
		expect(Object.keys((refused as { errors: Record<string, string> }).errors)).toEqual(['action-mental-health']);
		// A control character is refused too.
		expect(await saveAgreedActions(ownSpecialist, sample.reference, checkInId, { 'action-mental-health': 'Walk\u0007', 'action-job-situation': '' })).toMatchObject({ ok: false });
		// A stale page (another check-in id) is refused without saving.
		expect(await saveAgreedActions(ownSpecialist, sample.reference, '00000000-0000-4000-8000-000000000000', { 'action-job-situation': 'x' })).toMatchObject({ ok: false });

		expect(
			await saveAgreedActions(ownSpecialist, sample.reference, checkInId, {
				'action-mental-health': 'Talk to your GP about sleep',
				'action-job-situation': 'Apply for two jobs',
				// Not an area chosen at that check-in: ignored.
				'action-partner-family': 'Call your sister'
			})
		).toEqual({ ok: true });
		// Saving again replaces them (an empty box removes one).
		expect(await saveAgreedActions(ownSpecialist, sample.reference, checkInId, { 'action-mental-health': 'Talk to your GP about sleep', 'action-job-situation': 'Apply for three jobs' })).toEqual({ ok: true });
		const db = await getDb();
		const stored = await db.select().from(dialogAction).where(eq(dialogAction.participantId, sample.id));
		expect(stored.map((a) => [a.areaKey, a.action]).sort()).toEqual([
			['job-situation', 'Apply for three jobs'],
			['mental-health', 'Talk to your GP about sleep']
		]);
		const audit = await auditOf(sample.referralId, 'dialog-actions.recorded');
		expect(audit).toHaveLength(2);
		expect(audit[1].detail).toEqual({ reference: sample.reference, checkInId, actions: 2 });

		// The next check-in asks about each, in questionnaire order, before the areas.
		const pending = await pendingActions(sample);
		expect(pending.map((a) => a.areaKey)).toEqual(['mental-health', 'job-situation']);
		expect(firstUnreviewedHref(pending, (await dialogDraft(sample)).reviews)).toBe('/account/check-in/dialog/actions/1');
		await saveActionReview(sample, pending[0].id, 'done');
		expect(firstUnreviewedHref(pending, (await dialogDraft(sample)).reviews)).toBe('/account/check-in/dialog/actions/2');
		await saveActionReview(sample, pending[1].id, 'partly');
		// Rating pages keep the reviews in the draft.
		await saveAreaAnswer(sample, 'mental-health', { rating: 4, moreHelp: true });
		expect((await dialogDraft(sample)).reviews).toEqual({ [pending[0].id]: 'done', [pending[1].id]: 'partly' });
		const third = await checkInWithOverall(sample, 5, day('2027-03-10'));

		const reviewed = await db.select().from(dialogAction).where(eq(dialogAction.participantId, sample.id));
		expect(Object.fromEntries(reviewed.map((a) => [a.areaKey, [a.reviewOutcome, a.reviewCheckInId, a.reviewedAt?.toISOString()]]))).toEqual({
			'mental-health': ['done', third.id, day('2027-03-10').toISOString()],
			'job-situation': ['partly', third.id, day('2027-03-10').toISOString()]
		});
		expect(await pendingActions(sample)).toEqual([]);

		const view = await checkInsForStaff(ownSpecialist, sample.reference);
		const withActions = view.dialogs.find((d) => d.id === checkInId)!;
		expect(withActions.actions).toEqual([
			{ area: expect.any(String), action: 'Talk to your GP about sleep', review: 'They did this' },
			{ area: expect.any(String), action: 'Apply for three jobs', review: 'They did some of it' }
		]);
	});

	it('never reviews another person’s actions', async () => {
		const other = await aParticipant();
		const [action] = await (await getDb()).select().from(dialogAction).where(eq(dialogAction.participantId, sample.id)).limit(1);
		await saveActionReview(other, action.id, 'not-done');
		await checkInWithOverall(other, 5, day('2027-03-10'));
		const [after] = await (await getDb()).select().from(dialogAction).where(eq(dialogAction.id, action.id));
		expect(after.reviewOutcome).toBe('done');
		// The referral it belongs to is untouched too.
		const [ref] = await (await getDb()).select().from(referral).where(eq(referral.id, sample.referralId));
		expect(ref.reference).toBe(sample.reference);
	});
});
