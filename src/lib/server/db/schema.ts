
import {
	bigint,
	bigserial,
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { BookingSettings } from '$lib/domain/meetings/settings';
import type { ProgrammeMeasures } from '$lib/domain/measures/settings';
import type { ServiceSettings } from '$lib/domain/service-hours';
import type { ModeKind } from '$lib/domain/meetings/modes';
import type { MeetingStatus } from '$lib/domain/meetings/meeting';
import type { Alternative, Area, EligibilityRules, ProgrammeKind } from '$lib/domain/programme';
import type { EligibilityResult } from '$lib/domain/eligibility';
import type { ReferralSource } from '$lib/domain/sources';
import type { DraftAnswers } from '$lib/domain/draft-answers';
import type { Evidence, JobDraft, JobEndReason, JobKind, OutcomeSettings } from '$lib/domain/jobs';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const programme = pgTable('programme', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	kind: text('kind').$type<ProgrammeKind>().notNull(),
	summary: text('summary').notNull(),
	area: jsonb('area').$type<Area>().notNull(),
	areaDescription: text('area_description').notNull(),
	rules: jsonb('rules').$type<EligibilityRules>().notNull(),
	contactTargetWorkingDays: integer('contact_target_working_days').notNull(),
	helplinePhone: text('helpline_phone').notNull(),
	helplineHours: text('helpline_hours').notNull(),
	teamEmail: text('team_email').notNull(),
	alternatives: jsonb('alternatives').$type<Alternative[]>().notNull(),
	/** The inbox warns when a specialist holds more open referrals than this. */
	caseloadCap: integer('caseload_cap').notNull().default(25),
	/** Meeting length, buffer, notice, how far ahead, reminders; null means DEFAULT_BOOKING_SETTINGS. */
	booking: jsonb('booking').$type<BookingSettings | null>(),
	/** Measures settings ({ hidePreviousRatings }); null means the defaults (previous ratings hidden while rating). */
	measures: jsonb('measures').$type<Partial<ProgrammeMeasures> | null>(),
	/** Opening hours, closed days, safety contacts and crisis acknowledgement time; null means DEFAULT_SERVICE_SETTINGS. */
	service: jsonb('service').$type<ServiceSettings | null>(),
	/** Job outcome settings ({ sustainmentWeeks }); null means DEFAULT_OUTCOME_SETTINGS (13 and 26 weeks). */
	outcomes: jsonb('outcomes').$type<Partial<OutcomeSettings> | null>(),
	/** Years a referral's personal data is kept after it closes (or the person withdraws); then erased (data-rights/retention.ts). */
	retentionYears: integer('retention_years').notNull().default(3),
	/** Raised by every change an admin makes; each version is kept in programme_revision. */
	version: integer('version').notNull().default(1),
	/** Version of the seed file this row was last written from (null when edited by an admin). */
	seedVersion: integer('seed_version'),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Fit Note, leaflet and campaign links: /r/<code>. */
export const referralLink = pgTable('referral_link', {
	code: text('code').primaryKey(),
	sourceCode: text('source_code').notNull(),
	odsCode: text('ods_code'),
	programmeId: text('programme_id').references(() => programme.id),
	label: text('label').notNull(),
	createdAt: createdAt()
});

/**
 * Where a checker result was reached, anonymously (issue 23): the UK day, the link and GP practice it came
 * from, the programme matched and the outcome with its reason codes. Nothing about the person: no postcode,
 * no date of birth, no draft or referral id (the draft points here until it is sent, never the other way).
 * Kept indefinitely, as counts.
 */
export const checkerOutcome = pgTable(
	'checker_outcome',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		day: date('day').notNull(),
		linkCode: text('link_code'),
		odsCode: text('ods_code'),
		sourceCode: text('source_code'),
		programmeId: text('programme_id'),
		outcome: text('outcome').notNull(),
		reasons: jsonb('reasons').$type<string[]>().notNull().default([])
	},
	(t) => [index('checker_outcome_day_idx').on(t.day, t.linkCode)]
);

/**
 * Per UK day and link: how many times the link was opened and how many checks it started (a first answer
 * saved). `link_code` is '' for checks started without a link, and '(unknown)' for codes no link has.
 */
export const linkActivity = pgTable(
	'link_activity',
	{
		day: date('day').notNull(),
		linkCode: text('link_code').notNull(),
		visits: integer('visits').notNull().default(0),
		checksStarted: integer('checks_started').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.day, t.linkCode] })]
);

