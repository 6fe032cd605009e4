/**
 * Free meeting times. Each window of availability is stepped through from its start by meeting length
 * plus buffer, in UK wall-clock time, so a 09:00-17:00 pattern gives 09:00, 10:00, ... on every day,
 * clock-change days included. Across a clock change in the night:
 * - spring: a start in the missing hour (01:00-01:59) is skipped, and a start that would come less than
 *   meeting plus buffer after the one before (in real time) is skipped too;
 * - autumn: a start in the repeated hour is offered once, at its first occurrence (BST).
 * Meetings last `meetingMinutes` of real time, so their end is read from the clock afterwards.
 */
import type { Leave, OneOffChange, WeeklyPattern } from './availability';
import { holdsTime, type BookedTime } from './meeting';
import { modeKey, type MeetingMode, type ModeKind } from './modes';
import type { BookingSettings } from './settings';
import { addUkDays, datesBetween, minutesOf, timeOf, ukClockReaches, ukDate, ukInstant } from '../uk-time';
import { overlaps, unavailableSpans, windowsOn, type Span, type Window } from './windows';

const MINUTE = 60_000;

export interface Slot {
	start: Date;
	end: Date;
	/** Everyone free at this time, in the order given. */
	specialistIds: string[];
	/** Every way of meeting someone offers at this time. */
	modes: MeetingMode[];
	/** Who offers which modes. */
	offers: { specialistId: string; modes: MeetingMode[] }[];
}

export interface FreeSlotsInput {
	specialistIds: string[];
	patterns: WeeklyPattern[];
	changes: OneOffChange[];
	leave: Leave[];
	bookings: BookedTime[];
	settings: BookingSettings;
	now: Date;
	/** Only times offered in this way (and at this venue, when given). */
	mode?: ModeKind;
	venueId?: string;
	/** UK dates with no free times at all: the programme's bank holidays and closures. */
	closedDates?: (date: string) => boolean;
}

/** The first and last moments a meeting booked now may occupy. */
export function bookingRange(settings: BookingSettings, now: Date): Span {
	return {
		start: new Date(now.getTime() + settings.minimumNoticeHours * 60 * MINUTE),
		end: addUkDays(now, settings.bookAheadDays)
	};
}

export function freeSlots(input: FreeSlotsInput): Slot[] {
	const { settings } = input;
	const range = bookingRange(settings, input.now);
	const dates = datesBetween(ukDate(range.start), ukDate(range.end)).filter((date) => !input.closedDates?.(date));
	const merged = new Map<number, Slot>();
	for (const specialistId of input.specialistIds) {
		const busy = [
			...unavailableSpans(specialistId, input.changes, input.leave),
			...input.bookings
				.filter((b) => b.specialistId === specialistId && holdsTime(b.status))
				.map((b) => widen(b, settings.bufferMinutes))
		];
		for (const date of dates) {
			for (const window of windowsOn(date, specialistId, input.patterns, input.changes)) {
				const modes = window.modes.filter((m) => matches(m, input.mode, input.venueId));
				if (!modes.length) continue;
				for (const time of windowTimes(window, settings)) {
					if (time.start < range.start || time.end > range.end) continue;
					if (busy.some((span) => overlaps(time, span))) continue;
					add(merged, time, specialistId, modes);
				}
			}
		}
	}
	return [...merged.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Meeting times on the window's grid, before anything else is taken into account. */
export function windowTimes(window: Window, settings: BookingSettings): Span[] {
	const times: Span[] = [];
	const step = settings.meetingMinutes + settings.bufferMinutes;
	const windowEnd = ukClockReaches(window.date, window.end).getTime();
	let previousEnd = -Infinity;
	for (let minutes = minutesOf(window.start); minutes < minutesOf(window.end); minutes += step) {
		const start = ukInstant(window.date, timeOf(minutes));
		if (!start) continue;
		const end = start.getTime() + settings.meetingMinutes * MINUTE;
		if (end > windowEnd) break;
		if (start.getTime() < previousEnd + settings.bufferMinutes * MINUTE) continue;
		times.push({ start, end: new Date(end) });
		previousEnd = end;
	}
	return times;
}

function widen(span: Span, minutes: number): Span {
	return { start: new Date(span.start.getTime() - minutes * MINUTE), end: new Date(span.end.getTime() + minutes * MINUTE) };
}

function matches(mode: MeetingMode, kind?: ModeKind, venueId?: string): boolean {
	if (kind && mode.kind !== kind) return false;
	if (venueId && mode.kind === 'in-person' && mode.venueId !== venueId) return false;
	return true;
}

function add(merged: Map<number, Slot>, time: Span, specialistId: string, modes: MeetingMode[]) {
	const key = time.start.getTime();
	const slot = merged.get(key) ?? { start: time.start, end: time.end, specialistIds: [], modes: [], offers: [] };
	merged.set(key, slot);
	let offer = slot.offers.find((o) => o.specialistId === specialistId);
	if (!offer) {
		offer = { specialistId, modes: [] };
		slot.offers.push(offer);
		slot.specialistIds.push(specialistId);
	}
	for (const mode of modes) {
		if (!offer.modes.some((m) => modeKey(m) === modeKey(mode))) offer.modes.push(mode);
		if (!slot.modes.some((m) => modeKey(m) === modeKey(mode))) slot.modes.push(mode);
	}
}

/** Who can meet at this time in this way. */
export function specialistsFor(slot: Slot, mode: MeetingMode): string[] {
	return slot.offers.filter((o) => o.modes.some((m) => modeKey(m) === modeKey(mode))).map((o) => o.specialistId);
}

/** Free slots grouped by UK date, in order. */
export function slotsByDay(slots: Slot[]): { date: string; slots: Slot[] }[] {
	const days = new Map<string, Slot[]>();
	for (const slot of [...slots].sort((a, b) => a.start.getTime() - b.start.getTime())) {
		const date = ukDate(slot.start);
		days.set(date, [...(days.get(date) ?? []), slot]);
	}
	return [...days].map(([date, daySlots]) => ({ date, slots: daySlots }));
}
