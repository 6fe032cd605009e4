/**
 * Booking, moving and cancelling meetings, for the participant themselves (see "Booking meetings" in
 * docs/architecture.md).
 *
 * Double booking: a booking runs in one transaction that takes a transaction-scoped advisory lock for each
 * specialist who could take the time (in a fixed order, so two bookings never wait on each other), then
 * reads that specialist's meetings again and books only a time that is still free. The partial unique index
 * on meeting (staff_id, starts_at) where not cancelled is the backstop: its violation is "that time has
 * just gone". Every lookup of a meeting is by its id and the participant's id, so another person's meeting
 * is "not found".
 */
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { freeSlots, bookingRange, specialistsFor, type Slot } from '$lib/domain/meetings/free-slots';
import type { Meeting } from '$lib/domain/meetings/meeting';
import { isModeKind, type MeetingMode, type ModeKind } from '$lib/domain/meetings/modes';
import { canChange, type ChangeDecision } from '$lib/domain/meetings/notice';
import { reminderTimes } from '$lib/domain/meetings/reminders';
import { MEETING_REMINDER_JOB } from './reminder-sender';
import type { BookingSettings } from '$lib/domain/meetings/settings';
import { ukDate } from '$lib/domain/uk-time';
import { siteOrigin } from '../config';
import { getDb, type Db, type Tx } from '../db';
import { job, meeting, programme, referral, staff, staffProgramme, type MeetingRow, type NewJob, type Referral } from '../db/schema';
import { log } from '../log';
import { enqueueEmails, type NewEmail } from '../notify/outbox';
import type { ParticipantUser } from '../auth/sessions';
import { calendarFor } from '../service-calendar';
import { bookingSettingsFor, loadAvailability, venuesByIds } from './availability-store';
import { appendMeetingEvent } from './events';
import { calendarAttachment, meetingEmail, placeToName, staffMeetingEmail, type MeetingEmailKind, type MeetingFacts, type PreviousPlace } from './messages';
import { languageOf } from '../notify/words';
import { firstMeetingBooked, firstMeetingUndone } from '../casework/first-meeting';

type Conn = Db | Tx;
export type BookingParticipant = Pick<ParticipantUser, 'id' | 'referralId' | 'programmeId' | 'email' | 'phone' | 'textConsent'>;

/** Advisory locks for booking: pg_advisory_xact_lock(MEETING_LOCK, hashtext(staff id)). */
const MEETING_LOCK = 7215020;
const MINUTE = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isMeetingId = (value: string) => UUID.test(value);

// ---- who the person can meet ----------------------------------------------------------------------

export interface Routing {
	/** No meeting is booked or held yet (cancelled ones do not count). */
	first: boolean;
	/** Specialists who may take the meeting, the preferred first. */
	specialistIds: string[];
	closed: boolean;
}

/**
 * The first meeting is with the programme's team: any specialist of the programme who is free, the
 * referral's specialist first, then one linked to the person's GP practice, then whoever holds fewest open
 * referrals (as referrals are routed). Later meetings are with the named specialist only: the referral's,
 * else the one of the latest meeting.
 */
export async function routingFor(db: Conn, participant: BookingParticipant, ref?: Referral): Promise<Routing> {
	const row = ref ?? (await db.select().from(referral).where(eq(referral.id, participant.referralId)))[0];
	if (!row) return { first: false, specialistIds: [], closed: true };
	const closed = row.status === 'closed';
	const [latest] = await db
		.select({ staffId: meeting.staffId })
		.from(meeting)
		.where(and(eq(meeting.participantId, participant.id), ne(meeting.status, 'cancelled')))
		.orderBy(desc(meeting.startsAt))
		.limit(1);
	const first = !latest;
	if (!first) {
		const named = row.assignedStaffId ?? latest.staffId;
		const [active] = await db
			.select({ id: staff.id })
			.from(staff)
			.where(and(eq(staff.id, named), isNull(staff.disabledAt)));
		return { first, specialistIds: active ? [active.id] : [], closed };
	}
	const team = await db
		.select({
			id: staff.id,
			practices: staff.practices,
			open: sql<number>`(select count(*)::int from ${referral} r where r.assigned_staff_id = ${staff.id} and r.status <> 'closed')`
		})
		.from(staff)
		.innerJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
		.where(and(eq(staffProgramme.programmeId, row.programmeId), isNull(staff.disabledAt)));
	const rank = (s: (typeof team)[number]) => (s.id === row.assignedStaffId ? 0 : row.sourceOdsCode && s.practices.includes(row.sourceOdsCode) ? 1 : 2);
	team.sort((a, b) => rank(a) - rank(b) || Number(a.open) - Number(b.open) || a.id.localeCompare(b.id));
	return { first, specialistIds: team.map((s) => s.id), closed };
}