/** A journey in progress. The browser holds a random token; only its SHA-256 hash is stored. */
export const draft = pgTable(
	'draft',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		tokenHash: text('token_hash').notNull(),
		answers: jsonb('answers').$type<DraftAnswers>().notNull().default({}),
		/** Pages saved so far, as "flow/page". */
		answered: jsonb('answered').$type<string[]>().notNull().default([]),
		source: jsonb('source').$type<ReferralSource | null>(),
		eligibility: jsonb('eligibility').$type<EligibilityResult | null>(),
		resumeTokenHash: text('resume_token_hash'),
		resumeTokenExpiresAt: timestamp('resume_token_expires_at', { withTimezone: true }),
		/**
		 * The anonymous checker outcome this draft last reached (checker-stats.ts), so a changed answer updates
		 * that row rather than counting the person twice. Cleared when the referral is sent, so no referral can
		 * be traced to its outcome row.
		 */
		checkerOutcomeId: uuid('checker_outcome_id'),
		/** Set when the draft became a referral; a submitted draft is never reopened. */
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [uniqueIndex('draft_token_hash_idx').on(t.tokenHash), uniqueIndex('draft_resume_token_hash_idx').on(t.resumeTokenHash)]
);

export const referral = pgTable(
	'referral',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reference: text('reference').notNull(),
		/** The draft it was submitted from: unique, so a retried submit cannot make a second referral. */
		draftId: uuid('draft_id').notNull(),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		eligibilityOutcome: text('eligibility_outcome').notNull(),
		eligibility: jsonb('eligibility').$type<EligibilityResult>().notNull(),
		status: text('status').notNull().default('received'),
		givenName: text('given_name').notNull(),
		familyName: text('family_name').notNull(),
		/** Null once the person's data is erased (erasedAt). */
		dateOfBirth: date('date_of_birth'),
		postcode: text('postcode').notNull(),
		email: text('email'),
		phone: text('phone'),
		employmentStatus: text('employment_status').notNull(),
		/** Every answer, as given. */
		answers: jsonb('answers').$type<DraftAnswers>().notNull(),
		sourceCode: text('source_code').notNull(),
		sourceOdsCode: text('source_ods_code'),
		sourceLinkCode: text('source_link_code'),
		sourceDetail: text('source_detail'),
		dwpCategory: text('dwp_category').notNull(),
		contactTargetDate: date('contact_target_date').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
		/** The specialist who holds the referral; null while it waits in the programme's queue. */
		assignedStaffId: uuid('assigned_staff_id').references(() => staff.id),
		/** A code from CLOSE_REASONS when status is "closed". */
		closedReason: text('closed_reason'),
		/** First successful contact, for the contact-target KPI. */
		firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
		statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
		/** When the person's personal data was erased (data-rights/erasure.ts): the row stays, with nothing personal. */
		erasedAt: timestamp('erased_at', { withTimezone: true }),
		/** Kept at erasure so the outcomes report's equality counts stay: bands and codes, nothing that identifies. */
		reportFacts: jsonb('report_facts').$type<Record<string, string> | null>(),
		/**
		 * The language the person used when they sent it, as a BCP 47 tag ('en-GB', 'cy', 'ur'): every email
		 * and text to them is written in it. Null for referrals sent before languages: read as English.
		 * Not personal data (it stays at erasure).
		 */
		preferredLanguage: text('preferred_language')
	},
	(t) => [
		uniqueIndex('referral_reference_idx').on(t.reference),
		uniqueIndex('referral_draft_id_idx').on(t.draftId),
		index('referral_programme_idx').on(t.programmeId, t.submittedAt),
		index('referral_assigned_idx').on(t.assignedStaffId),
		// The inbox (casework/inbox.ts) reads a page in order from one of these two, and counts from the third.
		// Awaiting contact: new, or a first meeting booked that does not count as contact, with no contact yet.
		index('referral_awaiting_idx')
			.on(t.programmeId, t.contactTargetDate, t.submittedAt, t.reference)
			.where(sql`${t.status} in ('received', 'meeting-booked') and ${t.firstContactAt} is null`),
		index('referral_inbox_rest_idx')
			.on(t.programmeId, t.submittedAt, t.reference)
			.where(sql`not (${t.status} in ('received', 'meeting-booked') and ${t.firstContactAt} is null)`),
		index('referral_counts_idx').on(t.programmeId, t.status, t.assignedStaffId, t.firstContactAt, t.contactTargetDate)
	]
);

