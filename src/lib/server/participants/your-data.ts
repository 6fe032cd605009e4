/**
 * "Download your data" (UK GDPR right of access): everything the portal holds about one person, gathered
 * from every table that has it, as one object whose zod schema is also the published JSON Schema
 * (/api/v1/schema/your-data.json), so the file and its schema cannot drift. The person downloads it from
 * /account/data; staff of the referral's programme export it for a subject access request from the referral
 * page. Both are audited (reference only). Left out on purpose: token, code and session hashes, message
 * texts (some held sign-in codes or links), other people's addresses (someone invited to a meeting, staff
 * email addresses), and staff-only records about other people.
 */
import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { STATUS_LABELS, closeReasonLabel, isStatus } from '$lib/domain/casework';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from '$lib/domain/casework/contact-attempts';
import { CONSENTS, CONSENT_FIELDS, CONSENT_PERSON_LABELS, type ConsentKind } from '$lib/domain/consents';
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES, describeAnswer, type QuestionPage } from '$lib/domain/journey';
import { EVIDENCE_LABELS, JOB_KIND_LABELS, jobEndReasonLabel, type Evidence, type JobKind } from '$lib/domain/jobs';
import { CONCERN_RESOLUTIONS, type ConcernResolution } from '$lib/domain/measures/concern-resolution';
import { DIALOG_AREAS, REVIEW_OUTCOME_WORDS, ratingWords, type ReviewOutcome } from '$lib/domain/measures/dialog-review';
import { getInstrument } from '$lib/domain/measures';
import { MODE_LABELS, isModeKind } from '$lib/domain/meetings/modes';
import { recordAudit } from '../audit';
import type { ParticipantUser, StaffUser } from '../auth/sessions';
import { findInProgramme } from '../casework/referral-view';
import { sourceLabel, staffNames } from '../casework/shared';
import { getDb, type Db } from '../db';
import {
	checkIn,
	checkInDraft,
	consent,
	contactAttempt,
	dialogAction,
	event,
	job,
	jobCheck,
	jobOutcome,
	jobReportDraft,
	jobSustainment,
	meeting,
	participant,
	participantSignIn,
	erasureRequest,
	programme,
	referral,
	task,
	wellbeingConcern,
	type Referral
} from '../db/schema';
import { checkInScoresSchema, publicScores, type CheckInScores } from '../events/measures-payload';
import { venuesByIds } from '../meetings/availability-store';
import { notFound } from '../refusal';

export const YOUR_DATA_SCHEMA_VERSION = 1;
/** Where the JSON Schema of the download is published (public, stable). */
export const YOUR_DATA_SCHEMA_PATH = '/api/v1/schema/your-data.json';

const instant = z.iso.datetime().describe('A moment, ISO 8601 in UTC');
const day = z.iso.date().describe('A calendar date, YYYY-MM-DD');
const words = z.string().describe('In plain English, as the portal shows it');

const answerSchema = z
	.object({
		section: z.enum(['checker', 'referral', 'after-sending']).describe('Where it was asked: the eligibility checker, the referral, or "Tell us more" after sending'),
		question: z.string().nullable().describe('The question as the page asked it; null for a value the portal worked out from other answers'),
		key: z.string().describe('The name the answer is stored under'),
		value: z.unknown().describe('The answer as stored (text, a chosen option value, a list of option values, a date YYYY-MM-DD)'),
		words: z.array(z.string()).describe('The answer as the check-your-answers page reads it')
	})
	.strict();

const consentSchema = z
	.object({
		kind: z.enum(['processing', 'referrerUpdates', 'evaluation', 'textReminders', 'nhsNumber']).or(z.string()),
		about: words,
		given: z.boolean(),
		wordingVersion: z.string().describe('The version of the consent statement the person was shown'),
		wording: z.string().nullable().describe('That statement, when it is the current version; null for an older version'),
		recordedAt: instant,
		withdrawnAt: instant.nullable()
	})
	.strict();

const meetingSchema = z
	.object({
		startsAt: instant,
		endsAt: instant,
		how: z.string().describe('In person, by phone or by video'),
		place: z.string().nullable().describe('The venue of an in-person meeting'),
		status: z.enum(['booked', 'cancelled', 'attended', 'missed']).or(z.string()),
		specialist: z.string().nullable().describe('The employment specialist'),
		someoneInvited: z.boolean().describe('Whether the person invited someone to join (their address is not included)'),
		cancelledAt: instant.nullable(),
		cancelledBy: z.string().nullable(),
		cancelReason: z.string().nullable(),
		bookedAt: instant
	})
	.strict();

