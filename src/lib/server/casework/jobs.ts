/**
 * Job outcomes (domain/jobs.ts): the person reports "I have started a job" page by page (a draft row, so
 * nothing typed is lost), their specialist confirms it or records a start themselves, records sustainment
 * at the programme's points with the evidence seen, and records a job that ended. Each staff change is one
 * transaction: the job rows, any task it settles, the referral's status (a confirmed job makes it "In
 * work"; the last job ending makes it "Started" again), an audit row and its events (`job.started`,
 * `job.sustained`, `job.ended`, and `referral.status_changed` when the status moved).
 *
 * What the person tells us (a reported start, "still in this job?") is not an event: it becomes a task for
 * the specialist, and the event follows when they record it.
 */
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import {
	completeReport,
	DEFAULT_OUTCOME_SETTINGS,
	firstUnanswered,
	hoursWords,
	jobDraftSchema,
	jobEndForm,
	jobPagesFor,
	jobStartForm,
	readOutcomeSettings,
	reachedPoints,
	sustainmentForm,
	confirmJobForm,
	type Evidence,
	type JobDraft,
	type JobReport
} from '$lib/domain/jobs';
import { isStatus, meansContacted, type Status } from '$lib/domain/casework';
import type { RawValues } from '$lib/domain/fields';
import type { QuestionPage } from '$lib/domain/question-page';
import { addUkDays, formatLongDate, ukDate } from '$lib/domain/uk-time';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Tx } from '../db';
import { jobCheck, jobOutcome, jobReportDraft, jobSustainment, programme, referral, staff, task, type JobOutcome, type Referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { recordAudit } from '../audit';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { notFound } from '../refusal';
import { changeReferral, refuse, type CaseworkResult } from './changes';
import { findInProgramme } from './referral-view';

export const JOB_EVENT_VERSION = 1;

// ---- reading ------------------------------------------------------------------------------------------

export interface JobView {
	id: string;
	kind: JobOutcome['kind'];
	startDate: string;
	hoursPerWeek: number;
	jobTitle: string;
	employer: string | null;
	reportedBy: 'participant' | 'staff';
	reportedAt: Date;
	confirmedAt: Date | null;
	confirmedByName: string | null;
	endedOn: string | null;
	endReason: string | null;
	/** Sustainment recorded by staff, by point. */
	sustained: { weeks: number; evidence: Evidence; recordedAt: Date; recordedByName: string | null }[];
	/** What the person said near each point. */
	checks: { weeks: number; stillInWork: boolean; answeredAt: Date }[];
	/** Points this job has reached while it lasted (today, UK). */
	reached: number[];
}

/** Every job of these referrals, oldest start first, with their sustainment and the person's answers. */
export async function jobsOf(conn: Tx | Awaited<ReturnType<typeof getDb>>, referralIds: string[], today: string): Promise<Map<string, JobView[]>> {
	const out = new Map<string, JobView[]>();
	if (!referralIds.length) return out;
	const jobs = await conn.select().from(jobOutcome).where(inArray(jobOutcome.referralId, referralIds)).orderBy(asc(jobOutcome.startDate), asc(jobOutcome.reportedAt));
	if (!jobs.length) return out;
	const ids = jobs.map((j) => j.id);
	const [sustained, checks, programmes] = await Promise.all([
		conn.select().from(jobSustainment).where(inArray(jobSustainment.jobId, ids)).orderBy(asc(jobSustainment.weeks)),
		conn.select().from(jobCheck).where(inArray(jobCheck.jobId, ids)).orderBy(asc(jobCheck.weeks)),
		conn
			.select({ id: programme.id, outcomes: programme.outcomes })
			.from(programme)
			.where(inArray(programme.id, [...new Set(jobs.map((j) => j.programmeId))]))
	]);
	const staffIds = [...new Set([...jobs.map((j) => j.confirmedBy), ...sustained.map((s) => s.recordedBy)].filter((id): id is string => !!id))];
	const names = staffIds.length ? new Map((await conn.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, staffIds))).map((s) => [s.id, s.name])) : new Map<string, string>();
	const weeksOf = new Map(programmes.map((p) => [p.id, readOutcomeSettings(p.outcomes).sustainmentWeeks]));
	for (const j of jobs) {
		const view: JobView = {
			id: j.id,
			kind: j.kind,
			startDate: j.startDate,
			hoursPerWeek: j.hoursPerWeek,
			jobTitle: j.jobTitle,
			employer: j.employer,
			reportedBy: j.reportedBy,
			reportedAt: j.reportedAt,
			confirmedAt: j.confirmedAt,
			confirmedByName: j.confirmedBy ? (names.get(j.confirmedBy) ?? null) : null,
			endedOn: j.endedOn,
			endReason: j.endReason,
			sustained: sustained.filter((s) => s.jobId === j.id).map((s) => ({ weeks: s.weeks, evidence: s.evidence, recordedAt: s.recordedAt, recordedByName: names.get(s.recordedBy) ?? null })),
			checks: checks.filter((c) => c.jobId === j.id).map((c) => ({ weeks: c.weeks, stillInWork: c.stillInWork, answeredAt: c.answeredAt })),
			reached: reachedPoints(j, weeksOf.get(j.programmeId) ?? DEFAULT_OUTCOME_SETTINGS.sustainmentWeeks, today)
		};
		out.set(j.referralId, [...(out.get(j.referralId) ?? []), view]);
	}
	return out;
}