// ---- free times --------------------------------------------------------------------------------

interface SlotQuery {
	/** Whose closed days (bank holidays and closures) give no free times. */
	programmeId: string;
	specialistIds: string[];
	settings: BookingSettings;
	now: Date;
	participantId: string;
	mode?: ModeKind;
	venueId?: string;
	/** A meeting being moved does not hold its own time. */
	excludeMeetingId?: string;
	/** Availability alone (to find whom to lock before reading meetings). */
	ignoreBookings?: boolean;
}

async function slotsFor(db: Conn, q: SlotQuery): Promise<Slot[]> {
	if (!q.specialistIds.length) return [];
	const range = bookingRange(q.settings, q.now);
	const availability = await loadAvailability(db, q.specialistIds, ukDate(range.start), ukDate(range.end));
	const margin = q.settings.bufferMinutes * MINUTE;
	const from = new Date(range.start.getTime() - margin);
	const to = new Date(range.end.getTime() + margin);
	const notThis = q.excludeMeetingId ? [ne(meeting.id, q.excludeMeetingId)] : [];
	const held = q.ignoreBookings
		? []
		: await db
				.select({ staffId: meeting.staffId, participantId: meeting.participantId, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status })
				.from(meeting)
				.where(
					and(
						or(inArray(meeting.staffId, q.specialistIds), eq(meeting.participantId, q.participantId)),
						ne(meeting.status, 'cancelled'),
						lt(meeting.startsAt, to),
						gt(meeting.endsAt, from),
						...notThis
					)
				);
	const calendar = await calendarFor(q.programmeId, q.now, { conn: db });
	const slots = freeSlots({
		specialistIds: q.specialistIds,
		...availability,
		closedDates: (date) => calendar.isClosedDate(date),
		bookings: held.map((m) => ({ specialistId: m.staffId, start: m.startsAt, end: m.endsAt, status: m.status })),
		settings: q.settings,
		now: q.now,
		mode: q.mode,
		venueId: q.venueId
	});
	// The person's own meetings (with anyone) keep their time too.
	const own = held.filter((m) => m.participantId === q.participantId);
	return slots.filter((s) => !own.some((m) => s.start < m.endsAt && m.startsAt < s.end));
}

/** Free times a booked meeting can move to: its own specialist's, in the way given, its own time not held. */
function slotsForMove(db: Conn, row: MeetingRow, settings: BookingSettings, participantId: string, now: Date, mode?: ModeKind, venueId?: string): Promise<Slot[]> {
	return slotsFor(db, { programmeId: row.programmeId, specialistIds: [row.staffId], settings, now, participantId, mode, venueId, excludeMeetingId: row.id });
}

export function meetingMode(mode: ModeKind, venueId?: string | null): MeetingMode | null {
	if (mode === 'in-person') return venueId ? { kind: 'in-person', venueId } : null;
	return { kind: mode };
}

export interface FreeTimes {
	slots: Slot[];
	routing: Routing;
	settings: BookingSettings;
}

