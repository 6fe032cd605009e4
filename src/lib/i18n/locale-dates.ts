/**
 * Dates and times in a language (issue 25): the one place for them, for pages, emails, texts and calendar
 * files. English keeps the portal's own formats exactly (uk-time.ts and meetings/labels.ts: "Monday 14
 * December 2026", "3:05pm"); Welsh and Urdu are formatted by Intl for the language's BCP 47 tag, in UK time
 * (Europe/London). Calendar dates ("YYYY-MM-DD") are read at noon UTC, as uk-time.ts reads them, so no date
 * crosses a day boundary. With no language given, the request's (Paraglide's getLocale, set per request).
 */
import { tzName } from '@date-fns/tz';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { formatDate, formatLongDate, formatUkFullDateTime, inRepeatedHour, UK_TIME_ZONE } from '$lib/domain/uk-time';
import { getLocale } from '$lib/paraglide/runtime';
import { BASE_LOCALE, LOCALE_INFO, isLocale, type Locale } from './locales';

/** The language given, else the request's; English for anything the portal does not speak. */
export function localeOr(locale?: string): Locale {
	const chosen = locale ?? getLocale();
	return isLocale(chosen) ? chosen : BASE_LOCALE;
}

function calendarDay(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

const formats = new Map<string, Intl.DateTimeFormat>();
function intl(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale} ${JSON.stringify(options)}`;
	let format = formats.get(key);
	if (!format) formats.set(key, (format = new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, { timeZone: UK_TIME_ZONE, ...options })));
	return format;
}

/** "Monday 14 December 2026"; "Dydd Llun, 14 Rhagfyr 2026". */
export function localLongDate(iso: string, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return formatLongDate(iso);
	return intl(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(calendarDay(iso));
}

/** "15 June 1985"; "15 Mehefin 1985". */
export function localDate(iso: string, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return formatDate(iso);
	return intl(l, { day: 'numeric', month: 'long', year: 'numeric' }).format(calendarDay(iso));
}

/** "Tuesday 30 March"; "Dydd Mawrth, 30 Mawrth". */
export function localDay(iso: string, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return dayLabel(iso);
	return intl(l, { weekday: 'long', day: 'numeric', month: 'long' }).format(calendarDay(iso));
}

/**
 * "3:05pm" in English; Welsh "15:05" (24-hour), Urdu "3:05 دوپہر" (with the time of day); UK time. In the
 * hour the clocks go back, which one: "1:30 GMT".
 */
export function localTime(instant: Date, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return timeLabel(instant);
	const words = intl(l, l === 'ur' ? { hour: 'numeric', minute: '2-digit', dayPeriod: 'short' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
	if (!inRepeatedHour(instant)) return words;
	return `${words} ${tzName(UK_TIME_ZONE, instant, 'short') === 'GMT' ? 'GMT' : 'BST'}`;
}

/** "Monday, 7 December 2026 at 14:05" (UK time); the 24-hour clock in every language. */
export function localFullDateTime(instant: Date, locale?: string): string {
	const l = localeOr(locale);
	if (l === BASE_LOCALE) return formatUkFullDateTime(instant);
	return intl(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}
