/**
 * Dates on the public journey's pages in the request's language (issue 25). English keeps the portal's
 * own formats exactly (uk-time.ts: "Monday 14 December 2026"); Welsh and Urdu are formatted by Intl for
 * the language's BCP 47 tag, in UK time (Europe/London). Calendar dates ("YYYY-MM-DD") are read at noon
 * UTC, as uk-time.ts reads them, so no date crosses a day boundary.
 */
import { formatDate, formatLongDate, formatUkFullDateTime, UK_TIME_ZONE } from '$lib/domain/uk-time';
import { getLocale } from '$lib/paraglide/runtime';
import { BASE_LOCALE, LOCALE_INFO, isLocale, type Locale } from './locales';

const current = (locale?: string): Locale => {
	const chosen = locale ?? getLocale();
	return isLocale(chosen) ? chosen : BASE_LOCALE;
};

function calendarDay(iso: string): Date {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

const intl = (locale: Locale, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, { timeZone: UK_TIME_ZONE, ...options });

/** "Monday 14 December 2026"; "Dydd Llun, 14 Rhagfyr 2026". */
export function localLongDate(iso: string, locale?: string): string {
	const l = current(locale);
	if (l === BASE_LOCALE) return formatLongDate(iso);
	return intl(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(calendarDay(iso));
}

/** "15 June 1985"; "15 Mehefin 1985". */
export function localDate(iso: string, locale?: string): string {
	const l = current(locale);
	if (l === BASE_LOCALE) return formatDate(iso);
	return intl(l, { day: 'numeric', month: 'long', year: 'numeric' }).format(calendarDay(iso));
}

/** "Monday, 7 December 2026 at 14:05" (UK time); the 24-hour clock in every language. */
export function localFullDateTime(instant: Date, locale?: string): string {
	const l = current(locale);
	if (l === BASE_LOCALE) return formatUkFullDateTime(instant);
	return intl(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}
