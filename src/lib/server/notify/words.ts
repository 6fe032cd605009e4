/**
 * What emails and texts to the person need in their language (issue 25): the language of a referral, and
 * dates, times and ways of meeting in words. The message words are in messages/{locale}/notify.json (keys
 * `n_`). English stays exactly as it always was: its dates and times come from the same functions as before
 * (domain/meetings/labels.ts, domain/uk-time.ts); Welsh and Urdu ones from Intl with the language's tag, in UK
 * time. Messages sent outside a request (the worker) pass the referral's language; inside one, a message
 * function given no language speaks the request's (currentLocale).
 */
import { emailWhen } from '$lib/domain/meetings/labels';
import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { ukDate } from '$lib/domain/uk-time';
import { localeOfTag, type Locale } from '$lib/i18n/locales';
import { localLongDate, localTime } from '$lib/i18n/locale-dates';
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

/**
 * A meeting's time for emails, texts and calendar files, with the year and the time zone. English as
 * always: "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)"; Welsh "Dydd Mawrth, 30 Mawrth 2027, 10:00
 * i 10:45 (amser y DU)".
 */
export function whenIn(times: { start: Date; end: Date }, locale: Locale): string {
	if (locale === 'en') return emailWhen(times);
	return m.n_when({ day: localLongDate(ukDate(times.start), locale), start: localTime(times.start, locale), end: localTime(times.end, locale) }, inLocale(locale));
}

/** A date in words: English "Tuesday 1 December 2026" as always; Welsh "Dydd Mawrth, 1 Rhagfyr 2026". */
export function longDateIn(iso: string, locale: Locale): string {
	return localLongDate(iso, locale);
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