export async function jobsForReferral(referralId: string, now = new Date()): Promise<JobView[]> {
	const db = await getDb();
	return (await jobsOf(db, [referralId], ukDate(now))).get(referralId) ?? [];
}

// ---- the person: "I have started a job" --------------------------------------------------------------

async function openReferral(referralId: string): Promise<Referral> {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, referralId));
	if (!row || row.status === 'closed') notFound();
	return row;
}

/** The pages this person sees, the answers so far, and the next page to answer (null: ready to send). */
export async function jobReportProgress(participantId: string, referralId: string): Promise<{ pages: QuestionPage[]; draft: JobDraft; next: QuestionPage | null }> {
	const row = await openReferral(referralId);
	const db = await getDb();
	const [saved] = await db.select({ answers: jobReportDraft.answers }).from(jobReportDraft).where(eq(jobReportDraft.participantId, participantId));
	const parsed = jobDraftSchema.safeParse(saved?.answers ?? {});
	const draft = parsed.success ? parsed.data : {};
	const pages = jobPagesFor(row.answers);
	return { pages, draft, next: firstUnanswered(pages, draft) };
}

/** Saves one page's answers in the person's draft. */
export async function saveJobAnswers(participantId: string, referralId: string, values: Record<string, unknown>, now = new Date()): Promise<void> {
	await openReferral(referralId);
	const db = await getDb();
	const [saved] = await db.select({ answers: jobReportDraft.answers }).from(jobReportDraft).where(eq(jobReportDraft.participantId, participantId));
	const answers = jobDraftSchema.parse({ ...(saved?.answers ?? {}), ...values });
	await db
		.insert(jobReportDraft)
		.values({ participantId, answers, updatedAt: now })
		.onConflictDoUpdate({ target: jobReportDraft.participantId, set: { answers, updatedAt: now } });
}

/**
 * Sends the report: a job row (not yet confirmed) and a task for the specialist who holds the referral (the
 * team's, when nobody does) to confirm it. The draft is gone once sent. Null while a page is unanswered.
 */
export async function sendJobReport(participantId: string, referralId: string, now = new Date()): Promise<{ jobId: string } | null> {
	const { pages, draft } = await jobReportProgress(participantId, referralId);
	const report = completeReport(draft, pages.some((p) => p.id === 'kind'));
	if (!report) return null;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.id, referralId)).for('update');
		if (!row || row.status === 'closed') notFound();
		const [job] = await tx
			.insert(jobOutcome)
			.values({ referralId, programmeId: row.programmeId, ...columns(report), reportedBy: 'participant', reportedAt: now })
			.returning({ id: jobOutcome.id });
		await tx.delete(jobReportDraft).where(eq(jobReportDraft.participantId, participantId));
		await tx
			.insert(task)
			.values({
				key: `job-confirm:${job.id}`,
				kind: 'job-confirm',
				referralId,
				programmeId: row.programmeId,
				staffId: row.assignedStaffId,
				title: 'Confirm the job start they told us about',
				note: `They started, or will start, on ${formatLongDate(report.startDate)}: ${report.jobTitle}, ${hoursWords(report.hoursPerWeek)}. Check it with them, then confirm it on their Jobs page.`,
				channel: null,
				dueAt: addUkDays(now, 2)
			})
			.onConflictDoNothing({ target: task.key });
		return { jobId: job.id };
	});
}

function columns(report: JobReport) {
	return { kind: report.kind, startDate: report.startDate, hoursPerWeek: report.hoursPerWeek, jobTitle: report.jobTitle, employer: report.employer };
}

/**
 * The person's answer near a sustainment point ("Are you still in this job?"): kept once per point (a second
 * answer replaces the first), and a task for the specialist to record sustainment, or the end of the job.
 */
