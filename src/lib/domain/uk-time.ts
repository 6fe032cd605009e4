/**
 * Dates and times as people in the UK read them: every calendar date and clock time the portal shows or
 * parses goes through here, in Europe/London (GMT in winter, BST in summer). A date without a time is an
 * ISO string "YYYY-MM-DD"; an instant is a Date.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

export const UK_TIME_ZONE = 'Europe/London';

function inUk(instant: Date): TZDate {
	return new TZDate(instant.getTime(), UK_TIME_ZONE);
}

/** A calendar date at noon UTC, so formatting it never crosses a day boundary. */
function calendarDay(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

/** The calendar date ("YYYY-MM-DD") in the UK at an instant. */
export function ukDate(instant: Date): string {
	return format(inUk(instant), 'yyyy-MM-dd');
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
