/**
 * Reading availability and booking settings for booking (participant side). A minimal reader of the tables
 * the staff availability pages write (availability_pattern, availability_change, staff_leave,
 * programme.booking, venue); same signatures as availability-store.ts, which the integrator may use instead.
 */
import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Leave, OneOffChange, WeeklyPattern } from '$lib/domain/meetings/availability';
import { DEFAULT_BOOKING_SETTINGS, type BookingSettings } from '$lib/domain/meetings/settings';
import type { Db, Tx } from '../db';
import { availabilityChange, availabilityPattern, programme, staffLeave, venue, type Venue } from '../db/schema';

type Conn = Db | Tx;

/** Weekly patterns, one-off changes from `fromDate` to `toDate` and leave touching them, for these staff. */
export async function loadAvailability(
	db: Conn,
	staffIds: string[],
	fromDate: string,
	toDate: string
): Promise<{ patterns: WeeklyPattern[]; changes: OneOffChange[]; leave: Leave[] }> {
	if (!staffIds.length) return { patterns: [], changes: [], leave: [] };
	const [patternRows, changeRows, leaveRows] = await Promise.all([
		db.select().from(availabilityPattern).where(inArray(availabilityPattern.staffId, staffIds)),
		db
			.select()
			.from(availabilityChange)
			.where(and(inArray(availabilityChange.staffId, staffIds), gte(availabilityChange.date, fromDate), lte(availabilityChange.date, toDate))),
		db
			.select()
			.from(staffLeave)
			.where(and(inArray(staffLeave.staffId, staffIds), lte(staffLeave.fromDate, toDate), gte(staffLeave.toDate, fromDate)))
	]);
	return {
		patterns: patternRows.map((p) => ({ specialistId: p.staffId, weekday: p.weekday, start: p.start, end: p.end, modes: p.modes, venueId: p.venueId })),
		changes: changeRows.map((c): OneOffChange =>
			c.kind === 'extra'
				? { kind: 'extra', specialistId: c.staffId, date: c.date, start: c.start, end: c.end, modes: c.modes, venueId: c.venueId }
				: { kind: 'removed', specialistId: c.staffId, date: c.date, start: c.start, end: c.end }
		),
		leave: leaveRows.map((l) => ({ kind: 'days' as const, specialistId: l.staffId, from: l.fromDate, to: l.toDate }))
	};
}

/** The programme's booking settings; anything it does not set comes from DEFAULT_BOOKING_SETTINGS. */
export async function bookingSettingsFor(db: Conn, programmeId: string): Promise<BookingSettings> {
	const [row] = await db.select({ booking: programme.booking }).from(programme).where(eq(programme.id, programmeId));
	const stored = row?.booking ?? null;
	const settings = { ...DEFAULT_BOOKING_SETTINGS, ...(stored ?? {}) };
	return { ...settings, reminderOffsets: [...(settings.reminderOffsets ?? DEFAULT_BOOKING_SETTINGS.reminderOffsets)] };
}

/** Venues by id (disabled ones included: a meeting booked there still needs its address). */
export async function venuesByIds(db: Conn, ids: (string | null | undefined)[]): Promise<Map<string, Venue>> {
	const wanted = [...new Set(ids.filter((id): id is string => !!id))];
	if (!wanted.length) return new Map();
	const rows = await db.select().from(venue).where(inArray(venue.id, wanted));
	return new Map(rows.map((v) => [v.id, v]));
}
