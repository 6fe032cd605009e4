/**
 * Casework on referrals for staff: the inbox, caseloads, the referral page, and the actions on a referral
 * (claim, assign, contact attempt, status change). Every query is scoped to the staff member's programmes
 * (another programme's referral is "not found"); every view writes an audit row; every change is one
 * transaction that updates the referral, writes an audit row and appends an event, in that order.
 * Event payloads carry no health details: reference, programme, statuses, staff ids and times.
 */
import { error } from '@sveltejs/kit';
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DraftAnswers } from '$lib/domain/draft-answers';
import {
	STATUS_LABELS,
	assignForm,
	buildHistory,
	canChangeStatus,
	closeReasonLabel,
	compareInbox,
	contactAttemptForm,
	contactConflict,
	contactDaysLeft,
	contactPreferences,
	isStatus,
	isSuccessfulOutcome,
	meansContacted,
	statusChangeForm,
	statusChoices,
	statusForPerson,
	type HistoryItem,
	type InboxFilters,
	type Status
} from '$lib/domain/casework';
import type { ConsentKind } from '$lib/domain/consents';
import { REASON_TEXT, type ReasonCode } from '$lib/domain/eligibility';
import { validateRaw, type FormDefinition, type RawValues } from '$lib/domain/fields';
import { CHECK_PAGES, REFER_PAGES, describeAnswer } from '$lib/domain/journey';
import { normaliseReference } from '$lib/domain/reference';
import { DWP_CATEGORIES, SOURCES, isSourceCode, type DwpCategory } from '$lib/domain/sources';
import { ukDate } from '$lib/domain/uk-time';
import { recordAudit } from './audit';
import { assertProgramme, LEADS } from './auth/guard';
import type { StaffUser } from './auth/sessions';
import { bankHolidays } from './bank-holidays';
import { getDb, type Tx } from './db';
import { consent, contactAttempt, programme, referral, staff, staffProgramme, type Referral } from './db/schema';
import { appendEvent, eventsForReferral } from './events/log';
import { REFERRAL_EVENT_VERSION } from './referrals';

const INBOX_LIMIT = 1000;

/** England and Wales bank holidays for every year from the earliest date given to the year after today. */
function holidaysFor(todayIso: string, dates: string[]): Set<string> {
	const last = Number(todayIso.slice(0, 4)) + 1;
	const first = Math.min(Number(todayIso.slice(0, 4)) - 1, ...dates.map((d) => Number(d.slice(0, 4))));
	const years: number[] = [];
	for (let y = Math.max(first, last - 20); y <= last; y++) years.push(y);
	return bankHolidays(...years);
}

function sourceLabel(code: string): string {
	return isSourceCode(code) ? SOURCES[code].label : code;
}

const isLead = (user: StaffUser) => LEADS.includes(user.role);

// ---- the inbox -----------------------------------------------------------------------------------

export interface InboxRow {
	reference: string;
	submittedAt: Date;
	programmeId: string;
	programmeName: string;
	sourceCode: string;
	sourceLabel: string;
	assignedStaffId: string | null;
	assignedStaffName: string | null;
	status: string;
	statusLabel: string;
	closedReason: string | null;
	talkToSpecialist: boolean;
	contactTargetDate: string;
	/** Working days to the contact target; negative when overdue; null once contact was made. */
	daysLeft: number | null;
}

/**
 * Referrals in the user's programmes that match the filters (open ones by default), in inbox order:
 * overdue first, then fewest working days left to the contact target, then oldest.
 */