export const consent = pgTable(
	'consent',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		kind: text('kind').notNull(),
		given: boolean('given').notNull(),
		textVersion: text('text_version').notNull(),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true })
	},
	(t) => [index('consent_referral_idx').on(t.referralId)]
);

/**
 * The durable event log. Every state change the outside world must hear about is written here in the
 * same transaction as the change; notifications and case-system feeds read it. Ordered by `id`.
 */
export const event = pgTable(
	'event',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		eventId: uuid('event_id').notNull().defaultRandom(),
		type: text('type').notNull(),
		referralId: uuid('referral_id').references(() => referral.id),
		programmeId: text('programme_id').references(() => programme.id),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
		/**
		 * The public payload (events/payload.ts) as sent, fixed when the event is appended (same
		 * transaction): every webhook try, replay and pull API page carries these exact bytes.
		 */
		body: text('body'),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('event_event_id_idx').on(t.eventId), index('event_referral_idx').on(t.referralId, t.id)]
);

/** Fixed-window counters for rate limits, shared by every app instance. */
export const rateLimit = pgTable('rate_limit', {
	key: text('key').primaryKey(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
	count: integer('count').notNull()
});

// ---- staff ----------------------------------------------------------------------------------------

export const staff = pgTable(
	'staff',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Stored lower-case. */
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: text('role').$type<'specialist' | 'team-lead' | 'admin'>().notNull(),
		passwordHash: text('password_hash').notNull(),
		/** TOTP key, base32. */
		totpSecret: text('totp_secret').notNull(),
		/** The last TOTP time step accepted, so one code cannot be used twice. */
		totpLastStep: bigint('totp_last_step', { mode: 'number' }),
		failedAttempts: integer('failed_attempts').notNull().default(0),
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		/** GP practices (ODS codes) this specialist is linked to: referrals from them are routed here. */
		practices: jsonb('practices').$type<string[]>().notNull().default([]),
		/** The video-call link this specialist gives for meetings by video. */
		videoLink: text('video_link'),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('staff_email_idx').on(t.email)]
);

export const staffProgramme = pgTable(
	'staff_programme',
	{
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id)
	},
	(t) => [primaryKey({ columns: [t.staffId, t.programmeId] })]
);

/** One-time recovery codes for a lost authenticator; only hashes are kept. */
export const recoveryCode = pgTable(
	'recovery_code',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('recovery_code_staff_idx').on(t.staffId)]
);

/** Sessions after the Lucia guide: the id is the SHA-256 of the token the browser holds. */
export const session = pgTable(
	'session',
	{
		id: text('id').primaryKey(),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		/** Null until the authenticator code was accepted: such a session can only finish signing in. */
		mfaVerifiedAt: timestamp('mfa_verified_at', { withTimezone: true }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('session_staff_idx').on(t.staffId)]
);

export const contactAttempt = pgTable(
	'contact_attempt',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		channel: text('channel').notNull(),
		outcome: text('outcome').notNull(),
		note: text('note'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('contact_attempt_referral_idx').on(t.referralId)]
);

/** Who saw or changed what, when. Append-only: a trigger refuses updates and deletes. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		staffId: uuid('staff_id').references(() => staff.id),
		action: text('action').notNull(),
		referralId: uuid('referral_id').references(() => referral.id),
		programmeId: text('programme_id'),
		detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({})
	},
	(t) => [index('audit_log_referral_idx').on(t.referralId), index('audit_log_at_idx').on(t.at)]
);

/** Every version of a programme an admin saved. */
export const programmeRevision = pgTable(
	'programme_revision',
	{
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		version: integer('version').notNull(),
		data: jsonb('data').$type<Record<string, unknown>>().notNull(),
		staffId: uuid('staff_id').references(() => staff.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.programmeId, t.version] })]
);

// ---- reading the event log -----------------------------------------------------------------------

