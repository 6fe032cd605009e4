/**
 * UK wall-clock times ('YYYY-MM-DD' and 'HH:mm' in Europe/London) to and from instants (`Date`, UTC).
 *
 * Clock changes: on the spring-forward night a wall time in the missing hour (01:00-01:59) does not exist,
 * and `ukInstant` returns null for it. On the autumn night the hour 01:00-01:59 happens twice; `ukInstant`
 * takes the first occurrence (BST), so a weekly pattern yields each wall time once.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import { UK_TIME_ZONE, ukDate } from '../uk-time';

export { UK_TIME_ZONE, ukDate };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isIsoDate(value: string): boolean {
	const match = DATE.exec(value);
	if (!match) return false;
	const [y, m, d] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isWallTime(value: string): boolean {
	return TIME.test(value);
}

/** Minutes since midnight for 'HH:mm'. */
export function minutesOf(time: string): number {
	const [h, m] = time.split(':').map(Number);
	return h * 60 + m;
}

/** 'HH:mm' for minutes since midnight (0 to 1439). */
export function timeOf(minutes: number): string {
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The wall-clock reading as if it were UTC, in milliseconds. */
function wallMs(date: string, time: string): number {
	const [y, m, d] = date.split('-').map(Number);
	const [h, min] = time.split(':').map(Number);
	return Date.UTC(y, m - 1, d, h, min);
}

function offsetMs(instant: number): number {
	return tzOffset(UK_TIME_ZONE, new Date(instant)) * MINUTE;
}

/** The UK clock reading at an instant, as if it were UTC, in milliseconds. */
function clockMs(instant: number): number {
	return instant + offsetMs(instant);
}

/**
 * The instant at which UK clocks read `time` on `date`: null if that time does not exist (the missing hour
 * in spring), the first occurrence if it happens twice (the repeated hour in autumn).
 */
export function ukInstant(date: string, time: string): Date | null {
	const wall = wallMs(date, time);
	const candidates = [...new Set([offsetMs(wall - 12 * HOUR), offsetMs(wall + 12 * HOUR)])]
		.map((offset) => wall - offset)
		.filter((instant) => clockMs(instant) === wall)
		.sort((a, b) => a - b);
	return candidates.length ? new Date(candidates[0]) : null;
}

/**
 * The first instant at which UK clocks read `time` on `date` or later. The same as `ukInstant` except in
 * the missing hour, where it is the moment the clocks go forward. Used for the ends of windows.
 */
export function ukClockReaches(date: string, time: string): Date {
	const exact = ukInstant(date, time);
	if (exact) return exact;
	const wall = wallMs(date, time);
	let lo = wall - offsetMs(wall + 12 * HOUR); // reads earlier than `wall`
	let hi = wall - offsetMs(wall - 12 * HOUR); // reads later than `wall`
	while (hi - lo > MINUTE) {
		const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
		if (clockMs(mid) >= wall) hi = mid;
		else lo = mid;
	}
	return new Date(hi);
}

/** Midnight at the start of a UK date. */
export function ukStartOfDay(date: string): Date {
	return ukClockReaches(date, '00:00');
}

/** 'HH:mm' on UK clocks at an instant. */
export function ukTime(instant: Date): string {
	return format(new TZDate(instant.getTime(), UK_TIME_ZONE), 'HH:mm');
}

/** ISO weekday of a date: 1 Monday to 7 Sunday. */
export function isoWeekday(date: string): number {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

/** The date `days` calendar days after `date`. */
export function addDaysIso(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return addDays(new Date(Date.UTC(y, m - 1, d, 12)), days).toISOString().slice(0, 10);
}

/** Dates from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
	const dates: string[] = [];
	for (let date = from; date <= to; date = addDaysIso(date, 1)) dates.push(date);
	return dates;
}

/** The same UK wall-clock time `days` calendar days later (as people count "4 weeks ahead"). */
export function addUkDays(instant: Date, days: number): Date {
	return new Date(addDays(new TZDate(instant.getTime(), UK_TIME_ZONE), days).getTime());
}

/** True when the UK clock reading at this instant happens twice (the repeated hour in autumn). */
export function inRepeatedHour(instant: Date): boolean {
	const t = instant.getTime();
	const reading = clockMs(t);
	return [t - HOUR, t + HOUR].some((other) => clockMs(other) === reading);
}
