/**
 * Codes, phone numbers, email addresses and references inside right-to-left text (issue 25): in Urdu each
 * is isolated so it reads left to right (`<bdi>`, or `dir="ltr"` on the element that already holds it).
 * Left-to-right pages (English, Welsh) need no isolation and keep their markup as it was.
 *
 *   {#each bidiParts(m.key, { phone, email }) as part}{#if part.isolate}<bdi>{part.text}</bdi>{:else}{part.text}{/if}{/each}
 *   <a href="tel:…" dir={ltrInRtl()}>{phone}</a>
 *
 * The words keep the language's own order; only the values are isolated.
 */
import { getLocale } from '$lib/paraglide/runtime';
import { LOCALE_INFO, isLocale } from './locales';

const MARK = '\u2063';

export interface BidiPart {
	text: string;
	isolate: boolean;
}

/** True when the request's language is written right to left. */
export function rightToLeft(): boolean {
	const locale = getLocale();
	return isLocale(locale) && LOCALE_INFO[locale].dir === 'rtl';
}

/** `dir="ltr"` for an element holding a code or number on a right-to-left page; no attribute otherwise. */
export function ltrInRtl(): 'ltr' | undefined {
	return rightToLeft() ? 'ltr' : undefined;
}

/** The message cut into its words and its values, the values marked for isolation on a right-to-left page. */
export function bidiParts<K extends string>(message: (inputs: Record<K, string>) => string, values: Record<K, string>): BidiPart[] {
	const names = Object.keys(values) as K[];
	const marked = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`])) as Record<K, string>;
	const isolate = rightToLeft();
	const parts: BidiPart[] = [];
	message(marked)
		.split(MARK)
		.forEach((piece, i) => {
			if (i % 2 === 1) parts.push({ text: values[names[Number(piece)]], isolate });
			else if (piece) parts.push({ text: piece, isolate: false });
		});
	return parts;
}
