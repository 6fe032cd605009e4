/**
 * What a meeting says to people: the place in words, the .ics file and the emails after booking, moving
 * and cancelling. Times always in UK time through the labels module. Never any health detail: the title
 * and the bodies name the service, the time, the place and how to change it, nothing else.
 */
import { meetingIcs, type CalendarPlace } from '$lib/domain/meetings/calendar-file';
import { emailWhen, slotLabel } from '$lib/domain/meetings/labels';
import { VIDEO_JOIN_WORDS, placeWords, type MeetingPlace } from '$lib/domain/meetings/modes';
import type { EmailAttachment, MeetingRow, Venue } from '../db/schema';

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

/** Where the meeting happens, in a sentence for pages and emails. */
export function whereWords(facts: Pick<MeetingFacts, 'meeting' | 'venue' | 'videoLink' | 'phone'>): string {
	const { meeting, venue } = facts;
	if (meeting.mode === 'in-person') return `In person at ${venue ? venueLine(venue) : 'the venue your specialist tells you'}`;
	if (meeting.mode === 'phone')
		return facts.phone ? `By phone: your specialist will call you on ${facts.phone}` : 'By phone: your specialist will call you';
	return facts.videoLink ? `${VIDEO_JOIN_WORDS} ${facts.videoLink}` : 'By video call: your specialist will send you the link before the meeting';
}

/** Notes about the venue people may need: access, and whether the room is private. */
export function venueNotes(venue: MeetingFacts['venue']): string[] {
	if (!venue) return [];
	const access = venue.accessibilityNotes.trim();
	const notes = access ? [`Access: ${access}${/[.!?]$/.test(access) ? '' : '.'}`] : [];
	notes.push(venue.privateRoom ? 'There is a private room.' : 'There may not be a private room: tell your specialist if you would rather meet somewhere private.');
	return notes;
}

function calendarPlace(facts: MeetingFacts): CalendarPlace {
	const { meeting, venue } = facts;
	if (meeting.mode === 'in-person') return { kind: 'in-person', location: venue ? venueLine(venue) : 'The venue your specialist tells you' };
	if (meeting.mode === 'phone') return { kind: 'phone', phone: facts.phone };
	if (facts.videoLink) return { kind: 'video', link: facts.videoLink };
	// No link yet: the location says so in words.
	return { kind: 'in-person', location: 'By video call: your specialist will send you the link' };
}

/**
 * The meeting's calendar file. A booked meeting is METHOD:REQUEST with SEQUENCE = version - 1 (0 when
 * booked, 1 after the first move, ...); a cancelled one is METHOD:CANCEL with SEQUENCE = version, one
 * more than its last request. `stamp` is DTSTAMP: when this file was made.
 */
export function meetingCalendarFile(facts: MeetingFacts, stamp: Date, forInvitee = false): string {
	const { meeting } = facts;
	const cancelled = meeting.status === 'cancelled';
	const times = { start: meeting.startsAt, end: meeting.endsAt };
	const change = forInvitee
		? 'If you cannot come, tell the person who invited you.'
		: `To change or cancel it, go to ${facts.origin}/account or call ${facts.programme.helplinePhone}.`;
	return meetingIcs({
		uid: calendarUid(meeting.id, facts.origin),
		sequence: cancelled ? meeting.version : meeting.version - 1,
		method: cancelled ? 'CANCEL' : 'REQUEST',
		start: meeting.startsAt,
		end: meeting.endsAt,
		place: calendarPlace(facts),
		description: cancelled ? `Cancelled: ${emailWhen(times)}.` : `${emailWhen(times)}. ${whereWords(facts)}. ${change}`,
		organizer: { name: facts.programme.name, email: facts.programme.teamEmail },
		stamp
	});
}

export function calendarAttachment(facts: MeetingFacts, stamp: Date, forInvitee = false): EmailAttachment {
	const method = facts.meeting.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
	return { filename: 'meeting.ics', contentType: `text/calendar; method=${method}; charset=utf-8`, content: meetingCalendarFile(facts, stamp, forInvitee) };
}

export type MeetingEmailKind = 'booked' | 'rescheduled' | 'cancelled';

