/**
 * What the participant's booking and meeting pages show: the choices offered at each step (built from the
 * free times), and meetings in words. Routes stay thin: they parse, call these, and render or redirect.
 */
import { howValue, parseHow } from '$lib/domain/meetings/booking-forms';
import { isVideoLink } from '$lib/domain/meetings/availability-forms';
import type { Slot } from '$lib/domain/meetings/free-slots';
import { slotsByDay } from '$lib/domain/meetings/free-slots';
import { MODE_KINDS, modeKey, type MeetingMode, type MeetingPlace } from '$lib/domain/meetings/modes';
import type { ChangeDecision } from '$lib/domain/meetings/notice';
import { canChange } from '$lib/domain/meetings/notice';
import { ukDate } from '$lib/domain/uk-time';
import type { Option } from '$lib/domain/fields';
import { getDb } from '../db';
import { referral, staff, type MeetingRow } from '../db/schema';
import { eq, inArray } from 'drizzle-orm';
import { bookingSettingsFor, venuesByIds } from './availability-store';
import { freeSlotsForChange, meetingForParticipant, meetingMode, type BookingParticipant, type MeetingHow } from './booking';
import { venueLine, venueNotes, whereWords } from './messages';
import { dayOptionWords, isolated, isolatedNotes, isolatedPlace, type WhereParts } from '$lib/i18n/booking';
import { meetingLabelWords, meetingWhenWords, placeWordsIn } from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { around } from '$lib/i18n/around';

/** Ways to meet that have free times, as radios: each venue, then phone, then video (in the request's language). */
/**
 * On a page in another language than English, the in-person choice's hint in pieces: the venue's address and
 * access notes (the provider's words, in English) marked as English, the page's own words not. Undefined in
 * English (the hint says it all).
 */
function venueHintParts(venue: Parameters<typeof venueLine>[0] & Parameters<typeof venueNotes>[0]): Option['hintParts'] {
	const locale = getLocale();
	if (locale === 'en' || !venue) return undefined;
	const english = (text: string) => ({ text, lang: 'en-GB' });
	const parts: NonNullable<Option['hintParts']> = [english(venueLine(venue)), { text: '. ' }];
	const [before, after] = around((i: { notes: string }) => m.n_venue_access(i, { locale }), 'notes');
	for (const note of venueNotes(venue)) {
		if (note.startsWith(before) && note.endsWith(after) && note.length > before.length + after.length)
			parts.push({ text: before }, english(note.slice(before.length, note.length - after.length)), { text: `${after} ` });
		else parts.push({ text: `${note} ` });
	}
	return parts;
}

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
				const hint = [`${isolated(venueLine(venue))}.`, ...isolatedNotes(venueNotes(venue))].join(' ');
				options.push({ value: howValue('in-person', venue.id), label: m.ab_how_in_person({ venue: isolated(venue.name) }), hint, hintParts: venueHintParts(venue) });
			} else if (mode.kind === 'phone') {
				// A phone meeting needs a number to call.
				if (participant.phone) options.push({ value: 'phone', label: m.ab_how_phone(), hint: m.ab_how_phone_hint({ phone: isolated(participant.phone) }) });
			} else options.push({ value: 'video', label: m.ab_how_video(), hint: m.ab_how_video_hint() });
		}
	}
	return options;
}

export async function placeFor(mode: MeetingMode): Promise<MeetingPlace> {
	if (mode.kind !== 'in-person') return { kind: mode.kind };
	const venue = (await venuesByIds(await getDb(), [mode.venueId])).get(mode.venueId);
	return { kind: 'in-person', venueName: venue?.name ?? m.a_the_venue() };
}

/** Days with free times: "Tuesday 30 March (6 times)" (in the request's language). */
export function dayOptions(slots: Slot[]): Option[] {
	return slotsByDay(slots).map(({ date, slots: daySlots }) => ({ value: date, label: dayOptionWords(date, daySlots.length) }));
}

/** The free times on one UK date: "Tuesday 30 March, 10:00am to 10:45am, by phone" (in the request's language). */
export function timeOptions(slots: Slot[], day: string, place: MeetingPlace): Option[] {
	const named = isolatedPlace(place);
	return slots.filter((s) => ukDate(s.start) === day).map((s) => ({ value: s.start.toISOString(), label: meetingLabelWords(s, named) }));
}

export interface MeetingView {
	id: string;
	status: MeetingRow['status'];
	/** "Tuesday 30 March, 10:00am to 10:45am, by phone" */
	label: string;
	/** "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)" */
	when: string;
	where: string;
	/** Where, as facts, for a page in another language than English to put in words (MeetingWhere). */
	whereParts: WhereParts;
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

/** Meetings in words, for the person's pages (in the request's language). */
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
		const times = { start: row.startsAt, end: row.endsAt };
		const place = isolatedPlace(row.mode === 'in-person' ? { kind: 'in-person', venueName: venue?.name ?? m.a_the_venue() } : { kind: row.mode });
		views.push({
			id: row.id,
			status: row.status,
			label: meetingLabelWords(times, place),
			when: meetingWhenWords(times),
			where: whereWords({ meeting: row, venue, videoLink: person?.videoLink ?? null, phone: participant.phone }),
			whereParts: wherePartsOf(row.mode, venue, person?.videoLink ?? null, participant.phone),
			place: placeWordsIn(place),
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
	return { how, query: parsed, place: placeWordsIn(isolatedPlace(placeDetail)), placeDetail, changed: how !== currentHow(row) };
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
		whereParts: wherePartsOf(way.query.mode, venue, person?.videoLink ?? null, participant.phone),
		videoLink,
		notes: way.query.mode === 'in-person' ? venueNotes(venue) : []
	};
}

/** Where a meeting happens, as the facts whereWords puts in words (a video link only when it is a real one). */
function wherePartsOf(mode: MeetingRow['mode'], venue: Parameters<typeof venueLine>[0] | null, videoLink: string | null, phone: string | null): WhereParts {
	if (mode === 'in-person') return { kind: 'in-person', venue: venue ? venueLine(venue) : null };
	if (mode === 'phone') return { kind: 'phone', phone };
	return { kind: 'video', link: videoLink && isVideoLink(videoLink) ? videoLink : null };
}
