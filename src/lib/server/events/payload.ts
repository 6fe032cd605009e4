/**
 * The public, versioned payload of the events the portal sends to a provider's case system (signed
 * webhooks now; the pull API later). One zod schema is the source of truth: payloads are built to it,
 * tests validate against it, and its JSON Schema is published at /api/v1/schema/events.json.
 *
 * A payload is a snapshot taken when the event is appended, in the same transaction: the event row (what
 * happened) and the referral as that transaction leaves it (who, where from, answers, consents, contact
 * preferences). It is stored as text (event.body) and sent byte for byte the same on every webhook try,
 * replay and pull API page (draftSnapshot / snapshotBody / eventBodies below). Receivers must ignore fields and event types
 * they do not know: new ones are added within a version; a change that breaks readers raises `version`.
 * See docs/webhooks.md.
 */
import { asc, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db';
import { log } from '../log';
import { MEETING_STATUSES } from '$lib/domain/meetings/meeting';
import { CLOSE_REASON_CODES, CONTACT_CHANNEL_CODES, CONTACT_OUTCOME_CODES, STATUSES, type ContactChannel, type ContactOutcome } from '$lib/domain/casework';
import { CONSENTS, type ConsentKind } from '$lib/domain/consents';
import { CONTACT_DETAIL_NAMES } from '$lib/domain/your-details';
import { DWP_CATEGORIES, SOURCE_CODES, type DwpCategory, type SourceCode } from '$lib/domain/sources';
import { MODE_KINDS } from '$lib/domain/meetings/modes';
import { answersSchema, CONSENT_KEY } from '$lib/domain/answers-schema';
import { CHECK_PAGES } from '$lib/domain/check-pages';
import type { DraftAnswers } from '$lib/domain/draft-answers';
import { MORE_PAGES, REFER_PAGES } from '$lib/domain/refer-pages';
import { EVIDENCE, JOB_END_REASON_CODES, JOB_KINDS } from '$lib/domain/jobs';
import { readProgrammeMeasures } from '$lib/domain/measures/settings';
import { BASE_LOCALE, LOCALE_INFO } from '$lib/i18n/locales';
import { checkIn, consent, jobOutcome, jobSustainment, programme, referral, staff, venue, type Event, type JobOutcome } from '../db/schema';
import { checkInHref, concernHref, eventCheckInSchema, eventConcernResolvedSchema, eventConcernSchema, publicScores } from './measures-payload';
import { EQUALITY_ANSWERS, FREE_TEXT_ANSWERS, HEALTH_ANSWERS, HEALTH_EVENT_TYPES } from './minimise';

export const PAYLOAD_VERSION = 1;
export const SCHEMA_PATH = '/api/v1/schema/events.json';

/** Referral event types delivered to case systems. */
export const REFERRAL_EVENT_TYPES = [
	'referral.submitted',
	'referral.status_changed',
	'referral.assigned',
	'referral.contact_attempted',
	'referral.withdrawn',
	'referral.details_added',
	'referral.contact_details_changed',
	'consent.withdrawn',
	'referral.erased'
] as const;
/** Meeting event types delivered to case systems (meetings/events.ts writes them). */
/** Job outcome event types (casework/jobs.ts writes them). */
export const JOB_EVENT_TYPES = ['job.started', 'job.sustained', 'job.ended'] as const;
export const MEETING_WEBHOOK_EVENT_TYPES = ['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled', 'meeting.attended', 'meeting.missed'] as const;
/**
 * Check-in and wellbeing event types delivered to case systems (measures/check-ins.ts and
 * measures/concerns.ts write them). Scores travel only where the programme allows health data in events;
 * the events themselves only to receivers given the health scope (minimise.ts).
 */
export const MEASURE_WEBHOOK_EVENT_TYPES = HEALTH_EVENT_TYPES;
/** Event types delivered to case systems. */
export const WEBHOOK_EVENT_TYPES = [...REFERRAL_EVENT_TYPES, ...JOB_EVENT_TYPES, ...MEETING_WEBHOOK_EVENT_TYPES, ...MEASURE_WEBHOOK_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
type ReferralEventType = (typeof REFERRAL_EVENT_TYPES)[number];
type MeetingWebhookEventType = (typeof MEETING_WEBHOOK_EVENT_TYPES)[number];
type JobEventType = (typeof JOB_EVENT_TYPES)[number];

export const EVENT_TYPE_LABELS: Record<WebhookEventType, string> = {
	'referral.submitted': 'A referral was sent',
	'referral.status_changed': 'Its status changed',
	'referral.assigned': 'It was assigned, claimed or returned to the queue',
	'referral.contact_attempted': 'Staff tried to contact the person',
	'referral.withdrawn': 'The person withdrew',
	'referral.details_added': 'The person answered optional questions after sending their referral ("Tell us more")',
	'referral.contact_details_changed': 'The person changed their contact details (email address, phone number, or how and when to contact them)',
	'consent.withdrawn': 'The person withdrew a consent they gave (text reminders, updates to their referrer, evaluation or their NHS number)',
	'referral.erased': 'The person\'s personal data was erased (at their request, or at the end of the programme\'s retention period): erase yours too. data.person is null from now on',
	'job.started': 'A job start was recorded or confirmed by staff (the referral is then "in-work")',
	'job.sustained': 'Staff recorded that the person was still in their job at a sustainment point (13 or 26 weeks by default)',
	'job.ended': 'Staff recorded that a job ended (support can go on)',
	'meeting.booked': 'A meeting was booked',
	'meeting.rescheduled': 'A meeting was moved to another time',
	'meeting.cancelled': 'A meeting was cancelled',
	'meeting.attended': 'The person came to a meeting',
	'meeting.missed': 'The person did not come to a meeting',
	'checkin.completed': 'The person finished a check-in (DIALOG+ or a wellbeing questionnaire)',
	'wellbeing.concern_raised': 'A wellbeing concern was raised for the specialist',
	'wellbeing.concern_resolved': 'Staff recorded what they did about a wellbeing concern'
};

function isMeetingEventType(type: WebhookEventType): type is MeetingWebhookEventType {
	return (MEETING_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

function isJobEventType(type: WebhookEventType): type is JobEventType {
	return (JOB_EVENT_TYPES as readonly string[]).includes(type);
}

function isReferralEventType(type: WebhookEventType): type is ReferralEventType {
	return (REFERRAL_EVENT_TYPES as readonly string[]).includes(type);
}

export function isWebhookEventType(value: unknown): value is WebhookEventType {
	return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

// ---- the schema ----------------------------------------------------------------------------------

const instant = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 with time zone (UTC, "Z")');
const day = z.iso.date().describe('A calendar date, YYYY-MM-DD (UK)');
const yesNo = z.boolean().nullable().describe('true for yes, false for no, null when not answered');

const staffRef = z
	.object({ id: z.uuid(), name: z.string(), email: z.string() })
	.describe('A member of the provider\'s staff');

const statusEnum = z.enum(STATUSES);
const closeReasonEnum = z.enum(CLOSE_REASON_CODES as [string, ...string[]]);

export const ACTOR_TYPES = ['participant', 'staff', 'api-key', 'system'] as const;

const actorSchema = z
	.object({
		type: z
			.enum(ACTOR_TYPES)
			.describe('participant: the person themselves; staff: a member of staff; api-key: a case system through the API (recognise your own changes by id); system: the portal'),
		id: z.string().nullable().describe('The staff id or the API key id; null for the person and the portal'),
		name: z.string().nullable().describe('The staff member\'s or the API key\'s name; null for the person and the portal')
	})
	.describe('Who or what caused this event');

/** The answers as they travel: a referral's stored answers without its consents (those are under `consents`). */
export type EventAnswers = { [K in keyof DraftAnswers as K extends `consent${string}` ? never : K]: DraftAnswers[K] };

/** How the pages store some answers, and which answers only some receivers get (minimise.ts). */
const ANSWER_FORMATS: Record<string, string> = {
	postcode: 'Upper case with one space, like "M1 1AE".',
	phone: 'A UK number in digits from 0, like "07700900982".',
	email: 'In lower case.',
	nhsNumber: '10 digits, no spaces.'
};
const answerNote = (name: string) =>
	[
		ANSWER_FORMATS[name],
		(HEALTH_ANSWERS as readonly string[]).includes(name) && 'Health detail: only for receivers given the health scope.',
		FREE_TEXT_ANSWERS.includes(name) && 'In the person\'s own words, so it may hold health details: only for receivers given the health scope.',
		(EQUALITY_ANSWERS as readonly string[]).includes(name) && 'Equality monitoring: only for receivers given the equality scope.'
	]
		.filter(Boolean)
		.join(' ') || undefined;

/**
 * Typed from the checker and referral pages (domain/answers-schema.ts), so it follows them. The type claims
 * the pages' own output types (DraftAnswers); tests/unit/answers-schema.test.ts checks the two agree.
 */
export const eventAnswersSchema = answersSchema([...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES], answerNote).describe(
	'Every answer the person gave, keyed by question (consents are under "consents" instead). A question not asked, ' +
		'or not for this receiver, is absent. Ignore questions you do not know: new ones are added within a version.'
) as unknown as z.ZodType<EventAnswers>;

const jobSchema = z
	.object({
		id: z.uuid().describe('The job id: the same in every event about this job'),
		kind: z.enum(JOB_KINDS).describe('new: a new job; kept: the job the person had when referred (back from sick leave, or kept)'),
		startDate: day.describe('The day the person started (or will start)'),
		hoursPerWeek: z.number().positive().describe('Usual hours a week, to the nearest half hour'),
		title: z.string().describe('The job title or what the person does'),
		employer: z.string().nullable().describe('The employer, when given'),
		reportedBy: z.enum(['participant', 'staff']).describe('participant: the person told us first, and staff confirmed it; staff: recorded by staff'),
		reportedAt: instant,
		confirmedAt: instant.nullable().describe('When staff confirmed (or recorded) the start; null while it waits for confirmation'),
		endedOn: day.nullable().describe('The last day in the job; null while it goes on'),
		endReason: z.enum(JOB_END_REASON_CODES).nullable().describe('Why it ended: health, resigned, dismissed, contract-ended, redundancy, better-job or other'),
		sustained: z
			.array(
				z.object({
					weeks: z.number().int().positive().describe('The sustainment point, in weeks after the start'),
					evidence: z.enum(EVIDENCE).describe('self-reported, payslip-seen or employer-confirmed'),
					recordedAt: instant
				})
			)
			.describe('Each sustainment point staff recorded, in order')
	})
	.describe('A job the person started: the outcome the programme is paid on');

const referralData = z.object({
	version: z.literal(PAYLOAD_VERSION).describe('Payload version: raised only for a change that breaks readers'),
	sequence: z.number().int().positive().describe('Position of the event in the portal\'s event log: higher is later'),
	actor: actorSchema,
	reference: z.string().describe('The referral reference the person was given, like "ACDE-FGHJ"'),
	programme: z.object({ id: z.string(), name: z.string() }),
	status: statusEnum.describe('The referral\'s status when this was sent'),
	closedReason: closeReasonEnum.nullable().describe('Coded reason when status is closed (DOMAIN.md section 4): 001 not eligible ... 099 another reason'),
	assignedTo: staffRef.nullable().describe('The specialist holding the referral when this was sent; null while it is in the queue'),
	source: z.object({
		code: z.enum(SOURCE_CODES as [SourceCode, ...SourceCode[]]).describe('Detailed source, like fit-note, gp-practice, jobcentre-plus, leaflet'),
		detail: z
			.string()
			.nullable()
			.optional()
			.describe('Free text a person gave for "somewhere else". Only for receivers given the health scope (absent otherwise): it is in their own words'),
		odsCode: z.string().nullable().describe('GP practice NHS ODS code, when the source is a practice'),
		linkCode: z.string().nullable().describe('The /r/<code> link that brought the person'),
		dwpCategory: z
			.enum(Object.keys(DWP_CATEGORIES) as [DwpCategory, ...DwpCategory[]])
			.describe('DWP reporting category: primary-care, community-care, self-referral, signposted-jcp, voluntary-charity or other')
	}),
	eligibilityOutcome: z.enum(['likely-eligible', 'talk-to-specialist', 'not-eligible']).describe('The checker\'s result'),
	submittedAt: instant,
	contactTargetDate: day.describe('The date by which the service aims to contact the person'),
	firstContactAt: instant.nullable(),
	statusChangedAt: instant,
	person: z
		.object({
			givenName: z.string(),
			familyName: z.string(),
			preferredName: z.string().nullable(),
			pronouns: z.string().nullable(),
			dateOfBirth: day,
			postcode: z.string(),
			email: z.string().nullable(),
			phone: z.string().nullable()
		})
		.nullable()
		.describe('Who the person is; null once their data is erased (see referral.erased), in that event and, rewritten, in every earlier one'),
	contactPreferences: z.object({
		channels: z.array(z.string()).describe('How the person would like to be contacted: phone, text, email, ...'),
		bestTimes: z.array(z.string()).describe('When is best, like weekday-morning'),
		messagesMayNameService: yesNo.describe('Whether a voicemail or text may say who it is from'),
		postAllowed: yesNo.describe('Whether letters may be sent'),
		contactReferrer: z
			.enum(['yes', 'no', 'no-referrer'])
			.nullable()
			.describe('Whether the service may contact whoever referred the person ("no-referrer": nobody did)')
	}),
	consents: z
		.array(
			z.object({
				kind: z.enum(Object.keys(CONSENTS) as [ConsentKind, ...ConsentKind[]]).describe('Which consent question'),
				given: z.boolean(),
				version: z.string().describe('Version of the wording the person saw'),
				recordedAt: instant,
				withdrawnAt: instant.nullable()
			})
		)
		.describe('Every consent question, given or not, with the version of its wording'),
	answers: eventAnswersSchema,
	preferredLanguage: z
		.string()
		.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
		.optional()
		.describe(
			'The language the person used on the portal, as a BCP 47 tag: "en-GB" (English), "cy" (Welsh) or "ur" (Urdu); the portal writes to them in it. ' +
				'"en-GB" for referrals sent before the portal offered languages. Not personal data: it stays after erasure. Absent in events sent before it was recorded'
		),
	jobs: z
		.array(jobSchema)
		.optional()
		.describe('Every job recorded for the person, oldest start first (confirmed or waiting for confirmation). Absent in events sent before job outcomes were recorded')
});

const by = z.uuid().nullable().describe('The staff member who made the change');

const changes = {
	'referral.submitted': z.object({
		routedToStaffId: z.uuid().nullable().describe('The specialist the referral was routed to on arrival (GP practice link), if any')
	}),
	'referral.status_changed': z.object({
		from: statusEnum,
		to: statusEnum,
		closedReason: closeReasonEnum.nullable(),
		byStaffId: by,
		at: instant
	}),
	'referral.assigned': z.object({
		from: z.uuid().nullable().describe('Staff id before; null for the queue'),
		to: z.uuid().nullable().describe('Staff id after; null for the queue'),
		how: z
			.enum(['claimed', 'assigned', 'returned', 'first-meeting'])
			.describe('claimed: a specialist took it; assigned: a team lead gave it to someone; returned: back to the queue; first-meeting: the person booked their first meeting with this specialist'),
		byStaffId: by,
		at: instant
	}),
	'referral.contact_attempted': z.object({
		channel: z.enum(CONTACT_CHANNEL_CODES as [ContactChannel, ...ContactChannel[]]),
		outcome: z.enum(CONTACT_OUTCOME_CODES as [ContactOutcome, ...ContactOutcome[]]),
		successful: z.boolean(),
		firstContact: z.boolean().describe('True for the first successful contact'),
		byStaffId: by,
		at: instant
	}),
	'referral.withdrawn': z.object({
		at: instant,
		reason: z
			.string()
			.nullable()
			.optional()
			.describe('The reason the person gave, in their words; null when they gave none. Only for receivers given the health scope (absent otherwise)'),
		by: z.enum(['participant', 'staff']).describe('The person withdrew themselves, or staff recorded it for them'),
		byStaffId: by,
		closedReason: closeReasonEnum.nullable().describe('The coded closing reason: 004 before the person started, 006 after')
	}),
	'referral.details_added': z.object({
		page: z.enum(MORE_PAGES.map((p) => p.id) as [string, ...string[]]).describe('The optional page the person answered'),
		questions: z.array(z.string()).describe('The answers (keys of data.answers) that page asks; one left blank is absent from answers'),
		answers: answersSchema(MORE_PAGES, answerNote).describe(
			'The answers given on that page, typed as in data.answers (and minimised the same way for each receiver)'
		),
		at: instant
	}),
	'referral.contact_details_changed': z.object({
		changed: z
			.array(z.enum(CONTACT_DETAIL_NAMES))
			.describe('What the person changed: email, phone, contactChannels, bestTimes, messagesMayNameService or postAllowed. The new values are in data.person and data.contactPreferences'),
		confirmed: z.boolean().describe('True when a new email address or mobile number was confirmed with a one-time code sent to it'),
		at: instant
	}),
	'consent.withdrawn': z.object({
		kind: z.enum(Object.keys(CONSENTS) as [ConsentKind, ...ConsentKind[]]).describe('Which consent the person withdrew'),
		version: z.string().describe('Version of the wording the person had agreed to'),
		at: instant.describe('When it was withdrawn: it takes effect at once')
	}),
	'referral.erased': z.object({
		why: z.enum(['request', 'retention']).describe('request: the person asked for it; retention: the programme\'s retention period ended'),
		byStaffId: by,
		at: instant.describe('When the data was erased')
	})
} satisfies Record<ReferralEventType, z.ZodType>;

const jobChange = {
	byStaffId: by,
	at: instant
};
const jobChanges = {
	'job.started': z.object({
		job: jobSchema.describe('The job, as it is after this event'),
		reportedBy: z.enum(['participant', 'staff']).describe('participant: staff confirmed a start the person reported; staff: staff recorded it'),
		...jobChange
	}),
	'job.sustained': z.object({
		job: jobSchema.describe('The job, as it is after this event'),
		weeks: z.number().int().positive().describe('The sustainment point recorded'),
		evidence: z.enum(EVIDENCE).describe('How staff know: self-reported, payslip-seen or employer-confirmed. Recording a point again with better evidence sends this event again'),
		...jobChange
	}),
	'job.ended': z.object({
		job: jobSchema.describe('The job, as it is after this event'),
		endedOn: day,
		endReason: z.enum(JOB_END_REASON_CODES),
		...jobChange
	})
} satisfies Record<JobEventType, z.ZodType>;

function jobEnvelope<T extends JobEventType>(type: T) {
	return z
		.object({
			type: z.literal(type),
			id: z.uuid().describe('The event id: also the webhook-id header, the same on every retry and replay'),
			timestamp: instant.describe('When the event happened'),
			data: referralData.extend({ change: jobChanges[type].describe('What this event changed') })
		})
		.describe(EVENT_TYPE_LABELS[type]);
}

const meetingData = z
	.object({
		id: z.uuid().describe('The meeting id: the same in every event about this meeting (and the UID of its calendar file)'),
		version: z.number().int().positive().describe('Raised by every reschedule (the SEQUENCE of its calendar file)'),
		startsAt: instant.describe('When the meeting starts (UTC)'),
		endsAt: instant.describe('When the meeting ends (UTC)'),
		mode: z.enum(MODE_KINDS).describe('How the meeting happens: in-person, phone or video'),
		venue: z
			.object({ id: z.uuid(), name: z.string(), address: z.string(), postcode: z.string() })
			.nullable()
			.describe('Where an in-person meeting happens; null for phone and video'),
		specialist: staffRef.describe('The specialist the meeting is with'),
		status: z.enum(MEETING_STATUSES).describe('The meeting\'s status after this event: booked, cancelled, attended or missed'),
		previous: z
			.object({
				startsAt: instant,
				endsAt: instant,
				mode: z.enum(MODE_KINDS).optional().describe('How the meeting was to happen before the move (absent in events from before moves could change it)'),
				venue: z
					.object({ id: z.uuid(), name: z.string(), address: z.string(), postcode: z.string() })
					.nullable()
					.optional()
					.describe('Where it was to happen before the move, for in person; null for phone and video')
			})
			.nullable()
			.describe('meeting.rescheduled: the times (and the way of meeting) before the move; null otherwise'),
		reason: z
			.string()
			.nullable()
			.optional()
			.describe('meeting.cancelled: the reason given, if any (free text); null otherwise. Only for receivers given the health scope (absent otherwise)'),
		first: z.boolean().describe('True for the person\'s first meeting')
	})
	.describe('The meeting, as it was when the event happened. No health details.');

const meetingChange = z.object({
	by: z.enum(['participant', 'staff', 'system']).describe('Who made the change: the person, a member of staff or the portal'),
	byStaffId: by,
	at: instant
});

function envelope<T extends ReferralEventType>(type: T) {
	return z
		.object({
			type: z.literal(type),
			id: z.uuid().describe('The event id: also the webhook-id header, the same on every retry and replay'),
			timestamp: instant.describe('When the event happened'),
			data: referralData.extend({ change: changes[type].describe('What this event changed') })
		})
		.describe(EVENT_TYPE_LABELS[type]);
}

function meetingEnvelope<T extends MeetingWebhookEventType>(type: T) {
	return z
		.object({
			type: z.literal(type),
			id: z.uuid().describe('The event id: also the webhook-id header, the same on every retry and replay'),
			timestamp: instant.describe('When the event happened'),
			data: referralData.extend({ meeting: meetingData, change: meetingChange.describe('Who made this change, and when') })
		})
		.describe(EVENT_TYPE_LABELS[type]);
}

const eventHead = {
	id: z.uuid().describe('The event id: also the webhook-id header, the same on every retry and replay'),
	timestamp: instant.describe('When the event happened')
};

const checkInCompletedEnvelope = z
	.object({
		type: z.literal('checkin.completed'),
		...eventHead,
		data: referralData.extend({ checkIn: eventCheckInSchema })
	})
	.describe(EVENT_TYPE_LABELS['checkin.completed']);

const concernRaisedEnvelope = z
	.object({
		type: z.literal('wellbeing.concern_raised'),
		...eventHead,
		data: referralData.extend({ concern: eventConcernSchema })
	})
	.describe(EVENT_TYPE_LABELS['wellbeing.concern_raised']);

const concernResolvedEnvelope = z
	.object({
		type: z.literal('wellbeing.concern_resolved'),
		...eventHead,
		data: referralData.extend({ concern: eventConcernResolvedSchema })
	})
	.describe(EVENT_TYPE_LABELS['wellbeing.concern_resolved']);

export const eventPayloadSchema = z.discriminatedUnion('type', [
	envelope('referral.submitted'),
	envelope('referral.status_changed'),
	envelope('referral.assigned'),
	envelope('referral.contact_attempted'),
	envelope('referral.withdrawn'),
	envelope('referral.details_added'),
	envelope('referral.contact_details_changed'),
	envelope('consent.withdrawn'),
	envelope('referral.erased'),
	jobEnvelope('job.started'),
	jobEnvelope('job.sustained'),
	jobEnvelope('job.ended'),
	meetingEnvelope('meeting.booked'),
	meetingEnvelope('meeting.rescheduled'),
	meetingEnvelope('meeting.cancelled'),
	meetingEnvelope('meeting.attended'),
	meetingEnvelope('meeting.missed'),
	checkInCompletedEnvelope,
	concernRaisedEnvelope,
	concernResolvedEnvelope
]);
export type EventPayload = z.infer<typeof eventPayloadSchema>;

let jsonSchema: Record<string, unknown> | undefined;

/**
 * The JSON Schema (2020-12) of every payload, published at SCHEMA_PATH. Objects allow properties the
 * schema does not name, so a receiver validating with it keeps working when fields are added.
 */
export function eventPayloadJsonSchema(origin: string): Record<string, unknown> {
	jsonSchema ??= {
		...z.toJSONSchema(eventPayloadSchema, { target: 'draft-2020-12', io: 'input' }),
		title: `IPS portal events, version ${PAYLOAD_VERSION}`,
		description:
			'The body of every webhook the IPS portal sends (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature headers). ' +
			'Ignore event types and fields you do not know; a change that breaks readers raises data.version.'
	};
	return { $id: `${origin.replace(/\/+$/, '')}${SCHEMA_PATH}`, ...jsonSchema };
}

// ---- building payloads ---------------------------------------------------------------------------

const isUuid = (v: string) => z.uuid().safeParse(v).success;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const yn = (v: unknown) => (v === 'yes' ? true : v === 'no' ? false : null);
const iso = (v: unknown): string | null => {
	if (v instanceof Date) return v.toISOString();
	if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
	return null;
};

/** The meeting event as meetings/events.ts writes it (MeetingEventData), read leniently. */
const storedMeeting = z.object({
	meetingId: z.string(),
	version: z.number(),
	staffId: z.string(),
	startsAt: z.string(),
	endsAt: z.string(),
	mode: z.string(),
	venueId: z.string().nullable().optional(),
	status: z.string(),
	first: z.boolean().optional(),
	previous: z.object({ startsAt: z.string(), endsAt: z.string(), mode: z.string().optional(), venueId: z.string().nullable().optional() }).nullable().optional(),
	reason: z.string().nullable().optional(),
	actor: z.object({ kind: z.string(), staffId: z.string().optional() }).optional()
});
type StoredMeeting = z.infer<typeof storedMeeting>;

function readMeeting(event: Event): StoredMeeting | null {
	if (!event.type.startsWith('meeting.')) return null;
	const parsed = storedMeeting.safeParse(event.payload);
	return parsed.success ? parsed.data : null;
}

/** The `meeting` and `change` parts of a meeting event. */
function meetingParts(
	event: Event,
	m: StoredMeeting,
	venues: Map<string, { id: string; name: string; address: string; postcode: string }>,
	people: Map<string, { id: string; name: string; email: string }>
): { meeting: Record<string, unknown>; change: Record<string, unknown> } {
	const actor = m.actor?.kind === 'participant' || m.actor?.kind === 'staff' ? m.actor.kind : 'system';
	return {
		meeting: {
			id: m.meetingId,
			version: m.version,
			startsAt: iso(m.startsAt),
			endsAt: iso(m.endsAt),
			mode: m.mode,
			venue: m.venueId ? (venues.get(m.venueId) ?? null) : null,
			specialist: people.get(m.staffId) ?? null,
			status: m.status,
			previous: m.previous
				? {
						startsAt: iso(m.previous.startsAt),
						endsAt: iso(m.previous.endsAt),
						...(m.previous.mode ? { mode: m.previous.mode, venue: m.previous.venueId ? (venues.get(m.previous.venueId) ?? null) : null } : {})
					}
				: null,
			reason: str(m.reason),
			first: m.first === true
		},
		change: { by: actor, byStaffId: actor === 'staff' ? str(m.actor?.staffId) : null, at: event.createdAt.toISOString() }
	};
}

/** The part of each referral event that says what changed, from the event row's own payload. */
function changeOf(event: Event, answers: Record<string, unknown>): Record<string, unknown> {
	const p = event.payload;
	const at = iso(p.at) ?? event.createdAt.toISOString();
	switch (event.type as ReferralEventType) {
		case 'referral.submitted':
			return { routedToStaffId: str(p.assignedStaffId) };
		case 'referral.status_changed':
			return { from: String(p.from ?? ''), to: String(p.to ?? ''), closedReason: str(p.closedReason), byStaffId: str(p.byStaffId), at };
		case 'referral.assigned':
			return { from: str(p.from), to: str(p.to), how: String(p.how ?? 'assigned'), byStaffId: str(p.byStaffId), at };
		case 'referral.contact_attempted':
			return {
				channel: String(p.channel ?? ''),
				outcome: String(p.outcome ?? ''),
				successful: p.successful === true,
				firstContact: p.firstContact === true,
				byStaffId: str(p.byStaffId),
				at
			};
		case 'referral.withdrawn':
			return { at, reason: str(p.reason), by: p.by === 'staff' ? 'staff' : 'participant', byStaffId: str(p.byStaffId), closedReason: str(p.closedReason) };
		case 'referral.details_added': {
			const questions = strList(p.questions);
			return { page: String(p.page ?? ''), questions, answers: Object.fromEntries(questions.filter((q) => q in answers).map((q) => [q, answers[q]])), at };
		}
		case 'referral.contact_details_changed':
			return { changed: strList(p.changed), confirmed: p.confirmed === true, at };
		case 'consent.withdrawn':
			return { kind: String(p.kind ?? ''), version: String(p.textVersion ?? ''), at };
		case 'referral.erased':
			return { why: p.why === 'retention' ? 'retention' : 'request', byStaffId: str(p.byStaffId), at };
	}
}

type StoredJob = JobOutcome & { sustained: { weeks: number; evidence: string; recordedAt: Date }[] };

/** A job as events carry it. */
function jobPart(j: StoredJob): Record<string, unknown> {
	return {
		id: j.id,
		kind: j.kind,
		startDate: j.startDate,
		hoursPerWeek: j.hoursPerWeek,
		title: j.jobTitle,
		employer: j.employer,
		reportedBy: j.reportedBy,
		reportedAt: j.reportedAt.toISOString(),
		confirmedAt: j.confirmedAt?.toISOString() ?? null,
		endedOn: j.endedOn,
		endReason: j.endReason,
		sustained: j.sustained.map((s) => ({ weeks: s.weeks, evidence: s.evidence, recordedAt: s.recordedAt.toISOString() }))
	};
}

/** The `change` of a job event, from the event row's own payload and the job as it is now; null when the job is gone. */
function jobChangeOf(event: Event, jobs: StoredJob[]): Record<string, unknown> | null {
	const p = event.payload;
	const job = jobs.find((j) => j.id === p.jobId);
	if (!job) return null;
	const base = { job: jobPart(job), byStaffId: str(p.byStaffId), at: iso(p.at) ?? event.createdAt.toISOString() };
	switch (event.type as JobEventType) {
		case 'job.started':
			return { ...base, reportedBy: p.reportedBy === 'participant' ? 'participant' : 'staff' };
		case 'job.sustained':
			return { ...base, weeks: Number(p.weeks), evidence: String(p.evidence ?? '') };
		case 'job.ended':
			return { ...base, endedOn: String(p.endedOn ?? ''), endReason: String(p.endReason ?? '') };
	}
}

type CheckInFacts = Pick<typeof checkIn.$inferSelect, 'id' | 'referralId' | 'programmeId' | 'instrument' | 'pointId' | 'completedAt' | 'result'>;

/**
 * The `checkIn` part of checkin.completed: the scores when the programme allows health data in events,
 * otherwise (or if the stored result cannot be read as scores) the API address to fetch them from.
 */
function checkInPart(c: CheckInFacts, healthDataInEvents: boolean): Record<string, unknown> {
	const base = { id: c.id, instrument: c.instrument, pointId: c.pointId, completedAt: c.completedAt.toISOString() };
	const scores = healthDataInEvents ? publicScores(c.instrument, c.result) : null;
	if (healthDataInEvents && !scores) log.warn('check-in result not readable as scores: the event carries a link instead', { instrument: c.instrument });
	return scores ? { ...base, scores } : { ...base, href: checkInHref(c.id) };
}

/** The `concern` part of wellbeing.concern_raised, from the event's own payload (insertConcern): no reasons. */
function concernPart(event: Event): Record<string, unknown> | null {
	const p = event.payload;
	const id = str(p.concernId);
	if (!id || !isUuid(id)) return null;
	const raised = {
		id,
		kind: p.kind,
		checkInId: str(p.checkInId),
		raisedAt: iso(p.raisedAt) ?? event.createdAt.toISOString(),
		href: concernHref(id)
	};
	if (event.type !== 'wellbeing.concern_resolved') return raised;
	return { ...raised, resolvedAt: iso(p.resolvedAt) ?? event.createdAt.toISOString(), resolution: p.resolution };
}

type Actor = { type: (typeof ACTOR_TYPES)[number]; id: string | null; name: string | null };

/**
 * Who caused an event, from what its writer stored: an API key (status changes sent back by a case
 * system), a member of staff (byStaffId, or a meeting's staff actor), the person (their referral, check-ins,
 * their own meeting changes and withdrawal) or the portal (concerns it raised, meetings marked by itself).
 */
function actorOf(event: Event, staffById: Map<string, { id: string; name: string }>): Actor {
	const p = event.payload;
	const stored = p.actor as { type?: unknown; kind?: unknown; id?: unknown; name?: unknown; staffId?: unknown } | undefined;
	if (stored?.type === 'api-key') return { type: 'api-key', id: str(stored.id), name: str(stored.name) };
	const staffActor = (id: string | null): Actor => ({ type: 'staff', id, name: (id && staffById.get(id)?.name) ?? null });
	if (stored?.kind === 'staff') return staffActor(str(stored.staffId));
	if (stored?.kind === 'participant') return { type: 'participant', id: null, name: null };
	if (stored?.kind === 'system') return { type: 'system', id: null, name: null };
	const byStaff = str(p.byStaffId);
	if (byStaff) return staffActor(byStaff);
	if (event.type === 'referral.withdrawn') return p.by === 'staff' ? staffActor(null) : { type: 'participant', id: null, name: null };
	if (event.type === 'referral.submitted' || event.type === 'checkin.completed') return { type: 'participant', id: null, name: null };
	if (event.type === 'referral.assigned' && p.how === 'first-meeting') return { type: 'participant', id: null, name: null };
	return { type: 'system', id: null, name: null };
}

export class PayloadError extends Error {}

/**
 * Builds the payloads for a set of events (one query per table, not per event). Events this version does
 * not describe, or whose referral is gone, get a PayloadError instead, so the caller can record it.
 */
export async function buildPayloads(db: Db | Tx, events: Event[]): Promise<Map<number, EventPayload | PayloadError>> {
	const out = new Map<number, EventPayload | PayloadError>();
	const referralIds = [...new Set(events.map((e) => e.referralId).filter((id): id is string => !!id))];
	const referrals = referralIds.length ? await db.select().from(referral).where(inArray(referral.id, referralIds)) : [];
	const byId = new Map(referrals.map((r) => [r.id, r]));
	const checkInIds = [
		...new Set(events.filter((e) => e.type === 'checkin.completed').map((e) => str(e.payload.checkInId)).filter((id): id is string => !!id && isUuid(id)))
	];
	const checkIns = checkInIds.length
		? await db
				.select({
					id: checkIn.id,
					referralId: checkIn.referralId,
					programmeId: checkIn.programmeId,
					instrument: checkIn.instrument,
					pointId: checkIn.pointId,
					completedAt: checkIn.completedAt,
					result: checkIn.result
				})
				.from(checkIn)
				.where(inArray(checkIn.id, checkInIds))
		: [];
	const checkInById = new Map(checkIns.map((c) => [c.id, c]));
	const programmeIds = [...new Set([...referrals.map((r) => r.programmeId), ...checkIns.map((c) => c.programmeId)])];
	const programmes = programmeIds.length
		? await db.select({ id: programme.id, name: programme.name, measures: programme.measures }).from(programme).where(inArray(programme.id, programmeIds))
		: [];
	const programmeNames = new Map(programmes.map((p) => [p.id, p.name]));
	// Read now: inside the appending transaction this is the setting at the moment the event happens.
	const healthDataInEvents = new Map(programmes.map((p) => [p.id, readProgrammeMeasures(p.measures ?? null).healthDataInEvents]));
	const meetings = new Map(events.map((e) => [e.id, readMeeting(e)]));
	const actorStaffIds = events.flatMap((e) => [str(e.payload.byStaffId), str((e.payload.actor as { staffId?: unknown } | undefined)?.staffId)]);
	const staffIds = [
		...new Set(
			[...referrals.map((r) => r.assignedStaffId), ...[...meetings.values()].map((m) => m?.staffId), ...actorStaffIds].filter((id): id is string => !!id && isUuid(id))
		)
	];
	const people = staffIds.length ? await db.select({ id: staff.id, name: staff.name, email: staff.email }).from(staff).where(inArray(staff.id, staffIds)) : [];
	const staffById = new Map(people.map((s) => [s.id, s]));
	const venueIds = [...new Set([...meetings.values()].flatMap((m) => [m?.venueId, m?.previous?.venueId]).filter((id): id is string => !!id && isUuid(id)))];
	const places = venueIds.length
		? await db.select({ id: venue.id, name: venue.name, address: venue.address, postcode: venue.postcode }).from(venue).where(inArray(venue.id, venueIds))
		: [];
	const venueById = new Map(places.map((v) => [v.id, v]));
	const jobRows = referralIds.length
		? await db.select().from(jobOutcome).where(inArray(jobOutcome.referralId, referralIds)).orderBy(asc(jobOutcome.startDate), asc(jobOutcome.reportedAt))
		: [];
	const sustainedRows = jobRows.length
		? await db.select().from(jobSustainment).where(inArray(jobSustainment.jobId, jobRows.map((j) => j.id))).orderBy(asc(jobSustainment.weeks))
		: [];
	const jobsByReferral = new Map<string, StoredJob[]>();
	for (const j of jobRows)
		jobsByReferral.set(j.referralId, [...(jobsByReferral.get(j.referralId) ?? []), { ...j, sustained: sustainedRows.filter((s) => s.jobId === j.id) }]);
	const consents = referralIds.length
		? await db.select().from(consent).where(inArray(consent.referralId, referralIds)).orderBy(asc(consent.recordedAt), asc(consent.kind))
		: [];

	for (const event of events) {
		const row = event.referralId ? byId.get(event.referralId) : undefined;
		if (!isWebhookEventType(event.type)) {
			out.set(event.id, new PayloadError(`events of type ${event.type} are not part of payload version ${PAYLOAD_VERSION}`));
			continue;
		}
		if (!row) {
			out.set(event.id, new PayloadError('the referral of this event no longer exists'));
			continue;
		}
		let parts: Record<string, unknown>;
		if (isMeetingEventType(event.type)) {
			const stored = meetings.get(event.id);
			if (!stored) {
				out.set(event.id, new PayloadError('this meeting event has no meeting in it'));
				continue;
			}
			parts = meetingParts(event, stored, venueById, staffById);
		} else if (event.type === 'checkin.completed') {
			const id = str(event.payload.checkInId);
			const found = id ? checkInById.get(id) : undefined;
			if (!found || found.referralId !== row.id) {
				out.set(event.id, new PayloadError('the check-in of this event no longer exists'));
				continue;
			}
			parts = { checkIn: checkInPart(found, healthDataInEvents.get(found.programmeId) === true) };
		} else if (event.type === 'wellbeing.concern_raised' || event.type === 'wellbeing.concern_resolved') {
			const concern = concernPart(event);
			if (!concern) {
				out.set(event.id, new PayloadError('this concern event has no concern in it'));
				continue;
			}
			parts = { concern };
		} else if (isJobEventType(event.type)) {
			const change = jobChangeOf(event, jobsByReferral.get(row.id) ?? []);
			if (!change) {
				out.set(event.id, new PayloadError('the job of this event no longer exists'));
				continue;
			}
			parts = { change };
		} else if (isReferralEventType(event.type)) parts = { change: changeOf(event, row.answers) };
		else {
			out.set(event.id, new PayloadError(`events of type ${event.type} have no builder`));
			continue;
		}
		const a = row.answers;
		const answers = Object.fromEntries(Object.entries(a).filter(([k]) => !CONSENT_KEY.test(k)));
		const payload = {
			type: event.type,
			id: event.eventId,
			timestamp: event.createdAt.toISOString(),
			data: {
				version: PAYLOAD_VERSION,
				sequence: event.id,
				actor: actorOf(event, staffById),
				reference: row.reference,
				programme: { id: row.programmeId, name: programmeNames.get(row.programmeId) ?? row.programmeId },
				status: row.status,
				closedReason: row.closedReason,
				assignedTo: row.assignedStaffId ? (staffById.get(row.assignedStaffId) ?? null) : null,
				source: {
					code: row.sourceCode,
					detail: row.sourceDetail,
					odsCode: row.sourceOdsCode,
					linkCode: row.sourceLinkCode,
					dwpCategory: row.dwpCategory
				},
				eligibilityOutcome: row.eligibilityOutcome,
				submittedAt: row.submittedAt.toISOString(),
				contactTargetDate: row.contactTargetDate,
				firstContactAt: row.firstContactAt?.toISOString() ?? null,
				statusChangedAt: row.statusChangedAt.toISOString(),
				person:
					row.erasedAt || !row.dateOfBirth
						? null
						: {
								givenName: row.givenName,
								familyName: row.familyName,
								preferredName: str(a.preferredName),
								pronouns: str(a.pronouns),
								dateOfBirth: row.dateOfBirth,
								postcode: row.postcode,
								email: row.email,
								phone: row.phone
							},
				contactPreferences: {
					channels: strList(a.contactChannels),
					bestTimes: strList(a.bestTimes),
					messagesMayNameService: yn(a.messagesMayNameService),
					postAllowed: yn(a.postAllowed),
					contactReferrer: a.contactReferrer === 'yes' || a.contactReferrer === 'no' || a.contactReferrer === 'no-referrer' ? a.contactReferrer : null
				},
				consents: consents
					.filter((c) => c.referralId === row.id)
					.map((c) => ({
						kind: c.kind,
						given: c.given,
						version: c.textVersion,
						recordedAt: c.recordedAt.toISOString(),
						withdrawnAt: c.withdrawnAt?.toISOString() ?? null
					})),
				answers,
				preferredLanguage: row.preferredLanguage ?? LOCALE_INFO[BASE_LOCALE].tag,
				jobs: (jobsByReferral.get(row.id) ?? []).map(jobPart),
				...parts
			}
		};
		const parsed = eventPayloadSchema.safeParse(payload);
		out.set(event.id, parsed.success ? parsed.data : new PayloadError(`payload does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 400)}`));
	}
	return out;
}

/** The payload of one event (for tests and the delivery log). */
export async function buildPayload(db: Db | Tx, ev: Event): Promise<EventPayload> {
	const result = (await buildPayloads(db, [ev])).get(ev.id)!;
	if (result instanceof PayloadError) throw result;
	return result;
}

// ---- snapshots: the body fixed when the event is appended ---------------------------------------------

/**
 * The public payload of an event about to be appended, built inside the appending transaction (so it
 * shows the referral as that transaction leaves it) and checked against the published schema. Its
 * position (`data.sequence`) is not known yet: snapshotBody fills it in. Throws a PayloadError when the
 * body cannot be built or does not validate: an invalid event is never written.
 */
export async function draftSnapshot(
	tx: Db | Tx,
	values: Pick<Event, 'eventId' | 'type' | 'referralId' | 'programmeId' | 'payload' | 'createdAt'>
): Promise<EventPayload> {
	// A placeholder position (the schema wants a positive one); snapshotBody writes the real one.
	const provisional = { ...values, id: 1, body: null } as Event;
	const built = !isWebhookEventType(values.type)
		? new PayloadError(`events of type ${values.type} have no published schema`)
		: (await buildPayloads(tx, [provisional])).get(1);
	if (!built || built instanceof PayloadError) {
		const reason = built?.message ?? 'the body was not built';
		log.error('event refused: its body does not match the published schema', { type: values.type, reason });
		throw built ?? new PayloadError(reason);
	}
	return built;
}

/** The body as sent: the draft with its position in the log, as JSON. */
export function snapshotBody(draft: EventPayload, sequence: number): string {
	draft.data.sequence = sequence;
	return JSON.stringify(draft);
}

/**
 * The body of each event as every reader sends it: the snapshot stored when it was appended, or, for an
 * event appended before snapshots existed, the payload built now.
 */
export async function eventBodies(db: Db | Tx, events: Event[]): Promise<Map<number, string | PayloadError>> {
	const out = new Map<number, string | PayloadError>();
	const unsnapped = events.filter((e) => !e.body);
	const built = unsnapped.length ? await buildPayloads(db, unsnapped) : new Map<number, EventPayload | PayloadError>();
	for (const e of events) {
		if (e.body) out.set(e.id, e.body);
		else {
			const payload = built.get(e.id);
			out.set(e.id, !payload ? new PayloadError('the event is missing') : payload instanceof PayloadError ? payload : JSON.stringify(payload));
		}
	}
	return out;
}
