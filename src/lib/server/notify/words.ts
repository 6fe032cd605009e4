/**
 * What emails and texts to the person need in their language (issue 25): the language of a referral, and
 * dates, times and ways of meeting in words. The message words are in messages/{locale}/notify.json (keys
 * `n_`). English stays exactly as it always was: its dates and times come from the same functions as before
 * (domain/meetings/labels.ts, domain/uk-time.ts); Welsh and Urdu ones from Intl with the language's tag, in UK
 * time. Messages sent outside a request (the worker) pass the referral's language; inside one, a message
 * function given no language speaks the request's (currentLocale).
 */
import { tzName } from '@date-fns/tz';
import { emailWhen } from '$lib/domain/meetings/labels';
import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { formatLongDate, inRepeatedHour, UK_TIME_ZONE, ukDate } from '$lib/domain/uk-time';
import { LOCALE_INFO, localeOfTag, type Locale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import { currentLocale } from '../i18n';

export type { Locale };

/** The language to write to a person in: their referral's (a BCP 47 tag; null before languages is English). */
export function languageOf(tag: string | null | undefined): Locale {
	return localeOfTag(tag);
}

/** The language given, or the request's (English outside a request). */
export function orCurrent(locale: Locale | undefined): Locale {
	return locale ?? currentLocale();
}

/** The option every message function takes. */
export const inLocale = (locale: Locale) => ({ locale });

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}:${JSON.stringify(options)}`;
	let f = formatters.get(key);
	if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, options)));
	return f;
}

/** "10:00" (Welsh), "10:00 صبح" (Urdu), UK time; in the hour the clocks go back, which one ("1:30 GMT"). */
function timeIn(instant: Date, locale: Locale): string {
	const words = formatter(
		locale,
		locale === 'ur' ? { hour: 'numeric', minute: '2-digit', dayPeriod: 'short', timeZone: UK_TIME_ZONE } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: UK_TIME_ZONE }
	).format(instant);
	if (!inRepeatedHour(instant)) return words;
	return `${words} ${tzName(UK_TIME_ZONE, instant, 'short') === 'GMT' ? 'GMT' : 'BST'}`;
}

/** A calendar day ("YYYY-MM-DD") at noon UTC, so no zone moves it. */
function calendarDay(iso: string): Date {
	const [y, mo, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, mo - 1, d, 12));
}

/**
 * A meeting's time for emails, texts and calendar files, with the year and the time zone. English as
 * always: "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)"; Welsh "Dydd Mawrth, 30 Mawrth 2027, 10:00
 * i 10:45 (amser y DU)".
 */
export function whenIn(times: { start: Date; end: Date }, locale: Locale): string {
	if (locale === 'en') return emailWhen(times);
	const day = formatter(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(calendarDay(ukDate(times.start)));
	return m.n_when({ day, start: timeIn(times.start, locale), end: timeIn(times.end, locale) }, inLocale(locale));
}

/** A date in words: English "Tuesday 1 December 2026" as always; Welsh "1 Rhagfyr 2026". */
export function longDateIn(iso: string, locale: Locale): string {
	if (locale === 'en') return formatLongDate(iso);
	return formatter(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(calendarDay(iso));
}

/** A way of meeting to put in words: a venue's name null when the venue is not known ("in person at the venue"). */
export type PlaceToName = MeetingPlace | { kind: 'in-person'; venueName: null };

/** How a meeting happens, in a sentence: "by phone", "by video call", "in person at Central Library". */
export function placeIn(place: PlaceToName, locale: Locale): string {
	const o = inLocale(locale);
	if (place.kind === 'phone') return m.n_place_phone({}, o);
	if (place.kind === 'video') return m.n_place_video({}, o);
	return place.venueName === null ? m.n_place_in_person_unknown({}, o) : m.n_place_in_person({ venue: place.venueName }, o);
}

/** The line every message to the person ends with: this is not a crisis service. */
export const crisisLine = (locale: Locale) => m.n_crisis({}, inLocale(locale));
