/**
 * Attributes for words that stay in English on a page in another language: a provider's own data
 * (programme names, areas, summaries) or text not translated yet. Marked `lang="en-GB"` (and left to right),
 * so screen readers say them as English and right-to-left pages do not reorder them. Nothing on English pages.
 */
import { getLocale } from '$lib/paraglide/runtime';

export function asEnglish(): { lang?: string; dir?: 'ltr' } {
	return getLocale() === 'en' ? {} : { lang: 'en-GB', dir: 'ltr' };
}
