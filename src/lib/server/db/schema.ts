
import {
	bigserial,
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Alternative, Area, EligibilityRules, ProgrammeKind } from '$lib/domain/programme';
import type { EligibilityResult } from '$lib/domain/eligibility';
import type { ReferralSource } from '$lib/domain/sources';

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

/** A journey in progress. The browser holds a random token; only its SHA-256 hash is stored. */
export const draft = pgTable(
	'draft',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		tokenHash: text('token_hash').notNull(),
		answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
		/** Pages saved so far, as "flow/page". */
		answered: jsonb('answered').$type<string[]>().notNull().default([]),
		source: jsonb('source').$type<ReferralSource | null>(),
		eligibility: jsonb('eligibility').$type<EligibilityResult | null>(),
		resumeTokenHash: text('resume_token_hash'),
		resumeTokenExpiresAt: timestamp('resume_token_expires_at', { withTimezone: true }),
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
		dateOfBirth: date('date_of_birth').notNull(),
		postcode: text('postcode').notNull(),
		email: text('email'),
		phone: text('phone'),
		employmentStatus: text('employment_status').notNull(),
		/** Every answer, as given. */
		answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
		sourceCode: text('source_code').notNull(),
		sourceOdsCode: text('source_ods_code'),
		sourceLinkCode: text('source_link_code'),
		sourceDetail: text('source_detail'),
		dwpCategory: text('dwp_category').notNull(),
		contactTargetDate: date('contact_target_date').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('referral_reference_idx').on(t.reference),
		uniqueIndex('referral_draft_id_idx').on(t.draftId),
		index('referral_programme_idx').on(t.programmeId, t.submittedAt)
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

export type Programme = typeof programme.$inferSelect;
export type Draft = typeof draft.$inferSelect;
export type Referral = typeof referral.$inferSelect;
export type Consent = typeof consent.$inferSelect;
export type Event = typeof event.$inferSelect;

