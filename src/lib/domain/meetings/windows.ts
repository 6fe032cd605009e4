/**
 * The hours a specialist offers on one UK date (weekly patterns plus extra hours), and the spans of time
 * they are not free (hours taken away, leave). Wall-clock in, instants out for the spans.
 */
import type { Leave, OneOffChange, WeeklyPattern } from './availability';
import { modesOf } from './availability';
import type { MeetingMode } from './modes';
import { addDaysIso, isoWeekday, ukClockReaches, ukStartOfDay } from '../uk-time';

type ExtraHours = Extract<OneOffChange, { kind: 'extra' }>;

export interface Window {
	specialistId: string;
	date: string;
	start: string;
	end: string;
	modes: MeetingMode[];
}

export interface Span {
	start: Date;
	end: Date;
}

export function windowsOn(date: string, specialistId: string, patterns: WeeklyPattern[], changes: OneOffChange[]): Window[] {
	const weekday = isoWeekday(date);
	const weekly = patterns
		.filter((p) => p.specialistId === specialistId && p.weekday === weekday)
		.map((p) => ({ specialistId, date, start: p.start, end: p.end, modes: modesOf(p) }));
	const extra = changes
		.filter((c): c is ExtraHours => c.kind === 'extra' && c.specialistId === specialistId && c.date === date)
		.map((c) => ({ specialistId, date, start: c.start, end: c.end, modes: modesOf(c) }));
	return [...weekly, ...extra];
}

/** Hours taken away and leave, as spans of time, for one specialist. */
export function unavailableSpans(specialistId: string, changes: OneOffChange[], leave: Leave[]): Span[] {
	const spans: Span[] = [];
	for (const change of changes) {
		if (change.kind !== 'removed' || change.specialistId !== specialistId) continue;
		spans.push({ start: ukClockReaches(change.date, change.start), end: ukClockReaches(change.date, change.end) });
	}
	for (const item of leave) {
		if (item.specialistId !== specialistId) continue;
		if (item.kind === 'days') spans.push({ start: ukStartOfDay(item.from), end: ukStartOfDay(addDaysIso(item.to, 1)) });
		else spans.push({ start: item.start, end: item.end });
	}
	return spans;
}

export function overlaps(a: Span, b: Span): boolean {
	return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}
