import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { MEETING_TITLE, meetingIcs, type MeetingIcsInput } from '../../src/lib/domain/meetings/calendar-file';
import { ukInstant } from '../../src/lib/domain/uk-time';

function parse(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const vevent = calendar.getFirstSubcomponent('vevent')!;
	const event = new ICAL.Event(vevent);
	return { calendar, vevent, event };
}

const base = (over: Partial<MeetingIcsInput> = {}): MeetingIcsInput => {
	const start = ukInstant('2027-03-30', '10:00')!;
	return {
		uid: 'meeting-7f3c@ips.example',
		sequence: 0,
		method: 'REQUEST',
		start,
		end: new Date(start.getTime() + 45 * 60_000),
		place: { kind: 'phone', phone: '07700 900982' },
		stamp: new Date('2027-03-01T12:00:00Z'),
		...over
	};
};

const ukWall = (date: Date) => format(new TZDate(date.getTime(), 'Europe/London'), 'yyyy-MM-dd HH:mm');

describe('meetingIcs', () => {
	it('writes one event with the meeting’s instants, UID, SEQUENCE and a title without health details', () => {
		const input = base();
		const { calendar, vevent, event } = parse(meetingIcs(input));
		expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
		expect(event.uid).toBe(input.uid);
		expect(event.sequence).toBe(0);
		expect(event.summary).toBe(MEETING_TITLE);
		expect(event.startDate.toJSDate().getTime()).toBe(input.start.getTime());
		expect(event.endDate.toJSDate().getTime()).toBe(input.end.getTime());
		expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(event.location).toBe('By phone: your specialist will call 07700 900982');
	});

	it('keeps the UID and raises SEQUENCE on a reschedule', () => {
		const moved = base({ sequence: 1, start: new Date('2027-04-02T13:00:00Z'), end: new Date('2027-04-02T13:45:00Z') });
		const first = parse(meetingIcs(base())).event;
		const second = parse(meetingIcs(moved)).event;
		expect(second.uid).toBe(first.uid);
		expect(second.sequence).toBeGreaterThan(first.sequence);
		expect(second.startDate.toJSDate().toISOString()).toBe('2027-04-02T13:00:00.000Z');
	});

	it('writes METHOD:CANCEL and STATUS:CANCELLED for a cancel', () => {
		const { calendar, vevent, event } = parse(meetingIcs(base({ method: 'CANCEL', sequence: 2 })));
		expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
		expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(event.sequence).toBe(2);
		expect(event.uid).toBe('meeting-7f3c@ips.example');
	});

	it('gives the place, video link, description and organiser', () => {
		const inPerson = parse(meetingIcs(base({ place: { kind: 'in-person', location: 'Central Library, St Peter’s Square, Manchester M2 5PD' } }))).event;
		expect(inPerson.location).toBe('Central Library, St Peter’s Square, Manchester M2 5PD');
		const video = parse(
			meetingIcs(
				base({
					place: { kind: 'video', link: 'https://meet.example.org/abc-def' },
					description: 'Tuesday 30 March 2027, 10:00am to 10:45am (UK time)',
					organizer: { name: 'Employment team', email: 'team@ips.example' }
				})
			)
		);
		expect(video.event.location).toBe('https://meet.example.org/abc-def');
		expect(video.vevent.getFirstPropertyValue('url')).toBe('https://meet.example.org/abc-def');
		expect(video.event.description).toBe('Tuesday 30 March 2027, 10:00am to 10:45am (UK time)');
		expect(String(video.vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:team@ips.example');
	});

	it('writes the DTSTAMP it is given, so the same input gives the same file', () => {
		const text = meetingIcs(base());
		expect(text).toBe(meetingIcs(base()));
		expect(parse(text).vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2027-03-01T12:00:00Z');
	});

	for (const date of ['2027-03-28', '2027-03-29', '2027-10-31', '2027-11-01']) {
		it(`shows the booked UK wall-clock time for a meeting on ${date}`, () => {
			for (const time of ['00:30', '09:00', '17:30']) {
				const start = ukInstant(date, time)!;
				const end = new Date(start.getTime() + 45 * 60_000);
				const { event } = parse(meetingIcs(base({ start, end })));
				const parsedStart = event.startDate.toJSDate();
				expect(parsedStart.getTime()).toBe(start.getTime());
				expect(ukWall(parsedStart)).toBe(`${date} ${time}`);
				expect(event.endDate.toJSDate().getTime()).toBe(end.getTime());
			}
		});
	}
});
