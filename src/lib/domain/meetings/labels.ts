/**
 * Meeting times in words, always in UK time, for pages and emails alike:
 * "Tuesday 30 March, 10:00am to 10:45am, by phone". Noon is 12:00pm and midnight 12:00am. A time in the
 * hour that happens twice when the clocks go back says which one: "1:30am BST", "1:30am GMT".
 */
import { TZDate, tzName } from '@date-fns/tz';
import { format } from 'date-fns';
import { placeWords, type MeetingPlace } from './modes';
import { UK_TIME_ZONE, inRepeatedHour, ukDate } from '../uk-time';

interface Times {
	start: Date;
	end: Date;
}

function uk(instant: Date): TZDate {
	return new TZDate(instant.getTime(), UK_TIME_ZONE);
}

/** "10:00am", "12:00pm", "1:30am GMT" */
export function timeLabel(instant: Date): string {
	const words = format(uk(instant), 'h:mmaaa');
	if (!inRepeatedHour(instant)) return words;
	return `${words} ${tzName(UK_TIME_ZONE, instant, 'short') === 'GMT' ? 'GMT' : 'BST'}`;
}

/** "Tuesday 30 March" for '2027-03-30' */
export function dayLabel(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return format(new Date(Date.UTC(y, m - 1, d, 12)), 'EEEE d MMMM');
}

/** "10:00am to 10:45am" */
export function timeRangeLabel(times: Times): string {
	return `${timeLabel(times.start)} to ${timeLabel(times.end)}`;
}

/** The radio label on the booking page: "Tuesday 30 March, 10:00am to 10:45am, by phone" */
export function slotLabel(times: Times, place: MeetingPlace): string {
	return `${dayLabel(ukDate(times.start))}, ${timeRangeLabel(times)}, ${placeWords(place)}`;
}

/** Emails and calendar descriptions name the year and the time zone: "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)" */
export function emailWhen(times: Times): string {
	const date = ukDate(times.start);
	return `${dayLabel(date)} ${date.slice(0, 4)}, ${timeRangeLabel(times)} (UK time)`;
}