/** Times the person can book now: in one way of meeting (and at one venue) when given. */
export async function freeSlotsForParticipant(
	participant: BookingParticipant,
	options: { mode?: ModeKind; venueId?: string; now?: Date } = {}
): Promise<FreeTimes> {
	const db = await getDb();
	const now = options.now ?? new Date();
	const routing = await routingFor(db, participant);
	const settings = await bookingSettingsFor(db, participant.programmeId);
	if (routing.closed) return { slots: [], routing, settings };
	const slots = await slotsFor(db, {
		programmeId: participant.programmeId,
		specialistIds: routing.specialistIds,
		settings,
		now,
		participantId: participant.id,
		mode: options.mode,
		venueId: options.venueId
	});
	return { slots, routing, settings };
}

/** A way of meeting for a move: `mode` undefined means every way the specialist offers. */
export interface MeetingHow {
	mode?: ModeKind;
	venueId?: string;
}

const sameWay = (row: MeetingRow, mode: ModeKind, venueId: string | null | undefined) =>
	row.mode === mode && (mode !== 'in-person' || row.venueId === (venueId ?? null));

/**
 * Times a booked meeting can move to: same specialist, in the way of meeting given (its own by default),
 * not its own time in its own way. Phone only for a person who gave a phone number.
 */
export async function freeSlotsForChange(
	participant: BookingParticipant,
	row: MeetingRow,
	now = new Date(),
	how: MeetingHow = { mode: row.mode, venueId: row.venueId ?? undefined }
): Promise<Slot[]> {
	if (how.mode === 'phone' && !participant.phone) return [];
	const db = await getDb();
	const settings = await bookingSettingsFor(db, row.programmeId);
	const slots = await slotsForMove(db, row, settings, participant.id, now, how.mode, how.venueId);
	if (!how.mode || !sameWay(row, how.mode, how.venueId)) return slots;
	return slots.filter((s) => s.start.getTime() !== row.startsAt.getTime());
}

// ---- reading meetings --------------------------------------------------------------------------

/** One of the person's meetings: by its id and theirs, so another person's id finds nothing. */
export async function meetingForParticipant(participant: Pick<BookingParticipant, 'id'>, meetingId: string, db?: Conn): Promise<MeetingRow | null> {
	if (!isMeetingId(meetingId)) return null;
	const conn = db ?? (await getDb());
	const [row] = await conn
		.select()
		.from(meeting)
		.where(and(eq(meeting.id, meetingId), eq(meeting.participantId, participant.id)));
	return row ?? null;
}

export async function meetingsForParticipant(participant: Pick<BookingParticipant, 'id'>): Promise<MeetingRow[]> {
	const db = await getDb();
	return db.select().from(meeting).where(eq(meeting.participantId, participant.id)).orderBy(asc(meeting.startsAt));
}

function asDomain(row: MeetingRow): Pick<Meeting, 'id' | 'version' | 'start' | 'status'> {
	return { id: row.id, version: row.version, start: row.startsAt, status: row.status };
}

/** Whether the person may still change or cancel this meeting online. */
export async function changeDecision(row: MeetingRow, now = new Date()): Promise<ChangeDecision> {
	const settings = await bookingSettingsFor(await getDb(), row.programmeId);
	return canChange(asDomain(row), settings, now);
}

// ---- writing -------------------------------------------------------------------------------------

export type BookingRefusal = 'taken' | 'closed' | 'not-found' | 'too-late' | 'past' | 'cancelled';
export type BookingResult = { ok: true; meeting: MeetingRow } | { ok: false; reason: BookingRefusal };

function isUniqueViolation(error: unknown): boolean {
	for (let e = error as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) if (e.code === '23505') return true;
	return false;
}

async function lockSpecialists(tx: Tx, ids: string[]): Promise<void> {
	for (const id of [...new Set(ids)].sort()) await tx.execute(sql`select pg_advisory_xact_lock(${MEETING_LOCK}::int4, hashtext(${id}))`);
}

