/**
 * Dates and times as people in the UK read them: every calendar date and clock time the portal shows,
 * parses or counts with goes through here, in Europe/London (GMT in winter, BST in summer). A date without
 * a time is an ISO string "YYYY-MM-DD", a wall-clock time "HH:mm"; an instant is a Date.
 *
 * Clock changes: on the spring-forward night a wall time in the missing hour (01:00-01:59) does not exist,
 * and `ukInstant` returns null for it. On the autumn night the hour 01:00-01:59 happens twice; `ukInstant`
 * takes the first occurrence (BST), so a weekly pattern yields each wall time once.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, format } from 'date-fns';

export const UK_TIME_ZONE = 'Europe/London';

function inUk(instant: Date): TZDate {
	return new TZDate(instant.getTime(), UK_TIME_ZONE);
}

/** A calendar date at noon UTC, so formatting it never crosses a day boundary. */
function calendarDay(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

/**
 * The calendar date ("YYYY-MM-DD") in the UK at an instant: the instant moved by the UK's offset from UTC at
 * that moment, read as a UTC date (several times quicker than formatting a TZDate; reports call it per row).
 */
export function ukDate(instant: Date): string {
	const time = instant.getTime();
	return new Date(time + tzOffset(UK_TIME_ZONE, instant) * 60_000).toISOString().slice(0, 10);
}

/** The instant a UK calendar day begins (23:00 UTC the day before, in summer). */
export function ukMidnight(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(new TZDate(y, m - 1, d, UK_TIME_ZONE).getTime());
}

/** A datetime-local value ("2026-12-05T14:05"), read as UK time; null when it is not a real time. */
export function parseUkDateTime(value: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
	const date = new TZDate(y, mo - 1, d, h, mi, s, UK_TIME_ZONE);
	if (Number.isNaN(date.getTime()) || date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59) return null;
	return new Date(date.getTime());
}

/** "Tuesday 1 December 2026" */
export function formatLongDate(iso: string): string {
	return format(calendarDay(iso), 'EEEE d MMMM yyyy');
}

/** "1 December 2026" */
export function formatDate(iso: string): string {
	return format(calendarDay(iso), 'd MMMM yyyy');
}

/** "Tue 1 Dec" */
export function formatShortDay(iso: string): string {
	return format(calendarDay(iso), 'EEE d MMM');
}

/** "5 December 2026 at 2:05pm", UK time. */
export function formatUkDateTime(instant: Date): string {
	return format(inUk(instant), "d MMMM yyyy 'at' h:mmaaa");
}

/** "Saturday, 5 December 2026 at 14:05", UK time. */
export function formatUkFullDateTime(instant: Date): string {
	return format(inUk(instant), "EEEE, d MMMM yyyy 'at' HH:mm");
}

/** "5 Dec 2026", UK time. */
export function formatUkShortDate(instant: Date): string {
	return format(inUk(instant), 'd MMM yyyy');
}

/** "5 Dec 2026, 14:05:09", UK time: when something happened, to the second (admin pages). */
export function formatUkTimestamp(instant: Date): string {
	return format(inUk(instant), 'd MMM yyyy, HH:mm:ss');
}

/** "2026-12-05 14:05:09", UK time, which spreadsheets read as a date and time. */
export function formatUkSpreadsheetDateTime(instant: Date): string {
	return format(inUk(instant), 'yyyy-MM-dd HH:mm:ss');
}

/** "2026-12-01" or "1/12/2026" (day first, as in the UK) to YYYY-MM-DD; null when it is not a real date. */
export function parseUkDate(input: string): string | null {
	const text = input.trim();
	let y: number, m: number, d: number;
	let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
	if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else if ((match = /^(\d{1,2})[/.\s-](\d{1,2})[/.\s-](\d{4})$/.exec(text))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else return null;
	const date = new Date(Date.UTC(y, m - 1, d));
	if (y < 2000 || y > 2100 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
	return date.toISOString().slice(0, 10);
}

// ---- wall-clock times and instants ----------------------------------------------------------------

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
