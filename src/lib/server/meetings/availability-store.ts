/**
 * Availability as staff keep it: each specialist's weekly hours (availability_pattern), extra hours and
 * hours taken away on one date (availability_change), leave in whole days (staff_leave) and their video
 * link (staff.video_link); the venues admins keep (venue); and each programme's booking settings
 * (programme.booking). Every change is one transaction with its audit row.
 *
 * The booking code reads availability with `loadAvailability` (the domain types of
 * $lib/domain/meetings/availability) and the settings with `bookingSettingsFor`; both take the database
 * or a transaction, so they can be read inside the booking's own transaction.
 */
import { and, asc, eq, gte, inArray, isNull, lte, ne } from 'drizzle-orm';
import { validateRaw, type RawValues } from '$lib/domain/fields';
import type { Leave, OneOffChange, WeeklyPattern } from '$lib/domain/meetings/availability';
import {
	bookingSettingsForm,
	extraHoursForm,
	leaveForm,
	removeForm,
	removedHoursForm,
	venueForm,
	videoLinkForm,
	wallHoursWords,
	weekdayName,
	weeklyPatternForm,
	type VenueChoice
} from '$lib/domain/meetings/availability-forms';
import type { ModeKind } from '$lib/domain/meetings/modes';
import { DEFAULT_BOOKING_SETTINGS, type BookingSettings } from '$lib/domain/meetings/settings';
import { minutesOf, ukDate } from '$lib/domain/uk-time';
import { recordAudit } from '../audit';
import type { StaffUser } from '../auth/sessions';
import { getDb, type Db, type Tx } from '../db';
import { availabilityChange, availabilityPattern, programme, staff, staffLeave, staffProgramme, venue, type Venue } from '../db/schema';
import { saveProgrammeSetting } from '../programmes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type FormFailure = { ok: false; raw: RawValues; errors: Record<string, string> };
export type ChangeResult = { ok: true; changed: boolean } | FormFailure;

function failure(raw: RawValues, field: string, message: string): FormFailure {
	return { ok: false, raw, errors: { [field]: message } };
}

// ---- reading, for booking -------------------------------------------------------------------------

export interface LoadedAvailability {
	patterns: WeeklyPattern[];
	changes: OneOffChange[];
	leave: Leave[];
}

/**
 * The availability of these staff between two UK dates (both included): every weekly pattern, the
 * one-off changes on those dates and the leave that touches them. Disabled staff have none. In-person
 * times at a disabled venue are left out (the other modes of that pattern stay).
 */
export async function loadAvailability(db: Db | Tx, staffIds: string[], fromDate: string, toDate: string): Promise<LoadedAvailability> {
	const ids = [...new Set(staffIds)].filter((id) => UUID.test(id));
	if (!ids.length) return { patterns: [], changes: [], leave: [] };
	const active = and(inArray(staff.id, ids), isNull(staff.disabledAt));
	const [patternRows, changeRows, leaveRows] = await Promise.all([
		db
			.select({ p: availabilityPattern, venueDisabledAt: venue.disabledAt })
			.from(availabilityPattern)
			.innerJoin(staff, eq(staff.id, availabilityPattern.staffId))
			.leftJoin(venue, eq(venue.id, availabilityPattern.venueId))
			.where(active)
			.orderBy(asc(availabilityPattern.staffId), asc(availabilityPattern.weekday), asc(availabilityPattern.start)),
		db
			.select({ c: availabilityChange, venueDisabledAt: venue.disabledAt })
			.from(availabilityChange)
			.innerJoin(staff, eq(staff.id, availabilityChange.staffId))
			.leftJoin(venue, eq(venue.id, availabilityChange.venueId))
			.where(and(active, gte(availabilityChange.date, fromDate), lte(availabilityChange.date, toDate)))
			.orderBy(asc(availabilityChange.date), asc(availabilityChange.start)),
		db
			.select({ l: staffLeave })
			.from(staffLeave)
			.innerJoin(staff, eq(staff.id, staffLeave.staffId))
			.where(and(active, lte(staffLeave.fromDate, toDate), gte(staffLeave.toDate, fromDate)))
			.orderBy(asc(staffLeave.fromDate))
	]);
	const usable = (modes: ModeKind[], venueId: string | null, venueDisabledAt: Date | null) => {
		const venueOk = venueId !== null && venueDisabledAt === null;
		return { modes: modes.filter((m) => m !== 'in-person' || venueOk), venueId: venueOk ? venueId : null };
	};
	const patterns: WeeklyPattern[] = [];
	for (const { p, venueDisabledAt } of patternRows) {
		const { modes, venueId } = usable(p.modes, p.venueId, venueDisabledAt);
		if (modes.length) patterns.push({ specialistId: p.staffId, weekday: p.weekday, start: p.start, end: p.end, modes, venueId });
	}
	const changes: OneOffChange[] = [];
	for (const { c, venueDisabledAt } of changeRows) {
		if (c.kind === 'removed') {
			changes.push({ kind: 'removed', specialistId: c.staffId, date: c.date, start: c.start, end: c.end });
			continue;
		}
		const { modes, venueId } = usable(c.modes, c.venueId, venueDisabledAt);
		if (modes.length) changes.push({ kind: 'extra', specialistId: c.staffId, date: c.date, start: c.start, end: c.end, modes, venueId });
	}
	const leave: Leave[] = leaveRows.map(({ l }) => ({ kind: 'days', specialistId: l.staffId, from: l.fromDate, to: l.toDate }));
	return { patterns, changes, leave };
}