const checkInAnswerSchema = z
	.object({
		question: z.string(),
		value: z.number().nullable().describe('The number chosen; null when left out or it did not apply'),
		words: z.string(),
		moreHelp: z.boolean().nullable().optional().describe('DIALOG+ only: whether more help was wanted in this area')
	})
	.strict();

const checkInSchema = z
	.object({
		instrument: z.string(),
		title: z.string(),
		completedAt: instant,
		answers: z.array(checkInAnswerSchema),
		scores: checkInScoresSchema.nullable(),
		scoreWords: z.array(z.string()).describe('The scores in words'),
		talkAbout: z.array(z.string()).describe('DIALOG+: the areas the person chose to talk about')
	})
	.strict();

const actionSchema = z
	.object({
		area: z.string(),
		action: z.string().describe('What was agreed'),
		agreedAt: instant,
		reviewedAt: instant.nullable(),
		review: z.string().nullable().describe('The person\'s answer when reviewing it')
	})
	.strict();

const concernSchema = z
	.object({
		kind: z.enum(['steep-fall', 'falling-trend', 'crisis']).or(z.string()),
		reasons: z.array(z.string()),
		raisedAt: instant,
		acknowledgedAt: instant.nullable(),
		resolvedAt: instant.nullable(),
		resolution: z.string().nullable(),
		resolutionNote: z.string().nullable()
	})
	.strict();

const jobSchema = z
	.object({
		kind: z.string().describe('A new job, or a job kept'),
		title: z.string(),
		employer: z.string().nullable(),
		startDate: day,
		hoursPerWeek: z.number(),
		reportedBy: z.enum(['participant', 'staff']).or(z.string()),
		reportedAt: instant,
		confirmedAt: instant.nullable(),
		endedOn: day.nullable(),
		endReason: z.string().nullable(),
		sustainment: z.array(z.object({ weeks: z.number().int(), evidence: z.string(), recordedAt: instant }).strict()).describe('In work at each point, as recorded by staff'),
		checks: z.array(z.object({ weeks: z.number().int(), stillInWork: z.boolean(), answeredAt: instant }).strict()).describe('The person\'s own answers: still in this job?')
	})
	.strict();

const contactSchema = z.object({ at: instant, channel: z.string(), outcome: z.string(), note: z.string().nullable(), by: z.string().nullable() }).strict();

const taskSchema = z.object({ title: z.string(), dueAt: instant, doneAt: instant.nullable(), note: z.string().nullable() }).strict();

const messageSchema = z
	.object({
		about: z.string().describe('What the message was about, e.g. meeting.booked, meeting.reminder'),
		channel: z.enum(['email', 'text']),
		status: z.enum(['pending', 'done', 'failed', 'dropped']).or(z.string()).describe('pending: waiting to go; done: sent; failed: given up; dropped: not needed any more'),
		queuedAt: instant,
		dueAt: instant,
		sentAt: instant.nullable()
	})
	.strict();

const signInSchema = z
	.object({
		channel: z.enum(['email', 'text']).or(z.string()),
		purpose: z.enum(['sign-in', 'confirm-new-address']).describe('sign-in: a code to sign in; confirm-new-address: a code to confirm a new email address or phone number'),
		requestedAt: instant,
		usedAt: instant.nullable()
	})
	.strict();

const deletionRequestSchema = z
	.object({
		requestedAt: instant,
		reason: z.string().nullable().describe('The reason the person gave, if any'),
		status: z.enum(['requested', 'carried-out', 'refused']),
		answerBy: day,
		decidedAt: instant.nullable(),
		refusalReason: z.string().nullable().describe('When refused: the lawful reason (legal-obligation, safeguarding or legal-claim)')
	})
	.strict();

