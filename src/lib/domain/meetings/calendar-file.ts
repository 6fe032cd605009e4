/**
 * The .ics file for a meeting, made with the `ics` library. Times are written in UTC (…Z), which every
 * calendar shows in its own zone, so the UK wall-clock time is right across clock changes. One UID per
 * meeting; SEQUENCE goes up with every change; a cancel is METHOD:CANCEL with STATUS:CANCELLED.
 * The title must never carry health details.
 */
import { createEvent, type EventAttributes } from 'ics';

export const MEETING_TITLE = 'Meeting with your employment specialist';

export type CalendarPlace =
	| { kind: 'in-person'; location: string }
	| { kind: 'phone'; phone?: string | null }
	| { kind: 'video'; link: string };

export interface MeetingIcsInput {
	uid: string;
	sequence: number;
	method: 'REQUEST' | 'CANCEL';
	start: Date;
	end: Date;
	title?: string;
	place: CalendarPlace;
	description?: string;
	organizer?: { name: string; email: string };
	/** DTSTAMP: when this version of the file was made. */
	stamp: Date;
}

function location(place: CalendarPlace): string {
	if (place.kind === 'in-person') return place.location;
	if (place.kind === 'video') return place.link;
	return place.phone ? `By phone: your specialist will call ${place.phone}` : 'By phone: your specialist will call you';
}

export function meetingIcs(input: MeetingIcsInput): string {
	const attributes: EventAttributes & { timestamp: number } = {
		productId: 'ips-portal',
		uid: input.uid,
		sequence: input.sequence,
		method: input.method,
		status: input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
		start: input.start.getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		end: input.end.getTime(),
		endInputType: 'utc',
		endOutputType: 'utc',
		timestamp: input.stamp.getTime(),
		title: input.title ?? MEETING_TITLE,
		location: location(input.place),
		...(input.place.kind === 'video' ? { url: input.place.link } : {}),
		...(input.description ? { description: input.description } : {}),
		...(input.organizer ? { organizer: input.organizer } : {})
	};
	const { error, value } = createEvent(attributes);
	if (error || !value) throw new Error(`Calendar file could not be made: ${error?.message ?? 'no output'}`);
	return value;
}
