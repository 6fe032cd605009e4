/**
 * "Download your data" and the staff subject access export (issue 24, part 3), on the real database: a person
 * with a referral, consents, a booked meeting (and its emails), a questionnaire and a DIALOG+ check-in with an
 * agreed action, a job reported, confirmed and checked, a contact attempt and a sign-in gets all of it back,
 * valid against the published JSON Schema; nothing of another person, no staff address and no secret (hashes,
 * codes, session ids, message texts); staff of another programme are refused; both exports are audited with
 * the reference only.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as schemaGET } from '../../src/routes/api/v1/schema/your-data.json/+server';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { createParticipantSession } from '../../src/lib/server/auth/sessions';
import { answerStillInWork, confirmJobStart, saveJobAnswers, sendJobReport } from '../../src/lib/server/casework/jobs';
import { logContactAttempt } from '../../src/lib/server/casework/contact-attempts';
import { siteOrigin } from '../../src/lib/server/config';
import { getDb } from '../../src/lib/server/db';
import { auditLog, checkIn, job, participantSignIn, referral as referralTable } from '../../src/lib/server/db/schema';
import { DIALOG_AREAS, scoreDialogRatings } from '../../src/lib/domain/measures/dialog-review';
import { saveAgreedActions } from '../../src/lib/server/measures/specialist-view';
import { bookMeeting, freeSlotsForParticipant } from '../../src/lib/server/meetings/booking';
import { startSignIn } from '../../src/lib/server/participants/sign-in';
import { subjectAccessExport, yourDataFor, yourDataJsonSchema, yourDataSchema, type YourData } from '../../src/lib/server/participants/your-data';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { Refusal } from '../../src/lib/server/refusal';
import { aCompletedCheckIn, aParticipant, aProgramme, aStaffMember, type Participant } from '../support/factories';

/** A Monday: the first free times fall on Tuesday 2 March 2027. */
const NOW = new Date('2027-03-01T10:00:00Z');

let programmeId: string;
let specialist: StaffUser;
let outsider: StaffUser;
let person: Participant;
let other: Participant;
let sessionToken: string;
let sessionId: string;