// ---- whose availability a staff member may see and change ---------------------------------------

export interface AvailabilityOwner {
	id: string;
	name: string;
	email: string;
	role: StaffUser['role'];
	self: boolean;
}

/**
 * The staff member whose availability `user` may change: themselves, or (team leads and admins) someone
 * who shares one of their programmes. Anyone else is null, which the page answers with 404.
 */
export async function availabilityOwner(user: StaffUser, staffId: string): Promise<AvailabilityOwner | null> {
	if (!UUID.test(staffId)) return null;
	const self = staffId === user.id;
	if (!self && (user.role === 'specialist' || !user.programmeIds.length)) return null;
	const db = await getDb();
	const [row] = await db.select({ id: staff.id, name: staff.name, email: staff.email, role: staff.role }).from(staff).where(eq(staff.id, staffId));
	if (!row) return null;
	if (!self) {
		const [shared] = await db
			.select({ id: staffProgramme.staffId })
			.from(staffProgramme)
			.where(and(eq(staffProgramme.staffId, staffId), inArray(staffProgramme.programmeId, user.programmeIds)))
			.limit(1);
		if (!shared) return null;
	}
	return { ...row, self };
}

/** The other staff in a team lead's or admin's programmes, for links to their availability. */
export async function colleaguesFor(user: StaffUser): Promise<{ id: string; name: string; role: StaffUser['role'] }[]> {
	if (user.role === 'specialist' || !user.programmeIds.length) return [];
	const db = await getDb();
	return db
		.selectDistinct({ id: staff.id, name: staff.name, role: staff.role })
		.from(staff)
		.innerJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
		.where(and(inArray(staffProgramme.programmeId, user.programmeIds), ne(staff.id, user.id), isNull(staff.disabledAt)))
		.orderBy(asc(staff.name), asc(staff.id));
}

// ---- the availability page --------------------------------------------------------------------------

export interface AvailabilityView {
	patterns: { id: string; weekday: number; start: string; end: string; modes: ModeKind[]; venueId: string | null; venueName: string | null; venueDisabled: boolean }[];
	changes: { id: string; kind: 'extra' | 'removed'; date: string; start: string; end: string; modes: ModeKind[]; venueName: string | null; venueDisabled: boolean }[];
	leave: { id: string; from: string; to: string }[];
	videoLink: string | null;
	venues: VenueChoice[];
}

