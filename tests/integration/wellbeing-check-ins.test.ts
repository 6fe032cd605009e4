/**
 * Wellbeing check-ins on a real database: answers kept page by page, completion through the one
 * completion function (stored result = the registry's scorer, draft gone, `checkin.completed` with ids and
 * time only), which questionnaires a programme turns on, and the crisis response to PHQ-9 item 9 above 0:
 * one concern and one `wellbeing.concern_raised` event per check-in, and an outbox email to the assigned
 * specialist (or the team) with no answer, score or questionnaire in it.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { phq9, swemwbs, type Instrument } from '../../src/lib/domain/measures';
import { getDb } from '../../src/lib/server/db';
import { checkIn, checkInDraft, event, programme, referral, staff, wellbeingConcern } from '../../src/lib/server/db/schema';
import { completeCheckIn, enabledQuestionnaire, questionnaireDraft, saveQuestionAnswer, type CheckInOwner } from '../../src/lib/server/measures/check-ins';
import { CRISIS_REASON } from '../../src/lib/server/measures/crisis';
import { forgetProgrammes, seedProgrammes } from '../../src/lib/server/programmes';
import { DEFAULT_SERVICE_SETTINGS } from '../../src/lib/domain/service-hours';
import { emailJob, queuedEmails } from '../support/jobs';
import { aParticipant } from '../support/factories';

const SUFFIX = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function answerAll(owner: CheckInOwner, instrument: Instrument<unknown>, values: number[]) {
	for (const [i, v] of values.entries()) await saveQuestionAnswer(owner, instrument, i, v);
}

async function eventsOf(owner: CheckInOwner, type: string) {
	const db = await getDb();
	return db.select().from(event).where(and(eq(event.type, type), eq(event.referralId, owner.referralId)));
}

beforeAll(async () => {
	await seedProgrammes();
});

describe('wellbeing check-ins', () => {
	it('keeps each answer, scores with the registry when complete, deletes the draft and logs no scores', async () => {
		const owner = await aParticipant();
		await saveQuestionAnswer(owner, swemwbs, 0, 2);
		await saveQuestionAnswer(owner, swemwbs, 1, 5);
		await saveQuestionAnswer(owner, swemwbs, 0, 3); // changed: replaces, keeps the other
		expect((await questionnaireDraft(owner, swemwbs)).answers).toEqual({ optimistic: 3, useful: 5 });
		expect(await completeCheckIn(owner, 'swemwbs')).toBeNull(); // not finished
		const values = [3, 5, 4, 4, 2, 1, 5];
		for (const [i, v] of values.entries()) if (i > 1) await saveQuestionAnswer(owner, swemwbs, i, v);
		const completedAt = new Date('2025-03-12T10:00:00Z');
		const row = await completeCheckIn(owner, 'swemwbs', completedAt);
		expect(row).not.toBeNull();
		expect(row!.instrument).toBe('swemwbs');
		expect(row!.result).toEqual(swemwbs.score(values));
		expect(row!.answers).toEqual(Object.fromEntries(swemwbs.items.map((item, i) => [item.key, values[i]])));
		const db = await getDb();
		expect(await db.select().from(checkInDraft).where(eq(checkInDraft.participantId, owner.id))).toHaveLength(0);
		const completed = await eventsOf(owner, 'checkin.completed');
		expect(completed.map((e) => e.payload)).toEqual([{ checkInId: row!.id, instrument: 'swemwbs', completedAt: completedAt.toISOString() }]);
		// Sent twice: nothing more.
		expect(await completeCheckIn(owner, 'swemwbs')).toBeNull();
		expect(await db.select().from(checkIn).where(eq(checkIn.participantId, owner.id))).toHaveLength(1);
	});

	it('offers only the questionnaires the programme turns on, never DIALOG through these pages', async () => {
		const owner = await aParticipant();
		// The default schedule asks for DIALOG, SWEMWBS and ONS4.
		expect((await enabledQuestionnaire(owner, 'swemwbs'))?.id).toBe('swemwbs');
		expect((await enabledQuestionnaire(owner, 'ons4'))?.id).toBe('ons4');
		for (const id of ['phq9', 'gad7', 'eq5d5l', 'dialog', 'nope', '__proto__']) expect(await enabledQuestionnaire(owner, id)).toBeNull();
		const db = await getDb();
		const [before] = await db.select({ measures: programme.measures }).from(programme).where(eq(programme.id, owner.programmeId));
		const schedule = { points: [{ id: 'start', label: 'Start', offset: { amount: 0, unit: 'days' }, windowDays: 14, instruments: ['phq9', 'eq5d5l'] }] };
		try {
			await db.update(programme).set({ measures: { schedule } as never }).where(eq(programme.id, owner.programmeId));
			expect((await enabledQuestionnaire(owner, 'phq9'))?.id).toBe('phq9');
			expect(await enabledQuestionnaire(owner, 'swemwbs')).toBeNull();
			expect(await enabledQuestionnaire(owner, 'eq5d5l')).toBeNull(); // no licence recorded
			await db.update(programme).set({ measures: { schedule, eq5d5lLicence: true } as never }).where(eq(programme.id, owner.programmeId));
			expect((await enabledQuestionnaire(owner, 'eq5d5l'))?.id).toBe('eq5d5l');
		} finally {
			await db.update(programme).set({ measures: before.measures }).where(eq(programme.id, owner.programmeId));
		}
	});

	it('PHQ-9 item 9 above 0 alerts once per check-in: a crisis concern, its event, and an email with no health details', async () => {
		const owner = await aParticipant();
		const db = await getDb();
		const [ref] = await db.select().from(referral).where(eq(referral.id, owner.referralId));
		const [prog] = await db.select().from(programme).where(eq(programme.id, owner.programmeId));
		const [specialist] = await db
			.insert(staff)
			.values({ email: `crisis-${SUFFIX}@ips.example`, name: 'Cris Specialist', role: 'specialist', passwordHash: 'x', totpSecret: 'x' })
			.returning();
		await db.update(referral).set({ assignedStaffId: specialist.id }).where(eq(referral.id, owner.referralId));

		const answers = [2, 3, 1, 2, 3, 1, 2, 3, 0];
		for (let i = 0; i < 8; i++) expect((await saveQuestionAnswer(owner, phq9, i, answers[i])).crisis).toBe(false);
		expect(await eventsOf(owner, 'wellbeing.concern_raised')).toHaveLength(0);
		expect((await saveQuestionAnswer(owner, phq9, 8, 0)).crisis).toBe(false);
		expect(await eventsOf(owner, 'wellbeing.concern_raised')).toHaveLength(0);

		// Changed to "several days": crisis help next, and the specialist is alerted.
		expect((await saveQuestionAnswer(owner, phq9, 8, 1)).crisis).toBe(true);
		// Changed again: still one alert for this check-in.
		expect((await saveQuestionAnswer(owner, phq9, 8, 3)).crisis).toBe(true);

		const concerns = await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.participantId, owner.id));
		expect(concerns).toHaveLength(1);
		expect(concerns[0].kind).toBe('crisis');
		expect(concerns[0].reasons).toEqual([CRISIS_REASON]);
		expect(CRISIS_REASON).not.toMatch(/\d|PHQ/);
		const raised = await eventsOf(owner, 'wellbeing.concern_raised');
		expect(raised).toHaveLength(1);
		expect(raised[0].payload).toMatchObject({ concernId: concerns[0].id, kind: 'crisis', checkInId: null });

		// At once to the specialist and the programme's safety contacts (the demo's duty inbox).
		const emails = await queuedEmails(eq(emailJob.eventId, raised[0].eventId));
		expect(emails.map((e) => e.to).sort()).toEqual([specialist.email, 'primary-care-duty@ips.example'].sort());
		const text = `${emails[0].subject}\n${emails[0].body}`;
		expect(text).toContain(`Reference: ${ref.reference}`);
		expect(text).toContain(`/staff/referrals/${ref.reference}`);
		expect(text).toMatch(/If nobody has by \d+ \w+ \d{4} at \d+:\d\d[ap]m \(UK time\)/);
		// Nothing but the reference, the link and the time to acknowledge it by has a digit: no answer, no score.
		const rest = text
			.replaceAll(/https?:\/\/\S+/g, '')
			.replaceAll(ref.reference, '')
			.replace(/If nobody has by [^(]*/, '');
		expect(rest).not.toMatch(/\d/);
		for (const word of ['PHQ', 'depress', 'self-harm', 'hurting', 'dead', 'score', 'Several days', 'Nearly every day', prog.helplinePhone])
			expect(text.toLowerCase(), `email mentions "${word}"`).not.toContain(word.toLowerCase());

		// Completing links the concern to the stored check-in; the completed event has no scores.
		const row = await completeCheckIn(owner, 'phq9');
		expect(row!.result).toEqual(phq9.score([...answers.slice(0, 8), 3]));
		const [linked] = await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.id, concerns[0].id));
		expect(linked.checkInId).toBe(row!.id);
		const completed = await eventsOf(owner, 'checkin.completed');
		expect(Object.keys(completed[0].payload as object).sort()).toEqual(['checkInId', 'completedAt', 'instrument']);

		// The next PHQ-9 check-in is a new check-in: it alerts again.
		await answerAll(owner, phq9, [0, 0, 0, 0, 0, 0, 0, 0, 2]);
		expect(await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.participantId, owner.id))).toHaveLength(2);
	});

	it('emails the safety contacts when nobody is assigned (or the specialist’s account is disabled), and the team when there are none', async () => {
		const owner = await aParticipant();
		const db = await getDb();
		const [prog] = await db.select().from(programme).where(eq(programme.id, owner.programmeId));
		const [gone] = await db
			.insert(staff)
			.values({ email: `gone-${SUFFIX}@ips.example`, name: 'Gone', role: 'specialist', passwordHash: 'x', totpSecret: 'x', disabledAt: new Date() })
			.returning();
		await db.update(referral).set({ assignedStaffId: gone.id }).where(eq(referral.id, owner.referralId));
		await saveQuestionAnswer(owner, phq9, 8, 2);
		const [raised] = await eventsOf(owner, 'wellbeing.concern_raised');
		const emails = await queuedEmails(eq(emailJob.eventId, raised.eventId));
		expect(emails.map((e) => e.to)).toEqual(['primary-care-duty@ips.example']);

		// A programme with no safety contacts: its team address instead.
		const other = await aParticipant();
		try {
			await db.update(programme).set({ service: { ...DEFAULT_SERVICE_SETTINGS, safetyContacts: [] } }).where(eq(programme.id, other.programmeId));
			forgetProgrammes();
			await saveQuestionAnswer(other, phq9, 8, 2);
			const [again] = await eventsOf(other, 'wellbeing.concern_raised');
			const toTeam = await queuedEmails(eq(emailJob.eventId, again.eventId));
			expect(toTeam.map((e) => e.to)).toEqual([prog.teamEmail.toLowerCase()]);
		} finally {
			await db.update(programme).set({ service: prog.service }).where(eq(programme.id, other.programmeId));
			forgetProgrammes();
		}
	});
});