async function isFirstMeeting(tx: Tx, row: MeetingRow): Promise<boolean> {
	const [earlier] = await tx
		.select({ id: meeting.id })
		.from(meeting)
		.where(and(eq(meeting.participantId, row.participantId), ne(meeting.id, row.id), ne(meeting.status, 'cancelled'), lt(meeting.createdAt, row.createdAt)))
		.limit(1);
	return !earlier;
}

/** Everything the emails and the .ics say about a meeting. */
export async function meetingFacts(db: Conn, row: MeetingRow, phone: string | null): Promise<MeetingFacts> {
	const [prog] = await db
		.select({ name: programme.name, helplinePhone: programme.helplinePhone, helplineHours: programme.helplineHours, teamEmail: programme.teamEmail })
		.from(programme)
		.where(eq(programme.id, row.programmeId));
	const [specialist] = await db.select({ videoLink: staff.videoLink }).from(staff).where(eq(staff.id, row.staffId));
	const venues = await venuesByIds(db, [row.venueId]);
	return {
		meeting: row,
		programme: prog,
		venue: row.venueId ? (venues.get(row.venueId) ?? null) : null,
		videoLink: specialist?.videoLink ?? null,
		phone,
		origin: siteOrigin()
	};
}

/**
 * The email to the person and to anyone they invited, each with the .ics, for one meeting event: the
 * person's in the language of their referral (whoever made the change), an invitee's in English.
 */
async function queueMeetingEmails(
	tx: Tx,
	kind: MeetingEmailKind,
	row: MeetingRow,
	eventId: string,
	participant: BookingParticipant,
	now: Date,
	previous?: { startsAt: Date; endsAt: Date; where?: PreviousPlace } | null
): Promise<void> {
	const emails: NewEmail[] = [];
	const facts = await meetingFacts(tx, row, participant.phone);
	if (participant.email) {
		const [ref] = await tx.select({ language: referral.preferredLanguage }).from(referral).where(eq(referral.id, row.referralId));
		const locale = languageOf(ref?.language);
		const { subject, body } = meetingEmail(kind, facts, { previous, locale });
		emails.push({ eventId, kind: `meeting.${kind}`, to: participant.email, subject, body, attachments: [calendarAttachment(facts, now, false, locale)] });
	}
	const invitee = row.inviteeEmail?.trim().toLowerCase();
	if (invitee && invitee !== participant.email?.toLowerCase()) {
		const forInvitee = { ...facts, phone: null };
		const { subject, body } = meetingEmail(kind, forInvitee, { forInvitee: true, previous });
		emails.push({ eventId, kind: `meeting.${kind}`, to: invitee, subject, body, attachments: [calendarAttachment(forInvitee, now, true)] });
	}
	await enqueueEmails(tx, emails, now);
}

/**
 * The email to the specialist of a meeting the person booked, moved or cancelled (and to whoever holds the
 * referral, when that is someone else), while their account is active: reference, time and how, no name.
 */
async function queueStaffMeetingEmail(
	tx: Tx,
	kind: MeetingEmailKind,
	row: MeetingRow,
	eventId: string,
	first: boolean,
	now: Date,
	previous?: { startsAt: Date; endsAt: Date } | null
): Promise<void> {
	const [ref] = await tx.select({ reference: referral.reference, assignedStaffId: referral.assignedStaffId }).from(referral).where(eq(referral.id, row.referralId));
	const ids = [...new Set([row.staffId, ref?.assignedStaffId].filter((id): id is string => !!id))];
	const people = await tx
		.select({ email: staff.email })
		.from(staff)
		.where(and(inArray(staff.id, ids), isNull(staff.disabledAt)));
	if (!ref || !people.length) return;
	const venue = row.venueId ? ((await venuesByIds(tx, [row.venueId])).get(row.venueId) ?? null) : null;
	const { subject, body } = staffMeetingEmail(kind, { reference: ref.reference, meeting: row, venue, first, previous, origin: siteOrigin() });
	await enqueueEmails(
		tx,
		[...new Set(people.map((p) => p.email.toLowerCase()))].map((to) => ({ eventId, kind: `meeting.${kind}.staff`, to, subject, body })),
		now
	);
}

