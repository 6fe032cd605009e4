/**
 * Check-in schedules as programme data (DOMAIN.md section 6): "start, mid-point, end" for one programme,
 * "baseline, 4 months, 12 months" for another. Each point is due a number of days, weeks or months after
 * the referral's start date, can be done within a window either side, and asks for some instruments.
 * Dates are UK calendar dates, "YYYY-MM-DD".
 */
import { z } from 'zod';
import { addDaysIso, formatDate } from '../uk-time';
import { text, type Field, type FormDefinition, type RawValues } from '../fields';
import type { InstrumentId } from './instrument';
import { INSTRUMENT_IDS, INSTRUMENT_TITLES } from './registry';

export const OFFSET_UNITS = ['days', 'weeks', 'months'] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

export interface CheckInPoint {
	/** Stable id that completed check-ins refer to; kept when the label is edited. */
	id: string;
	/** What people read: "Start", "3 months", "Mid-point". */
	label: string;
	/** When it is due after the start date; 0 days is the start itself. */
	offset: { amount: number; unit: OffsetUnit };
	/** Days before and after the due date in which it can be done. */
	windowDays: number;
	instruments: InstrumentId[];
}

export interface CheckInSchedule {
	points: CheckInPoint[];
}

export const MAX_CHECK_IN_POINTS = 10;
export const MAX_WINDOW_DAYS = 90;
/** Longest offsets: three years, which covers the longest programmes (12 months plus follow-up). */
const MAX_OFFSET: Record<OffsetUnit, number> = { days: 1095, weeks: 156, months: 36 };

const WELLBEING: InstrumentId[] = ['dialog', 'swemwbs', 'ons4'];

/** DIALOG at the start, after 3 months and after 6 months, with SWEMWBS and ONS4 at the same points. */
export const DEFAULT_SCHEDULE: CheckInSchedule = {
	points: [
		{ id: 'start', label: 'Start', offset: { amount: 0, unit: 'days' }, windowDays: 14, instruments: WELLBEING },
		{ id: '3-months', label: '3 months', offset: { amount: 3, unit: 'months' }, windowDays: 14, instruments: WELLBEING },
		{ id: '6-months', label: '6 months', offset: { amount: 6, unit: 'months' }, windowDays: 14, instruments: WELLBEING }
	]
};

// ---- dates ---------------------------------------------------------------------------------------

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same day of the month `months` later; a day the month does not have becomes its last day
 * (31 January + 1 month = 28 or 29 February), as people count "in a month's time".
 */