export async function listInbox(user: StaffUser, filters: InboxFilters, now = new Date()): Promise<{ rows: InboxRow[]; truncated: boolean }> {
	const programmeIds = filters.programme ? user.programmeIds.filter((p) => p === filters.programme) : user.programmeIds;
	if (!programmeIds.length) return { rows: [], truncated: false };
	const conditions: SQL[] = [inArray(referral.programmeId, programmeIds)];
	if (filters.status === 'open') conditions.push(ne(referral.status, 'closed'));
	else if (filters.status !== 'all') conditions.push(eq(referral.status, filters.status));
	if (filters.source) conditions.push(eq(referral.sourceCode, filters.source));
	if (filters.specialist === 'unassigned') conditions.push(isNull(referral.assignedStaffId));
	else if (filters.specialist === 'mine') conditions.push(eq(referral.assignedStaffId, user.id));
	else if (filters.specialist) conditions.push(eq(referral.assignedStaffId, filters.specialist));

	const db = await getDb();
	const found = await db
		.select({
			reference: referral.reference,
			submittedAt: referral.submittedAt,
			programmeId: referral.programmeId,
			programmeName: programme.name,
			sourceCode: referral.sourceCode,
			assignedStaffId: referral.assignedStaffId,
			assignedStaffName: staff.name,
			status: referral.status,
			closedReason: referral.closedReason,
			eligibilityOutcome: referral.eligibilityOutcome,
			contactTargetDate: referral.contactTargetDate,
			firstContactAt: referral.firstContactAt
		})
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.leftJoin(staff, eq(staff.id, referral.assignedStaffId))
		.where(and(...conditions))
		.orderBy(desc(referral.submittedAt))
		.limit(INBOX_LIMIT + 1);

	const today = ukDate(now);
	const holidays = holidaysFor(
		today,
		found.map((r) => r.contactTargetDate)
	);
	const rows = found.slice(0, INBOX_LIMIT).map(
		(r): InboxRow => ({
			reference: r.reference,
			submittedAt: r.submittedAt,
			programmeId: r.programmeId,
			programmeName: r.programmeName,
			sourceCode: r.sourceCode,
			sourceLabel: sourceLabel(r.sourceCode),
			assignedStaffId: r.assignedStaffId,
			assignedStaffName: r.assignedStaffName,
			status: r.status,
			statusLabel: isStatus(r.status) ? STATUS_LABELS[r.status] : r.status,
			closedReason: r.closedReason,
			talkToSpecialist: r.eligibilityOutcome === 'talk-to-specialist',
			contactTargetDate: r.contactTargetDate,
			daysLeft: contactDaysLeft(r, today, holidays)
		})
	);
	rows.sort(compareInbox);
	return { rows, truncated: found.length > INBOX_LIMIT };
}

// ---- caseloads -----------------------------------------------------------------------------------

export interface StaffCaseload {
	id: string;
	name: string;
	role: string;
	open: number;
}

export interface ProgrammeCaseload {
	programmeId: string;
	programmeName: string;
	cap: number;
	/** Open referrals nobody holds yet. */
	queue: number;
	staff: StaffCaseload[];
}

/** For each of the user's programmes: its queue and each specialist's open referrals, against the programme's cap. */
export async function listCaseloads(user: StaffUser): Promise<ProgrammeCaseload[]> {
	if (!user.programmeIds.length) return [];
	const db = await getDb();
	const programmes = await db
		.select({ id: programme.id, name: programme.name, cap: programme.caseloadCap })
		.from(programme)
		.where(inArray(programme.id, user.programmeIds))
		.orderBy(asc(programme.name));
	const members = await db
		.select({ id: staff.id, name: staff.name, role: staff.role, programmeId: staffProgramme.programmeId })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(and(inArray(staffProgramme.programmeId, user.programmeIds), isNull(staff.disabledAt)));
	const counts = await db
		.select({ programmeId: referral.programmeId, staffId: referral.assignedStaffId, n: count() })
		.from(referral)
		.where(and(inArray(referral.programmeId, user.programmeIds), ne(referral.status, 'closed')))
		.groupBy(referral.programmeId, referral.assignedStaffId);

	const holders = [...new Set(counts.map((c) => c.staffId).filter((id): id is string => !!id))];
	const names = await staffNames(holders);

	return programmes.map((p) => {
		const mine = counts.filter((c) => c.programmeId === p.id);
		const openFor = (id: string) => Number(mine.find((c) => c.staffId === id)?.n ?? 0);
		const people = new Map<string, StaffCaseload>();
		for (const m of members.filter((m) => m.programmeId === p.id))
			if (m.role === 'specialist' || openFor(m.id) > 0) people.set(m.id, { id: m.id, name: m.name, role: m.role, open: openFor(m.id) });
		// Someone who left the programme may still hold referrals.
		for (const c of mine)
			if (c.staffId && !people.has(c.staffId)) people.set(c.staffId, { id: c.staffId, name: names.get(c.staffId) ?? 'Former staff member', role: 'specialist', open: Number(c.n) });
		return {
			programmeId: p.id,
			programmeName: p.name,
			cap: p.cap,
			queue: Number(mine.find((c) => c.staffId === null)?.n ?? 0),
			staff: [...people.values()].sort((a, b) => a.name.localeCompare(b.name))
		};
	});
}