/** Reminder jobs for the meeting's current version: email to the person, text only with their consent. */
async function queueReminders(tx: Tx, row: MeetingRow, settings: BookingSettings, participant: BookingParticipant, now: Date): Promise<void> {
	const rows = reminderTimes(asDomain(row), settings, now).flatMap((r) => {
		const out: NewJob[] = [];
		const base = { kind: MEETING_REMINDER_JOB, meetingId: row.id, dueAt: r.due, nextAttemptAt: r.due, createdAt: now };
		if (participant.email) out.push({ ...base, key: `${r.key}:email`, channel: 'email', recipient: participant.email });
		if (participant.phone && participant.textConsent) out.push({ ...base, key: `${r.key}:text`, channel: 'text', recipient: participant.phone });
		return out;
	});
	if (rows.length) await tx.insert(job).values(rows).onConflictDoNothing({ target: job.key });
}

/** Pending reminders of a meeting that was moved or cancelled never go. */
async function dropReminders(tx: Tx, meetingId: string): Promise<void> {
	await tx
		.update(job)
		.set({ status: 'dropped', lockedUntil: null })
		.where(and(eq(job.kind, MEETING_REMINDER_JOB), eq(job.meetingId, meetingId), eq(job.status, 'pending')));
}

export interface BookingRequest {
	start: Date;
	mode: ModeKind;
	venueId?: string | null;
	/** Someone the person invites to join (already checked as an address). */
	inviteeEmail?: string | null;
}

/** Books a meeting at a free time; "taken" when someone else got there first. */
export async function bookMeeting(participant: BookingParticipant, request: BookingRequest, now = new Date()): Promise<BookingResult> {
	if (!isModeKind(request.mode) || Number.isNaN(request.start.getTime())) return { ok: false, reason: 'taken' };
	const mode = meetingMode(request.mode, request.venueId);
	if (!mode) return { ok: false, reason: 'taken' };
	const db = await getDb();
	try {
		return await db.transaction(async (tx): Promise<BookingResult> => {
			// The person's own bookings go one at a time (a double click books once, then finds the time gone).
			const [ref] = await tx.select().from(referral).where(eq(referral.id, participant.referralId)).for('update');
			if (!ref || ref.status === 'closed') return { ok: false, reason: 'closed' };
			// A double click or a resent form: the person already holds this time, so it is their booking.
			const [already] = await tx
				.select()
				.from(meeting)
				.where(and(eq(meeting.participantId, participant.id), eq(meeting.startsAt, request.start), eq(meeting.status, 'booked'), eq(meeting.mode, request.mode)));
			if (already) return { ok: true, meeting: already };
			const routing = await routingFor(tx, participant, ref);
			const settings = await bookingSettingsFor(tx, ref.programmeId);
			const base = { programmeId: ref.programmeId, settings, now, participantId: participant.id, mode: request.mode, venueId: request.venueId ?? undefined };
			const offered = (await slotsFor(tx, { ...base, specialistIds: routing.specialistIds, ignoreBookings: true })).find(
				(s) => s.start.getTime() === request.start.getTime()
			);
			if (!offered) return { ok: false, reason: 'taken' };
			const candidates = specialistsFor(offered, mode);
			await lockSpecialists(tx, candidates);
			const slot = (await slotsFor(tx, { ...base, specialistIds: candidates })).find((s) => s.start.getTime() === request.start.getTime());
			const staffId = slot ? specialistsFor(slot, mode)[0] : undefined;
			if (!slot || !staffId) return { ok: false, reason: 'taken' };

			const [row] = await tx
				.insert(meeting)
				.values({
					referralId: ref.id,
					participantId: participant.id,
					programmeId: ref.programmeId,
					staffId,
					startsAt: slot.start,
					endsAt: slot.end,
					mode: request.mode,
					venueId: mode.kind === 'in-person' ? mode.venueId : null,
					inviteeEmail: request.inviteeEmail?.trim().toLowerCase() || null,
					createdAt: now,
					updatedAt: now
				})
				.returning();
			await queueReminders(tx, row, settings, participant, now);
			// The first meeting moves the referral on: status, first contact and who holds it (casework/first-meeting.ts).
			if (routing.first) await firstMeetingBooked(tx, ref, row, now);
			const appended = await appendMeetingEvent(tx, 'meeting.booked', row, { first: routing.first, actor: { kind: 'participant' } });
			await queueMeetingEmails(tx, 'booked', row, appended.eventId, participant, now);
			await queueStaffMeetingEmail(tx, 'booked', row, appended.eventId, routing.first, now);
			return { ok: true, meeting: row };
		});
	} catch (error) {
		if (isUniqueViolation(error)) {
			log.info('booking lost a race for a time', { participantId: participant.id });
			return { ok: false, reason: 'taken' };
		}
		throw error;
	}
}