/** How far a reader of the event log (e.g. the notifier) has got. */
export const eventConsumer = pgTable('event_consumer', {
	name: text('name').primaryKey(),
	lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** What a job of the queue is at: waiting (or being tried), done, given up after its tries, or not needed any more. */
export type JobStatus = 'pending' | 'done' | 'failed' | 'dropped';

/**
 * What a job carries beyond its indexed columns. Emails: `kind` (what the email is about, e.g.
 * 'participant.sign_in'), `subject`, `body` and `attachments`; texts: `kind` and `body`; check-in
 * reminders: `pointId`.
 */
export interface JobPayload {
	kind?: string;
	subject?: string;
	body?: string;
	/** Files sent with an email (a meeting's .ics). */
	attachments?: EmailAttachment[] | null;
	pointId?: string;
	/** A sustainment reminder's job and point (casework/job-reminders.ts). */
	jobId?: string;
	weeks?: number;
}

/**
 * The one queue of background work (jobs/worker.ts): emails, texts, meeting reminders, check-in reminders
 * and webhook deliveries.
 * A job is written in the transaction that causes it; `key` is unique, so queueing the same work twice
 * adds nothing. The worker claims due jobs with a lease (jobs/lease.ts), runs the handler of their
 * `kind`, and settles them: done, dropped (with the reason in `last_error`), tried again after a backoff,
 * or failed once its kind gives up. Rows stay as the record of what was sent.
 */
export const job = pgTable(
	'job',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Which handler runs it: 'email', 'text', 'meeting.reminder', 'check_in.reminder', 'webhook.delivery'. */
		kind: text('kind').notNull(),
		/** Unique: the same work is queued once (e.g. `email:<eventId>:<address>`). */
		key: text('key').notNull(),
		status: text('status').$type<JobStatus>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		/** When it should first run (a reminder's time); it is not claimed before. */
		dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		/** The last failure, or why it was dropped. */
		lastError: text('last_error'),
		/** When it was done (an email or reminder accepted for delivery). */
		doneAt: timestamp('done_at', { withTimezone: true }),
		createdAt: createdAt(),
		payload: jsonb('payload').$type<JobPayload>().notNull().default({}),
		/** The event that caused it (emails). */
		eventId: uuid('event_id'),
		meetingId: uuid('meeting_id'),
		participantId: uuid('participant_id'),
		channel: text('channel').$type<'email' | 'text'>(),
		/** The address or phone number it goes to. */
		recipient: text('recipient'),
		/** The webhook_delivery it sends (kind 'webhook.delivery'). */
		deliveryId: bigint('delivery_id', { mode: 'number' })
	},
	(t) => [
		uniqueIndex('job_key_idx').on(t.key),
		index('job_due_idx').on(t.status, t.nextAttemptAt),
		index('job_event_idx').on(t.eventId),
		index('job_meeting_idx').on(t.meetingId),
		index('job_participant_idx').on(t.participantId),
		index('job_delivery_idx').on(t.deliveryId)
	]
);

export type Programme = typeof programme.$inferSelect;
export type Draft = typeof draft.$inferSelect;
export type Referral = typeof referral.$inferSelect;
export type Consent = typeof consent.$inferSelect;
export type Event = typeof event.$inferSelect;
export type Staff = typeof staff.$inferSelect;
export type Session = typeof session.$inferSelect;
export type ContactAttempt = typeof contactAttempt.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type Job = typeof job.$inferSelect;
export type NewJob = typeof job.$inferInsert;

// ---- the case system: webhooks and the pull API ------------------------------------------------------

/** A receiver of signed webhooks (Standard Webhooks). */
export const webhookSubscription = pgTable('webhook_subscription', {
	id: uuid('id').primaryKey().defaultRandom(),
	url: text('url').notNull(),
	/** Event types delivered; empty means every type. */
	eventTypes: jsonb('event_types').$type<string[]>().notNull().default([]),
	/** Programmes covered. */
	programmeIds: jsonb('programme_ids').$type<string[]>().notNull(),
	/** "whsec_" + base64 key, as the standardwebhooks library expects. */
	secret: text('secret').notNull(),
	/** After a rotation, the old secret: deliveries are signed with both until previousSecretUntil. */
	previousSecret: text('previous_secret'),
	previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
	/** What beyond the core it receives: "health", "equality" (events/minimise.ts). New ones: the core only. */
	dataScopes: jsonb('data_scopes').$type<string[]>().notNull().default([]),
	/** When the admins were told it has been failing for a day; cleared once nothing is failing. */
	failureAlertedAt: timestamp('failure_alerted_at', { withTimezone: true }),
	description: text('description').notNull().default(''),
	/** Events after this id are delivered to it (set when it is created, so it does not replay history). */
	startAfterEventId: bigint('start_after_event_id', { mode: 'number' }).notNull().default(0),
	disabledAt: timestamp('disabled_at', { withTimezone: true }),
	createdAt: createdAt()
});

/**
 * One event for one subscription: the record of its delivery. Rows are created by the fan-out (a consumer
 * of the event log), each with its job (kind 'webhook.delivery', which holds the lease); the deliverer
 * updates the row in the transaction that settles the job, so `attempts` and `next_attempt_at` are the
 * job's as of its last try. The same webhook-id (the event's event_id) is sent on every attempt.
 */
export const webhookDelivery = pgTable(
	'webhook_delivery',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		subscriptionId: uuid('subscription_id')
			.notNull()
			.references(() => webhookSubscription.id),
		eventId: bigint('event_id', { mode: 'number' })
			.notNull()
			.references(() => event.id),
		/** Events of one referral go in order: a later one waits while an earlier one is undelivered. */
		referralId: uuid('referral_id'),
		status: text('status').$type<'pending' | 'delivered' | 'dead'>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastStatusCode: integer('last_status_code'),
		lastError: text('last_error'),
		deliveredAt: timestamp('delivered_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('webhook_delivery_sub_event_idx').on(t.subscriptionId, t.eventId),
		index('webhook_delivery_due_idx').on(t.status, t.nextAttemptAt),
		index('webhook_delivery_referral_idx').on(t.subscriptionId, t.referralId, t.eventId)
	]
);

/** Every attempt, for the delivery log. */
export const webhookAttempt = pgTable(
	'webhook_attempt',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		deliveryId: bigint('delivery_id', { mode: 'number' })
			.notNull()
			.references(() => webhookDelivery.id),
		subscriptionId: uuid('subscription_id').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		statusCode: integer('status_code'),
		latencyMs: integer('latency_ms').notNull(),
		error: text('error')
	},
	(t) => [index('webhook_attempt_sub_idx').on(t.subscriptionId, t.id)]
);

