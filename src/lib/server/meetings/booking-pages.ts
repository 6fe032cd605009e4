/**
 * What the participant's booking and meeting pages show: the choices offered at each step (built from the
 * free times), and meetings in words. Routes stay thin: they parse, call these, and render or redirect.
 */
import { dayOptionLabel, howValue, parseHow } from '$lib/domain/meetings/booking-forms';
import { isVideoLink } from '$lib/domain/meetings/availability-forms';
import type { Slot } from '$lib/domain/meetings/free-slots';
import { slotsByDay } from '$lib/domain/meetings/free-slots';
import { dayLabel, emailWhen, slotLabel } from '$lib/domain/meetings/labels';
import { MODE_KINDS, modeKey, placeWords, type MeetingMode, type MeetingPlace } from '$lib/domain/meetings/modes';
import type { ChangeDecision } from '$lib/domain/meetings/notice';
import { canChange } from '$lib/domain/meetings/notice';
import { ukDate } from '$lib/domain/uk-time';
import type { Option } from '$lib/domain/fields';
import { getDb } from '../db';
import { referral, staff, type MeetingRow } from '../db/schema';
import { eq, inArray } from 'drizzle-orm';
import { bookingSettingsFor, venuesByIds } from './availability-store';
import { freeSlotsForChange, meetingForParticipant, meetingMode, type BookingParticipant, type MeetingHow } from './booking';
import { meetingLabel, placeOf, venueLine, venueNotes, whereWords } from './messages';

/** Ways to meet that have free times, as radios: each venue, then phone, then video. */
export async function howOptions(slots: Slot[], participant: Pick<BookingParticipant, 'phone'>): Promise<Option[]> {
	const modes = new Map<string, MeetingMode>();
	for (const slot of slots) for (const mode of slot.modes) modes.set(modeKey(mode), mode);
	const venueIds = [...modes.values()].flatMap((m) => (m.kind === 'in-person' ? [m.venueId] : []));
	const venues = await venuesByIds(await getDb(), venueIds);
	const options: Option[] = [];
	for (const kind of MODE_KINDS) {
		for (const mode of modes.values()) {
			if (mode.kind !== kind) continue;
			if (mode.kind === 'in-person') {
				const venue = venues.get(mode.venueId);
				if (!venue || venue.disabledAt) continue;
				options.push({ value: howValue('in-person', venue.id), label: `In person at ${venue.name}`, hint: [`${venueLine(venue)}.`, ...venueNotes(venue)].join(' ') });
			} else if (mode.kind === 'phone') {
				// A phone meeting needs a number to call.
				if (participant.phone) options.push({ value: 'phone', label: 'By phone', hint: `Your specialist will call you on ${participant.phone}.` });
			} else options.push({ value: 'video', label: 'By video call', hint: 'You get a link to join from a phone, tablet or computer.' });
		}
	}
	return options;
}

export async function placeFor(mode: MeetingMode): Promise<MeetingPlace> {
	if (mode.kind !== 'in-person') return { kind: mode.kind };
	const venue = (await venuesByIds(await getDb(), [mode.venueId])).get(mode.venueId);
	return { kind: 'in-person', venueName: venue?.name ?? 'the venue' };
}

/** Days with free times: "Tuesday 30 March (6 times)". */
export function dayOptions(slots: Slot[]): Option[] {
	return slotsByDay(slots).map(({ date, slots: daySlots }) => ({ value: date, label: dayOptionLabel(date, daySlots.length, dayLabel) }));
}

/** The free times on one UK date: "Tuesday 30 March, 10:00am to 10:45am, by phone". */
export function timeOptions(slots: Slot[], day: string, place: MeetingPlace): Option[] {
	return slots.filter((s) => ukDate(s.start) === day).map((s) => ({ value: s.start.toISOString(), label: slotLabel(s, place) }));
}

export interface MeetingView {
	id: string;
	status: MeetingRow['status'];
	/** "Tuesday 30 March, 10:00am to 10:45am, by phone" */
	label: string;
	/** "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)" */
	when: string;
	where: string;
	/** "by phone", "in person at Central Library" */
	place: string;
	/** The specialist's video call link, for a video meeting: shown as a link (https only). */
	videoLink: string | null;
	notes: string[];
	specialistName: string | null;
	inviteeEmail: string | null;
	upcoming: boolean;
	change: ChangeDecision;
	cancelReason: string | null;
}

