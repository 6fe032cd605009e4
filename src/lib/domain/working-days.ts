/**
 * Working days between UK calendar dates ("YYYY-MM-DD"). Which days are working days is given either as a
 * set of bank holidays (then weekends and those dates are not) or as a test of a date (a programme's
 * opening hours and closed days: domain/service-hours.ts `isWorkingDay`).
 */
import { addDays } from 'date-fns';

export type WorkingDays = ReadonlySet<string> | ((iso: string) => boolean);

function parseIsoDate(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

function toIso(date: Date): string {
	return date.toISOString().slice(0, 10);
}

function worksOn(iso: string, days: WorkingDays): boolean {
	if (typeof days === 'function') return days(iso);
	const weekday = parseIsoDate(iso).getUTCDay();
	return weekday !== 0 && weekday !== 6 && !days.has(iso);
}

export function isWorkingDay(iso: string, days: WorkingDays): boolean {
	return worksOn(iso, days);
}

/** More than any real gap between working days: a calendar with none stops here instead of looping. */
const MAX_SCAN_DAYS = 3660;

/**
 * The date `days` working days after `startIso`. The start day itself is not counted: a referral on Friday
 * with a 2-day target is due on Tuesday.
 */
export function addWorkingDays(startIso: string, days: number, workingDays: WorkingDays): string {
	let date = parseIsoDate(startIso);
	let left = days;
	for (let scanned = 0; left > 0 && scanned < MAX_SCAN_DAYS; scanned++) {
		date = addDays(date, 1);
		if (worksOn(toIso(date), workingDays)) left--;
	}
	return toIso(date);
}

/** Working days from `fromIso` (exclusive) to `toIso` (inclusive); negative when `toIso` is earlier. */
export function workingDaysBetween(fromIso: string, toIsoDate: string, workingDays: WorkingDays): number {
	if (fromIso === toIsoDate) return 0;
	const forward = fromIso < toIsoDate;
	let date = parseIsoDate(forward ? fromIso : toIsoDate);
	const end = forward ? toIsoDate : fromIso;
	let count = 0;
	while (toIso(date) < end) {
		date = addDays(date, 1);
		if (worksOn(toIso(date), workingDays)) count++;
	}
	return forward ? count : -count;
}