beforeAll(async () => {
	await seedProgrammes();
	programmeId = await aProgramme('data');
	const otherProgrammeId = await aProgramme('elsewhere');
	specialist = await aStaffMember('specialist', [programmeId], { weekdays: [1, 2, 3, 4, 5], name: 'Sam Specialist' });
	outsider = await aStaffMember('team-lead', [otherProgrammeId]);
	person = await aParticipant({ programmeId, now: NOW, answers: { givenName: 'Ada', familyName: 'Lovelace-Data', employment: 'out-of-work' } });
	other = await aParticipant({ programmeId, now: NOW, answers: { givenName: 'Otto', familyName: 'Otherperson' } });
	const db = await getDb();
	await db.update(referralTable).set({ assignedStaffId: specialist.id, status: 'started' }).where(eq(referralTable.id, person.referralId));

	// A meeting, booked as the person books it (emails to them and to the specialist).
	for (const p of [person, other]) {
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(p, { start: slots[p === person ? 0 : 1].start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
	}

	// A questionnaire, and a DIALOG+ check-in with an action agreed about an area chosen.
	await aCompletedCheckIn(person, 'swemwbs', [3, 3, 4, 4, 3, 2, 5], NOW);
	await aCompletedCheckIn(other, 'swemwbs', [1, 1, 1, 1, 1, 1, 1], NOW);
	const ratings = Object.fromEntries(DIALOG_AREAS.map((a) => [a.key, { rating: 4, moreHelp: a.key === 'job-situation' }]));
	const [dialog] = await db
		.insert(checkIn)
		.values({
			participantId: person.id,
			referralId: person.referralId,
			programmeId,
			instrument: 'dialog',
			answers: { ratings },
			result: scoreDialogRatings(ratings) as unknown as Record<string, unknown>,
			talkAbout: ['job-situation'],
			completedAt: NOW
		})
		.returning();
	const saved = await saveAgreedActions(specialist, person.reference, dialog.id, { 'action-job-situation': 'Look at three care jobs together' }, NOW);
	expect(saved.ok).toBe(true);

	// A job the person reported, confirmed by the specialist, and their answer at 13 weeks.
	for (const answers of [{ startDate: '2027-02-22' }, { hoursPerWeek: 16 }, { jobTitle: 'Library assistant' }, { employer: 'Central Library' }])
		await saveJobAnswers(person.id, person.referralId, answers, NOW);
	const sent = await sendJobReport(person.id, person.referralId, NOW);
	if (!sent) throw new Error('the job report should send');
	expect(await confirmJobStart(specialist, person.reference, { jobId: sent.jobId }, NOW)).toEqual({ ok: true });
	await answerStillInWork(person.referralId, sent.jobId, 13, true, new Date('2027-05-25T10:00:00Z'));

	expect(await logContactAttempt(specialist, person.reference, { channel: 'email', outcome: 'sent', note: 'Sent the leaflet' }, NOW)).toEqual({ ok: true });
	expect((await startSignIn({ channel: 'email', value: person.email! }, { now: NOW })).ok).toBe(true);
	const session = await createParticipantSession(person.id, NOW);
	sessionToken = session.token;
	sessionId = session.session.id;
}, 120_000);

async function servedSchema(): Promise<Record<string, unknown>> {
	const res = await (schemaGET as unknown as (e: unknown) => Promise<Response>)({ url: new URL(`${siteOrigin()}/api/v1/schema/your-data.json`), request: new Request(`${siteOrigin()}/api/v1/schema/your-data.json`) });
	expect(res.status).toBe(200);
	return res.json();
}

describe('download your data', () => {
	let data: YourData;

	it('holds every kind of record the person has, valid against the published JSON Schema', async () => {
		data = await yourDataFor(person, 'json', NOW);
		const schema = await servedSchema();
		expect(schema).toEqual(JSON.parse(JSON.stringify(yourDataJsonSchema(siteOrigin()))));
		const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
		const json = JSON.parse(JSON.stringify(data));
		expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
		// The schema is strict: a field it does not describe fails it.
		expect(validate({ ...json, extra: 1 })).toBe(false);
		expect(yourDataSchema.safeParse(json).success).toBe(true);

		expect(data.schemaVersion).toBe(1);
		expect(data.generatedAt).toBe(NOW.toISOString());
		expect(data.person).toMatchObject({ givenName: 'Ada', familyName: 'Lovelace-Data', email: person.email });
		expect(data.referral.reference).toBe(person.reference);
		expect(data.referral.specialist).toBe('Sam Specialist');
		expect(data.account).toMatchObject({ email: person.email, textConsent: false });

		const given = data.answers.find((a) => a.key === 'givenName');
		expect(given).toMatchObject({ section: 'referral', value: 'Ada' });
		expect(given?.question).toBeTruthy();
		expect(data.answers.some((a) => a.key === 'employment' && a.value === 'out-of-work')).toBe(true);
		expect(data.answers.some((a) => a.key.startsWith('consent'))).toBe(false);

		const processing = data.consents.find((c) => c.kind === 'processing');
		expect(processing).toMatchObject({ given: true, wordingVersion: 'processing-2026-11-v1', withdrawnAt: null });
		expect(processing?.wording).toContain('I agree to the service using the information');

		expect(data.meetings).toHaveLength(1);
		expect(data.meetings[0]).toMatchObject({ how: expect.stringMatching(/phone/i), status: 'booked', specialist: 'Sam Specialist', someoneInvited: false });

		expect(data.checkIns.map((c) => c.instrument)).toEqual(['swemwbs', 'dialog']);
		const swemwbs = data.checkIns[0];
		expect(swemwbs.answers).toHaveLength(7);
		expect(swemwbs.answers[0].question).toBeTruthy();
		expect(swemwbs.scores).toMatchObject({ instrument: 'swemwbs', raw: 24 });
		expect(data.checkIns[1].talkAbout).toEqual(['Your job situation']);
		expect(data.checkIns[1].answers.find((a) => a.moreHelp)?.question).toContain('job situation');
		expect(data.actions).toEqual([expect.objectContaining({ area: 'Your job situation', action: 'Look at three care jobs together', reviewedAt: null })]);

		expect(data.jobs).toHaveLength(1);
		expect(data.jobs[0]).toMatchObject({ title: 'Library assistant', employer: 'Central Library', startDate: '2027-02-22', hoursPerWeek: 16, reportedBy: 'participant' });
		expect(data.jobs[0].confirmedAt).toBe(NOW.toISOString());
		expect(data.jobs[0].checks).toEqual([{ weeks: 13, stillInWork: true, answeredAt: '2027-05-25T10:00:00.000Z' }]);
		expect(data.tasks.some((t) => t.title === 'Confirm the job start they told us about' && t.doneAt)).toBe(true);
		expect(data.contactAttempts).toEqual([expect.objectContaining({ channel: 'Email', note: 'Sent the leaflet', by: 'Sam Specialist' })]);

		// The booking email to the person, and none of the specialist's.
		expect(data.messages).toContainEqual(expect.objectContaining({ about: 'meeting.booked', channel: 'email', status: 'pending' }));
		expect(data.messages.some((m) => m.about.endsWith('.staff'))).toBe(false);
		expect(data.signIns).toEqual([{ channel: 'email', purpose: 'sign-in', requestedAt: NOW.toISOString(), usedAt: null }]);
	});

	it('holds nothing of another person, no staff address and no secret', async () => {
		const text = JSON.stringify(data);
		for (const theirs of [other.reference, other.email!, 'Otto', 'Otherperson', other.id, other.referralId]) expect(text).not.toContain(theirs);
		expect(text).not.toContain(specialist.email);
		const db = await getDb();
		const secrets: string[] = [sessionToken, sessionId, person.id, person.referralId];
		for (const s of await db.select().from(participantSignIn).where(eq(participantSignIn.participantId, person.id))) secrets.push(s.tokenHash, s.codeHash, s.addressHash, ...(s.linkHash ? [s.linkHash] : []));
		// Message texts (one held the sign-in code and link) and job keys never leave.
		for (const j of await db.select().from(job).where(eq(job.recipient, person.email!))) {
			secrets.push(j.id, j.key);
			if (j.payload.body) secrets.push(j.payload.body.slice(0, 40));
		}
		expect(secrets.length).toBeGreaterThan(6);
		for (const s of secrets) expect(text).not.toContain(s);
		expect(text).not.toMatch(/token|hash/i);
	});

	it('is audited as the person\'s own download, with the reference only', async () => {
		const db = await getDb();
		const [row] = await db.select().from(auditLog).where(and(eq(auditLog.referralId, person.referralId), eq(auditLog.action, 'your_data.exported'))).orderBy(desc(auditLog.id)).limit(1);
		expect(row).toMatchObject({ staffId: null, programmeId, detail: { reference: person.reference, by: 'participant', format: 'json' } });
	});
});

describe('subject access request', () => {
	it('gives staff of the programme the same data, audited with the reference only', async () => {
		const mine = await yourDataFor(person, 'json', NOW);
		const theirs = await subjectAccessExport(specialist, person.reference.toLowerCase(), 'json', NOW);
		expect(theirs).toEqual(mine);
		const db = await getDb();
		const [row] = await db.select().from(auditLog).where(and(eq(auditLog.referralId, person.referralId), eq(auditLog.action, 'subject_access.exported'))).orderBy(desc(auditLog.id)).limit(1);
		expect(row).toMatchObject({ staffId: specialist.id, programmeId, detail: { reference: person.reference, format: 'json' } });
		expect(JSON.stringify(row.detail)).not.toContain('Ada');
	});

	it('refuses staff of another programme (404, nothing audited)', async () => {
		const db = await getDb();
		const before = await db.select().from(auditLog).where(and(eq(auditLog.referralId, person.referralId), eq(auditLog.staffId, outsider.id)));
		await expect(subjectAccessExport(outsider, person.reference, 'page', NOW)).rejects.toSatisfy((e) => e instanceof Refusal && e.status === 404);
		await expect(subjectAccessExport(outsider, 'NOT-A-REFERENCE', 'page', NOW)).rejects.toSatisfy((e) => e instanceof Refusal && e.status === 404);
		const after = await db.select().from(auditLog).where(and(eq(auditLog.referralId, person.referralId), eq(auditLog.staffId, outsider.id)));
		expect(after).toEqual(before);
	});
});