export async function answerStillInWork(referralId: string, jobId: string, weeks: number, stillInWork: boolean, now = new Date()): Promise<void> {
	const db = await getDb();
	await db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.id, referralId)).for('update');
		if (!row || row.status === 'closed') notFound();
		const [job] = await tx.select().from(jobOutcome).where(and(eq(jobOutcome.id, jobId), eq(jobOutcome.referralId, referralId)));
		if (!job || job.endedOn) notFound();
		await tx
			.insert(jobCheck)
			.values({ jobId, weeks, stillInWork, answeredAt: now })
			.onConflictDoUpdate({ target: [jobCheck.jobId, jobCheck.weeks], set: { stillInWork, answeredAt: now } });
		await tx
			.insert(task)
			.values({
				key: `job-check:${jobId}:${weeks}`,
				kind: stillInWork ? 'job-sustained' : 'job-ended',
				referralId,
				programmeId: row.programmeId,
				staffId: row.assignedStaffId,
				title: stillInWork ? `Record the ${weeks}-week point: they say they are still in work` : `They say they are no longer in their job: record when it ended`,
				note: `${job.jobTitle}, started ${formatLongDate(job.startDate)}. Check with them and record it on their Jobs page.`,
				channel: null,
				dueAt: addUkDays(now, 2)
			})
			.onConflictDoNothing({ target: task.key });
	});
}

/** Jobs the person can be asked about now: not ended, a point reached and not answered by them or recorded by staff. */
export function pointsToAsk(job: JobView): number[] {
	if (job.endedOn) return [];
	return job.reached.filter((w) => !job.checks.some((c) => c.weeks === w) && !job.sustained.some((s) => s.weeks === w));
}

// ---- staff -------------------------------------------------------------------------------------------

/** Moves the referral to "In work" (or from it) and appends the status event, when it is not there already. */
async function followStatus(tx: Tx, user: StaffUser, row: Referral, to: Status, now: Date): Promise<void> {
	const from: Status = isStatus(row.status) ? row.status : 'received';
	if (from === to || from === 'closed') return;
	const firstContact = meansContacted(to) && !row.firstContactAt;
	await tx
		.update(referral)
		.set({ status: to, closedReason: null, statusChangedAt: now, ...(firstContact ? { firstContactAt: now } : {}) })
		.where(eq(referral.id, row.id));
	await recordAudit({ staffId: user.id, action: 'referral.status_changed', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, from, to, closedReason: null, because: 'job' } }, tx);
	await appendEvent(tx, {
		type: 'referral.status_changed',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: { version: REFERRAL_EVENT_VERSION, reference: row.reference, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString(), from, to, closedReason: null }
	});
}

async function settleTasks(tx: Tx, user: StaffUser, keys: string[], now: Date): Promise<void> {
	if (!keys.length) return;
	await tx
		.update(task)
		.set({ doneAt: now, doneStaffId: user.id })
		.where(and(inArray(task.key, keys), isNull(task.doneAt)));
}

async function jobEvent(
	tx: Tx,
	user: StaffUser,
	row: Referral,
	type: 'job.started' | 'job.sustained' | 'job.ended',
	detail: Record<string, unknown> & { jobId: string },
	now: Date
): Promise<void> {
	await recordAudit({ staffId: user.id, action: type, referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, ...detail } }, tx);
	const payload = { version: JOB_EVENT_VERSION, reference: row.reference, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString(), ...detail };
	await appendEvent(tx, { type, referralId: row.id, programmeId: row.programmeId, payload } as Parameters<typeof appendEvent>[1]);
}

/** The referral's job, locked for the change; undefined when it is not one of this referral's. */
async function lockJob(tx: Tx, jobId: string, referralId: string): Promise<JobOutcome | undefined> {
	const [job] = await tx
		.select()
		.from(jobOutcome)
		.where(and(eq(jobOutcome.id, jobId), eq(jobOutcome.referralId, referralId)))
		.for('update');
	return job;
}

const JOB_NOT_FOUND = refuse('jobId', 'That job was not found: reload the page');

const closedRefusal = (field: string) => refuse(field, 'This referral is closed. A team lead can reopen it first.');

/** A specialist records a job start they know of: confirmed as recorded; the referral goes to "In work". */
export async function recordJobStart(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, jobStartForm(ukDate(now)), values, async (tx, row, input) => {
		if (row.status === 'closed') return closedRefusal('startDate');
		const [job] = await tx
			.insert(jobOutcome)
			.values({
				referralId: row.id,
				programmeId: row.programmeId,
				...columns({ ...input, kind: input.jobKind }),
				reportedBy: 'staff',
				reportedAt: now,
				confirmedAt: now,
				confirmedBy: user.id
			})
			.returning({ id: jobOutcome.id });
		await followStatus(tx, user, row, 'in-work', now);
		await jobEvent(tx, user, row, 'job.started', { jobId: job.id, reportedBy: 'staff' }, now);
		return { ok: true };
	});
}

