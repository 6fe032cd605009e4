/**
 * Job outcomes (issue 23 item 2), through the server functions the pages call, on a clock of the test's own:
 * the person reports a start page by page; their specialist sees a task and confirms it; the referral moves to
 * "In work"; job.started reaches a signed webhook receiver and validates; the pull API and FHIR view show the
 * job; the 13-week reminder goes once, at 9:00am UK time on the day, by a real SMTP listener; the person says
 * they are still in work; the specialist records the point with evidence (job.sustained); the job ends
 * (job.ended) and the referral goes back to "Started", open, with no more reminders.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as fhirGET } from '../../src/routes/api/v1/referrals/[reference]/fhir/+server';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { createApiKey } from '../../src/lib/server/api/keys';
import { referralSnapshot } from '../../src/lib/server/api/referrals';
import { getReferralForStaff } from '../../src/lib/server/casework/referral-view';
import {
	answerStillInWork,
	confirmJobStart,
	jobReportProgress,
	jobsForReferral,
	jobsForStaff,
	pointsToAsk,
	recordJobEnd,
	recordJobStart,
	recordSustainment,
	saveJobAnswers,
	sendJobReport
} from '../../src/lib/server/casework/jobs';
import { JOB_REMINDER_JOB, queueJobReminders } from '../../src/lib/server/casework/job-reminders';
import { outcomeSettingsPage, saveOutcomeSettings } from '../../src/lib/server/casework/job-settings';
import { auditLog } from '../../src/lib/server/db/schema';
import { siteOrigin } from '../../src/lib/server/config';
import { getDb } from '../../src/lib/server/db';
import { event, job, participant, referral as referralTable, task } from '../../src/lib/server/db/schema';
import { eventPayloadJsonSchema, eventPayloadSchema } from '../../src/lib/server/events/payload';
import { runDueJobs } from '../../src/lib/server/jobs/kinds';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { Refusal } from '../../src/lib/server/refusal';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { aParticipant, aReferral, aStaffMember } from '../support/factories';
import { fhirValidator } from '../support/fhir-schema';
import { startSmtp } from '../support/smtp';
import { disableOpenSubscriptions } from '../support/subscriptions';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
const ORIGIN = 'https://ips.test';
const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const date = (iso: string) => {
	const [year, month, day] = iso.split('-');
	return { day: String(Number(day)), month: String(Number(month)), year };
};

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Receiver;
let secret = '';
let apiKey: { key: string; id: string };
let validateFhir: ValidateFunction;

function mailsTo(address: string): ParsedMail[] {
	return smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));
}

async function eventsOf(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(event.id);
}

async function statusOf(referralId: string) {
	const db = await getDb();
	const [row] = await db.select({ status: referralTable.status }).from(referralTable).where(eq(referralTable.id, referralId));
	return row.status;
}

beforeAll(async () => {
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	process.env.ORIGIN = ORIGIN;
	await seedProgrammes();
	await disableOpenSubscriptions();
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
	receiver = await startReceiver(() => secret);
	const sub = await createSubscription({ url: receiver.url, eventTypes: ['job.started', 'job.sustained', 'job.ended'], programmeIds: [PRIMARY], dataScopes: [] }, COMMAND_LINE);
	if (!sub.ok) throw new Error(JSON.stringify(sub.errors));
	secret = sub.secret;
	const made = await createApiKey({ name: 'Jobs key', programmeIds: [PRIMARY] });
	if (!made.ok) throw new Error('key');
	apiKey = { key: made.key, id: made.apiKey.id };
	validateFhir = fhirValidator();
}, 120_000);

afterAll(async () => {
	await disableOpenSubscriptions();
	await receiver?.close();
	await smtp?.close();
});

describe('a job from the person\'s report to 13 weeks and its end', () => {
	it('walks the whole way, with one reminder, valid events and the status following', async () => {
		// Referred in January 2027; the clock is the test's own from here.
		const submitted = new Date('2027-01-05T10:00:00Z');
		const person = await aParticipant({ now: submitted, answers: { employment: 'out-of-work' } });
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const db = await getDb();
		await db.update(referralTable).set({ status: 'started', assignedStaffId: specialist.id }).where(eq(referralTable.id, person.referralId));

		// The person: one page at a time, each saved; the check page only when every page is answered.
		const reportDay = new Date('2027-01-12T11:00:00Z');
		expect((await jobReportProgress(person.id, person.referralId)).next?.id).toBe('start-date');
		await saveJobAnswers(person.id, person.referralId, { startDate: '2027-01-11' }, reportDay);
		await saveJobAnswers(person.id, person.referralId, { hoursPerWeek: 22.5 }, reportDay);
		expect(await sendJobReport(person.id, person.referralId, reportDay)).toBeNull();
		await saveJobAnswers(person.id, person.referralId, { jobTitle: 'Care worker' }, reportDay);
		await saveJobAnswers(person.id, person.referralId, { employer: null }, reportDay);
		const progress = await jobReportProgress(person.id, person.referralId);
		expect(progress.next).toBeNull();
		expect(progress.pages.map((p) => p.id)).toEqual(['start-date', 'hours', 'title', 'employer']);
		const sent = await sendJobReport(person.id, person.referralId, reportDay);
		expect(sent).not.toBeNull();
		expect((await jobReportProgress(person.id, person.referralId)).draft).toEqual({});

		// Reported, not confirmed: a task for the specialist, no job event yet, the status as it was.
		const [toConfirm] = await db.select().from(task).where(eq(task.key, `job-confirm:${sent!.jobId}`));
		expect(toConfirm).toMatchObject({ staffId: specialist.id, doneAt: null, title: 'Confirm the job start they told us about' });
		expect((await eventsOf(person.referralId)).filter((e) => e.type.startsWith('job.'))).toEqual([]);
		expect(await statusOf(person.referralId)).toBe('started');

		// Another programme's specialist cannot see or confirm it.
		const stranger = await aStaffMember('specialist', [SECONDARY]);
		await expect(jobsForStaff(stranger, person.reference)).rejects.toBeInstanceOf(Refusal);
		await expect(confirmJobStart(stranger, person.reference, { jobId: sent!.jobId })).rejects.toBeInstanceOf(Refusal);

		// The specialist confirms: in work, the task done, status_changed then job.started.
		const confirmDay = new Date('2027-01-13T09:30:00Z');
		expect(await confirmJobStart(specialist, person.reference, { jobId: sent!.jobId }, confirmDay)).toEqual({ ok: true });
		expect(await confirmJobStart(specialist, person.reference, { jobId: sent!.jobId }, confirmDay)).toEqual({ ok: false, errors: { jobId: 'This job start is already confirmed' } });
		expect(await statusOf(person.referralId)).toBe('in-work');
		const [settled] = await db.select().from(task).where(eq(task.key, `job-confirm:${sent!.jobId}`));
		expect(settled.doneAt?.toISOString()).toBe(confirmDay.toISOString());
		expect((await eventsOf(person.referralId)).slice(-2).map((e) => e.type)).toEqual(['referral.status_changed', 'job.started']);

		// The receiver gets job.started, signed, valid against the published schema, with the job in it.
		while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
		const mine = () => receiver.received.filter((x) => x.body.data.reference === person.reference);
		expect(receiver.rejected).toEqual([]);
		expect(mine().map((x) => x.body.type)).toEqual(['job.started']);
		const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(eventPayloadJsonSchema(siteOrigin()));
		const started = mine()[0].body;
		expect(eventPayloadSchema.safeParse(started).success).toBe(true);
		expect(validate(started), JSON.stringify(validate.errors)).toBe(true);
		const data = started.data as Record<string, any>;
		expect(data.status).toBe('in-work');
		expect(data.actor).toMatchObject({ type: 'staff', id: specialist.id });
		expect(data.change).toMatchObject({
			reportedBy: 'participant',
			byStaffId: specialist.id,
			job: { id: sent!.jobId, kind: 'new', startDate: '2027-01-11', hoursPerWeek: 22.5, title: 'Care worker', employer: null, confirmedAt: confirmDay.toISOString(), endedOn: null, sustained: [] }
		});
		expect(data.jobs).toEqual([data.change.job]);

		// The pull API and the FHIR view show the job.
		const snapshot = await referralSnapshot((await db.select().from(referralTable).where(eq(referralTable.id, person.referralId)))[0]);
		expect(snapshot.jobs?.map((j) => [j.title, j.confirmedAt])).toEqual([['Care worker', confirmDay.toISOString()]]);
		const url = new URL(`/api/v1/referrals/${person.reference}/fhir`, ORIGIN);
		const response = await (fhirGET as (e: never) => Promise<Response>)({
			request: new Request(url, { headers: { authorization: `Bearer ${apiKey.key}` } }),
			url,
			params: { reference: person.reference },
			getClientAddress: () => '192.0.2.10'
		} as never);
		const bundle = JSON.parse(await response.text());
		expect(validateFhir(bundle) ? [] : validateFhir.errors!.slice(0, 5)).toEqual([]);
		const observation = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Observation').resource;
		expect(observation).toMatchObject({ status: 'final', valueCodeableConcept: { text: 'Care worker' }, effectivePeriod: { start: '2027-01-11' } });

		// 13 weeks after 11 January is 12 April (BST): the reminder is due at 9:00am UK time, 08:00 UTC, and goes once.
		const beforePoint = new Date('2027-04-11T12:00:00Z');
		expect(await queueJobReminders({ now: beforePoint })).toBe(0);
		const pointMorning = new Date('2027-04-12T06:00:00Z');
		expect(await queueJobReminders({ now: pointMorning })).toBe(1);
		expect(await queueJobReminders({ now: new Date('2027-04-12T07:00:00Z') })).toBe(0);
		const [reminder] = await db.select().from(job).where(and(eq(job.kind, JOB_REMINDER_JOB), eq(job.participantId, person.id)));
		expect(reminder.dueAt.toISOString()).toBe('2027-04-12T08:00:00.000Z');
		await runDueJobs({ now: new Date('2027-04-12T07:59:00Z') });
		expect(mailsTo(person.email!)).toHaveLength(0);
		await runDueJobs({ now: new Date('2027-04-12T08:00:00Z') });
		await runDueJobs({ now: new Date('2027-04-12T10:00:00Z') });
		expect(await queueJobReminders({ now: new Date('2027-04-13T08:00:00Z') })).toBe(0);
		const mails = mailsTo(person.email!);
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toBe('A quick question from IPS Employment Support');
		expect(mails[0].text).toContain(`${ORIGIN}/account`);
		for (const word of ['Care worker', 'job', 'work', 'Sam', 'Taylor']) expect(`${mails[0].subject}\n${mails[0].text}`).not.toContain(word);

		// The person is asked on their home page, says yes; the specialist gets a task and then records it.
		const pointDay = new Date('2027-04-12T12:00:00Z');
		const [asked] = await jobsForReferral(person.referralId, pointDay);
		expect(pointsToAsk(asked)).toEqual([13]);
		await answerStillInWork(person.referralId, sent!.jobId, 13, true, pointDay);
		expect(pointsToAsk((await jobsForReferral(person.referralId, pointDay))[0])).toEqual([]);
		const [checkTask] = await db.select().from(task).where(eq(task.key, `job-check:${sent!.jobId}:13`));
		expect(checkTask.title).toBe('Record the 13-week point: they say they are still in work');

		expect(await recordSustainment(specialist, person.reference, { jobId: sent!.jobId, weeks: '26', evidence: 'payslip-seen' }, pointDay)).toEqual({
			ok: false,
			errors: { weeks: 'Select a point this job has reached' }
		});
		expect(await recordSustainment(specialist, person.reference, { jobId: sent!.jobId, weeks: '13', evidence: 'self-reported' }, pointDay)).toEqual({ ok: true });
		expect(await recordSustainment(specialist, person.reference, { jobId: sent!.jobId, weeks: '13', evidence: 'self-reported' }, pointDay)).toEqual({
			ok: false,
			errors: { evidence: 'The 13-week point is already recorded with this evidence' }
		});
		const payslipDay = new Date('2027-04-20T12:00:00Z');
		expect(await recordSustainment(specialist, person.reference, { jobId: sent!.jobId, weeks: '13', evidence: 'payslip-seen' }, payslipDay)).toEqual({ ok: true });
		const [doneCheck] = await db.select().from(task).where(eq(task.key, `job-check:${sent!.jobId}:13`));
		expect(doneCheck.doneAt).not.toBeNull();

		// The job ends; support goes on: back to "Started", open, and no 26-week reminder.
		const endDay = new Date('2027-05-10T12:00:00Z');
		expect(await recordJobEnd(specialist, person.reference, { jobId: sent!.jobId, endedOn: date('2027-01-01'), endReason: 'health' }, endDay)).toEqual({
			ok: false,
			errors: { endedOn: 'The last day must be on or after the start date, Monday 11 January 2027' }
		});
		expect(await recordJobEnd(specialist, person.reference, { jobId: sent!.jobId, endedOn: date('2027-05-07'), endReason: 'health' }, endDay)).toEqual({ ok: true });
		expect(await statusOf(person.referralId)).toBe('started');
		expect(await queueJobReminders({ now: new Date('2027-07-12T07:00:00Z') })).toBe(0);

		while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
		const bodies = mine().map((x) => x.body);
		expect(bodies.map((b) => b.type)).toEqual(['job.started', 'job.sustained', 'job.sustained', 'job.ended']);
		for (const b of bodies) {
			expect(eventPayloadSchema.safeParse(b).success).toBe(true);
			expect(validate(b), JSON.stringify(validate.errors)).toBe(true);
		}
		const [, first13, better13, ended] = bodies.map((b) => b.data as Record<string, any>);
		expect([first13.change.weeks, first13.change.evidence, better13.change.evidence]).toEqual([13, 'self-reported', 'payslip-seen']);
		expect(better13.change.job.sustained).toEqual([{ weeks: 13, evidence: 'payslip-seen', recordedAt: payslipDay.toISOString() }]);
		expect(ended.change).toMatchObject({ endedOn: '2027-05-07', endReason: 'health', job: { endedOn: '2027-05-07', endReason: 'health' } });
		expect(ended.status).toBe('started');

		// The staff history says it in words.
		const view = await getReferralForStaff(specialist, person.reference, endDay);
		const titles = view.history.map((h) => h.title);
		expect(titles).toEqual(expect.arrayContaining(['Job start confirmed (the person told us first)', 'Still in work at 13 weeks', 'Job ended on Friday 7 May 2027']));
	}, 120_000);

	it('lets a specialist record a start themselves (confirmed at once), asks people in work whether it is a new job, and refuses a closed referral', async () => {
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const inWork = await aReferral({ answers: { employment: 'off-sick' } });
		const db = await getDb();
		const [p] = await db.select().from(participant).where(eq(participant.referralId, inWork.id));
		expect((await jobReportProgress(p.id, inWork.id)).pages.map((x) => x.id)).toContain('kind');

		const today = new Date();
		const start = { startDate: date(today.toISOString().slice(0, 10)), hoursPerWeek: '37.5', jobTitle: 'Warehouse operative', employer: 'Acme Ltd', jobKind: 'kept' };
		expect(await recordJobStart(specialist, inWork.reference, { ...start, hoursPerWeek: 'lots' })).toEqual({ ok: false, errors: { hoursPerWeek: 'Enter the hours as a number, like 16 or 22.5' } });
		expect(await recordJobStart(specialist, inWork.reference, start)).toEqual({ ok: true });
		expect(await statusOf(inWork.id)).toBe('in-work');
		const [recorded] = await jobsForReferral(inWork.id);
		expect(recorded).toMatchObject({ kind: 'kept', employer: 'Acme Ltd', hoursPerWeek: 37.5, reportedBy: 'staff', confirmedByName: specialist.name });

		await db.update(referralTable).set({ status: 'closed', closedReason: '008' }).where(eq(referralTable.id, inWork.id));
		expect(await recordJobStart(specialist, inWork.reference, start)).toEqual({ ok: false, errors: { startDate: 'This referral is closed. A team lead can reopen it first.' } });
		await expect(jobReportProgress(p.id, inWork.id)).rejects.toBeInstanceOf(Refusal);
	});

	it('follows the points an admin sets for the programme: the form refuses bad weeks, a save is audited, and the reminders and questions use the new points', async () => {
		const admin = await aStaffMember('admin', [SECONDARY]);
		const before = (await outcomeSettingsPage(SECONDARY))!;
		expect(before.settings.sustainmentWeeks).toEqual([13, 26]);
		const version = String(before.version);
		expect(await saveOutcomeSettings(SECONDARY, { version, sustainmentWeeks: '13, lots' }, admin.id)).toMatchObject({
			ok: false,
			errors: { sustainmentWeeks: 'Enter whole numbers of weeks from 1 to 104, separated by commas, like 13, 26' }
		});
		expect(await saveOutcomeSettings(SECONDARY, { version, sustainmentWeeks: '0' }, admin.id)).toMatchObject({ ok: false });
		expect(await saveOutcomeSettings(SECONDARY, { version, sustainmentWeeks: '1 2 3 4 5 6 7' }, admin.id)).toMatchObject({ ok: false, errors: { sustainmentWeeks: 'Enter at most 6 points' } });
		expect(await saveOutcomeSettings(SECONDARY, { version, sustainmentWeeks: '13, 4, 4' }, admin.id)).toMatchObject({ ok: true, version: before.version + 1, changed: ['outcomes.sustainmentWeeks'] });
		const after = (await outcomeSettingsPage(SECONDARY))!;
		expect(after).toMatchObject({ custom: true, settings: { sustainmentWeeks: [4, 13] } });
		const db = await getDb();
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'programme.updated'), eq(auditLog.programmeId, SECONDARY)));
		expect(audits.some((a) => JSON.stringify(a.detail).includes('outcomes.sustainmentWeeks'))).toBe(true);
		// Someone else's older version is refused.
		expect(await saveOutcomeSettings(SECONDARY, { version, sustainmentWeeks: '26' }, admin.id)).toMatchObject({ ok: false, errors: { version: expect.stringContaining('Someone else saved') } });

		// A job of that programme that started 29 days ago has reached its 4-week point: asked, and a reminder queued.
		const specialist = await aStaffMember('specialist', [SECONDARY]);
		const person = await aParticipant({ programmeId: SECONDARY });
		const now = new Date();
		const started = new Date(now.getTime() - 29 * 24 * 3600 * 1000).toISOString().slice(0, 10);
		expect(await recordJobStart(specialist, person.reference, { startDate: date(started), hoursPerWeek: '20', jobTitle: 'Gardener', employer: '', jobKind: 'new' })).toEqual({ ok: true });
		const [theJob] = await jobsForReferral(person.referralId, now);
		expect(pointsToAsk(theJob)).toEqual([4]);
		await queueJobReminders({ now });
		const reminders = await db.select().from(job).where(and(eq(job.kind, JOB_REMINDER_JOB), eq(job.participantId, person.id)));
		expect(reminders).toHaveLength(1);
	});
});