/** Staff who work in any of the user's programmes (for the specialist filter). */
export async function staffInProgrammes(programmeIds: string[]): Promise<{ id: string; name: string }[]> {
	if (!programmeIds.length) return [];
	const db = await getDb();
	return db
		.selectDistinct({ id: staff.id, name: staff.name })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(inArray(staffProgramme.programmeId, programmeIds))
		.orderBy(asc(staff.name), asc(staff.id));
}

async function staffNames(ids: string[], tx?: Tx): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const db = tx ?? (await getDb());
	const rows = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids));
	return new Map(rows.map((r) => [r.id, r.name]));
}

// ---- the referral page ---------------------------------------------------------------------------

export interface AnswerRow {
	id: string;
	label: string;
	lines: string[];
}

export interface ReferralView {
	referral: Pick<
		Referral,
		| 'reference'
		| 'programmeId'
		| 'status'
		| 'givenName'
		| 'familyName'
		| 'dateOfBirth'
		| 'postcode'
		| 'email'
		| 'phone'
		| 'submittedAt'
		| 'contactTargetDate'
		| 'firstContactAt'
		| 'statusChangedAt'
		| 'closedReason'
		| 'assignedStaffId'
		| 'eligibilityOutcome'
	>;
	statusLabel: string;
	closedReasonLabel: string | null;
	programme: { id: string; name: string; cap: number; contactTargetWorkingDays: number };
	assignedStaffName: string | null;
	daysLeft: number | null;
	eligibility: { outcome: string; reasons: string[] };
	source: { label: string; dwpCategory: string; odsCode: string | null; linkCode: string | null; detail: string | null };
	preferences: {
		channels: string[];
		bestTimes: string[];
		messagesMayNameService: boolean | null;
		postAllowed: boolean | null;
		contactReferrer: string[];
		communication: string[];
	};
	checkAnswers: AnswerRow[];
	referAnswers: AnswerRow[];
	consents: { kind: string; label: string; given: boolean; textVersion: string; recordedAt: Date; withdrawnAt: Date | null }[];
	history: HistoryItem[];
	/** Who the user may assign it to (team leads and administrators only; empty for specialists). */
	assignable: { id: string; name: string }[];
	statusChoices: Status[];
	canClaim: boolean;
}

const CONSENT_LABELS: Record<ConsentKind, string> = {
	processing: 'Use of their information to support the referral (required)',
	referrerUpdates: 'Updates to their GP or referrer',
	evaluation: 'Use without their name to evaluate the service',
	textReminders: 'Text message reminders',
	nhsNumber: 'Use of their NHS number'
};

function answerRows(pages: typeof CHECK_PAGES, answers: DraftAnswers): AnswerRow[] {
	return pages
		.filter((p) => p.fields.some((f) => f.name in answers))
		.map((p) => ({ id: p.id, label: p.summaryLabel, lines: describeAnswer(p, answers) }));
}

function linesFor(pageId: string, answers: DraftAnswers): string[] {
	const page = REFER_PAGES.find((p) => p.id === pageId)!;
	const lines = describeAnswer(page, answers);
	return lines.length === 1 && lines[0] === 'Not given' ? [] : lines;
}

async function findInProgramme(user: StaffUser, reference: string): Promise<Referral> {
	const ref = normaliseReference(reference);
	if (!ref) error(404, 'Not found');
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.reference, ref));
	if (!row) error(404, 'Not found');
	assertProgramme(user, row.programmeId);
	return row;
}

/** Staff in the programme who can hold referrals. */
async function programmeStaff(programmeId: string, tx?: Tx): Promise<{ id: string; name: string }[]> {
	const db = tx ?? (await getDb());
	return db
		.select({ id: staff.id, name: staff.name })
		.from(staffProgramme)
		.innerJoin(staff, eq(staff.id, staffProgramme.staffId))
		.where(and(eq(staffProgramme.programmeId, programmeId), isNull(staff.disabledAt)))
		.orderBy(asc(staff.name));
}

/**
 * One referral for the referral page, with everything the person told us and its history. 404 when it is
 * not in one of the user's programmes. Records the view in the audit log before returning anything.
 */