export function addMonthsIso(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const index = y * 12 + (m - 1) + months;
	const year = Math.floor(index / 12);
	const month = (index % 12) + 1;
	const day = Math.min(d, daysInMonth(year, month));
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date a point is due for a referral that started on `startDate`. */
export function dueDateOf(point: Pick<CheckInPoint, 'offset'>, startDate: string): string {
	const { amount, unit } = point.offset;
	if (unit === 'months') return addMonthsIso(startDate, amount);
	return addDaysIso(startDate, unit === 'weeks' ? amount * 7 : amount);
}

/** Rough length of an offset in days, only to put points in order on the admin page. */
function roughDays(point: Pick<CheckInPoint, 'offset'>): number {
	const { amount, unit } = point.offset;
	return unit === 'months' ? amount * 30.44 : unit === 'weeks' ? amount * 7 : amount;
}

// ---- due check-ins -------------------------------------------------------------------------------

/**
 * upcoming: not open yet. due: open now. overdue: the window has closed but it can still be done, until
 * the next point opens. missed: the next point has opened, so asking for this one would only confuse.
 */
export type CheckInStatus = 'upcoming' | 'due' | 'overdue' | 'missed' | 'done';

export interface CompletedCheckIn {
	pointId: string;
	instrument: InstrumentId;
	at: Date;
}

export interface ScheduledCheckIn {
	pointId: string;
	pointLabel: string;
	instrument: InstrumentId;
	instrumentTitle: string;
	dueDate: string;
	/** The first day it can be done: never before the start date. */
	opensOn: string;
	/** The last day of its window. */
	closesOn: string;
	/** "12 June 2027" */
	dueDateText: string;
	opensOnText: string;
	closesOnText: string;
	status: CheckInStatus;
}

interface PointDates {
	point: CheckInPoint;
	dueDate: string;
	opensOn: string;
	closesOn: string;
}

function pointDates(point: CheckInPoint, startDate: string): PointDates {
	const dueDate = dueDateOf(point, startDate);
	const early = addDaysIso(dueDate, -point.windowDays);
	return { point, dueDate, opensOn: early < startDate ? startDate : early, closesOn: addDaysIso(dueDate, point.windowDays) };
}

function statusOf(dates: PointDates, next: PointDates | undefined, done: boolean, today: string): CheckInStatus {
	if (done) return 'done';
	if (today < dates.opensOn) return 'upcoming';
	if (today <= dates.closesOn) return 'due';
	return next && today >= next.opensOn ? 'missed' : 'overdue';
}

/** Every check-in of the schedule, by due date, with its status on `today`. */
export function scheduledCheckIns(
	schedule: CheckInSchedule,
	startDate: string,
	completed: readonly CompletedCheckIn[],
	today: string
): ScheduledCheckIn[] {
	const points = schedule.points.map((p) => pointDates(p, startDate)).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
	const doneKeys = new Set(completed.map((c) => `${c.pointId}\u0000${c.instrument}`));
	return points.flatMap((dates) => {
		const next = points.find((other) => other.dueDate > dates.dueDate);
		return dates.point.instruments.map((instrument) => ({
			pointId: dates.point.id,
			pointLabel: dates.point.label,
			instrument,
			instrumentTitle: INSTRUMENT_TITLES[instrument],
			dueDate: dates.dueDate,
			opensOn: dates.opensOn,
			closesOn: dates.closesOn,
			dueDateText: formatDate(dates.dueDate),
			opensOnText: formatDate(dates.opensOn),
			closesOnText: formatDate(dates.closesOn),
			status: statusOf(dates, next, doneKeys.has(`${dates.point.id}\u0000${instrument}`), today)
		}));
	});
}

/** The check-ins still to do (due, overdue or upcoming), by due date: what the home page lists. */
export function dueCheckIns(
	schedule: CheckInSchedule,
	startDate: string,
	completed: readonly CompletedCheckIn[],
	today: string
): ScheduledCheckIn[] {
	return scheduledCheckIns(schedule, startDate, completed, today).filter((c) => c.status !== 'done' && c.status !== 'missed');
}

/** Check-ins that can be done today: the ones to remind about. */
export function openCheckIns(checkIns: readonly ScheduledCheckIn[]): ScheduledCheckIn[] {
	return checkIns.filter((c) => c.status === 'due' || c.status === 'overdue');
}

// ---- the stored schedule --------------------------------------------------------------------------

const INSTRUMENT_ID_LIST = INSTRUMENT_IDS as [InstrumentId, ...InstrumentId[]];

const pointSchema = z.object({
	id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60),
	label: z.string().trim().min(1).max(60),
	offset: z
		.object({ amount: z.number().int().min(0), unit: z.enum(OFFSET_UNITS) })
		.refine((o) => o.amount <= MAX_OFFSET[o.unit], 'Offset too long'),
	windowDays: z.number().int().min(0).max(MAX_WINDOW_DAYS),
	instruments: z.array(z.enum(INSTRUMENT_ID_LIST)).min(1)
});

/** A schedule as stored with the programme: ids and labels unique, at least one instrument per point. */
export const checkInScheduleSchema = z
	.object({ points: z.array(pointSchema).max(MAX_CHECK_IN_POINTS) })
	.superRefine((s, ctx) => {
		const ids = s.points.map((p) => p.id);
		if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Check-in point ids must be unique' });
		const labels = s.points.map((p) => p.label.toLowerCase());
		if (new Set(labels).size !== labels.length) ctx.addIssue({ code: 'custom', message: 'Check-in point names must be unique' });
	});