/** Everything the availability page shows for one staff member: weekly hours, and changes and leave from today on. */
export async function availabilityView(staffId: string, now = new Date()): Promise<AvailabilityView> {
	const db = await getDb();
	const today = ukDate(now);
	const [patterns, changes, leave, [person], venues] = await Promise.all([
		db
			.select({ p: availabilityPattern, venueName: venue.name, venueDisabledAt: venue.disabledAt })
			.from(availabilityPattern)
			.leftJoin(venue, eq(venue.id, availabilityPattern.venueId))
			.where(eq(availabilityPattern.staffId, staffId))
			.orderBy(asc(availabilityPattern.weekday), asc(availabilityPattern.start), asc(availabilityPattern.end)),
		db
			.select({ c: availabilityChange, venueName: venue.name, venueDisabledAt: venue.disabledAt })
			.from(availabilityChange)
			.leftJoin(venue, eq(venue.id, availabilityChange.venueId))
			.where(and(eq(availabilityChange.staffId, staffId), gte(availabilityChange.date, today)))
			.orderBy(asc(availabilityChange.date), asc(availabilityChange.start)),
		db
			.select()
			.from(staffLeave)
			.where(and(eq(staffLeave.staffId, staffId), gte(staffLeave.toDate, today)))
			.orderBy(asc(staffLeave.fromDate)),
		db.select({ videoLink: staff.videoLink }).from(staff).where(eq(staff.id, staffId)),
		listVenues(db)
	]);
	return {
		patterns: patterns.map(({ p, venueName, venueDisabledAt }) => ({
			id: p.id,
			weekday: p.weekday,
			start: p.start,
			end: p.end,
			modes: p.modes,
			venueId: p.venueId,
			venueName,
			venueDisabled: venueDisabledAt !== null
		})),
		changes: changes.map(({ c, venueName, venueDisabledAt }) => ({
			id: c.id,
			kind: c.kind,
			date: c.date,
			start: c.start,
			end: c.end,
			modes: c.modes,
			venueName,
			venueDisabled: venueDisabledAt !== null
		})),
		leave: leave.map((l) => ({ id: l.id, from: l.fromDate, to: l.toDate })),
		videoLink: person?.videoLink ?? null,
		venues: venues.map((v) => ({ id: v.id, name: v.name }))
	};
}

// ---- changing availability --------------------------------------------------------------------------

/** The venue for in-person hours: it must be one in use; other modes need none (a chosen one is dropped). */
async function checkedVenue(db: Db | Tx, modes: ModeKind[], venueId: string | null): Promise<{ venueId: string | null } | { error: string }> {
	if (!modes.includes('in-person')) return { venueId: null };
	if (!venueId || !UUID.test(venueId)) return { error: 'Choose a venue from the list' };
	const [row] = await db.select({ id: venue.id }).from(venue).where(and(eq(venue.id, venueId), isNull(venue.disabledAt)));
	return row ? { venueId: row.id } : { error: 'Choose a venue from the list' };
}

function overlapping(a: { start: string; end: string }, b: { start: string; end: string }): boolean {
	return minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end);
}

/** Adds weekly hours. Hours that overlap others on the same day are refused, saying which. */
export async function addWeeklyPattern(ownerId: string, raw: RawValues, actorId: string): Promise<ChangeResult> {
	const db = await getDb();
	const form = weeklyPatternForm((await listVenues(db)).map((v) => ({ id: v.id, name: v.name })));
	const parsed = validateRaw(form, raw);
	if (!parsed.ok) return parsed;
	const v = parsed.values;
	return db.transaction(async (tx) => {
		// One change to a person's availability at a time, so two overlapping saves cannot both pass the check.
		await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, ownerId)).for('update');
		const place = await checkedVenue(tx, v.modes, v.venueId);
		if ('error' in place) return failure(raw, 'venueId', place.error);
		const sameDay = await tx.select().from(availabilityPattern).where(and(eq(availabilityPattern.staffId, ownerId), eq(availabilityPattern.weekday, v.weekday)));
		const clash = sameDay.find((p) => overlapping(p, v));
		if (clash)
			return failure(
				raw,
				'start',
				`These hours overlap your ${weekdayName(v.weekday)} hours, ${wallHoursWords(clash.start, clash.end)}. Remove those first, or choose other times`
			);
		const [row] = await tx
			.insert(availabilityPattern)
			.values({ staffId: ownerId, weekday: v.weekday, start: v.start, end: v.end, modes: v.modes, venueId: place.venueId })
			.returning();
		await recordAudit(
			{
				staffId: actorId,
				action: 'availability.pattern_added',
				detail: { staffId: ownerId, patternId: row.id, weekday: row.weekday, start: row.start, end: row.end, modes: row.modes, venueId: row.venueId }
			},
			tx
		);
		return { ok: true, changed: true } as const;
	});
}

