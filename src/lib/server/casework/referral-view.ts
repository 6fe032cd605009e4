/** The referral page: one referral with everything the person told us and its history; each view is audited. */
import { asc, eq } from 'drizzle-orm';
import {
	STATUS_LABELS,
	buildHistory,
	closeReasonLabel,
	contactDaysLeft,
	contactPreferences,
	isStatus,
	statusChoices,
	type HistoryItem,
	type Status
} from '$lib/domain/casework';
import { CONSENT_STAFF_LABELS, type ConsentKind } from '$lib/domain/consents';
import { REASON_TEXT, type ReasonCode } from '$lib/domain/eligibility';
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES, describeAnswer } from '$lib/domain/journey';
import { normaliseReference } from '$lib/domain/reference';
import { DWP_CATEGORIES, type DwpCategory } from '$lib/domain/sources';
import { workingDaysOf } from '$lib/domain/service-hours';
import { ukDate } from '$lib/domain/uk-time';
import { LOCALE_INFO, localeOfTag } from '$lib/i18n/locales';
import { recordAudit } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { consent, contactAttempt, programme, referral, type Referral } from '../db/schema';
import { eventsForReferral } from '../events/log';
import { calendarFor } from '../service-calendar';
import { latestErasureRequest } from '../data-rights/requests';
import { openConcernsForReferral, type OpenConcern } from '../measures/concerns';
import { venuesByIds } from '../meetings/availability-store';
import { isLead, programmeStaff, sourceLabel, staffNames } from './shared';
import { assertProgramme, notFound } from '../refusal';

export interface AnswerRow {
	id: string;
	label: string;
	lines: string[];
	/** For an optional page answered after sending: when the person last saved it. */
	addedAt?: Date;
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
		| 'erasedAt'
	>;
	statusLabel: string;
	/** The day the answer to the person's waiting request to delete their data is due (UK date), if one waits. */
	erasureDueBy: string | null;
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
		/** The language the person used, in English ("Welsh"): their emails and texts are in it. */
		language: string;
	};
	checkAnswers: AnswerRow[];
	referAnswers: AnswerRow[];
	/** What the person told us after sending ("Tell us more"), with when. */
	moreAnswers: AnswerRow[];
	consents: { kind: string; label: string; given: boolean; textVersion: string; recordedAt: Date; withdrawnAt: Date | null }[];
	history: HistoryItem[];
	/** Who the user may assign it to (team leads and administrators only; empty for specialists). */
	assignable: { id: string; name: string }[];
	statusChoices: Status[];
	canClaim: boolean;
	/** Open wellbeing concerns, crisis first: shown at the top of the page. */
	concerns: OpenConcern[];
}

function answerRows(pages: typeof CHECK_PAGES, answers: Record<string, unknown>): AnswerRow[] {
	return pages
		.filter((p) => p.fields.some((f) => f.name in answers))
		.map((p) => ({ id: p.id, label: p.staffSummaryLabel ?? p.summaryLabel, lines: describeAnswer(p, answers, 'staff') }));
}

/** One answer in staff words, wherever its page put it; nothing when it was not given. */
function linesFor(name: string, answers: Record<string, unknown>): string[] {
	const page = [...REFER_PAGES, ...MORE_PAGES].find((p) => p.fields.some((f) => f.name === name))!;
	const lines = describeAnswer({ ...page, fields: page.fields.filter((f) => f.name === name) }, answers, 'staff');
	return lines.length === 1 && lines[0] === 'Not given' ? [] : lines;
}

/** The referral with this reference in one of the user's programmes; 404 otherwise (before anything sent is read). */
export async function findInProgramme(user: StaffUser, reference: string): Promise<Referral> {
	const ref = normaliseReference(reference);
	if (!ref) notFound();
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.reference, ref));
	if (!row) notFound();
	assertProgramme(user, row.programmeId);
	return row;
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
	const erasure = await latestErasureRequest(row.id);
	const attempts = await db.select().from(contactAttempt).where(eq(contactAttempt.referralId, row.id)).orderBy(asc(contactAttempt.at));
	const events = await eventsForReferral(row.id);
	// When each "Tell us more" page was last saved, from its referral.details_added events.
	const added = new Map(events.filter((e) => e.type === 'referral.details_added').map((e) => [String(e.payload.page), e.createdAt]));

	const ids = new Set<string>();
	const venueIds = new Set<string>();
	const isId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v);
	if (row.assignedStaffId) ids.add(row.assignedStaffId);
	for (const a of attempts) ids.add(a.staffId);
	for (const e of events) {
		const p = e.payload;
		// Staff named by referral events, and by meeting events (the specialist, and whoever made the change).
		const nested = [p.actor, p.previous].map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {}));
		for (const id of [p.byStaffId, p.to, p.from, p.assignedStaffId, p.staffId, ...nested.map((o) => o.staffId)]) if (isId(id)) ids.add(id);
		for (const id of [p.venueId, nested[1].venueId]) if (isId(id)) venueIds.add(id);
	}
	const names = await staffNames([...ids]);
	const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'A former staff member') : null);
	const venues = await venuesByIds(db, [...venueIds]);

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
			eligibilityOutcome: row.eligibilityOutcome,
			erasedAt: row.erasedAt
		},
		statusLabel: STATUS_LABELS[status],
		erasureDueBy: erasure?.status === 'requested' ? erasure.dueBy : null,
		closedReasonLabel: row.closedReason ? closeReasonLabel(row.closedReason) : null,
		programme: { id: prog.id, name: prog.name, cap: prog.caseloadCap, contactTargetWorkingDays: prog.contactTargetWorkingDays },
		assignedStaffName: nameOf(row.assignedStaffId),
		daysLeft: contactDaysLeft(row, today, workingDaysOf(await calendarFor(row.programmeId, now, { earliest: row.contactTargetDate }))),
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
			channels: linesFor('contactChannels', answers),
			bestTimes: linesFor('bestTimes', answers),
			messagesMayNameService: prefs.messagesMayNameService,
			postAllowed: prefs.postAllowed,
			contactReferrer: linesFor('contactReferrer', answers),
			communication: [...linesFor('communicationNeeds', answers), ...linesFor('interpreterLanguage', answers).map((l) => `Interpreter language: ${l}`)],
			language: LOCALE_INFO[localeOfTag(row.preferredLanguage)].english
		},
		checkAnswers: answerRows(CHECK_PAGES, answers),
		referAnswers: answerRows(REFER_PAGES, answers),
		moreAnswers: answerRows(MORE_PAGES, answers).map((r) => ({ ...r, addedAt: added.get(r.id) })),
		consents: consents.map((c) => ({
			kind: c.kind,
			label: CONSENT_STAFF_LABELS[c.kind as ConsentKind] ?? c.kind,
			given: c.given,
			textVersion: c.textVersion,
			recordedAt: c.recordedAt,
			withdrawnAt: c.withdrawnAt
		})),
		history: buildHistory(
			events.map((e) => ({ id: e.id, type: e.type, payload: e.payload, createdAt: e.createdAt })),
			attempts,
			nameOf,
			{ venueName: (id) => (id ? (venues.get(id)?.name ?? null) : null) }
		),
		assignable: isLead(user) ? await programmeStaff(row.programmeId) : [],
		statusChoices: statusChoices(status, user.role),
		canClaim: status !== 'closed' && row.assignedStaffId !== user.id && (row.assignedStaffId === null || isLead(user)),
		concerns: await openConcernsForReferral(row.id, now)
	};
}