/** API keys for the pull API: shown once, only a hash stored, scoped to programmes, revocable. */
export const apiKey = pgTable(
	'api_key',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		/** The first characters, to tell keys apart in lists. */
		prefix: text('prefix').notNull(),
		keyHash: text('key_hash').notNull(),
		programmeIds: jsonb('programme_ids').$type<string[]>().notNull(),
		/** read-write may send statuses back; read-only may only read (events, referrals, check-ins). */
		access: text('access').$type<'read-write' | 'read-only'>().notNull().default('read-write'),
		/** What beyond the core it reads: "health", "equality" (events/minimise.ts). New ones: the core only. */
		dataScopes: jsonb('data_scopes').$type<string[]>().notNull().default([]),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('api_key_hash_idx').on(t.keyHash)]
);

/** Replayed requests with the same Idempotency-Key get the first response and change nothing. */
export const idempotencyRecord = pgTable(
	'idempotency_record',
	{
		apiKeyId: uuid('api_key_id')
			.notNull()
			.references(() => apiKey.id),
		key: text('key').notNull(),
		requestHash: text('request_hash').notNull(),
		statusCode: integer('status_code').notNull(),
		body: jsonb('body').$type<unknown>().notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.apiKeyId, t.key] })]
);

export type WebhookSubscription = typeof webhookSubscription.$inferSelect;
export type WebhookDelivery = typeof webhookDelivery.$inferSelect;
export type ApiKey = typeof apiKey.$inferSelect;

export interface EmailAttachment {
	filename: string;
	contentType: string;
	content: string;
}

// ---- participants ----------------------------------------------------------------------------------

/** A person who referred themselves, as someone who can sign in: one per referral. */
export const participant = pgTable(
	'participant',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		/** Stored lower-case; codes are sent here. */
		email: text('email'),
		/** As normalised by the referral journey; codes go here by text only with textConsent. */
		phone: text('phone'),
		/** The person agreed to texts (reminders, sign-in codes). */
		textConsent: boolean('text_consent').notNull().default(false),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('participant_referral_idx').on(t.referralId), index('participant_email_idx').on(t.email), index('participant_phone_idx').on(t.phone)]
);

/** Participant sessions, separate from staff sessions: the id is the SHA-256 of the browser's token. */
export const participantSession = pgTable(
	'participant_session',
	{
		id: text('id').primaryKey(),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('participant_session_participant_idx').on(t.participantId)]
);

