/**
 * What a meeting says to people: the place in words, the .ics file and the emails after booking, moving
 * and cancelling. Times always in UK time through the labels module. Never any health detail: the title
 * and the bodies name the service, the time, the place and how to change it, nothing else.
 *
 * Words to the person are in their language (messages/{locale}/notify.json): the caller passes it (their
 * referral's); without one, the request's (English outside a request). Someone the person invited is
 * written to in English: nobody told us their language. Staff emails are in English.
 */
import { meetingIcs, type CalendarPlace } from '$lib/domain/meetings/calendar-file';
import { emailWhen, slotLabel } from '$lib/domain/meetings/labels';
import { placeWords, type MeetingPlace } from '$lib/domain/meetings/modes';
import { m } from '$lib/paraglide/messages';
import type { EmailAttachment, MeetingRow, Venue } from '../db/schema';
import { crisisLine, inLocale, orCurrent, placeIn, whenIn, type Locale, type PlaceToName } from '../notify/words';

export interface MeetingFacts {
	meeting: Pick<MeetingRow, 'id' | 'version' | 'status' | 'startsAt' | 'endsAt' | 'mode'>;
	programme: { name: string; helplinePhone: string; helplineHours: string; teamEmail: string };
	venue: Pick<Venue, 'name' | 'address' | 'postcode' | 'accessibilityNotes' | 'privateRoom'> | null;
	/** The specialist's video-call link, for meetings by video. */
	videoLink: string | null;
	/** The participant's phone number; null in anything sent to someone they invited. */
	phone: string | null;
	/** The site's public address, e.g. https://ips.example.org */
	origin: string;
}

/** The .ics UID: the meeting's id at the site's host name, the same in every file for the meeting. */
export function calendarUid(meetingId: string, origin: string): string {
	return `${meetingId}@${new URL(origin).hostname}`;
}

/** Venue name, address and postcode on one line. */
export function venueLine(venue: NonNullable<MeetingFacts['venue']>): string {
	return [venue.name, venue.address, venue.postcode].map((part) => part.trim()).filter(Boolean).join(', ');
}

/** For slotLabel and the radios: "in person at Central Library", "by phone", "by video call". */
export function placeOf(meeting: Pick<MeetingRow, 'mode'>, venue: { name: string } | null): MeetingPlace {
	if (meeting.mode === 'in-person') return { kind: 'in-person', venueName: venue?.name ?? 'the venue' };
	return { kind: meeting.mode };
}

/** Where the meeting happens, in a sentence for pages and emails (in `locale`, else the request's language). */
export function whereWords(facts: Pick<MeetingFacts, 'meeting' | 'venue' | 'videoLink' | 'phone'>, locale?: Locale): string {
	const { meeting, venue } = facts;
	const o = inLocale(orCurrent(locale));
	if (meeting.mode === 'in-person') return venue ? m.n_where_in_person({ place: venueLine(venue) }, o) : m.n_where_in_person_unknown({}, o);
	if (meeting.mode === 'phone') return facts.phone ? m.n_where_phone_on({ phone: facts.phone }, o) : m.n_where_phone({}, o);
	return facts.videoLink ? m.n_where_video_link({ link: facts.videoLink }, o) : m.n_where_video({}, o);
}

/** Notes about the venue people may need: access, and whether the room is private (in `locale`, else the request's language). */
export function venueNotes(venue: MeetingFacts['venue'], locale?: Locale): string[] {
	if (!venue) return [];
	const o = inLocale(orCurrent(locale));
	const access = venue.accessibilityNotes.trim();
	const notes = access ? [m.n_venue_access({ notes: `${access}${/[.!?]$/.test(access) ? '' : '.'}` }, o)] : [];
	notes.push(venue.privateRoom ? m.n_venue_private({}, o) : m.n_venue_not_private({}, o));
	return notes;
}

function calendarPlace(facts: MeetingFacts, locale: Locale): CalendarPlace {
	const { meeting, venue } = facts;
	const o = inLocale(locale);
	if (meeting.mode === 'in-person') return { kind: 'in-person', location: venue ? venueLine(venue) : m.n_ics_venue_unknown({}, o) };
	// The calendar file's own words for a phone meeting are English: the location is given in the person's words instead.
	if (meeting.mode === 'phone') return { kind: 'in-person', location: facts.phone ? m.n_ics_phone_on({ phone: facts.phone }, o) : m.n_where_phone({}, o) };
	if (facts.videoLink) return { kind: 'video', link: facts.videoLink };
	// No link yet: the location says so in words.
	return { kind: 'in-person', location: m.n_ics_video_no_link({}, o) };
}

/**
 * The meeting's calendar file. A booked meeting is METHOD:REQUEST with SEQUENCE = version - 1 (0 when
 * booked, 1 after the first move, ...); a cancelled one is METHOD:CANCEL with SEQUENCE = version, one
 * more than its last request. `stamp` is DTSTAMP: when this file was made. Its title and words are in
 * `locale` (else the request's language); one for someone the person invited is in English.
 */