/** A stored schedule, or the default when there is none or it no longer reads. */
export function readSchedule(stored: unknown): CheckInSchedule {
	const parsed = checkInScheduleSchema.safeParse(stored);
	return parsed.success ? (parsed.data as CheckInSchedule) : DEFAULT_SCHEDULE;
}

/** "3 months" -> "3-months"; a number is added when another point already has the id. */
export function pointIdFor(label: string, taken: readonly string[]): string {
	const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'check-in';
	let id = base;
	for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
	return id;
}

// ---- the admin form (rows, like the programme editor's alternatives) -------------------------------

/** Blank rows offered under the existing points, so one or two can be added per save. */
export const BLANK_POINT_ROWS = 2;
export const POINT_PARTS = ['id', 'label', 'amount', 'unit', 'window', 'instruments'] as const;

const UNIT_OPTIONS = [
	{ value: 'days', label: 'days' },
	{ value: 'weeks', label: 'weeks' },
	{ value: 'months', label: 'months' }
];

function pointFields(i: number, available: readonly InstrumentId[]): Field[] {
	const p = `point-${i}`;
	const n = i + 1;
	return [
		{ kind: 'hidden', name: `${p}-id` },
		{ kind: 'text', name: `${p}-label`, label: `Check-in ${n}: name`, hint: 'What people see, like "Start", "Mid-point" or "3 months".', width: 'medium' },
		{
			kind: 'text',
			name: `${p}-amount`,
			label: `Check-in ${n}: how long after the start date`,
			hint: 'Enter 0 for a check-in at the start.',
			width: 'short',
			inputmode: 'numeric',
			spellcheck: false
		},
		{ kind: 'select', name: `${p}-unit`, label: `Check-in ${n}: counted in`, options: UNIT_OPTIONS },
		{
			kind: 'text',
			name: `${p}-window`,
			label: `Check-in ${n}: days either side of the due date it can be done`,
			width: 'short',
			inputmode: 'numeric',
			spellcheck: false,
			suffix: 'days'
		},
		{
			kind: 'checkboxes',
			name: `${p}-instruments`,
			label: `Check-in ${n}: questionnaires`,
			options: available.map((id) => ({ value: id, label: INSTRUMENT_TITLES[id] }))
		}
	];
}

/** The schedule editor's fields: a hidden row count, then `rows` rows of points. */
export function scheduleFields(available: readonly InstrumentId[], rows: number): Field[] {
	return [{ kind: 'hidden', name: 'pointRows' }, ...Array.from({ length: rows }, (_, i) => pointFields(i, available)).flat()];
}

/** How many rows a posted form offered (from its hidden pointRows field, bounded). */
export function scheduleRows(form: FormData | URLSearchParams): number {
	const n = Number.parseInt(String(form.get('pointRows') ?? '').slice(0, 4), 10) || 0;
	return Math.min(Math.max(n, 0), MAX_CHECK_IN_POINTS + BLANK_POINT_ROWS);
}

/** The editor filled in from a stored schedule, with blank rows for new points. */
export function scheduleFormValues(schedule: CheckInSchedule): RawValues {
	const rows = schedule.points.length + BLANK_POINT_ROWS;
	const values: RawValues = { pointRows: String(rows) };
	for (let i = 0; i < rows; i++) {
		const point = schedule.points[i];
		const p = `point-${i}`;
		values[`${p}-id`] = point?.id ?? '';
		values[`${p}-label`] = point?.label ?? '';
		values[`${p}-amount`] = point ? String(point.offset.amount) : '';
		values[`${p}-unit`] = point?.offset.unit ?? 'months';
		values[`${p}-window`] = point ? String(point.windowDays) : '14';
		values[`${p}-instruments`] = point ? [...point.instruments] : [];
	}
	return values;
}

interface RowValues {
	id: string;
	label: string;
	amount: string;
	unit: string;
	window: string;
	instruments: string[];
}

