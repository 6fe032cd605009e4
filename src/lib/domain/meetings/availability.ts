/**
 * A specialist's availability: weekly patterns, one-off changes on a date, and leave. Wall-clock times are
 * UK time ('HH:mm'), dates are UK dates ('YYYY-MM-DD'). The schemas read staff form answers (strings).
 */
import { z } from 'zod';
import { choice, multiChoice, optionalText, text } from '../fields';
import { MODE_KINDS, type MeetingMode, type ModeKind } from './modes';
import { isIsoDate, isWallTime, minutesOf } from '../uk-time';

export interface WeeklyPattern {
	specialistId: string;
	/** 1 Monday to 7 Sunday */
	weekday: number;
	start: string;
	end: string;
	modes: ModeKind[];
	/** Where in-person meetings happen; required when `modes` includes 'in-person'. */
	venueId?: string | null;
}

/** Extra hours on one date, or hours taken away from that date's pattern. */
export type OneOffChange =
	| { kind: 'extra'; specialistId: string; date: string; start: string; end: string; modes: ModeKind[]; venueId?: string | null }
	| { kind: 'removed'; specialistId: string; date: string; start: string; end: string };

/** Leave: whole UK days from `from` to `to` (both included), or an exact span of time. */
export type Leave =
	| { kind: 'days'; specialistId: string; from: string; to: string }
	| { kind: 'instants'; specialistId: string; start: Date; end: Date };

/** The modes a pattern or extra hours offer, with the venue attached to in-person. */
export function modesOf(source: { modes: ModeKind[]; venueId?: string | null }): MeetingMode[] {
	const modes: MeetingMode[] = [];
	for (const kind of MODE_KINDS) {
		if (!source.modes.includes(kind)) continue;
		if (kind === 'in-person') {
			if (source.venueId) modes.push({ kind, venueId: source.venueId });
		} else modes.push({ kind });
	}
	return modes;
}

// ---- schemas for staff forms --------------------------------------------------------------------

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const wallTime = (empty: string, label: string) =>
	text()
		.trim()
		.min(1, empty)
		.transform((v) => (/^\d:\d{2}$/.test(v) ? `0${v}` : v))
		.refine(isWallTime, `${label} must be a time in 24-hour format, like 09:30 or 17:00`);

const isoDate = (empty: string, label: string) =>
	text().trim().min(1, empty).refine(isIsoDate, `${label} must be a real date, like 2027-03-30`);

const hours = {
	start: wallTime('Enter a start time', 'Start time'),
	end: wallTime('Enter an end time', 'End time')
};

const modes = multiChoice(MODE_KINDS, 'Choose how people can meet from the list', 'Choose at least one way to meet');
const venueId = optionalText(100, 'Venue must be 100 characters or fewer');

function endAfterStart(value: { start: string; end: string }, ctx: z.RefinementCtx) {
	if (minutesOf(value.end) <= minutesOf(value.start)) {
		ctx.addIssue({ code: 'custom', path: ['end'], message: 'End time must be after the start time' });
	}
}

function venueWhenInPerson(value: { modes: ModeKind[]; venueId: string | null }, ctx: z.RefinementCtx) {
	if (value.modes.includes('in-person') && !value.venueId) {
		ctx.addIssue({ code: 'custom', path: ['venueId'], message: 'Choose a venue for meetings in person' });
	}
}

export const weeklyPatternSchema = z
	.object({
		weekday: choice(['1', '2', '3', '4', '5', '6', '7'], 'Choose a day of the week').transform(Number),
		...hours,
		modes,
		venueId
	})
	.superRefine(endAfterStart)
	.superRefine(venueWhenInPerson);

export const extraHoursSchema = z
	.object({ date: isoDate('Enter the date', 'Date'), ...hours, modes, venueId })
	.superRefine(endAfterStart)
	.superRefine(venueWhenInPerson);

export const removedHoursSchema = z
	.object({ date: isoDate('Enter the date', 'Date'), ...hours })
	.superRefine(endAfterStart);

export const leaveDaysSchema = z
	.object({ from: isoDate('Enter the first day of leave', 'First day'), to: isoDate('Enter the last day of leave', 'Last day') })
	.superRefine((value, ctx) => {
		if (value.to < value.from) {
			ctx.addIssue({ code: 'custom', path: ['to'], message: 'Last day must be the same as or after the first day' });
		}
	});