export async function getReferralForStaff(user: StaffUser, reference: string, now = new Date()): Promise<ReferralView> {
	const row = await findInProgramme(user, reference);
	await recordAudit({ staffId: user.id, action: 'referral.viewed', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference } });

	const db = await getDb();
	const [prog] = await db.select().from(programme).where(eq(programme.id, row.programmeId));
	const consents = await db.select().from(consent).where(eq(consent.referralId, row.id)).orderBy(asc(consent.recordedAt), asc(consent.kind));
	const attempts = await db.select().from(contactAttempt).where(eq(contactAttempt.referralId, row.id)).orderBy(asc(contactAttempt.at));
	const events = await eventsForReferral(row.id);

	const ids = new Set<string>();
	if (row.assignedStaffId) ids.add(row.assignedStaffId);
	for (const a of attempts) ids.add(a.staffId);
	for (const e of events)
		for (const key of ['byStaffId', 'to', 'from', 'assignedStaffId'])
			if (typeof e.payload[key] === 'string' && /^[0-9a-f-]{36}$/.test(e.payload[key] as string)) ids.add(e.payload[key] as string);
	const names = await staffNames([...ids]);
	const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'A former staff member') : null);

	const today = ukDate(now);
	const answers = row.answers;
	const prefs = contactPreferences(answers);
	const status: Status = isStatus(row.status) ? row.status : 'received';
	return {
		referral: {
			reference: row.reference,
			programmeId: row.programmeId,
			status: row.status,
			givenName: row.givenName,
			familyName: row.familyName,
			dateOfBirth: row.dateOfBirth,
			postcode: row.postcode,
			email: row.email,
			phone: row.phone,
			submittedAt: row.submittedAt,
			contactTargetDate: row.contactTargetDate,
			firstContactAt: row.firstContactAt,
			statusChangedAt: row.statusChangedAt,
			closedReason: row.closedReason,
			assignedStaffId: row.assignedStaffId,
			eligibilityOutcome: row.eligibilityOutcome
		},
		statusLabel: STATUS_LABELS[status],
		closedReasonLabel: row.closedReason ? closeReasonLabel(row.closedReason) : null,
		programme: { id: prog.id, name: prog.name, cap: prog.caseloadCap, contactTargetWorkingDays: prog.contactTargetWorkingDays },
		assignedStaffName: nameOf(row.assignedStaffId),
		daysLeft: contactDaysLeft(row, today, holidaysFor(today, [row.contactTargetDate])),
		eligibility: {
			outcome: row.eligibilityOutcome === 'talk-to-specialist' ? 'Talk to a specialist: some answers were not sure' : 'Likely eligible',
			reasons: (row.eligibility.reasons ?? []).map((r: ReasonCode) => REASON_TEXT[r] ?? r)
		},
		source: {
			label: sourceLabel(row.sourceCode),
			dwpCategory: DWP_CATEGORIES[row.dwpCategory as DwpCategory] ?? row.dwpCategory,
			odsCode: row.sourceOdsCode,
			linkCode: row.sourceLinkCode,
			detail: row.sourceDetail
		},
		preferences: {
			channels: linesFor('contact-methods', answers),
			bestTimes: linesFor('best-times', answers),
			messagesMayNameService: prefs.messagesMayNameService,
			postAllowed: prefs.postAllowed,
			contactReferrer: linesFor('referrer-contact', answers),
			communication: linesFor('communication', answers)
		},
		checkAnswers: answerRows(CHECK_PAGES, answers),
		referAnswers: answerRows(REFER_PAGES, answers),
		consents: consents.map((c) => ({
			kind: c.kind,
			label: CONSENT_LABELS[c.kind as ConsentKind] ?? c.kind,
			given: c.given,
			textVersion: c.textVersion,
			recordedAt: c.recordedAt,
			withdrawnAt: c.withdrawnAt
		})),
		history: buildHistory(
			events.map((e) => ({ id: e.id, type: e.type, payload: e.payload, createdAt: e.createdAt })),
			attempts,
			nameOf
		),
		assignable: isLead(user) ? await programmeStaff(row.programmeId) : [],
		statusChoices: statusChoices(status, user.role),
		canClaim: status !== 'closed' && row.assignedStaffId !== user.id && (row.assignedStaffId === null || isLead(user))
	};
}

// ---- actions -------------------------------------------------------------------------------------

/** Field name -> message, shown next to the field; scoping and role refusals are thrown (404, 403) instead. */
export type CaseworkResult = { ok: true } | { ok: false; errors: Record<string, string> };