export const yourDataSchema = z
	.object({
		schemaVersion: z.literal(YOUR_DATA_SCHEMA_VERSION),
		generatedAt: instant,
		person: z
			.object({ givenName: z.string(), familyName: z.string(), dateOfBirth: day.nullable(), postcode: z.string(), email: z.string().nullable(), phone: z.string().nullable() })
			.strict()
			.describe('As given in the referral'),
		referral: z
			.object({
				reference: z.string(),
				programme: z.string(),
				status: z.string(),
				statusWords: words,
				closedReason: z.string().nullable(),
				submittedAt: instant,
				contactBy: day.describe('The date the service aimed to contact the person by'),
				firstContactAt: instant.nullable(),
				eligibility: z.string(),
				source: z.string().describe('How the person came to the service'),
				sourceDetail: z.string().nullable(),
				specialist: z.string().nullable()
			})
			.strict(),
		account: z
			.object({ email: z.string().nullable(), phone: z.string().nullable(), textConsent: z.boolean(), createdAt: instant })
			.strict()
			.nullable()
			.describe('How the person signs in and is reminded'),
		answers: z.array(answerSchema),
		consents: z.array(consentSchema),
		meetings: z.array(meetingSchema),
		checkIns: z.array(checkInSchema),
		unfinishedCheckIns: z.array(z.object({ instrument: z.string(), title: z.string(), lastSaved: instant }).strict()),
		unfinishedJobReport: z.object({ answers: z.record(z.string(), z.unknown()), lastSaved: instant }).strict().nullable(),
		actions: z.array(actionSchema).describe('DIALOG+ actions agreed with the specialist'),
		wellbeingConcerns: z.array(concernSchema),
		jobs: z.array(jobSchema),
		contactAttempts: z.array(contactSchema),
		tasks: z.array(taskSchema).describe('Work staff were given about the person'),
		messages: z.array(messageSchema).describe('Emails and texts to the person: never their words, codes or links'),
		signIns: z.array(signInSchema).describe('Sign-in codes asked for, and codes to confirm a new email address or phone number'),
		deletionRequests: z.array(deletionRequestSchema).describe('Requests to delete this data, and what was decided')
	})
	.strict();

export type YourData = z.infer<typeof yourDataSchema>;

let jsonSchema: Record<string, unknown> | undefined;

/** The published JSON Schema (2020-12) of the download, made from the zod schema the download is checked with. */
export function yourDataJsonSchema(origin: string): Record<string, unknown> {
	jsonSchema ??= {
		...z.toJSONSchema(yourDataSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }),
		title: `Your data from the IPS portal, version ${YOUR_DATA_SCHEMA_VERSION}`,
		description:
			'Everything the IPS portal holds about one person, as they download it ("Download your data") or as staff export it for a subject access request. Dates are ISO 8601.'
	};
	return { $id: `${origin.replace(/\/+$/, '')}${YOUR_DATA_SCHEMA_PATH}`, ...jsonSchema };
}

// ---- gathering ------------------------------------------------------------------------------------------

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

const PAGES: { section: 'checker' | 'referral' | 'after-sending'; pages: readonly QuestionPage[] }[] = [
	{ section: 'checker', pages: CHECK_PAGES },
	{ section: 'referral', pages: REFER_PAGES },
	{ section: 'after-sending', pages: MORE_PAGES }
];
const CONSENT_NAMES = new Set<string>(CONSENT_FIELDS.map(([name]) => name));

/** Every answer stored on the referral, with its question where a page asked it (consents are listed on their own). */
function answerList(answers: Record<string, unknown>): YourData['answers'] {
	const out: YourData['answers'] = [];
	const seen = new Set<string>();
	for (const { section, pages } of PAGES)
		for (const page of pages)
			for (const field of page.fields) {
				if (field.kind === 'consent' || field.kind === 'hidden' || seen.has(field.name) || !(field.name in answers)) continue;
				seen.add(field.name);
				const value = answers[field.name];
				if (value === undefined) continue;
				const lines = describeAnswer({ ...page, fields: [field] }, answers);
				out.push({ section, question: field.label ?? page.summaryLabel, key: field.name, value, words: lines });
			}
	for (const [key, value] of Object.entries(answers)) {
		if (seen.has(key) || CONSENT_NAMES.has(key) || value === undefined) continue;
		out.push({ section: 'checker', question: null, key, value, words: [typeof value === 'string' ? value : JSON.stringify(value)] });
	}
	return out;
}

function consentWording(kind: string, version: string): string | null {
	const current = (CONSENTS as Record<string, { version: string; text: string }>)[kind];
	return current && current.version === version ? current.text : null;
}

function scoreWords(scores: CheckInScores | null): string[] {
	if (!scores) return [];
	switch (scores.instrument) {
		case 'dialog':
			return [
				`Average for your life (out of 7): ${scores.lifeMean ?? 'none answered'}`,
				`Average for your care and support (out of 7): ${scores.treatmentMean ?? 'none answered'}`
			];
		case 'swemwbs':
			return [`Score: ${scores.metric} (out of 35)`];
		case 'ons4':
			return [`Scores (each out of 10): ${scores.values.join(', ')}`];
		case 'gad7':
		case 'phq9':
		case 'phq8':
			return [`Total: ${scores.total} (${scores.band})`];
		case 'eq5d5l':
			return [`Health profile: ${scores.profile}`, `Health today (out of 100): ${scores.vas ?? 'not answered'}`];
	}
}