/**
 * A sign-in in progress: a 6-digit code (and optionally a magic link) sent to an address. The browser
 * that asked holds a token whose hash is `tokenHash`. `participantId` is null when the address is not
 * known, so the pages behave the same either way. Only hashes are stored.
 */
export const participantSignIn = pgTable(
	'participant_sign_in',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		tokenHash: text('token_hash').notNull(),
		participantId: uuid('participant_id').references(() => participant.id),
		/** SHA-256 of the normalised address, for the lockout across sign-ins. */
		addressHash: text('address_hash').notNull(),
		channel: text('channel').$type<'email' | 'text'>().notNull(),
		codeHash: text('code_hash').notNull(),
		linkHash: text('link_hash'),
		attempts: integer('attempts').notNull().default(0),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('participant_sign_in_token_idx').on(t.tokenHash),
		uniqueIndex('participant_sign_in_link_idx').on(t.linkHash),
		index('participant_sign_in_address_idx').on(t.addressHash, t.createdAt)
	]
);

// ---- availability and meetings -----------------------------------------------------------------------

/** Places where in-person meetings happen. Admins edit them. */
export const venue = pgTable('venue', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	address: text('address').notNull(),
	postcode: text('postcode').notNull().default(''),
	accessibilityNotes: text('accessibility_notes').notNull().default(''),
	privateRoom: boolean('private_room').notNull().default(false),
	disabledAt: timestamp('disabled_at', { withTimezone: true }),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** A specialist's weekly hours: UK wall-clock 'HH:mm' on an ISO weekday (1 Monday to 7 Sunday). */
export const availabilityPattern = pgTable(
	'availability_pattern',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		weekday: integer('weekday').notNull(),
		start: text('start').notNull(),
		end: text('end').notNull(),
		modes: jsonb('modes').$type<ModeKind[]>().notNull(),
		venueId: uuid('venue_id').references(() => venue.id),
		createdAt: createdAt()
	},
	(t) => [index('availability_pattern_staff_idx').on(t.staffId)]
);

/** Extra hours on one UK date, or hours taken away from that date. */
export const availabilityChange = pgTable(
	'availability_change',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		kind: text('kind').$type<'extra' | 'removed'>().notNull(),
		date: date('date').notNull(),
		start: text('start').notNull(),
		end: text('end').notNull(),
		modes: jsonb('modes').$type<ModeKind[]>().notNull().default([]),
		venueId: uuid('venue_id').references(() => venue.id),
		createdAt: createdAt()
	},
	(t) => [index('availability_change_staff_idx').on(t.staffId, t.date)]
);

/** Leave: whole UK days, first and last included. */
export const staffLeave = pgTable(
	'staff_leave',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		fromDate: date('from_date').notNull(),
		toDate: date('to_date').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('staff_leave_staff_idx').on(t.staffId, t.fromDate)]
);

/**
 * A meeting between a participant and a specialist. `version` goes up with every reschedule (the .ics
 * SEQUENCE); the id is the .ics UID. At most one meeting that holds time starts at one moment for one
 * specialist (a partial unique index), and booking takes a per-specialist lock to check overlaps.
 */
export const meeting = pgTable(
	'meeting',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		staffId: uuid('staff_id')
			.notNull()
			.references(() => staff.id),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		mode: text('mode').$type<ModeKind>().notNull(),
		venueId: uuid('venue_id').references(() => venue.id),
		status: text('status').$type<MeetingStatus>().notNull().default('booked'),
		version: integer('version').notNull().default(1),
		/** Someone the person invited to join (a referrer or health worker). */
		inviteeEmail: text('invitee_email'),
		cancelReason: text('cancel_reason'),
		cancelledBy: text('cancelled_by').$type<'participant' | 'staff' | null>(),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		outcomeAt: timestamp('outcome_at', { withTimezone: true }),
		outcomeStaffId: uuid('outcome_staff_id').references(() => staff.id),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('meeting_staff_start_idx')
			.on(t.staffId, t.startsAt)
			.where(sql`status <> 'cancelled'`),
		index('meeting_participant_idx').on(t.participantId, t.startsAt),
		index('meeting_staff_idx').on(t.staffId, t.startsAt),
		index('meeting_programme_idx').on(t.programmeId, t.startsAt)
	]
);