/** Removes one weekly pattern of this person; another person's, or one already gone, is refused. */
export async function removeWeeklyPattern(ownerId: string, raw: RawValues, actorId: string): Promise<ChangeResult> {
	const parsed = validateRaw(removeForm, raw);
	if (!parsed.ok) return failure(raw, 'weekly-hours', parsed.errors.id ?? 'That item was not found');
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.delete(availabilityPattern)
			.where(and(eq(availabilityPattern.id, parsed.values.id), eq(availabilityPattern.staffId, ownerId)))
			.returning();
		if (!row) return failure(raw, 'weekly-hours', 'Those weekly hours were not found. They may have been removed already');
		await recordAudit(
			{ staffId: actorId, action: 'availability.pattern_removed', detail: { staffId: ownerId, patternId: row.id, weekday: row.weekday, start: row.start, end: row.end } },
			tx
		);
		return { ok: true, changed: true } as const;
	});
}

/** Extra hours on one date, or hours taken away from it. The date must be today or later. */
export async function addOneOffChange(ownerId: string, kind: 'extra' | 'removed', raw: RawValues, actorId: string, now = new Date()): Promise<ChangeResult> {
	const db = await getDb();
	const parsed =
		kind === 'extra'
			? validateRaw(extraHoursForm((await listVenues(db)).map((v) => ({ id: v.id, name: v.name }))), raw)
			: validateRaw(removedHoursForm, raw);
	if (!parsed.ok) return parsed;
	const v = parsed.values as { date: string; start: string; end: string; modes?: ModeKind[]; venueId?: string | null };
	if (v.date < ukDate(now)) return failure(raw, 'date', 'Date must be today or in the future');
	return db.transaction(async (tx) => {
		let venueId: string | null = null;
		const modes = kind === 'extra' ? (v.modes ?? []) : [];
		if (kind === 'extra') {
			const place = await checkedVenue(tx, modes, v.venueId ?? null);
			if ('error' in place) return failure(raw, 'venueId', place.error);
			venueId = place.venueId;
		}
		const [row] = await tx.insert(availabilityChange).values({ staffId: ownerId, kind, date: v.date, start: v.start, end: v.end, modes, venueId }).returning();
		await recordAudit(
			{
				staffId: actorId,
				action: 'availability.change_added',
				detail: { staffId: ownerId, changeId: row.id, kind, date: row.date, start: row.start, end: row.end, modes: row.modes, venueId: row.venueId }
			},
			tx
		);
		return { ok: true, changed: true } as const;
	});
}

export async function removeOneOffChange(ownerId: string, raw: RawValues, actorId: string): Promise<ChangeResult> {
	const parsed = validateRaw(removeForm, raw);
	if (!parsed.ok) return failure(raw, 'date-changes', parsed.errors.id ?? 'That item was not found');
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.delete(availabilityChange)
			.where(and(eq(availabilityChange.id, parsed.values.id), eq(availabilityChange.staffId, ownerId)))
			.returning();
		if (!row) return failure(raw, 'date-changes', 'That change was not found. It may have been removed already');
		await recordAudit(
			{ staffId: actorId, action: 'availability.change_removed', detail: { staffId: ownerId, changeId: row.id, kind: row.kind, date: row.date, start: row.start, end: row.end } },
			tx
		);
		return { ok: true, changed: true } as const;
	});
}

