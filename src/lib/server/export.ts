/**
 * CSV export of referrals for team leads and administrators (/staff/export): one programme of theirs (or
 * all of them), referrals sent between two dates (UK time, both days included). No health details: the
 * columns are the referral's facts, the person's name, contact details and preferences, consents, and the
 * NHS number only where its consent was given; never their answers about health. Instants are UTC
 * (ISO 8601 with "Z"). Every export is audited with its filter and row count.
 *
 * Cells are protected against spreadsheet formula injection (OWASP "CSV injection"): a value starting
 * with =, +, -, @, a tab or a carriage return gets a leading single quote, so a spreadsheet shows it as
 * text instead of running it; then cells are quoted as RFC 4180 says.
 */
import { and, asc, count, eq, gte, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { parseFormData, text, type Field, type FormDefinition } from '$lib/domain/fields';
import { closeReason } from '$lib/domain/casework';
import { IN_ORDER, inOrder, programmeRangeFields, rangeValues, ukDay } from '$lib/domain/range-form';
import { ukDate, ukMidnight } from '$lib/domain/uk-time';
import { recordAudit } from './audit';
import type { StaffUser } from './auth/sessions';
import { getDb } from './db';
import { consent, programme, referral, staff } from './db/schema';

// ---- CSV -----------------------------------------------------------------------------------------

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: formula-like values neutralised, then quoted when needed (RFC 4180). */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	let text = value instanceof Date ? value.toISOString() : String(value);
	if (FORMULA_START.test(text)) text = `'${text}`;
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending with CRLF as RFC 4180 says. */
export function csvRow(values: readonly unknown[]): string {
	return `${values.map(csvCell).join(',')}\r\n`;
}

/** A small CSV (header and rows) as a download that is not cached: the progress CSVs of participant and specialist. */
export function csvDownload(csv: { header: readonly unknown[]; rows: readonly (readonly unknown[])[] }, filename: string): Response {
	return new Response([csv.header, ...csv.rows].map(csvRow).join(''), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}

// ---- the export ------------------------------------------------------------------------------------

export const EXPORT_COLUMNS = [
	'reference',
	'submitted_at',
	'programme',
	'status',
	'closed_reason',
	'closed_reason_label',
	'source_code',
	'source_ods_code',
	'dwp_category',
	'contact_target_date',
	'first_contact_at',
	'assigned_specialist',
	'eligibility_outcome',
	'given_name',
	'family_name',
	'date_of_birth',
	'postcode',
	'email',
	'phone',
	'employment_status',
	'status_changed_at',
	'preferred_name',
	'pronouns',
	'contact_channels',
	'best_times',
	'consents',
	'source_detail',
	'source_link_code',
	'nhs_number'
] as const;

/** More than this asks for a narrower filter instead of building a huge file in memory. */
export const EXPORT_MAX_ROWS = 50_000;

export interface ExportFilter {
	/** One of the user's programmes, or null for all of them. */
	programmeId: string | null;
	/** UK calendar dates, YYYY-MM-DD, both included. */
	from: string;
	to: string;
}

export type ExportFormValues = {
	programme: string;
	from: string;
	to: string;
};

export type ParsedExport = { ok: true; filter: ExportFilter; values: ExportFormValues } | { ok: false; errors: Record<string, string>; values: ExportFormValues };

/** The form's defaults: the user's only programme (else all), from the first of this month to today. */
export function defaultExportValues(user: StaffUser, now = new Date()): ExportFormValues {
	const today = ukDate(now);
	return { programme: user.programmeIds.length === 1 ? user.programmeIds[0] : '', from: `${today.slice(0, 8)}01`, to: today };
}

/** The export form's fields: the programme list offers "all" only to someone in several programmes. */
export function exportFields(programmes: { id: string; name: string }[]): Field[] {
	return programmeRangeFields(
		programmes,
		'All your programmes',
		'The first day to include (UK time), for example 1/12/2026 or 2026-12-01',
		'The last day to include, for example 31/12/2026'
	);
}

/** The export filter as a form, checked against the user's programmes. Messages say what to do. */
export function exportForm(user: StaffUser, now = new Date(), programmes: { id: string; name: string }[] = []) {
	const schema = z
		.object({
			programme: text()
				.trim()
				.refine((v) => !v || user.programmeIds.includes(v), 'Select one of your programmes')
				.refine((v) => !!v || user.programmeIds.length > 0, 'You do not work in any programme, so there is nothing to export'),
			from: ukDay('Enter the first day to include', 'The first day must be a real date, like 2026-12-01').refine(
				(v) => v <= ukDate(now),
				'The first day must be today or in the past'
			),
			to: ukDay('Enter the last day to include', 'The last day must be a real date, like 2026-12-31')
		})
		.refine(inOrder, IN_ORDER)
		.transform((v): ExportFilter => ({ programmeId: v.programme || null, from: v.from, to: v.to }));
	return { fields: exportFields(programmes), schema } satisfies FormDefinition;
}

/** Checks the query (?programme=&from=&to=) with the export form. */
export function parseExportQuery(user: StaffUser, params: URLSearchParams, now = new Date()): ParsedExport {
	const parsed = parseFormData(exportForm(user, now), params);
	const values = rangeValues(parsed.raw);
	return parsed.ok ? { ok: true, filter: parsed.values, values } : { ok: false, errors: parsed.errors, values };
}

function nextDay(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Instants in UTC, ISO 8601 with "Z" and whole seconds, so no reader has to guess the zone. */
export function utcTime(instant: Date | null): string {
	return instant ? `${instant.toISOString().slice(0, 19)}Z` : '';
}

const list = (value: unknown) => (Array.isArray(value) ? value.join(';') : '');

/** "processing=yes;textReminders=no": each consent the person answered, withdrawn ones as "withdrawn". */
export function consentsCell(rows: { kind: string; given: boolean; withdrawnAt: Date | null }[]): string {
	return rows.map((c) => `${c.kind}=${c.withdrawnAt ? 'withdrawn' : c.given ? 'yes' : 'no'}`).join(';');
}

/** The NHS number only when its own consent was given and not withdrawn. */
function consentedNhsNumber(answers: Record<string, unknown>, rows: { kind: string; given: boolean; withdrawnAt: Date | null }[]): string {
	const nhs = rows.find((c) => c.kind === 'nhsNumber');
	return nhs?.given && !nhs.withdrawnAt && typeof answers.nhsNumber === 'string' ? answers.nhsNumber : '';
}

function matching(programmeIds: string[], filter: ExportFilter) {
	return and(
		inArray(referral.programmeId, programmeIds),
		gte(referral.submittedAt, ukMidnight(filter.from)),
		lt(referral.submittedAt, ukMidnight(nextDay(filter.to)))
	);
}

async function selectRows(programmeIds: string[], filter: ExportFilter) {
	const db = await getDb();
	return db
		.select({
			reference: referral.reference,
			submittedAt: referral.submittedAt,
			programmeName: programme.name,
			status: referral.status,
			closedReason: referral.closedReason,
			sourceCode: referral.sourceCode,
			sourceOdsCode: referral.sourceOdsCode,
			dwpCategory: referral.dwpCategory,
			contactTargetDate: referral.contactTargetDate,
			firstContactAt: referral.firstContactAt,
			assignedStaffName: staff.name,
			eligibilityOutcome: referral.eligibilityOutcome,
			givenName: referral.givenName,
			familyName: referral.familyName,
			dateOfBirth: referral.dateOfBirth,
			postcode: referral.postcode,
			email: referral.email,
			phone: referral.phone,
			employmentStatus: referral.employmentStatus,
			id: referral.id,
			statusChangedAt: referral.statusChangedAt,
			answers: referral.answers,
			sourceDetail: referral.sourceDetail,
			sourceLinkCode: referral.sourceLinkCode
		})
		.from(referral)
		.innerJoin(programme, eq(programme.id, referral.programmeId))
		.leftJoin(staff, eq(staff.id, referral.assignedStaffId))
		.where(matching(programmeIds, filter))
		.orderBy(asc(referral.submittedAt), asc(referral.reference))
		.limit(EXPORT_MAX_ROWS + 1);
}

async function consentsOf(referralIds: string[]) {
	const byReferral = new Map<string, { kind: string; given: boolean; withdrawnAt: Date | null }[]>();
	if (!referralIds.length) return byReferral;
	const db = await getDb();
	for (let i = 0; i < referralIds.length; i += 5000) {
		const rows = await db
			.select({ referralId: consent.referralId, kind: consent.kind, given: consent.given, withdrawnAt: consent.withdrawnAt })
			.from(consent)
			.where(inArray(consent.referralId, referralIds.slice(i, i + 5000)))
			.orderBy(asc(consent.kind));
		for (const row of rows) byReferral.set(row.referralId, [...(byReferral.get(row.referralId) ?? []), row]);
	}
	return byReferral;
}

export type ExportResult = { ok: true; csv: string; rows: number; filename: string } | { ok: false; tooMany: true };

/**
 * The CSV for the filter, scoped to the user's programmes, and an audit row `referrals.exported` with the
 * filter and the number of rows. The caller has checked the user's role (team leads and administrators).
 */
export async function exportReferrals(user: StaffUser, filter: ExportFilter): Promise<ExportResult> {
	const programmeIds = filter.programmeId ? user.programmeIds.filter((p) => p === filter.programmeId) : user.programmeIds;
	const rows = programmeIds.length ? await selectRows(programmeIds, filter) : [];
	if (rows.length > EXPORT_MAX_ROWS) return { ok: false, tooMany: true };
	const consents = await consentsOf(rows.map((r) => r.id));
	let csv = csvRow(EXPORT_COLUMNS);
	for (const r of rows) {
		const given = consents.get(r.id) ?? [];
		const answers = r.answers as Record<string, unknown>;
		csv += csvRow([
			r.reference,
			utcTime(r.submittedAt),
			r.programmeName,
			r.status,
			// The bare code, as in the API and events; its words in a column of their own.
			r.closedReason ?? '',
			closeReason(r.closedReason)?.label ?? '',
			r.sourceCode,
			r.sourceOdsCode,
			r.dwpCategory,
			r.contactTargetDate,
			utcTime(r.firstContactAt),
			r.assignedStaffName,
			r.eligibilityOutcome,
			r.givenName,
			r.familyName,
			r.dateOfBirth,
			r.postcode,
			r.email,
			r.phone,
			r.employmentStatus,
			utcTime(r.statusChangedAt),
			answers.preferredName ?? '',
			answers.pronouns ?? '',
			list(answers.contactChannels),
			list(answers.bestTimes),
			consentsCell(given),
			r.sourceDetail,
			r.sourceLinkCode,
			consentedNhsNumber(answers, given)
		]);
	}
	await recordAudit({
		staffId: user.id,
		action: 'referrals.exported',
		programmeId: filter.programmeId,
		detail: { programmeIds, from: filter.from, to: filter.to, rows: rows.length }
	});
	const scope = filter.programmeId ?? 'all-programmes';
	// A byte order mark, so Excel reads the file as UTF-8 (names with accents stay right).
	return { ok: true, csv: `\uFEFF${csv}`, rows: rows.length, filename: `ips-referrals-${scope}-${filter.from}-to-${filter.to}.csv` };
}

/** How many referrals the filter matches (shown on the form before downloading). */
export async function countForExport(user: StaffUser, filter: ExportFilter): Promise<number> {
	const programmeIds = filter.programmeId ? user.programmeIds.filter((p) => p === filter.programmeId) : user.programmeIds;
	if (!programmeIds.length) return 0;
	const db = await getDb();
	const [row] = await db.select({ n: count() }).from(referral).where(matching(programmeIds, filter));
	return Number(row?.n ?? 0);
}

/** The user's programmes for the form's list, by name. */
export async function exportProgrammes(user: StaffUser): Promise<{ id: string; name: string }[]> {
	if (!user.programmeIds.length) return [];
	const db = await getDb();
	return db.select({ id: programme.id, name: programme.name }).from(programme).where(inArray(programme.id, user.programmeIds)).orderBy(asc(programme.name));
}

/** The query string of the download link for a checked filter. */
export function exportQuery(filter: ExportFilter): string {
	const params = new URLSearchParams();
	if (filter.programmeId) params.set('programme', filter.programmeId);
	params.set('from', filter.from);
	params.set('to', filter.to);
	return params.toString();
}