export function meetingCalendarFile(facts: MeetingFacts, stamp: Date, forInvitee = false, locale?: Locale): string {
	const { meeting } = facts;
	const lang: Locale = forInvitee ? 'en' : orCurrent(locale);
	const o = inLocale(lang);
	const cancelled = meeting.status === 'cancelled';
	const when = whenIn({ start: meeting.startsAt, end: meeting.endsAt }, lang);
	const change = forInvitee
		? 'If you cannot come, tell the person who invited you.'
		: m.n_ics_change({ link: `${facts.origin}/account`, phone: facts.programme.helplinePhone }, o);
	return meetingIcs({
		uid: calendarUid(meeting.id, facts.origin),
		sequence: cancelled ? meeting.version : meeting.version - 1,
		method: cancelled ? 'CANCEL' : 'REQUEST',
		start: meeting.startsAt,
		end: meeting.endsAt,
		title: m.n_ics_title({}, o),
		place: calendarPlace(facts, lang),
		description: cancelled ? m.n_ics_cancelled({ when }, o) : m.n_ics_description({ when, where: whereWords(facts, lang), change }, o),
		organizer: { name: facts.programme.name, email: facts.programme.teamEmail },
		stamp
	});
}

export function calendarAttachment(facts: MeetingFacts, stamp: Date, forInvitee = false, locale?: Locale): EmailAttachment {
	const method = facts.meeting.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
	return { filename: 'meeting.ics', contentType: `text/calendar; method=${method}; charset=utf-8`, content: meetingCalendarFile(facts, stamp, forInvitee, locale) };
}

export type MeetingEmailKind = 'booked' | 'rescheduled' | 'cancelled';

const INVITEE_SUBJECTS: Record<MeetingEmailKind, string> = {
	booked: 'You are invited to a meeting',
	rescheduled: 'A meeting you were invited to has moved',
	cancelled: 'A meeting you were invited to is cancelled'
};

/** A move that changed the way of meeting (and maybe not the time) is told as a change, not a new time. */
const INVITEE_CHANGED_SUBJECT = 'A meeting you were invited to has changed';

/** The person's subject line, in their language. */
function personSubject(kind: MeetingEmailKind, newWay: boolean, locale: Locale): string {
	const o = inLocale(locale);
	if (newWay) return m.n_meeting_subject_changed({}, o);
	if (kind === 'booked') return m.n_meeting_subject_booked({}, o);
	if (kind === 'rescheduled') return m.n_meeting_subject_moved({}, o);
	return m.n_meeting_subject_cancelled({}, o);
}

/** Where a meeting was before a move that changed the way of meeting: words already made, or the place. */
export type PreviousPlace = string | PlaceToName;

/** The way a meeting happens, to put in words (the venue's name null when it is not known). */
export function placeToName(meeting: Pick<MeetingRow, 'mode'>, venue: { name: string } | null): PlaceToName {
	return meeting.mode === 'in-person' && !venue ? { kind: 'in-person', venueName: null } : placeOf(meeting, venue);
}

/**
 * The email to the person (or to someone they invited) after a booking, a move or a cancel. The words
 * for the time are the same as on the page (labels.ts); the .ics goes with it as an attachment. A move
 * gives the time before, and the place before when the way of meeting changed (`previous.where`). The
 * person's email is in `locale` (their referral's language; else the request's); an invitee's in English.
 */