/** Leave in whole days, first and last included. The last day must be today or later. */
export async function addLeave(ownerId: string, raw: RawValues, actorId: string, now = new Date()): Promise<ChangeResult> {
	const parsed = validateRaw(leaveForm, raw);
	if (!parsed.ok) return parsed;
	const { from, to } = parsed.values;
	if (to < ukDate(now)) return failure(raw, 'to', 'Last day of leave must be today or in the future');
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(staffLeave).values({ staffId: ownerId, fromDate: from, toDate: to }).returning();
		await recordAudit({ staffId: actorId, action: 'availability.leave_added', detail: { staffId: ownerId, leaveId: row.id, from, to } }, tx);
		return { ok: true, changed: true } as const;
	});
}

export async function removeLeave(ownerId: string, raw: RawValues, actorId: string): Promise<ChangeResult> {
	const parsed = validateRaw(removeForm, raw);
	if (!parsed.ok) return failure(raw, 'leave', parsed.errors.id ?? 'That item was not found');
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.delete(staffLeave)
			.where(and(eq(staffLeave.id, parsed.values.id), eq(staffLeave.staffId, ownerId)))
			.returning();
		if (!row) return failure(raw, 'leave', 'That leave was not found. It may have been removed already');
		await recordAudit({ staffId: actorId, action: 'availability.leave_removed', detail: { staffId: ownerId, leaveId: row.id, from: row.fromDate, to: row.toDate } }, tx);
		return { ok: true, changed: true } as const;
	});
}

/** Sets (or, when empty, removes) the video link people are sent for video meetings. The link itself is not audited. */
export async function setVideoLink(ownerId: string, raw: RawValues, actorId: string): Promise<ChangeResult> {
	const parsed = validateRaw(videoLinkForm, raw);
	if (!parsed.ok) return parsed;
	const link = parsed.values.videoLink;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select({ videoLink: staff.videoLink }).from(staff).where(eq(staff.id, ownerId)).for('update');
		if (!row) return failure(raw, 'videoLink', 'This staff member was not found');
		if (row.videoLink === link) return { ok: true, changed: false } as const;
		await tx.update(staff).set({ videoLink: link }).where(eq(staff.id, ownerId));
		await recordAudit({ staffId: actorId, action: 'availability.video_link_changed', detail: { staffId: ownerId, set: link !== null } }, tx);
		return { ok: true, changed: true } as const;
	});
}

// ---- venues ------------------------------------------------------------------------------------------

/** Venues by name; disabled ones only when asked for. */
export async function listVenues(db: Db | Tx, options: { includeDisabled?: boolean } = {}): Promise<Venue[]> {
	return db
		.select()
		.from(venue)
		.where(options.includeDisabled ? undefined : isNull(venue.disabledAt))
		.orderBy(asc(venue.name), asc(venue.id));
}

/** One venue, disabled or not (a meeting booked there still needs its name and address). */
export async function getVenue(db: Db | Tx, id: string): Promise<Venue | null> {
	if (!UUID.test(id)) return null;
	const [row] = await db.select().from(venue).where(eq(venue.id, id));
	return row ?? null;
}

export type VenueResult = { ok: true; venue: Venue; changed: string[] } | FormFailure | { ok: false; notFound: true };

export async function createVenue(raw: RawValues, actorId: string): Promise<VenueResult> {
	const parsed = validateRaw(venueForm, raw);
	if (!parsed.ok) return parsed;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(venue).values(parsed.values).returning();
		await recordAudit({ staffId: actorId, action: 'venue.created', detail: { venueId: row.id, name: row.name, postcode: row.postcode, privateRoom: row.privateRoom } }, tx);
		return { ok: true, venue: row, changed: ['created'] } as const;
	});
}

const VENUE_FIELDS = ['name', 'address', 'postcode', 'accessibilityNotes', 'privateRoom'] as const;

export async function updateVenue(id: string, raw: RawValues, actorId: string): Promise<VenueResult> {
	if (!UUID.test(id)) return { ok: false, notFound: true };
	const parsed = validateRaw(venueForm, raw);
	if (!parsed.ok) return parsed;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(venue).where(eq(venue.id, id)).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		const changed = VENUE_FIELDS.filter((f) => row[f] !== parsed.values[f]);
		if (!changed.length) return { ok: true, venue: row, changed: [] } as const;
		const [updated] = await tx
			.update(venue)
			.set({ ...parsed.values, updatedAt: new Date() })
			.where(eq(venue.id, id))
			.returning();
		await recordAudit({ staffId: actorId, action: 'venue.updated', detail: { venueId: id, name: updated.name, changed } }, tx);
		return { ok: true, venue: updated, changed } as const;
	});
}