const SUBJECTS: Record<MeetingEmailKind, { person: string; invitee: string }> = {
	booked: { person: 'Your meeting is booked', invitee: 'You are invited to a meeting' },
	rescheduled: { person: 'Your meeting has moved to a new time', invitee: 'A meeting you were invited to has moved' },
	cancelled: { person: 'Your meeting is cancelled', invitee: 'A meeting you were invited to is cancelled' }
};

/** A move that changed the way of meeting (and maybe not the time) is told as a change, not a new time. */
const CHANGED_SUBJECTS = { person: 'Your meeting has changed', invitee: 'A meeting you were invited to has changed' };

/**
 * The email to the person (or to someone they invited) after a booking, a move or a cancel. The words
 * for the time are the same as on the page (labels.ts); the .ics goes with it as an attachment. A move
 * gives the time before, and the place before when the way of meeting changed (`previous.where`).
 */
export function meetingEmail(
	kind: MeetingEmailKind,
	facts: MeetingFacts,
	options: { forInvitee?: boolean; previous?: { startsAt: Date; endsAt: Date; where?: string } | null } = {}
): { subject: string; body: string } {
	const { meeting, programme } = facts;
	const when = emailWhen({ start: meeting.startsAt, end: meeting.endsAt });
	const before = options.previous;
	const newTime = !!before && before.startsAt.getTime() !== meeting.startsAt.getTime();
	const newWay = kind === 'rescheduled' && !!before?.where;
	const nowMeet = `you will now meet ${placeWords(placeOf(meeting, facts.venue))}`;
	const moved = newWay ? (newTime ? `has moved to a new time, and ${nowMeet}` : `has changed: ${nowMeet}`) : 'has moved to a new time';
	const helpline = `${programme.helplinePhone} (lines are open ${programme.helplineHours})`;
	const lines: string[] = [];
	const withWhom = `an employment specialist from ${programme.name}`;
	if (options.forInvitee) {
		if (kind === 'booked') lines.push(`You have been invited to join a meeting with ${withWhom}. The person who invited you gave us your email address.`);
		if (kind === 'rescheduled') lines.push(`A meeting with ${withWhom} that you were invited to ${moved}.`);
		if (kind === 'cancelled') lines.push(`A meeting with ${withWhom} that you were invited to has been cancelled.`);
	} else {
		if (kind === 'booked') lines.push(`Your meeting with ${withWhom} is booked.`);
		if (kind === 'rescheduled') lines.push(`Your meeting with ${withWhom} ${moved}.`);
		if (kind === 'cancelled') lines.push(`Your meeting with ${withWhom} is cancelled.`);
	}
	lines.push('');
	if (kind === 'cancelled') lines.push(`It was: ${when}`);
	else {
		lines.push(`When: ${when}`);
		if (before && (newTime || !newWay)) lines.push(`(It was ${emailWhen({ start: before.startsAt, end: before.endsAt })}.)`);
		lines.push(`Where: ${whereWords(facts)}`);
		if (newWay) lines.push(`(It was ${before!.where}.)`);
		lines.push(...venueNotes(meeting.mode === 'in-person' ? facts.venue : null));
	}
	lines.push('');
	if (kind === 'cancelled') lines.push('The calendar file attached removes the meeting from your calendar.');
	else lines.push('The calendar file attached adds the meeting to your calendar.');
	lines.push('');
	if (options.forInvitee) {
		lines.push('If you cannot come, tell the person who invited you.');
	} else if (kind === 'cancelled') {
		lines.push(`To book another meeting, sign in at ${facts.origin}/account`);
	} else {
		lines.push(`To change or cancel the meeting, sign in at ${facts.origin}/account`);
	}
	lines.push(`If you have a question, call ${helpline}.`);
	lines.push('');
	lines.push('This is not a crisis service. If you need help now, call NHS 111 and choose option 2, or call 999 in an emergency.');
	const subjects = newWay ? CHANGED_SUBJECTS : SUBJECTS[kind];
	return { subject: options.forInvitee ? subjects.invitee : subjects.person, body: lines.join('\n') };
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
