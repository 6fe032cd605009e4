/**
 * The languages a participant can use (issue 25). Staff pages stay in English. The message files are
 * messages/{locale}/*.json, compiled by Paraglide JS into src/lib/paraglide; this module holds what the
 * rest of the code needs to know about each language, with no import of the compiled messages.
 */
export const LOCALES = ['en', 'cy', 'ur'] as const;
export type Locale = (typeof LOCALES)[number];
export const BASE_LOCALE: Locale = 'en';

interface LocaleInfo {
	/** The language's own name, as the switcher shows it. */
	own: string;
	/** Its name in English, as staff read it. */
	english: string;
	/** BCP 47, for `<html lang>` and the event payload. */
	tag: string;
	dir: 'ltr' | 'rtl';
}

export const LOCALE_INFO: Record<Locale, LocaleInfo> = {
	en: { own: 'English', english: 'English', tag: 'en-GB', dir: 'ltr' },
	cy: { own: 'Cymraeg', english: 'Welsh', tag: 'cy', dir: 'ltr' },
	ur: { own: 'اردو', english: 'Urdu', tag: 'ur', dir: 'rtl' }
};

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** The stored language of a referral (a BCP 47 tag or null before languages) as a locale. */
export function localeOfTag(tag: string | null | undefined): Locale {
	if (!tag) return BASE_LOCALE;
	const primary = tag.toLowerCase().split('-')[0];
	return isLocale(primary) ? primary : BASE_LOCALE;
}

/**
 * The first language of an Accept-Language header that the portal speaks (by quality, then order), or
 * null. "cy-GB" counts as Welsh; English in any region as English.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.slice(0, 20)
		.map((part, index) => {
			const [range, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const quality = q ? Number(q.slice(2)) : 1;
			return { primary: range.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index };
		})
		.filter((r) => r.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.index - b.index);
	for (const r of ranked) if (isLocale(r.primary)) return r.primary;
	return null;
}