const refuse = (field: string, message: string): CaseworkResult => ({ ok: false, errors: { [field]: message } });

/**
 * Form values are validated only after the referral was found in the user's programmes, so another
 * programme's referral is "not found" whatever was sent.
 */
function parseInput<S extends z.ZodType>(form: FormDefinition<S>, input: RawValues): { ok: true; data: z.output<S> } | { ok: false; result: CaseworkResult } {
	const parsed = validateRaw(form, input);
	return parsed.ok ? { ok: true, data: parsed.values } : { ok: false, result: { ok: false, errors: parsed.errors } };
}

/** Locks the referral row for the change; 404 when it is not in one of the user's programmes. */
async function lockReferral(tx: Tx, user: StaffUser, reference: string): Promise<Referral> {
	const ref = normaliseReference(reference);
	if (!ref) error(404, 'Not found');
	const [row] = await tx.select().from(referral).where(eq(referral.reference, ref)).for('update');
	if (!row) error(404, 'Not found');
	assertProgramme(user, row.programmeId);
	return row;
}

async function writeAssignment(tx: Tx, user: StaffUser, row: Referral, to: string | null, how: 'claimed' | 'assigned' | 'returned', now: Date) {
	await tx.update(referral).set({ assignedStaffId: to }).where(eq(referral.id, row.id));
	const detail = { reference: row.reference, from: row.assignedStaffId, to, how };
	await recordAudit({ staffId: user.id, action: 'referral.assigned', referralId: row.id, programmeId: row.programmeId, detail }, tx);
	await appendEvent(tx, {
		type: 'referral.assigned',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: { version: REFERRAL_EVENT_VERSION, ...detail, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString() }
	});
}

async function claimLocked(tx: Tx, user: StaffUser, row: Referral, now: Date): Promise<CaseworkResult> {
	if (row.status === 'closed') return refuse('claim', 'This referral is closed, so it cannot be claimed');
	if (row.assignedStaffId === user.id) return refuse('claim', 'This referral is already yours');
	if (row.assignedStaffId && !isLead(user)) {
		const holder = (await staffNames([row.assignedStaffId], tx)).get(row.assignedStaffId) ?? 'Someone else';
		return refuse('claim', `${holder} already holds this referral. Ask a team lead to pass it to you`);
	}
	await writeAssignment(tx, user, row, user.id, 'claimed', now);
	return { ok: true };
}

/** The user takes an unassigned referral (team leads and administrators may also take one someone holds). */
export async function claimReferral(user: StaffUser, reference: string, now = new Date()): Promise<CaseworkResult> {
	const db = await getDb();
	return db.transaction(async (tx) => claimLocked(tx, user, await lockReferral(tx, user, reference), now));
}

/**
 * Gives the referral to a staff member of its programme, or back to the queue ("queue"). Team leads and
 * administrators only: a specialist may only claim for themselves (403 otherwise, after the programme
 * check, so another programme's referral is still "not found").
 */
export async function assignReferral(user: StaffUser, reference: string, input: RawValues, now = new Date()): Promise<CaseworkResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockReferral(tx, user, reference);
		const parsed = parseInput(assignForm(), input);
		if (!parsed.ok) return parsed.result;
		const staffId = parsed.data.staffId === 'queue' ? null : parsed.data.staffId;
		if (!isLead(user)) {
			if (staffId === user.id) return claimLocked(tx, user, row, now);
			error(403, 'Only a team lead can assign a referral to someone else');
		}
		if (row.status === 'closed') return refuse('staffId', 'This referral is closed, so it cannot be assigned');
		if (row.assignedStaffId === staffId) return refuse('staffId', staffId ? 'This referral is already held by that person' : 'This referral is already in the queue');
		if (staffId && !(await programmeStaff(row.programmeId, tx)).some((s) => s.id === staffId))
			return refuse('staffId', 'Select someone who works in this programme');
		await writeAssignment(tx, user, row, staffId, staffId === null ? 'returned' : staffId === user.id ? 'claimed' : 'assigned', now);
		return { ok: true };
	});
}