/** Locks one of the person's meetings and checks it may still be changed online. */
async function lockOwnMeeting(
	tx: Tx,
	participant: BookingParticipant,
	meetingId: string,
	now: Date
): Promise<{ ok: true; row: MeetingRow; settings: BookingSettings } | { ok: false; reason: BookingRefusal }> {
	if (!isMeetingId(meetingId)) return { ok: false, reason: 'not-found' };
	const [row] = await tx
		.select()
		.from(meeting)
		.where(and(eq(meeting.id, meetingId), eq(meeting.participantId, participant.id)))
		.for('update');
	if (!row) return { ok: false, reason: 'not-found' };
	const settings = await bookingSettingsFor(tx, row.programmeId);
	const decision = canChange(asDomain(row), settings, now);
	if (!decision.ok) return { ok: false, reason: decision.reason };
	return { ok: true, row, settings };
}

/** Where a meeting moves: a start, and another way of meeting the same specialist offers (its own when left out). */
export interface MoveRequest {
	start: Date;
	mode?: ModeKind;
	venueId?: string | null;
}

/**
 * Moves a meeting to another free time of the same specialist, in its own way of meeting or another one
 * the specialist offers (phone only for a person who gave a number): same id, version + 1, the new way stored.
 */
export async function rescheduleMeeting(participant: BookingParticipant, meetingId: string, to: Date | MoveRequest, now = new Date()): Promise<BookingResult> {
	const { start, ...way } = to instanceof Date ? { start: to } : to;
	if (Number.isNaN(start.getTime())) return { ok: false, reason: 'taken' };
	if (way.mode !== undefined && (!isModeKind(way.mode) || !meetingMode(way.mode, way.venueId))) return { ok: false, reason: 'taken' };
	if (way.mode === 'phone' && !participant.phone) return { ok: false, reason: 'taken' };
	const db = await getDb();
	try {
		return await db.transaction(async (tx): Promise<BookingResult> => {
			const locked = await lockOwnMeeting(tx, participant, meetingId, now);
			if (!locked.ok) return locked;
			const { row, settings } = locked;
			const mode = way.mode ?? row.mode;
			const venueId = mode === 'in-person' ? (way.mode ? (way.venueId ?? null) : row.venueId) : null;
			// Already at that time in that way (a double click or a resent form): nothing more to do.
			if (row.startsAt.getTime() === start.getTime() && sameWay(row, mode, venueId)) return { ok: true, meeting: row };
			await lockSpecialists(tx, [row.staffId]);
			const slots = await slotsForMove(tx, row, settings, participant.id, now, mode, venueId ?? undefined);
			const slot = slots.find((s) => s.start.getTime() === start.getTime());
			if (!slot) return { ok: false, reason: 'taken' };
			const [moved] = await tx
				.update(meeting)
				.set({ startsAt: slot.start, endsAt: slot.end, mode, venueId, version: row.version + 1, updatedAt: now })
				.where(eq(meeting.id, row.id))
				.returning();
			await dropReminders(tx, row.id);
			await queueReminders(tx, moved, settings, participant, now);
			const previous = { startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), staffId: row.staffId, mode: row.mode, venueId: row.venueId };
			const first = await isFirstMeeting(tx, moved);
			const appended = await appendMeetingEvent(tx, 'meeting.rescheduled', moved, { first, actor: { kind: 'participant' }, previous });
			// The email says where it was too, when the way of meeting changed.
			const before = sameWay(row, mode, venueId) ? undefined : placeToName(row, (await venuesByIds(tx, [row.venueId])).get(row.venueId ?? '') ?? null);
			await queueMeetingEmails(tx, 'rescheduled', moved, appended.eventId, participant, now, { startsAt: row.startsAt, endsAt: row.endsAt, where: before });
			await queueStaffMeetingEmail(tx, 'rescheduled', moved, appended.eventId, first, now, { startsAt: row.startsAt, endsAt: row.endsAt });
			return { ok: true, meeting: moved };
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'taken' };
		throw error;
	}
}