function checkInAnswers(instrument: string, answers: Record<string, unknown>): YourData['checkIns'][number]['answers'] {
	const registered = getInstrument(instrument);
	if (!registered) return [];
	if (instrument === 'dialog') {
		const ratings = (answers.ratings ?? {}) as Record<string, { rating?: unknown; moreHelp?: unknown } | undefined>;
		return registered.items
			.filter((item) => ratings[item.key])
			.map((item) => {
				const a = ratings[item.key]!;
				const rating = typeof a.rating === 'number' ? a.rating : null;
				const moreHelp = typeof a.moreHelp === 'boolean' ? a.moreHelp : null;
				return { question: item.text, value: rating, words: rating === null ? 'Does not apply' : ratingWords(rating), moreHelp };
			});
	}
	return registered.items
		.filter((item) => item.key in answers)
		.map((item) => {
			const value = typeof answers[item.key] === 'number' ? (answers[item.key] as number) : null;
			const label = item.scale.options.find((o) => o.value === value)?.label;
			return { question: item.text, value, words: value === null ? 'Left out' : (label ?? String(value)) };
		});
}

const areaLabel = (key: string) => DIALOG_AREAS.find((a) => a.key === key)?.label ?? key;

/** Everything held about the person of this referral. Reads only rows of this referral and its participant. */
async function gather(db: Db, row: Referral, now: Date): Promise<YourData> {
	const [person] = await db.select().from(participant).where(eq(participant.referralId, row.id));
	const pid = person?.id ?? null;
	const [prog] = await db.select({ name: programme.name }).from(programme).where(eq(programme.id, row.programmeId));
	const none = Promise.resolve([]);
	const [consents, meetings, checkIns, drafts, jobDraft, actions, concerns, jobs, attempts, tasks, signIns, deletions] = await Promise.all([
		db.select().from(consent).where(eq(consent.referralId, row.id)).orderBy(asc(consent.recordedAt), asc(consent.kind)),
		db.select().from(meeting).where(eq(meeting.referralId, row.id)).orderBy(asc(meeting.startsAt)),
		db.select().from(checkIn).where(eq(checkIn.referralId, row.id)).orderBy(asc(checkIn.completedAt)),
		pid ? db.select().from(checkInDraft).where(eq(checkInDraft.participantId, pid)).orderBy(asc(checkInDraft.updatedAt)) : none,
		pid ? db.select().from(jobReportDraft).where(eq(jobReportDraft.participantId, pid)) : none,
		db.select().from(dialogAction).where(eq(dialogAction.referralId, row.id)).orderBy(asc(dialogAction.createdAt)),
		db.select().from(wellbeingConcern).where(eq(wellbeingConcern.referralId, row.id)).orderBy(asc(wellbeingConcern.raisedAt)),
		db.select().from(jobOutcome).where(eq(jobOutcome.referralId, row.id)).orderBy(asc(jobOutcome.startDate), asc(jobOutcome.reportedAt)),
		db.select().from(contactAttempt).where(eq(contactAttempt.referralId, row.id)).orderBy(asc(contactAttempt.at)),
		db.select().from(task).where(eq(task.referralId, row.id)).orderBy(asc(task.dueAt)),
		pid
			? db
					.select({ channel: participantSignIn.channel, createdAt: participantSignIn.createdAt, usedAt: participantSignIn.usedAt, linkHash: participantSignIn.linkHash })
					.from(participantSignIn)
					.where(eq(participantSignIn.participantId, pid))
					.orderBy(asc(participantSignIn.createdAt))
			: none,
		db.select().from(erasureRequest).where(eq(erasureRequest.referralId, row.id)).orderBy(asc(erasureRequest.requestedAt))
	]);
	const jobIds = jobs.map((j) => j.id);
	const [sustainment, checks] = jobIds.length
		? await Promise.all([
				db.select().from(jobSustainment).where(inArray(jobSustainment.jobId, jobIds)).orderBy(asc(jobSustainment.weeks)),
				db.select().from(jobCheck).where(inArray(jobCheck.jobId, jobIds)).orderBy(asc(jobCheck.weeks))
			])
		: [[], []];

	// Messages to the person: their own reminders and texts, and emails about their referral's events sent to
	// one of their own addresses (never those to staff, or to someone they invited).
	const addresses = [person?.email, person?.phone, row.email?.trim().toLowerCase(), row.phone].filter((a): a is string => !!a);
	const meetingIds = meetings.map((m) => m.id);
	const mine = [
		...(pid ? [eq(job.participantId, pid)] : []),
		...(meetingIds.length ? [inArray(job.meetingId, meetingIds)] : []),
		...(addresses.length
			? [and(inArray(job.recipient, addresses), inArray(job.eventId, db.select({ id: event.eventId }).from(event).where(eq(event.referralId, row.id))))]
			: [])
	];
	const messages = mine.length
		? await db
				.select({ kind: job.kind, payload: job.payload, channel: job.channel, status: job.status, createdAt: job.createdAt, dueAt: job.dueAt, doneAt: job.doneAt })
				.from(job)
				.where(and(isNotNull(job.channel), sql`${job.kind} <> 'webhook.delivery'`, or(...mine)))
				.orderBy(asc(job.createdAt), asc(job.dueAt))
		: [];

	const staffIds = [row.assignedStaffId, ...meetings.map((m) => m.staffId), ...attempts.map((a) => a.staffId)].filter((id): id is string => !!id);
	const names = await staffNames([...new Set(staffIds)]);
	const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'A former staff member') : null);
	const venues = await venuesByIds(db, meetings.map((m) => m.venueId));

	return {
		schemaVersion: YOUR_DATA_SCHEMA_VERSION,
		generatedAt: iso(now),
		person: { givenName: row.givenName, familyName: row.familyName, dateOfBirth: row.dateOfBirth, postcode: row.postcode, email: row.email, phone: row.phone },
		referral: {
			reference: row.reference,
			programme: prog?.name ?? row.programmeId,
			status: row.status,
			statusWords: isStatus(row.status) ? STATUS_LABELS[row.status] : row.status,
			closedReason: row.closedReason ? closeReasonLabel(row.closedReason) : null,
			submittedAt: iso(row.submittedAt),
			contactBy: row.contactTargetDate,
			firstContactAt: isoOrNull(row.firstContactAt),
			eligibility: row.eligibilityOutcome,
			source: sourceLabel(row.sourceCode),
			sourceDetail: row.sourceDetail,
			specialist: nameOf(row.assignedStaffId)
		},
		account: person ? { email: person.email, phone: person.phone, textConsent: person.textConsent, createdAt: iso(person.createdAt) } : null,
		answers: answerList(row.answers as Record<string, unknown>),
		consents: consents.map((c) => ({
			kind: c.kind,
			about: CONSENT_PERSON_LABELS[c.kind as ConsentKind] ?? c.kind,
			given: c.given,
			wordingVersion: c.textVersion,
			wording: consentWording(c.kind, c.textVersion),
			recordedAt: iso(c.recordedAt),
			withdrawnAt: isoOrNull(c.withdrawnAt)
		})),
		meetings: meetings.map((m) => {
			const venue = m.venueId ? venues.get(m.venueId) : undefined;
			return {
				startsAt: iso(m.startsAt),
				endsAt: iso(m.endsAt),
				how: isModeKind(m.mode) ? MODE_LABELS[m.mode] : m.mode,
				place: venue ? [venue.name, venue.address, venue.postcode].filter(Boolean).join(', ') : null,
				status: m.status,
				specialist: nameOf(m.staffId),
				someoneInvited: !!m.inviteeEmail,
				cancelledAt: isoOrNull(m.cancelledAt),
				cancelledBy: m.cancelledBy,
				cancelReason: m.cancelReason,
				bookedAt: iso(m.createdAt)
			};
		}),
		checkIns: checkIns.map((c) => {
			const scores = publicScores(c.instrument, c.result);
			return {
				instrument: c.instrument,
				title: getInstrument(c.instrument)?.title ?? c.instrument,
				completedAt: iso(c.completedAt),
				answers: checkInAnswers(c.instrument, c.answers),
				scores,
				scoreWords: scoreWords(scores),
				talkAbout: c.talkAbout.map(areaLabel)
			};
		}),
		unfinishedCheckIns: drafts.map((d) => ({ instrument: d.instrument, title: getInstrument(d.instrument)?.title ?? d.instrument, lastSaved: iso(d.updatedAt) })),
		unfinishedJobReport: jobDraft[0] ? { answers: { ...jobDraft[0].answers }, lastSaved: iso(jobDraft[0].updatedAt) } : null,
		actions: actions.map((a) => ({
			area: areaLabel(a.areaKey),
			action: a.action,
			agreedAt: iso(a.createdAt),
			reviewedAt: isoOrNull(a.reviewedAt),
			review: a.reviewOutcome ? (REVIEW_OUTCOME_WORDS[a.reviewOutcome as ReviewOutcome] ?? a.reviewOutcome) : null
		})),
		wellbeingConcerns: concerns.map((c) => ({
			kind: c.kind,
			reasons: c.reasons,
			raisedAt: iso(c.raisedAt),
			acknowledgedAt: isoOrNull(c.acknowledgedAt),
			resolvedAt: isoOrNull(c.resolvedAt),
			resolution: c.resolution ? (CONCERN_RESOLUTIONS[c.resolution as ConcernResolution] ?? c.resolution) : null,
			resolutionNote: c.resolutionNote
		})),
		jobs: jobs.map((j) => ({
			kind: JOB_KIND_LABELS[j.kind as JobKind] ?? j.kind,
			title: j.jobTitle,
			employer: j.employer,
			startDate: j.startDate,
			hoursPerWeek: j.hoursPerWeek,
			reportedBy: j.reportedBy,
			reportedAt: iso(j.reportedAt),
			confirmedAt: isoOrNull(j.confirmedAt),
			endedOn: j.endedOn,
			endReason: j.endReason ? jobEndReasonLabel(j.endReason) : null,
			sustainment: sustainment
				.filter((s) => s.jobId === j.id)
				.map((s) => ({ weeks: s.weeks, evidence: EVIDENCE_LABELS[s.evidence as Evidence] ?? s.evidence, recordedAt: iso(s.recordedAt) })),
			checks: checks.filter((c) => c.jobId === j.id).map((c) => ({ weeks: c.weeks, stillInWork: c.stillInWork, answeredAt: iso(c.answeredAt) }))
		})),
		contactAttempts: attempts.map((a) => ({
			at: iso(a.at),
			channel: CONTACT_CHANNELS[a.channel as keyof typeof CONTACT_CHANNELS] ?? a.channel,
			outcome: CONTACT_OUTCOMES[a.outcome as keyof typeof CONTACT_OUTCOMES]?.label ?? a.outcome,
			note: a.note,
			by: nameOf(a.staffId)
		})),
		tasks: tasks.map((t) => ({ title: t.title, dueAt: iso(t.dueAt), doneAt: isoOrNull(t.doneAt), note: t.note })),
		messages: messages.map((m) => ({
			about: m.kind === 'email' || m.kind === 'text' ? (m.payload.kind ?? m.kind) : m.kind,
			channel: m.channel!,
			status: m.status,
			queuedAt: iso(m.createdAt),
			dueAt: iso(m.dueAt),
			sentAt: isoOrNull(m.doneAt)
		})),
		// A code to confirm a new address is kept as a sign-in without a link (participants/details.ts).
		signIns: signIns.map((s) => ({ channel: s.channel, purpose: s.linkHash ? ('sign-in' as const) : ('confirm-new-address' as const), requestedAt: iso(s.createdAt), usedAt: isoOrNull(s.usedAt) })),
		deletionRequests: deletions.map((d) => ({
			requestedAt: iso(d.requestedAt),
			reason: d.reason,
			status: d.status,
			answerBy: d.dueBy,
			decidedAt: isoOrNull(d.decidedAt),
			refusalReason: d.refusalReason
		}))
	};
}

export type DataFormat = 'page' | 'json';

/** The signed-in person's own data. Audited with no staff member (`by: participant`), the reference only. */
export async function yourDataFor(user: Pick<ParticipantUser, 'referralId'>, format: DataFormat, now = new Date()): Promise<YourData> {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, user.referralId));
	if (!row) notFound();
	const data = yourDataSchema.parse(await gather(db, row, now));
	await recordAudit({ staffId: null, action: 'your_data.exported', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, by: 'participant', format } });
	return data;
}

/** A subject access request: the same data, for staff of the referral's programme (404 otherwise), audited. */
export async function subjectAccessExport(user: StaffUser, reference: string, format: DataFormat, now = new Date()): Promise<YourData> {
	const row = await findInProgramme(user, reference);
	const db = await getDb();
	const data = yourDataSchema.parse(await gather(db, row, now));
	await recordAudit({ staffId: user.id, action: 'subject_access.exported', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, format } });
	return data;
}

/** The download's file name. */
export const yourDataFileName = (reference: string) => `ips-your-data-${reference.replace(/[^A-Za-z0-9-]/g, '')}.json`;