/** Meetings in words, for the person's pages. */
export async function meetingViews(rows: MeetingRow[], participant: Pick<BookingParticipant, 'phone'>, now = new Date()): Promise<MeetingView[]> {
	if (!rows.length) return [];
	const db = await getDb();
	const venues = await venuesByIds(db, rows.map((r) => r.venueId));
	const people = await db
		.select({ id: staff.id, name: staff.name, videoLink: staff.videoLink })
		.from(staff)
		.where(inArray(staff.id, [...new Set(rows.map((r) => r.staffId))]));
	const byId = new Map(people.map((p) => [p.id, p]));
	const settings = new Map<string, Awaited<ReturnType<typeof bookingSettingsFor>>>();
	const views: MeetingView[] = [];
	for (const row of rows) {
		if (!settings.has(row.programmeId)) settings.set(row.programmeId, await bookingSettingsFor(db, row.programmeId));
		const venue = row.venueId ? (venues.get(row.venueId) ?? null) : null;
		const person = byId.get(row.staffId);
		views.push({
			id: row.id,
			status: row.status,
			label: meetingLabel(row, venue),
			when: emailWhen({ start: row.startsAt, end: row.endsAt }),
			where: whereWords({ meeting: row, venue, videoLink: person?.videoLink ?? null, phone: participant.phone }),
			place: placeWords(placeOf(row, venue)),
			videoLink: row.mode === 'video' && person?.videoLink && isVideoLink(person.videoLink) ? person.videoLink : null,
			notes: row.mode === 'in-person' ? venueNotes(venue) : [],
			specialistName: person?.name ?? null,
			inviteeEmail: row.inviteeEmail,
			upcoming: row.status === 'booked' && row.endsAt.getTime() > now.getTime(),
			change: canChange({ start: row.startsAt, status: row.status }, settings.get(row.programmeId)!, now),
			cancelReason: row.cancelReason
		});
	}
	return views;
}

/** The referral as the person's home page tells it: the status in words, and whether they can book. */
export async function referralSummaryFor(participant: Pick<BookingParticipant, 'referralId'>) {
	const db = await getDb();
	const [row] = await db
		.select({ status: referral.status, closedReason: referral.closedReason, contactTargetDate: referral.contactTargetDate, reference: referral.reference })
		.from(referral)
		.where(eq(referral.id, participant.referralId));
	return row ?? null;
}

/** One of the person's meetings for the change and cancel pages (null when it is not theirs), and whether it may still change. */
export async function findOwnMeeting(participant: BookingParticipant, id: string, now = new Date()) {
	const row = await meetingForParticipant(participant, id);
	if (!row) return null;
	const [view] = await meetingViews([row], participant, now);
	return { row, view, decision: view.change };
}

// ---- moving a meeting, perhaps to another way of meeting ------------------------------------------------

/** The meeting's own way of meeting as the "how" radios send it: "phone", "video" or "in-person:<venue id>". */
export function currentHow(row: Pick<MeetingRow, 'mode' | 'venueId'>): string {
	return howValue(row.mode, row.venueId);
}

/**
 * Ways the meeting's specialist offers with free times to move to, as radios (each venue, then phone when
 * the person gave a number, then video). Its own time in its own way does not count.
 */
export async function howOptionsForChange(participant: BookingParticipant, row: MeetingRow, now = new Date()): Promise<Option[]> {
	const own = currentHow(row);
	const slots = (await freeSlotsForChange(participant, row, now, {})).map((s) =>
		s.start.getTime() === row.startsAt.getTime() ? { ...s, modes: s.modes.filter((m) => modeKey(m) !== own) } : s
	);
	return howOptions(slots, participant);
}

export interface ChangeWay {
	/** As the radios send it, kept in the step links. */
	how: string;
	query: MeetingHow & { mode: NonNullable<MeetingHow['mode']> };
	/** "by phone", "in person at Central Library" */
	place: string;
	placeDetail: MeetingPlace;
	/** Another way than the meeting's own. */
	changed: boolean;
}

/** The way chosen on the change's "how" page (`?how=`), else the meeting's own; null for anything that is not a way. */
export async function changeWay(row: MeetingRow, value: string | null): Promise<ChangeWay | null> {
	const how = value || currentHow(row);
	const parsed = parseHow(how);
	const mode = parsed && meetingMode(parsed.mode, parsed.venueId);
	if (!parsed || !mode) return null;
	const placeDetail = await placeFor(mode);
	return { how, query: parsed, place: placeWords(placeDetail), placeDetail, changed: how !== currentHow(row) };
}

/** Where the meeting will be in the way chosen, in the words of the meeting page (with the video link, and a venue's notes). */
export async function whereForWay(row: MeetingRow, way: ChangeWay, participant: Pick<BookingParticipant, 'phone'>) {
	const db = await getDb();
	const venueId = way.query.mode === 'in-person' ? (way.query.venueId ?? null) : null;
	const venue = venueId ? ((await venuesByIds(db, [venueId])).get(venueId) ?? null) : null;
	const [person] = await db.select({ videoLink: staff.videoLink }).from(staff).where(eq(staff.id, row.staffId));
	const videoLink = way.query.mode === 'video' && person?.videoLink && isVideoLink(person.videoLink) ? person.videoLink : null;
	return {
		where: whereWords({ meeting: { ...row, mode: way.query.mode }, venue, videoLink: person?.videoLink ?? null, phone: participant.phone }),
		videoLink,
		notes: way.query.mode === 'in-person' ? venueNotes(venue) : []
	};
}