export function meetingEmail(
	kind: MeetingEmailKind,
	facts: MeetingFacts,
	options: { forInvitee?: boolean; previous?: { startsAt: Date; endsAt: Date; where?: PreviousPlace } | null; locale?: Locale } = {}
): { subject: string; body: string } {
	const { meeting, programme } = facts;
	const locale: Locale = options.forInvitee ? 'en' : orCurrent(options.locale);
	const o = inLocale(locale);
	const when = whenIn({ start: meeting.startsAt, end: meeting.endsAt }, locale);
	const before = options.previous;
	const newTime = !!before && before.startsAt.getTime() !== meeting.startsAt.getTime();
	const newWay = kind === 'rescheduled' && !!before?.where;
	const place = placeIn(placeToName(meeting, facts.venue), locale);
	const beforeWhere = before?.where === undefined ? '' : typeof before.where === 'string' ? before.where : placeIn(before.where, locale);
	const lines: string[] = [];
	if (options.forInvitee) {
		const nowMeet = `you will now meet ${placeWords(placeOf(meeting, facts.venue))}`;
		const moved = newWay ? (newTime ? `has moved to a new time, and ${nowMeet}` : `has changed: ${nowMeet}`) : 'has moved to a new time';
		const withWhom = `an employment specialist from ${programme.name}`;
		if (kind === 'booked') lines.push(`You have been invited to join a meeting with ${withWhom}. The person who invited you gave us your email address.`);
		if (kind === 'rescheduled') lines.push(`A meeting with ${withWhom} that you were invited to ${moved}.`);
		if (kind === 'cancelled') lines.push(`A meeting with ${withWhom} that you were invited to has been cancelled.`);
	} else {
		const p = { programme: programme.name };
		if (kind === 'booked') lines.push(m.n_meeting_booked(p, o));
		if (kind === 'rescheduled')
			lines.push(newWay ? (newTime ? m.n_meeting_moved_new_way({ ...p, place }, o) : m.n_meeting_new_way({ ...p, place }, o)) : m.n_meeting_moved(p, o));
		if (kind === 'cancelled') lines.push(m.n_meeting_cancelled(p, o));
	}
	lines.push('');
	if (kind === 'cancelled') lines.push(m.n_meeting_it_was({ when }, o));
	else {
		lines.push(m.n_meeting_when({ when }, o));
		if (before && (newTime || !newWay)) lines.push(m.n_meeting_before({ before: whenIn({ start: before.startsAt, end: before.endsAt }, locale) }, o));
		lines.push(m.n_meeting_where({ where: whereWords(facts, locale) }, o));
		if (newWay) lines.push(m.n_meeting_before({ before: beforeWhere }, o));
		lines.push(...venueNotes(meeting.mode === 'in-person' ? facts.venue : null, locale));
	}
	lines.push('');
	if (kind === 'cancelled') lines.push(m.n_meeting_calendar_removes({}, o));
	else lines.push(m.n_meeting_calendar_adds({}, o));
	lines.push('');
	if (options.forInvitee) {
		lines.push('If you cannot come, tell the person who invited you.');
	} else if (kind === 'cancelled') {
		lines.push(m.n_meeting_book_another({ link: `${facts.origin}/account` }, o));
	} else {
		lines.push(m.n_meeting_change({ link: `${facts.origin}/account` }, o));
	}
	lines.push(m.n_meeting_question({ phone: programme.helplinePhone, hours: programme.helplineHours }, o));
	lines.push('');
	lines.push(crisisLine(locale));
	const subject = options.forInvitee ? (newWay ? INVITEE_CHANGED_SUBJECT : INVITEE_SUBJECTS[kind]) : personSubject(kind, newWay, locale);
	return { subject, body: lines.join('\n') };
}

/** The radio and summary label for a meeting time: "Tuesday 30 March, 10:00am to 10:45am, by phone". */
export function meetingLabel(meeting: Pick<MeetingRow, 'startsAt' | 'endsAt' | 'mode'>, venue: { name: string } | null): string {
	return slotLabel({ start: meeting.startsAt, end: meeting.endsAt }, placeOf(meeting, venue));
}

export interface StaffMeetingFacts {
	reference: string;
	meeting: Pick<MeetingRow, 'startsAt' | 'endsAt' | 'mode'>;
	venue: { name: string } | null;
	/** The person's first meeting. */
	first: boolean;
	previous?: { startsAt: Date; endsAt: Date } | null;
	origin: string;
}

const STAFF_SUBJECTS: Record<MeetingEmailKind, string> = {
	booked: 'Meeting booked',
	rescheduled: 'Meeting moved',
	cancelled: 'Meeting cancelled'
};

/**
 * The email to the specialist when a participant books, moves or cancels a meeting with them: the
 * reference, the time and how they meet, and the link. No name, no health detail, no reason for a cancel.
 */
export function staffMeetingEmail(kind: MeetingEmailKind, facts: StaffMeetingFacts): { subject: string; body: string } {
	const times = { start: facts.meeting.startsAt, end: facts.meeting.endsAt };
	const label = slotLabel(times, placeOf(facts.meeting, facts.venue));
	const what = facts.first ? 'first meeting' : 'meeting';
	const link = `${facts.origin}/staff/referrals/${encodeURIComponent(facts.reference)}`;
	const lines =
		kind === 'booked'
			? [`Participant ${facts.reference} has booked a ${what} with you.`, '', `When: ${emailWhen(times)}`, `How: ${label}`]
			: kind === 'rescheduled'
				? [
						`Participant ${facts.reference} has moved their ${what} with you.`,
						'',
						`Now: ${emailWhen(times)}`,
						`How: ${label}`,
						...(facts.previous ? [`It was: ${emailWhen({ start: facts.previous.startsAt, end: facts.previous.endsAt })}`] : [])
					]
				: [`Participant ${facts.reference} has cancelled their ${what} with you.`, '', `It was: ${emailWhen(times)}`, '', 'Their time is free again in your diary.'];
	return {
		subject: `${STAFF_SUBJECTS[kind]}: ${facts.reference}, ${label}`,
		body: [...lines, '', `Open the referral (you will be asked to sign in): ${link}`, '', 'For privacy this email holds no personal or health details: sign in to see them.'].join('\n')
	};
}