/** Work for staff with a due time, shown in the inbox (e.g. the follow-up after a missed meeting). */
export const task = pgTable(
	'task',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Unique, so the same follow-up is never created twice. */
		key: text('key').notNull(),
		kind: text('kind').notNull(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		meetingId: uuid('meeting_id').references(() => meeting.id),
		/** Who should do it; null means the programme's team. */
		staffId: uuid('staff_id').references(() => staff.id),
		title: text('title').notNull(),
		note: text('note'),
		channel: text('channel'),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		doneAt: timestamp('done_at', { withTimezone: true }),
		doneStaffId: uuid('done_staff_id').references(() => staff.id),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('task_key_idx').on(t.key), index('task_due_idx').on(t.programmeId, t.doneAt, t.dueAt)]
);

// ---- job outcomes --------------------------------------------------------------------------------------

/**
 * A job a participant started (domain/jobs.ts): reported by them (confirmedAt null until their specialist
 * confirms it) or recorded by a specialist (confirmed as recorded). A job that ends keeps its row, with the
 * date and a coded reason; support can go on, and a later job is another row.
 */
export const jobOutcome = pgTable(
	'job_outcome',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		kind: text('kind').$type<JobKind>().notNull(),
		startDate: date('start_date').notNull(),
		hoursPerWeek: real('hours_per_week').notNull(),
		jobTitle: text('job_title').notNull(),
		employer: text('employer'),
		reportedBy: text('reported_by').$type<'participant' | 'staff'>().notNull(),
		reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		confirmedBy: uuid('confirmed_by').references(() => staff.id),
		endedOn: date('ended_on'),
		endReason: text('end_reason').$type<JobEndReason>(),
		endRecordedAt: timestamp('end_recorded_at', { withTimezone: true }),
		endRecordedBy: uuid('end_recorded_by').references(() => staff.id)
	},
	(t) => [index('job_outcome_referral_idx').on(t.referralId), index('job_outcome_programme_idx').on(t.programmeId, t.startDate)]
);

/** Sustainment a specialist recorded at one point of a job, with the evidence seen. One row per point. */
export const jobSustainment = pgTable(
	'job_sustainment',
	{
		jobId: uuid('job_id')
			.notNull()
			.references(() => jobOutcome.id),
		weeks: integer('weeks').notNull(),
		evidence: text('evidence').$type<Evidence>().notNull(),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
		recordedBy: uuid('recorded_by')
			.notNull()
			.references(() => staff.id)
	},
	(t) => [primaryKey({ columns: [t.jobId, t.weeks] })]
);

/** The person's own answer near a sustainment point: "Are you still in this job?" The specialist sees it. */
export const jobCheck = pgTable(
	'job_check',
	{
		jobId: uuid('job_id')
			.notNull()
			.references(() => jobOutcome.id),
		weeks: integer('weeks').notNull(),
		stillInWork: boolean('still_in_work').notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.jobId, t.weeks] })]
);

/** "I have started a job" answered page by page, kept until the person sends it (nothing typed is lost). */
export const jobReportDraft = pgTable('job_report_draft', {
	participantId: uuid('participant_id')
		.primaryKey()
		.references(() => participant.id),
	answers: jsonb('answers').$type<JobDraft>().notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export type JobOutcome = typeof jobOutcome.$inferSelect;

export type Participant = typeof participant.$inferSelect;
export type ParticipantSession = typeof participantSession.$inferSelect;
export type Venue = typeof venue.$inferSelect;
export type MeetingRow = typeof meeting.$inferSelect;
export type Task = typeof task.$inferSelect;

// ---- check-ins (measures) ---------------------------------------------------------------------------

/** A completed questionnaire (DIALOG+ for now): the answers and the result its registry scorer gave. */
export const checkIn = pgTable(
	'check_in',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		instrument: text('instrument').notNull(),
		answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
		result: jsonb('result').$type<Record<string, unknown>>().notNull(),
		/** Area keys the person chose to talk about with their specialist (DIALOG+: up to three). */
		talkAbout: jsonb('talk_about').$type<string[]>().notNull().default([]),
		/** The schedule point (programme.measures.schedule) this check-in answered; null when done outside it. */
		pointId: text('point_id'),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('check_in_participant_idx').on(t.participantId, t.instrument, t.completedAt)]
);

/** Answers to a check-in in progress, one row per person and instrument, saved page by page. */
export const checkInDraft = pgTable(
	'check_in_draft',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		instrument: text('instrument').notNull(),
		answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('check_in_draft_participant_idx').on(t.participantId, t.instrument)]
);