/**
 * Disables a venue (or enables it again). A disabled venue is offered for no new hours, and in-person
 * times there are no longer bookable; meetings already booked there keep it.
 */
export async function setVenueDisabled(id: string, disabled: boolean, actorId: string): Promise<VenueResult> {
	if (!UUID.test(id)) return { ok: false, notFound: true };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(venue).where(eq(venue.id, id)).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		if ((row.disabledAt !== null) === disabled) return { ok: true, venue: row, changed: [] } as const;
		const [updated] = await tx
			.update(venue)
			.set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
			.where(eq(venue.id, id))
			.returning();
		await recordAudit({ staffId: actorId, action: disabled ? 'venue.disabled' : 'venue.enabled', detail: { venueId: id, name: row.name } }, tx);
		return { ok: true, venue: updated, changed: [disabled ? 'disabled' : 'enabled'] } as const;
	});
}

// ---- booking settings ------------------------------------------------------------------------------

const SETTING_KEYS = ['meetingMinutes', 'bufferMinutes', 'minimumNoticeHours', 'bookAheadDays', 'changeNoticeHours', 'reminderOffsets'] as const;

function settingsOf(stored: BookingSettings | null | undefined): BookingSettings {
	const merged = { ...DEFAULT_BOOKING_SETTINGS, ...(stored ?? {}) };
	return { ...merged, reminderOffsets: [...merged.reminderOffsets] };
}

/** A programme's booking settings: what an admin saved, else DEFAULT_BOOKING_SETTINGS (a copy either way). */
export async function bookingSettingsFor(db: Db | Tx, programmeId: string): Promise<BookingSettings> {
	const [row] = await db.select({ booking: programme.booking }).from(programme).where(eq(programme.id, programmeId));
	return settingsOf(row?.booking);
}

export type SettingsResult = { ok: true; version: number; changed: string[] } | FormFailure | { ok: false; notFound: true };

/**
 * Saves a programme's booking settings from the settings form, as programme edits are saved: the row is
 * locked, a version saved since the form was opened is refused (a second save overwrites it knowingly),
 * the version goes up, seed_version is cleared, the new version is kept in programme_revision and the
 * change is audited as `programme.updated` with the changed fields (`booking.meetingMinutes`, ...).
 * Nothing is written when nothing changed.
 */
export async function saveBookingSettings(programmeId: string, raw: RawValues, actorId: string): Promise<SettingsResult> {
	const parsed = validateRaw(bookingSettingsForm, raw);
	if (!parsed.ok) return parsed;
	const { version: expectedVersion, ...next } = parsed.values;
	const settings: BookingSettings = { ...next, reminderOffsets: [...next.reminderOffsets] };
	return saveProgrammeSetting({
		programmeId,
		column: 'booking',
		value: settings,
		expectedVersion,
		raw,
		actorId,
		changed: (row) => {
			const before = settingsOf(row.booking);
			return SETTING_KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k])).map((k) => `booking.${k}`);
		}
	});
}

/** The settings form's page: the programme's name, version and settings. */
export async function bookingSettingsPage(programmeId: string) {
	const db = await getDb();
	const [row] = await db
		.select({ id: programme.id, name: programme.name, version: programme.version, booking: programme.booking })
		.from(programme)
		.where(eq(programme.id, programmeId));
	if (!row) return null;
	return { id: row.id, name: row.name, version: row.version, settings: settingsOf(row.booking), custom: row.booking !== null };
}

/** Venues by id (disabled ones included: a meeting booked there still needs its address). */
export async function venuesByIds(db: Db | Tx, ids: (string | null | undefined)[]): Promise<Map<string, Venue>> {
	const wanted = [...new Set(ids.filter((id): id is string => !!id))];
	if (!wanted.length) return new Map();
	const rows = await db.select().from(venue).where(inArray(venue.id, wanted));
	return new Map(rows.map((v) => [v.id, v]));
}