/** Confirms a start the person reported: the same outcome as recording it, and their task is done. */
export async function confirmJobStart(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, confirmJobForm, values, async (tx, row, input) => {
		if (row.status === 'closed') return closedRefusal('jobId');
		const job = await lockJob(tx, input.jobId, row.id);
		if (!job) return JOB_NOT_FOUND;
		if (job.confirmedAt) return refuse('jobId', 'This job start is already confirmed');
		await tx.update(jobOutcome).set({ confirmedAt: now, confirmedBy: user.id }).where(eq(jobOutcome.id, job.id));
		await settleTasks(tx, user, [`job-confirm:${job.id}`], now);
		if (!job.endedOn) await followStatus(tx, user, row, 'in-work', now);
		await jobEvent(tx, user, row, 'job.started', { jobId: job.id, reportedBy: job.reportedBy }, now);
		return { ok: true };
	});
}

/**
 * Records sustainment at a point the job has reached (while it lasted), with the evidence. Recording a point
 * again changes its evidence (a payslip seen after the person said so) and sends the event again.
 */
export async function recordSustainment(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, sustainmentForm(), values, async (tx, row, input) => {
		const job = await lockJob(tx, input.jobId, row.id);
		if (!job) return JOB_NOT_FOUND;
		if (!job.confirmedAt) return refuse('weeks', 'Confirm the job start first');
		const [prog] = await tx.select({ outcomes: programme.outcomes }).from(programme).where(eq(programme.id, row.programmeId));
		const points = reachedPoints(job, readOutcomeSettings(prog?.outcomes).sustainmentWeeks, ukDate(now));
		if (!points.includes(input.weeks)) return refuse('weeks', 'Select a point this job has reached');
		const [before] = await tx.select().from(jobSustainment).where(and(eq(jobSustainment.jobId, job.id), eq(jobSustainment.weeks, input.weeks)));
		if (before?.evidence === input.evidence) return refuse('evidence', `The ${input.weeks}-week point is already recorded with this evidence`);
		await tx
			.insert(jobSustainment)
			.values({ jobId: job.id, weeks: input.weeks, evidence: input.evidence, recordedAt: now, recordedBy: user.id })
			.onConflictDoUpdate({ target: [jobSustainment.jobId, jobSustainment.weeks], set: { evidence: input.evidence, recordedAt: now, recordedBy: user.id } });
		await settleTasks(tx, user, [`job-check:${job.id}:${input.weeks}`], now);
		await jobEvent(tx, user, row, 'job.sustained', { jobId: job.id, weeks: input.weeks, evidence: input.evidence }, now);
		return { ok: true };
	});
}

/**
 * Records that a job ended (date and coded reason). Support goes on: the referral stays open, and goes back
 * from "In work" to "Started" when no other confirmed job is still going.
 */
export async function recordJobEnd(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	return changeReferral(user, reference, jobEndForm(ukDate(now)), values, async (tx, row, input) => {
		const job = await lockJob(tx, input.jobId, row.id);
		if (!job) return JOB_NOT_FOUND;
		if (job.endedOn) return refuse('endedOn', 'This job is already recorded as ended');
		if (input.endedOn < job.startDate) return refuse('endedOn', `The last day must be on or after the start date, ${formatLongDate(job.startDate)}`);
		await tx.update(jobOutcome).set({ endedOn: input.endedOn, endReason: input.endReason, endRecordedAt: now, endRecordedBy: user.id }).where(eq(jobOutcome.id, job.id));
		const checkKeys = (await tx.select({ weeks: jobCheck.weeks }).from(jobCheck).where(eq(jobCheck.jobId, job.id))).map((c) => `job-check:${job.id}:${c.weeks}`);
		await settleTasks(tx, user, checkKeys, now);
		const [stillGoing] = await tx
			.select({ id: jobOutcome.id })
			.from(jobOutcome)
			.where(and(eq(jobOutcome.referralId, row.id), ne(jobOutcome.id, job.id), isNull(jobOutcome.endedOn)))
			.limit(1);
		if (!stillGoing && row.status === 'in-work') await followStatus(tx, user, row, 'started', now);
		await jobEvent(tx, user, row, 'job.ended', { jobId: job.id, endedOn: input.endedOn, endReason: input.endReason, confirmed: !!job.confirmedAt }, now);
		return { ok: true };
	});
}

/** The referral's jobs for its Jobs page: 404 outside the user's programmes; the view is audited. */
export async function jobsForStaff(user: StaffUser, reference: string, now = new Date()): Promise<{ referral: Referral; jobs: JobView[]; sustainmentWeeks: number[] }> {
	const row = await findInProgramme(user, reference);
	const db = await getDb();
	const [prog] = await db.select({ outcomes: programme.outcomes }).from(programme).where(eq(programme.id, row.programmeId));
	await recordAudit({ staffId: user.id, action: 'jobs.viewed', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference } });
	return { referral: row, jobs: await jobsForReferral(row.id, now), sustainmentWeeks: readOutcomeSettings(prog?.outcomes).sustainmentWeeks };
}