export type CheckInRow = typeof checkIn.$inferSelect;

/**
 * An action the specialist and the person agreed for one DIALOG+ area they talked about. Shown again at
 * the person's next DIALOG+ check-in to review.
 */
export const dialogAction = pgTable(
	'dialog_action',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		checkInId: uuid('check_in_id')
			.notNull()
			.references(() => checkIn.id),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		areaKey: text('area_key').notNull(),
		action: text('action').notNull(),
		createdStaffId: uuid('created_staff_id').references(() => staff.id),
		/** Set when the person reviewed it at a later check-in. */
		reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
		reviewCheckInId: uuid('review_check_in_id').references(() => checkIn.id),
		/** done, partly, not-done: the person's own answer when reviewing. */
		reviewOutcome: text('review_outcome'),
		createdAt: createdAt()
	},
	(t) => [index('dialog_action_participant_idx').on(t.participantId, t.createdAt)]
);

/**
 * A "wellbeing concern" flag in the specialist's inbox: a steep fall between two check-ins, a falling
 * trend with missed meetings, or a crisis answer (PHQ-9 item 9). Reasons are words, never answers.
 */
export const wellbeingConcern = pgTable(
	'wellbeing_concern',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Unique, so the same concern is never raised twice (e.g. `<checkInId>:steep-fall`). */
		key: text('key').notNull(),
		kind: text('kind').$type<'steep-fall' | 'falling-trend' | 'crisis'>().notNull(),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => participant.id),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		checkInId: uuid('check_in_id').references(() => checkIn.id),
		reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
		raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
		/** A crisis answer must be acknowledged by then (counted in opening hours), or it is sent again. */
		acknowledgeBy: timestamp('acknowledge_by', { withTimezone: true }),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
		acknowledgedStaffId: uuid('acknowledged_staff_id').references(() => staff.id),
		/** When it was sent again to the safety contacts and administrators for want of an acknowledgement. */
		escalatedAt: timestamp('escalated_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedStaffId: uuid('resolved_staff_id').references(() => staff.id),
		/** What was done, coded (CONCERN_RESOLUTIONS), and an optional note in staff words. */
		resolution: text('resolution'),
		resolutionNote: text('resolution_note'),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('wellbeing_concern_key_idx').on(t.key),
		index('wellbeing_concern_open_idx').on(t.programmeId, t.resolvedAt),
		index('wellbeing_concern_escalation_idx')
			.on(t.acknowledgeBy)
			.where(sql`${t.resolvedAt} is null and ${t.acknowledgedAt} is null and ${t.escalatedAt} is null and ${t.acknowledgeBy} is not null`)
	]
);

export type DialogActionRow = typeof dialogAction.$inferSelect;
export type WellbeingConcernRow = typeof wellbeingConcern.$inferSelect;


/**
 * A person's request that their data be erased (issue 24), and the decision on it: carried out (the data
 * erased at once, data-rights/erasure.ts) or refused with a lawful reason (ERASURE_REFUSAL_REASONS) and a note.
 */
export const erasureRequest = pgTable(
	'erasure_request',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => referral.id),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programme.id),
		requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
		/** The person's own words, if they gave a reason: removed when the data is erased. */
		reason: text('reason'),
		/** 'requested' (waiting), 'carried-out' or 'refused'. */
		status: text('status').$type<'requested' | 'carried-out' | 'refused'>().notNull().default('requested'),
		/** Answer within one month of the request (UK GDPR article 12(3)). */
		dueBy: date('due_by').notNull(),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		/** The member of staff who decided; null when decided from the command line or by the retention job. */
		decidedBy: uuid('decided_by').references(() => staff.id),
		refusalReason: text('refusal_reason'),
		refusalNote: text('refusal_note')
	},
	(t) => [index('erasure_request_referral_idx').on(t.referralId), index('erasure_request_open_idx').on(t.programmeId, t.status)]
);

/** Random keys this installation made for itself on first use (e.g. signing API cursors). Never shown. */
export const installationSecret = pgTable('installation_secret', {
	name: text('name').primaryKey(),
	value: text('value').notNull(),
	createdAt: createdAt()
});
