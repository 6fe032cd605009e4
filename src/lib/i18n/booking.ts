/**
 * Booking, moving and cancelling a meeting in the request's language (issue 25). The question pages'
 * words are written once in English in domain/meetings/booking-forms.ts (with their rules); this module
 * says them again from messages/{locale}/account.json (keys `ab_`), and gives the words the booking steps
 * build (days with their number of times, a time that has just gone). English is exactly what those
 * modules give, so English pages do not change. Dates and times: locale-dates.ts.
 */
import { m } from '$lib/paraglide/messages';
import type { Field } from '$lib/domain/fields';
import { dayOptionLabel } from '$lib/domain/meetings/booking-forms';
import { dayLabel } from '$lib/domain/meetings/labels';
import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { ukDate } from '$lib/domain/uk-time';
import { around } from './around';
import { BASE_LOCALE, LOCALE_INFO, type Locale } from './locales';
import { localDay, localeOr, localTime } from './locale-dates';

type Say = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

// ---- values inside words that cannot hold markup -------------------------------------------------

const FSI = '\u2068';
const PDI = '\u2069';

/**
 * A value (a phone number, a venue's name) inside words that cannot hold markup (a radio's label or hint,
 * a question's hint, a problem box): on a right-to-left page it is isolated with Unicode's first-strong
 * isolate, as `<bdi>` would, so it keeps its own direction; on other pages it is as it is.
 */
export function isolated(value: string, locale?: string): string {
	return LOCALE_INFO[localeOr(locale)].dir === 'rtl' ? `${FSI}${value}${PDI}` : value;
}

/**
 * A venue's notes (venueNotes, messages.ts: "Access: {notes}" and the privacy note, in the language) with
 * the provider's access notes isolated on a right-to-left page, for a radio's hint.
 */
export function isolatedNotes(notes: string[], locale?: string): string[] {
	const l = localeOr(locale);
	if (LOCALE_INFO[l].dir !== 'rtl') return notes;
	const [before, after] = around((i: { notes: string }) => m.n_venue_access(i, { locale: l }), 'notes');
	return notes.map((note) => (note.startsWith(before) && note.endsWith(after) ? `${before}${isolated(note.slice(before.length, note.length - after.length), l)}${after}` : note));
}

/** A place whose venue name is isolated on a right-to-left page (for words made from it). */
export function isolatedPlace(place: MeetingPlace, locale?: string): MeetingPlace {
	return place.kind === 'in-person' ? { kind: 'in-person', venueName: isolated(place.venueName, locale) } : place;
}

/** Where a meeting happens, as facts, for a page in another language than English to put in words with its markup (MeetingWhere). */
export type WhereParts =
	| { kind: 'in-person'; /** venueLine: the venue's name, address and postcode (the provider's words) */ venue: string | null }
	| { kind: 'phone'; phone: string | null }
	| { kind: 'video'; /** https only */ link: string | null };

// ---- the question pages' own words (booking-forms.ts) ----------------------------------------------

/** The booking questions' words (booking-forms.ts), each said in English by its message. */
const QUESTION_WORDS: readonly Say[] = [
	m.ab_how_heading,
	m.ab_how_hint,
	m.ab_how_empty,
	m.ab_day_heading,
	m.ab_day_empty,
	m.ab_time_heading,
	m.ab_time_empty,
	m.ab_times_uk,
	m.ab_invite_heading,
	m.ab_invite_hint,
	m.ab_cancel_heading,
	m.ab_cancel_reason_label,
	m.ab_cancel_reason_hint,
	m.ab_cancel_reason_long
];
let byEnglish: Map<string, Say> | undefined;

/** One of the booking questions' English words in the language; any other words as they are. */
export function bookingWords(english: string, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return english;
	byEnglish ??= new Map(QUESTION_WORDS.map((say) => [say({}, { locale: BASE_LOCALE }), say]));
	return byEnglish.get(english)?.({}, { locale: l }) ?? english;
}

const said = (text: string | undefined, locale?: string) => (text ? bookingWords(text, locale) : text);

/** A booking question's fields with their label and hint in the language (options are made in it already). */
export function bookingFields<F extends Field>(fields: F[], locale?: string): F[] {
	if (localeOr(locale) === BASE_LOCALE) return fields;
	return fields.map((f) => ({
		...f,
		...('label' in f && f.label ? { label: said(f.label, locale) } : {}),
		...('hint' in f && f.hint ? { hint: said(f.hint, locale) } : {})
	}));
}

/** A booking question page (heading, hint, fields) in the language; the same page in English. */
export function bookingPage<P extends { heading: string; hint?: string; fields: Field[] }>(page: P, locale?: string): P {
	if (localeOr(locale) === BASE_LOCALE) return page;
	return { ...page, heading: bookingWords(page.heading, locale), hint: said(page.hint, locale), fields: bookingFields(page.fields, locale) };
}

/**
 * A booking question's error messages in the language. Messages it does not know (an email address in the
 * wrong format, a hidden character: the referral's words) are left for the question page's t().
 */
export function bookingErrors(errors: Record<string, string>, locale?: string): Record<string, string> {
	if (localeOr(locale) === BASE_LOCALE) return errors;
	return Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, bookingWords(message, locale)]));
}

// ---- words the booking steps build -----------------------------------------------------------------

/** A day radio: "Tuesday 30 March (6 times)" (dayOptionLabel in English). */
export function dayOptionWords(date: string, count: number, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return dayOptionLabel(date, count, dayLabel);
	const day = localDay(date, l);
	return count === 1 ? m.ab_day_option_one({ day }, { locale: l }) : m.ab_day_option({ day, count }, { locale: l });
}

/** A time that has just gone: "Tuesday 30 March at 10:00am". */
export function dayAtTimeWords(instant: Date, locale?: string): string {
	const l = localeOr(locale);
	return m.ab_day_at_time({ day: localDay(ukDate(instant), l), time: localTime(instant, l) }, { locale: l });
}

/**
 * The words of a message around its values, in order: `pieces(m.key, ['email', 'invite'])` gives the words
 * before the email, between the two, and after the invitee's address. For a page that puts each value in
 * its own markup and keeps one sentence for translators.
 */
export function pieces<K extends string>(message: (inputs: Record<K, string>) => string, names: readonly K[]): string[] {
	const MARK = '\u2063';
	const marked = Object.fromEntries(names.map((name) => [name, MARK])) as Record<K, string>;
	return message(marked).split(MARK);
}

/** For the tests: the messages that say booking-forms.ts's English again. */
export const SAID_AGAIN = { QUESTION_WORDS };
