/**
 * The provider's wellbeing report (/staff/reports/wellbeing): for one of the user's programmes and a date
 * range (UK dates, both days included), each participant's check-ins completed in that range, counted by
 * providerReport (domain/measures/reports.ts) with the programme's meaningful-change thresholds. The page's
 * chart, table and CSV are the one report object. Counts only: no participant is named.
 */
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { parseFormData, text, type Field, type FormDefinition, type RawValues } from '$lib/domain/fields';
import { CHARTED_INSTRUMENTS, isCharted, lineValues, type ChartedInstrument, type ScoredCheckIn } from '$lib/domain/measures/progress';
import { providerReport, type ProviderReport } from '$lib/domain/measures/reports';
import { enabledInstruments, readProgrammeMeasures } from '$lib/domain/measures/settings';
import { IN_ORDER, inOrder, programmeRangeFields, rangeValues, ukDay } from '$lib/domain/range-form';
import { ukDate, ukMidnight } from '$lib/domain/uk-time';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { checkIn, programme } from '../db/schema';
import { csvRow } from '../export';

export interface ReportFilter {
	programmeId: string;
	/** UK calendar dates, YYYY-MM-DD, both included. */
	from: string;
	to: string;
}

export function reportFields(programmes: { id: string; name: string }[]): Field[] {
	return programmeRangeFields(
		programmes,
		'Choose a programme',
		'The first day of check-ins to include (UK time), for example 1/4/2026 or 2026-04-01',
		'The last day to include, for example 31/3/2027'
	);
}

export function reportForm(user: StaffUser, programmes: { id: string; name: string }[]) {
	const schema = z
		.object({
			programme: text()
				.trim()
				.refine((v) => !!v, 'Choose a programme')
				.refine((v) => !v || user.programmeIds.includes(v), 'Choose one of your programmes'),
			from: ukDay('Enter the first day to include', 'The first day must be a real date, like 1/4/2026'),
			to: ukDay('Enter the last day to include', 'The last day must be a real date, like 31/3/2027')
		})
		.refine(inOrder, IN_ORDER)
		.transform((v): ReportFilter => ({ programmeId: v.programme, from: v.from, to: v.to }));
	return { fields: reportFields(programmes), schema } satisfies FormDefinition;
}

/** The form's defaults: the user's first programme by name, from a year ago to today. */
export function defaultReportValues(programmes: { id: string }[], now = new Date()): Record<string, string> {
	const today = ukDate(now);
	const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
	return { programme: programmes[0]?.id ?? '', from: yearAgo, to: today };
}

export type ParsedReport = { ok: true; filter: ReportFilter; values: RawValues } | { ok: false; errors: Record<string, string>; values: RawValues };

export function parseReportQuery(user: StaffUser, programmes: { id: string; name: string }[], params: URLSearchParams): ParsedReport {
	const parsed = parseFormData(reportForm(user, programmes), params);
	const values = rangeValues(parsed.raw);
	return parsed.ok ? { ok: true, filter: parsed.values, values } : { ok: false, errors: parsed.errors, values };
}

/** The query as the page checks it, or the page's defaults (first programme, the last year) when there is none. */
export function parseReportQueryOrDefaults(user: StaffUser, programmes: { id: string; name: string }[], params: URLSearchParams): ParsedReport {
	const asked = params.has('programme') || params.has('from') || params.has('to');
	return parseReportQuery(user, programmes, asked ? params : new URLSearchParams(defaultReportValues(programmes)));
}

export function reportQuery(filter: ReportFilter): string {
	return new URLSearchParams({ programme: filter.programmeId, from: filter.from, to: filter.to }).toString();
}

/** The programmes the user may report on (their own), by name. */
export async function reportProgrammes(user: StaffUser): Promise<{ id: string; name: string }[]> {
	if (!user.programmeIds.length) return [];
	const db = await getDb();
	return db.select({ id: programme.id, name: programme.name }).from(programme).where(inArray(programme.id, user.programmeIds)).orderBy(asc(programme.name));
}

function nextDay(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A stored check-in as the progress functions take it; null when its result cannot be read. */
function scored(row: { instrument: string; completedAt: Date; result: unknown }): ScoredCheckIn | null {
	if (!isCharted(row.instrument)) return null;
	const candidate = { instrument: row.instrument, at: row.completedAt, result: row.result } as ScoredCheckIn;
	try {
		lineValues(candidate);
		return candidate;
	} catch {
		return null;
	}
}

export interface WellbeingReport {
	filter: ReportFilter;
	report: ProviderReport;
	/** Participants with at least one check-in in the range. */
	participants: number;
}

/** The report for a checked filter. The caller has checked the programme is one of the user's. */
export async function wellbeingReport(user: StaffUser, filter: ReportFilter): Promise<WellbeingReport | null> {
	if (!user.programmeIds.includes(filter.programmeId)) return null;
	const db = await getDb();
	const [prog] = await db.select({ measures: programme.measures }).from(programme).where(eq(programme.id, filter.programmeId));
	if (!prog) return null;
	const measures = readProgrammeMeasures(prog.measures);
	const rows = await db
		.select({ participantId: checkIn.participantId, instrument: checkIn.instrument, completedAt: checkIn.completedAt, result: checkIn.result })
		.from(checkIn)
		.where(
			and(
				eq(checkIn.programmeId, filter.programmeId),
				gte(checkIn.completedAt, ukMidnight(filter.from)),
				lt(checkIn.completedAt, ukMidnight(nextDay(filter.to)))
			)
		)
		.orderBy(asc(checkIn.completedAt), asc(checkIn.createdAt));
	const byPerson = new Map<string, ScoredCheckIn[]>();
	for (const row of rows) {
		const c = scored(row);
		if (!c) continue;
		const list = byPerson.get(row.participantId) ?? [];
		list.push(c);
		byPerson.set(row.participantId, list);
	}
	const enabled = new Set<string>(enabledInstruments(measures));
	const present = new Set<string>(rows.map((r) => r.instrument));
	const instruments = CHARTED_INSTRUMENTS.filter((id) => enabled.has(id) || present.has(id)) as ChartedInstrument[];
	return { filter, report: providerReport([...byPerson.values()], instruments, measures.meaningfulChange), participants: byPerson.size };
}

/** The CSV download: exactly the table's numbers (reports.ts builds both). */
export function reportCsv(report: ProviderReport): string {
	return [report.csv.header, ...report.csv.rows].map(csvRow).join('');
}