function rowOf(values: Record<string, unknown>, i: number): RowValues {
	const p = `point-${i}`;
	const str = (part: string) => (typeof values[`${p}-${part}`] === 'string' ? (values[`${p}-${part}`] as string) : '');
	const list = values[`${p}-instruments`];
	return {
		id: str('id'),
		label: str('label'),
		amount: str('amount'),
		unit: str('unit'),
		window: str('window'),
		instruments: Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
	};
}

/** A row nobody filled in: no name, no amount and no questionnaires (unit and window have defaults). */
function isBlankRow(row: RowValues): boolean {
	return !row.label && !row.amount && row.instruments.length === 0;
}

/**
 * The schedule editor: each filled row becomes a point, blank rows are ignored. `available` are the
 * instruments the programme may use (licensed ones only with a licence). Ids of existing points are kept.
 */
export function scheduleForm(available: readonly InstrumentId[], rows: number): FormDefinition<z.ZodType<CheckInSchedule>> {
	const shape: Record<string, z.ZodType> = { pointRows: text() };
	for (let i = 0; i < rows; i++) {
		for (const part of POINT_PARTS) shape[`point-${i}-${part}`] = part === 'instruments' ? z.array(text()) : text().trim();
	}
	const schema = z
		.object(shape)
		.superRefine((values, ctx) => {
			const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
			const labels = new Set<string>();
			let filled = 0;
			for (let i = 0; i < rows; i++) {
				const row = rowOf(values, i);
				if (isBlankRow(row)) continue;
				filled++;
				const p = `point-${i}`;
				const n = i + 1;
				if (!row.label || row.label.length > 60) issue(`${p}-label`, `Enter a name for check-in ${n} (up to 60 characters)`);
				else if (labels.has(row.label.toLowerCase())) issue(`${p}-label`, `Check-in ${n} has the same name as another check-in. Give each a different name`);
				labels.add(row.label.toLowerCase());
				const unit = (OFFSET_UNITS as readonly string[]).includes(row.unit) ? (row.unit as OffsetUnit) : null;
				if (!unit) issue(`${p}-unit`, `Choose days, weeks or months for check-in ${n}`);
				const max = MAX_OFFSET[unit ?? 'days'];
				if (!/^\d{1,4}$/.test(row.amount) || Number(row.amount) > max)
					issue(`${p}-amount`, `How long after the start date for check-in ${n} must be a whole number from 0 to ${max}`);
				if (!/^\d{1,3}$/.test(row.window) || Number(row.window) > MAX_WINDOW_DAYS)
					issue(`${p}-window`, `Days either side for check-in ${n} must be a whole number from 0 to ${MAX_WINDOW_DAYS}`);
				if (row.instruments.length === 0) issue(`${p}-instruments`, `Choose at least one questionnaire for check-in ${n}`);
				else if (!row.instruments.every((id) => (available as readonly string[]).includes(id)))
					issue(`${p}-instruments`, `Choose questionnaires for check-in ${n} from the list`);
			}
			if (filled > MAX_CHECK_IN_POINTS) issue('point-0-label', `A schedule can have up to ${MAX_CHECK_IN_POINTS} check-ins`);
		})
		.transform((values) => {
			const points: CheckInPoint[] = [];
			const rowsIn = Array.from({ length: rows }, (_, i) => rowOf(values, i)).filter((row) => !isBlankRow(row));
			// Existing ids are kept first, so a new point never takes the id of one listed below it.
			const taken = rowsIn.map((row) => row.id).filter((id) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
			const seen = new Set<string>();
			for (const row of rowsIn) {
				let id = row.id;
				if (!taken.includes(id) || seen.has(id)) {
					id = pointIdFor(row.label, [...taken, ...seen]);
				}
				seen.add(id);
				points.push({
					id,
					label: row.label,
					offset: { amount: Number(row.amount), unit: row.unit as OffsetUnit },
					windowDays: Number(row.window),
					instruments: [...new Set(row.instruments)] as InstrumentId[]
				});
			}
			points.sort((a, b) => roughDays(a) - roughDays(b));
			return { points };
		});
	return { fields: scheduleFields(available, rows), schema: schema as unknown as z.ZodType<CheckInSchedule> };
}
