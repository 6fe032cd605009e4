/**
 * How many questionnaires a person is asked at once (programme.measures: `maxDueAtOnce`, `startSpread`).
 * The schedule (schedule.ts) says which check-ins are open; pacing says which of them the home page asks
 * for now and which wait, so a person who has just referred themselves is not met with five questionnaires.
 *
 * - At most `maxDueAtOnce` open questionnaires are asked at once (2 by default), the earliest due first;
 *   the others wait "until you have done one of the check-ins above" and move up as each is done.
 * - `startSpread` splits the first check-in's questionnaires (the schedule's earliest point) over the first
 *   meetings: part 1 from the start, part 2 after the person's first meeting, and so on (1, the default,
 *   asks them all from the start). Parts are in the point's own order, as even as they can be.
 *
 * Pacing only decides what is asked on the home page: a held-back questionnaire is listed (never lost), its
 * dates do not move, and one done early (from its own address) still answers its point.
 */
import { z } from 'zod';
import { text, wholeNumberField, type Field, type FormDefinition, type RawValues } from '../fields';
import type { ScheduledCheckIn } from './schedule';

export interface CheckInPacing {
	/** The most questionnaires asked at once. */
	maxDueAtOnce: number;
	/** How many meetings the first check-in is spread over (1: all of it from the start). */
	startSpread: number;
}

export const DEFAULT_PACING: Readonly<CheckInPacing> = Object.freeze({ maxDueAtOnce: 2, startSpread: 1 });
/** Limits of the settings: seven questionnaires exist, and a start spread over more than 6 meetings is no start. */
export const MAX_DUE_AT_ONCE = 7;
export const MAX_START_SPREAD = 6;

/** Why an open questionnaire is not asked yet. */
export type WaitingFor = { kind: 'one-done' } | { kind: 'meeting'; meeting: number };

export interface WaitingCheckIn {
	checkIn: ScheduledCheckIn;
	until: WaitingFor;
}

export interface PacedCheckIns {
	/** Open (due or overdue) and asked now: at most `maxDueAtOnce`, earliest due first. */
	now: ScheduledCheckIn[];
	/** Open but held back, in the order they will be asked. */
	waiting: WaitingCheckIn[];
	/** The next check-in point that is not open yet, with the date it opens. */
	upcoming: ScheduledCheckIn[];
}

/** The part (0 from the start, 1 after the first meeting, ...) of a start questionnaire at `index` of `count`. */
export function startPart(index: number, count: number, spread: number): number {
	const parts = Math.max(1, Math.min(spread, count));
	return Math.floor((index * parts) / count);
}

/**
 * Which open check-ins to ask now. `all` is every check-in of the schedule with its status (scheduledCheckIns,
 * done ones included, by due date); `meetingsHad` is how many meetings the person has had so far.
 */
export function paceCheckIns(all: readonly ScheduledCheckIn[], pacing: CheckInPacing, meetingsHad: number): PacedCheckIns {
	const max = Math.max(1, pacing.maxDueAtOnce);
	const startPoint = all[0]?.pointId;
	const startItems = all.filter((c) => c.pointId === startPoint);
	const partOf = (c: ScheduledCheckIn): number =>
		c.pointId === startPoint ? startPart(startItems.indexOf(c), startItems.length, pacing.startSpread) : 0;

	const open = all.filter((c) => c.status === 'due' || c.status === 'overdue');
	const now: ScheduledCheckIn[] = [];
	const full: WaitingCheckIn[] = [];
	const meeting: WaitingCheckIn[] = [];
	for (const c of open) {
		const part = partOf(c);
		if (part > meetingsHad) meeting.push({ checkIn: c, until: { kind: 'meeting', meeting: part } });
		else if (now.length < max) now.push(c);
		else full.push({ checkIn: c, until: { kind: 'one-done' } });
	}
	const later = all.filter((c) => c.status === 'upcoming');
	const nextPoint = later[0]?.pointId;
	return { now, waiting: [...full, ...meeting], upcoming: later.filter((c) => c.pointId === nextPoint) };
}

/** Stored pacing, each missing or unreadable value taking its default. */
export function readPacing(source: Record<string, unknown>): CheckInPacing {
	const whole = (value: unknown, min: number, max: number, fallback: number) =>
		typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
	return {
		maxDueAtOnce: whole(source.maxDueAtOnce, 1, MAX_DUE_AT_ONCE, DEFAULT_PACING.maxDueAtOnce),
		startSpread: whole(source.startSpread, 1, MAX_START_SPREAD, DEFAULT_PACING.startSpread)
	};
}

// ---- the admin form ------------------------------------------------------------------------------

export const PACING_FIELDS: readonly Field[] = [
	wholeNumberField(
		'maxDueAtOnce',
		'Most questionnaires asked at once',
		`Participants see this many questionnaires to do at a time; the next is asked when they have done one. From 1 to ${MAX_DUE_AT_ONCE}.`,
		'questionnaires'
	),
	wholeNumberField(
		'startSpread',
		'Spread the first check-in over this many meetings',
		`1 asks every questionnaire of the first check-in from the start. 2 asks the first half from the start and the rest after the participant's first meeting, and so on. From 1 to ${MAX_START_SPREAD}.`,
		'meetings'
	)
];

const wholeNumber = (label: string, min: number, max: number) =>
	text()
		.trim()
		.refine((v) => /^\d{1,2}$/.test(v) && Number(v) >= min && Number(v) <= max, `${label} must be a whole number from ${min} to ${max}`)
		.transform(Number);

export const pacingForm: FormDefinition<z.ZodType<CheckInPacing>> = {
	fields: [...PACING_FIELDS],
	schema: z.object({
		maxDueAtOnce: wholeNumber('Most questionnaires asked at once', 1, MAX_DUE_AT_ONCE),
		startSpread: wholeNumber('Meetings to spread the first check-in over', 1, MAX_START_SPREAD)
	}) as unknown as z.ZodType<CheckInPacing>
};

export function pacingFormValues(pacing: Readonly<CheckInPacing>): RawValues {
	return { maxDueAtOnce: String(pacing.maxDueAtOnce), startSpread: String(pacing.startSpread) };
}