/** Records a try at reaching the person. The first successful one sets the referral's first contact time. */
export async function logContactAttempt(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockReferral(tx, user, reference);
		const parsed = parseInput(contactAttemptForm, values);
		if (!parsed.ok) return parsed.result;
		const input = parsed.data;
		if (row.status === 'closed') return refuse('channel', 'This referral is closed. Ask a team lead to reopen it first');
		const conflict = contactConflict(input, contactPreferences(row.answers));
		if (conflict) return refuse(conflict.field, conflict.message);

		const [attempt] = await tx
			.insert(contactAttempt)
			.values({ referralId: row.id, staffId: user.id, channel: input.channel, outcome: input.outcome, note: input.note, at: now })
			.returning();
		const successful = isSuccessfulOutcome(input.outcome);
		const firstContact = successful && !row.firstContactAt;
		if (firstContact) await tx.update(referral).set({ firstContactAt: now }).where(eq(referral.id, row.id));
		const detail = { reference: row.reference, attemptId: attempt.id, channel: input.channel, outcome: input.outcome, successful, firstContact };
		await recordAudit({ staffId: user.id, action: 'referral.contact_attempted', referralId: row.id, programmeId: row.programmeId, detail }, tx);
		await appendEvent(tx, {
			type: 'referral.contact_attempted',
			referralId: row.id,
			programmeId: row.programmeId,
			payload: { version: REFERRAL_EVENT_VERSION, ...detail, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString() }
		});
		return { ok: true };
	});
}

/** Moves the referral to another status; closing needs a coded reason. */
export async function changeStatus(user: StaffUser, reference: string, values: RawValues, now = new Date()): Promise<CaseworkResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockReferral(tx, user, reference);
		const parsed = parseInput(statusChangeForm(), values);
		if (!parsed.ok) return parsed.result;
		const input = parsed.data;
		if (input.status === 'closed' && !input.closeReason) return refuse('closeReason', 'Select why the referral is closed');
		const from: Status = isStatus(row.status) ? row.status : 'received';
		if (from === input.status) return refuse('status', `The referral is already ${STATUS_LABELS[from].toLowerCase()}`);
		if (!canChangeStatus(from, input.status, user.role))
			return refuse('status', from === 'closed' ? 'Only a team lead can reopen a closed referral' : `A referral cannot go back to ${STATUS_LABELS[input.status].toLowerCase()}`);

		const closedReason = input.status === 'closed' ? input.closeReason : null;
		const firstContact = meansContacted(input.status) && !row.firstContactAt;
		await tx
			.update(referral)
			.set({ status: input.status, closedReason, statusChangedAt: now, ...(firstContact ? { firstContactAt: now } : {}) })
			.where(eq(referral.id, row.id));
		const detail = { reference: row.reference, from, to: input.status, closedReason };
		await recordAudit({ staffId: user.id, action: 'referral.status_changed', referralId: row.id, programmeId: row.programmeId, detail }, tx);
		await appendEvent(tx, {
			type: 'referral.status_changed',
			referralId: row.id,
			programmeId: row.programmeId,
			payload: { version: REFERRAL_EVENT_VERSION, ...detail, programmeId: row.programmeId, byStaffId: user.id, at: now.toISOString() }
		});
		return { ok: true };
	});
}

// ---- the person's status look-up -----------------------------------------------------------------

export interface PersonStatus {
	reference: string;
	title: string;
	lines: string[];
	programmeName: string;
	helpline: { phone: string; hours: string };
}

/**
 * The status of a referral for the person who sent it, given its reference and their date of birth
 * (ISO). Null when the pair does not match a referral, without saying which part was wrong.
 */
export async function lookUpStatus(reference: string, dateOfBirth: string, now = new Date()): Promise<PersonStatus | null> {
	const ref = normaliseReference(reference);
	if (!ref) return null;
	const db = await getDb();
	const [row] = await db
		.select({ id: referral.id, reference: referral.reference, programmeId: referral.programmeId, dateOfBirth: referral.dateOfBirth, status: referral.status, closedReason: referral.closedReason, contactTargetDate: referral.contactTargetDate, programmeName: programme.name, helplinePhone: programme.helplinePhone, helplineHours: programme.helplineHours })
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.where(eq(referral.reference, ref));
	if (!row || row.dateOfBirth !== dateOfBirth) return null;
	await recordAudit({ staffId: null, action: 'referral.status_looked_up', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, status: row.status } });
	const words = statusForPerson(row, ukDate(now));
	return { reference: row.reference, ...words, programmeName: row.programmeName, helpline: { phone: row.helplinePhone, hours: row.helplineHours } };
}
