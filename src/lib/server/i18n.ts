/**
 * Each request's language (issue 25). The locale lives in an AsyncLocalStorage for the request, and
 * Paraglide's getLocale reads it, so a message function called anywhere while the request is answered
 * (a page, a load, a form's error) speaks the person's language. Work outside a request (emails, texts and
 * reminders sent by the worker) passes the person's stored language explicitly: withLocale.
 *
 * How the language is chosen: a `?lang=` link (the switcher on every public and participant page: a
 * plain link, no JavaScript) sets the cookie and redirects to the same page without it; then the cookie;
 * on a first visit the Accept-Language header; else English. Staff pages, the API and the health checks
 * are always English.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { BASE_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from '$lib/i18n/locales';

export const LANGUAGE_COOKIE = 'ips_lang';
/** A year: the choice outlives a session. It says nothing about the person but their language. */
export const LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

const current = new AsyncLocalStorage<Locale>();
overwriteGetLocale(() => current.getStore() ?? BASE_LOCALE);

/** Runs `work` (and everything it awaits) in `locale`. */
export function withLocale<T>(locale: Locale, work: () => T): T {
	return current.run(locale, work);
}

/** The language of the request or work being done now. */
export function currentLocale(): Locale {
	return current.getStore() ?? BASE_LOCALE;
}

/** Paths always in English: the team's pages, the case systems' API, health checks. */
export function alwaysEnglish(pathname: string): boolean {
	return /^\/(staff|api|healthz|openapi\.json)(\/|$)/i.test(pathname);
}

export interface LanguageRequest {
	pathname: string;
	cookie: string | undefined;
	acceptLanguage: string | null;
}

/** The request's language: English for staff and the API, else the cookie, else Accept-Language, else English. */
export function requestLocale(request: LanguageRequest): Locale {
	if (alwaysEnglish(request.pathname)) return BASE_LOCALE;
	if (isLocale(request.cookie)) return request.cookie;
	return localeFromAcceptLanguage(request.acceptLanguage) ?? BASE_LOCALE;
}
