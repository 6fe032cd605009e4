/**
 * The words of a question page in the request's language (issue 25): `t(english)` finds the message
 * keyed by textKey(english) in messages/{locale}/questions.json (compiled by Paraglide JS) and says it in
 * the current locale. English is returned as it is. A string with no message (words made up at run time,
 * such as a programme's name) stays as given; tests/unit/i18n-messages.test.ts holds every gathered string
 * to a message in every language.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { textKey } from './text-key';

type MessageFn = (inputs?: Record<string, never>, options?: { locale?: string }) => string;
const messages = m as unknown as Record<string, MessageFn | undefined>;

export function t(english: string): string;
export function t(english: string | undefined): string | undefined;
export function t(english: string | undefined): string | undefined {
	if (!english) return english;
	const locale = getLocale();
	if (locale === 'en') return english;
	const message = messages[textKey(english)];
	return message ? message({}, { locale }) : english;
}
