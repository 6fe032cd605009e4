/**
 * Factories for integration tests: referrals, participants, staff, programmes and check-ins made through
 * the portal's own server functions (createDraft, assess, saveDraftAnswers, submitReferral, createStaff,
 * saveQuestionAnswer, completeCheckIn), so a test starts from what the portal itself would have written.
 * Every name and address they make carries this file's run suffix and a counter, so files sharing one
 * PostgreSQL database never meet each other's rows.
 */
import { eq } from 'drizzle-orm';
import type { ReferralSource } from '../../src/lib/domain/sources';
import type { ServiceSettings } from '../../src/lib/domain/service-hours';
import { DEFAULT_SERVICE_SETTINGS } from '../../src/lib/domain/service-hours';
import { getInstrument } from '../../src/lib/domain/measures';
import type { ModeKind } from '../../src/lib/domain/meetings/modes';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { availabilityPattern, participant, programme, referral, type CheckInRow, type Referral } from '../../src/lib/server/db/schema';
import { createDraft, saveDraftAnswers } from '../../src/lib/server/drafts';
import { assess } from '../../src/lib/server/journey';
import { completeCheckIn, saveQuestionAnswer, type CheckInOwner } from '../../src/lib/server/measures/check-ins';
import type { BookingParticipant } from '../../src/lib/server/meetings/booking';
import { forgetProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import { addReferralDetails } from '../../src/lib/server/casework/details';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';
import { completeAnswers, splitAfterSending } from './answers';

/** Unique to this test file's run. */
export const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let count = 0;
/** A number not used before in this file's run. */
export const nextNumber = () => ++count;

/** A referral from a GP practice (P84001, in Greater Manchester) by a fit note, through its practice link. */
export const FIT_NOTE_FROM_GP = { code: 'fit-note' as const, odsCode: 'P84001', linkCode: 'gp-p84001' };

export const STAFF_PASSWORD = 'a long enough password';

export interface ReferralOptions {
	/**
	 * Answers over completeAnswers() (a likely-eligible person in Greater Manchester). For aReferral and
	 * aParticipant, answers of the "Tell us more" pages (conditionDescription, nhsNumber, ...) are given after
	 * sending, page by page through addReferralDetails, as /account/more saves them.
	 */
	answers?: Record<string, unknown>;
	/** How they came: a leaflet unless given (null: no source). */
	source?: ReferralSource | null;
}

/** A draft with every answer given and assessed, as the last question page leaves it: ready to submit. */
export async function aReadyDraft(options: ReferralOptions = {}): Promise<{ token: string; draftId: string }> {
	const { after } = splitAfterSending(options.answers);
	if (Object.keys(after).length) throw new Error(`${Object.keys(after).join(', ')} are asked after sending: use aReferral or addDetails`);
	const { token, draft } = await createDraft(options.source === undefined ? { code: 'leaflet' } : options.source);
	const answers = completeAnswers(options.answers);
	const assessment = await assess({ answers, source: draft.source });
	if (assessment.status !== 'done') throw new Error('answers should be complete');
	await saveDraftAnswers(draft, 'refer/consent', answers, assessment.result);
	return { token, draftId: draft.id };
}

/**
 * The "Tell us more" answers given after sending, saved as /account/more saves them: one
 * addReferralDetails call per page that has an answer here (its other questions left blank), in page order.
 * Not validated by the page's schema, so a test can store what the form would refuse (a number without
 * its consent).
 */
export async function addDetails(referralId: string, answers: Record<string, unknown>, now = new Date()): Promise<Referral> {
	let row: Referral | undefined;
	for (const page of MORE_PAGES) {
		const names = page.fields.map((f) => f.name);
		if (!names.some((n) => n in answers)) continue;
		// As the page's form gives them: a question left blank is null, a box not ticked a consent not given.
		const blank = (f: (typeof page.fields)[number]) => (f.kind === 'consent' ? { given: false, version: f.version, at: now.toISOString() } : null);
		const values = Object.fromEntries(page.fields.map((f) => [f.name, f.name in answers ? answers[f.name] : blank(f)]));
		row = await addReferralDetails(referralId, page, values, now);
	}
	if (!row) throw new Error('no answer of a "Tell us more" page given');
	return row;
}

/** A submitted referral (submitted `now`, default the present), with any "Tell us more" answers added after. */
export async function aReferral(options: ReferralOptions & { now?: Date } = {}): Promise<Referral> {
	const { before, after } = splitAfterSending(options.answers);
	const { draftId } = await aReadyDraft({ ...options, answers: before });
	const sent = (await submitReferral(draftId, options.now ?? new Date())).referral;
	return Object.keys(after).length ? addDetails(sent.id, after, options.now ?? new Date()) : sent;
}

/** A referred person as their session gives them (a BookingParticipant is also a CheckInOwner), with their referral's reference. */
export interface Participant extends BookingParticipant {
	reference: string;
}

/**
 * A person who referred themselves, with an email address of their own unless `answers.email` says
 * otherwise. With `programmeId` their referral is moved into that programme (one made by aProgramme covers
 * no area, so the checker never routes there).
 */
export async function aParticipant(options: ReferralOptions & { now?: Date; programmeId?: string } = {}): Promise<Participant> {
	const email = `person-${nextNumber()}-${RUN}@example.com`;
	const created = await aReferral({ ...options, answers: { email, ...options.answers } });
	const db = await getDb();
	const programmeId = options.programmeId ?? created.programmeId;
	if (programmeId !== created.programmeId) await db.update(referral).set({ programmeId }).where(eq(referral.id, created.id));
	const [p] = await db.select().from(participant).where(eq(participant.referralId, created.id));
	return { id: p.id, referralId: created.id, programmeId, email: p.email, phone: p.phone, textConsent: p.textConsent, reference: created.reference };
}

/** The text-reminders consent answer, given or not. */
export function textRemindersConsent(given: boolean) {
	return { consentTextReminders: { given, version: 'text-reminders-2026-11-v1', at: new Date().toISOString() } };
}

export interface StaffOptions {
	practices?: string[];
	name?: string;
	email?: string;
	/** Weekdays (1 Monday .. 7 Sunday) the member is free 09:00-17:00, by phone unless `modes` says otherwise. */
	weekdays?: number[];
	modes?: ModeKind[];
}

/** A staff account made as an admin makes one, returned as a signed-in StaffUser. */
export async function aStaffMember(role: StaffUser['role'], programmeIds: string[], options: StaffOptions = {}): Promise<StaffUser> {
	const n = nextNumber();
	const { staff } = await createStaff({
		email: options.email ?? `${role}-${n}-${RUN}@example.org`,
		name: options.name ?? `${role} ${n} ${RUN}`,
		role,
		programmeIds,
		practices: options.practices ?? [],
		password: STAFF_PASSWORD
	});
	if (options.weekdays?.length) {
		const db = await getDb();
		const modes = options.modes ?? ['phone'];
		await db.insert(availabilityPattern).values(options.weekdays.map((weekday) => ({ staffId: staff.id, weekday, start: '09:00', end: '17:00', modes, venueId: null })));
	}
	return { id: staff.id, email: staff.email, name: staff.name, role: staff.role, programmeIds };
}

/**
 * A programme of its own, a copy of gm-ips-primary-care with no booking settings, covering no postcode or
 * practice (so the checker never sends another file's referrals to it), with `service` over the defaults.
 * Returns its id.
 */
export async function aProgramme(label: string, options: { service?: Partial<ServiceSettings> } = {}): Promise<string> {
	const db = await getDb();
	const id = `test-${label}-${RUN}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
	const [base] = await db.select().from(programme).where(eq(programme.id, 'gm-ips-primary-care'));
	await db.insert(programme).values({
		...base,
		id,
		name: `Test programme ${label} ${RUN}`,
		seedVersion: null,
		booking: null,
		area: { postcodes: [], gpPractices: [] },
		...(options.service ? { service: { ...DEFAULT_SERVICE_SETTINGS, ...options.service } } : {})
	});
	forgetProgrammes();
	return id;
}

/**
 * A questionnaire check-in (any instrument but DIALOG+) as the wellbeing pages make one: each answer saved
 * page by page, then completed at `at` (stored result from the registry's scorer, `checkin.completed`).
 */
export async function aCompletedCheckIn(owner: CheckInOwner, instrument: string, answers: number[], at = new Date()): Promise<CheckInRow> {
	const registered = getInstrument(instrument);
	if (!registered) throw new Error(`no instrument ${instrument}`);
	for (const [i, value] of answers.entries()) await saveQuestionAnswer(owner, registered, i, value, at);
	const row = await completeCheckIn(owner, instrument, at);
	if (!row) throw new Error(`the ${instrument} check-in should complete`);
	return row;
}
