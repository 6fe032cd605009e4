/** Working days between UK calendar dates ("YYYY-MM-DD"), skipping weekends and given bank holidays. */
import { addDays } from 'date-fns';

function parseIsoDate(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

function toIso(date: Date): string {
	return date.toISOString().slice(0, 10);
}

export function isWorkingDay(iso: string, bankHolidays: ReadonlySet<string>): boolean {
	const date = parseIsoDate(iso);
	return !isWeekendUtc(date) && !bankHolidays.has(iso);
}

function isWeekendUtc(date: Date): boolean {
	const day = date.getUTCDay();
	return day === 0 || day === 6;
}

/**
 * The date `days` working days after `startIso`, skipping weekends and the given bank holidays.
 * The start day itself is not counted: a referral on Friday with a 2-day target is due on Tuesday.
 */
export function addWorkingDays(startIso: string, days: number, bankHolidays: ReadonlySet<string>): string {
	let date = parseIsoDate(startIso);
	let left = days;
	while (left > 0) {
		date = addDays(date, 1);
		if (!isWeekendUtc(date) && !bankHolidays.has(toIso(date))) left--;
	}
	return toIso(date);
}

/** Working days from `fromIso` (exclusive) to `toIso` (inclusive); negative when `toIso` is earlier. */
export function workingDaysBetween(fromIso: string, toIsoDate: string, bankHolidays: ReadonlySet<string>): number {
	if (fromIso === toIsoDate) return 0;
	const forward = fromIso < toIsoDate;
	let date = parseIsoDate(forward ? fromIso : toIsoDate);
	const end = forward ? toIsoDate : fromIso;
	let count = 0;
	while (toIso(date) < end) {
		date = addDays(date, 1);
		if (!isWeekendUtc(date) && !bankHolidays.has(toIso(date))) count++;
	}
	return forward ? count : -count;
}

