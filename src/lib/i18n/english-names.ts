/**
 * Names that stay in English inside a translated sentence (issue 25): a law's title, a legal reference, a
 * standard ("UK GDPR Article 6(1)(e)", "WCAG 2.2 AA"). The message holds each as a {placeholder}; this cuts the
 * sentence into its words and those names. On a Welsh or Urdu page the names are marked as English (render
 * them with `{...asEnglish()}`: screen readers say them as English, and right-to-left text keeps their
 * brackets and numbers in order). On an English page: the whole sentence as one text, as it always was.
 */
import { getLocale } from '$lib/paraglide/runtime';

const MARK = '\u2063';

export interface NamePart {
	text: string;
	english: boolean;
}

export function englishNames<K extends string>(message: (inputs: Record<K, string>) => string, names: Record<K, string>): NamePart[] {
	if (getLocale() === 'en') return [{ text: message(names), english: false }];
	const keys = Object.keys(names) as K[];
	const marked = Object.fromEntries(keys.map((key, i) => [key, `${MARK}${i}${MARK}`])) as Record<K, string>;
	return message(marked)
		.split(MARK)
		.flatMap((piece, i): NamePart[] => (i % 2 === 1 ? [{ text: names[keys[Number(piece)]], english: true }] : piece ? [{ text: piece, english: false }] : []));
}