/** Cancels a meeting: its time is free again, its reminders never go, everyone gets METHOD:CANCEL. */
export async function cancelMeeting(participant: BookingParticipant, meetingId: string, reason: string | null, now = new Date()): Promise<BookingResult> {
	const db = await getDb();
	return db.transaction(async (tx): Promise<BookingResult> => {
		const locked = await lockOwnMeeting(tx, participant, meetingId, now);
		if (!locked.ok) return locked;
		const { row } = locked;
		const [cancelled] = await tx
			.update(meeting)
			.set({ status: 'cancelled', cancelReason: reason, cancelledBy: 'participant', cancelledAt: now, updatedAt: now })
			.where(eq(meeting.id, row.id))
			.returning();
		await dropReminders(tx, row.id);
		// A cancelled first meeting no longer counts as contact (casework/first-meeting.ts).
		await firstMeetingUndone(tx, cancelled, { kind: 'participant' }, now);
		const first = await isFirstMeeting(tx, cancelled);
		const appended = await appendMeetingEvent(tx, 'meeting.cancelled', cancelled, { first, actor: { kind: 'participant' }, reason });
		await queueMeetingEmails(tx, 'cancelled', cancelled, appended.eventId, participant, now);
		await queueStaffMeetingEmail(tx, 'cancelled', cancelled, appended.eventId, first, now);
		return { ok: true, meeting: cancelled };
	});
}

/**
 * Cancels every booked meeting of a person that has not started yet, inside the caller's transaction
 * (a withdrawal): each gets `meeting.cancelled`, its reminders are dropped and the person (and anyone
 * they invited) gets the cancellation with METHOD:CANCEL.
 */
export async function cancelUpcomingMeetings(
	tx: Tx,
	participant: BookingParticipant,
	actor: { kind: 'participant' } | { kind: 'staff'; staffId: string },
	reason: string | null,
	now = new Date()
): Promise<number> {
	const upcoming = await tx
		.select()
		.from(meeting)
		.where(and(eq(meeting.participantId, participant.id), eq(meeting.status, 'booked'), gt(meeting.startsAt, now)))
		.for('update');
	for (const row of upcoming) {
		const [cancelled] = await tx
			.update(meeting)
			.set({ status: 'cancelled', cancelReason: reason, cancelledBy: actor.kind === 'staff' ? 'staff' : 'participant', cancelledAt: now, updatedAt: now })
			.where(eq(meeting.id, row.id))
			.returning();
		await dropReminders(tx, row.id);
		const first = await isFirstMeeting(tx, cancelled);
		const appended = await appendMeetingEvent(tx, 'meeting.cancelled', cancelled, { first, actor, reason });
		await queueMeetingEmails(tx, 'cancelled', cancelled, appended.eventId, participant, now);
		if (actor.kind === 'participant') await queueStaffMeetingEmail(tx, 'cancelled', cancelled, appended.eventId, first, now);
	}
	return upcoming.length;
}
