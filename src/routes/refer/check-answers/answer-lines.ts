/**
 * Check your answers in the person's language (issue 25). describeAnswer (domain/journey.ts) says each
 * answer in English; here another language gets the same lines in its own words.
 */
import { describeAnswer, type QuestionPage } from '$lib/domain/journey';
import { CONSENT_PERSON_LABELS, type ConsentKind } from '$lib/domain/consents';
import type { Field } from '$lib/domain/fields';
import { formatDate } from '$lib/domain/uk-time';
import { localDate } from '$lib/i18n/locale-dates';
import { t } from '$lib/i18n/t';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

/** The page with its words in the request's language (t() gives English back in English). */
function inLanguage(page: QuestionPage): QuestionPage {
	const field = (f: Field): Field => {
		if (f.kind === 'hidden') return f;
		if (f.kind === 'radios')
			return {
				...f,
				label: t(f.label),
				options: f.options.map((o) => ({ ...o, label: t(o.label) })),
				answerWords: f.answerWords && Object.fromEntries(Object.entries(f.answerWords).map(([value, words]) => [value, t(words)]))
			};
		if (f.kind === 'checkboxes' || f.kind === 'select') return { ...f, label: t(f.label), options: f.options.map((o) => ({ ...o, label: t(o.label) })) };
		return { ...f, label: t(f.label) };
	};
	return { ...page, fields: page.fields.map(field) };
}

const CONSENT_WORDS: Record<ConsentKind, () => string> = {
	processing: m.j_consent_processing,
	referrerUpdates: m.j_consent_referrer_updates,
	evaluation: m.j_consent_evaluation,
	textReminders: m.j_consent_text_reminders,
	nhsNumber: m.j_consent_nhs_number
};
const consentWords = (english: string) => {
	const kind = (Object.keys(CONSENT_PERSON_LABELS) as ConsentKind[]).find((k) => CONSENT_PERSON_LABELS[k] === english);
	return kind ? CONSENT_WORDS[kind]() : english;
};

/**
 * How an answer reads on check your answers, in the person's language. English is describeAnswer's own;
 * another language reads the page in that language through describeAnswer, then says in it the few words
 * describeAnswer adds itself: "Not given", "Yes"/"No" (with a consent's short name), the consents' short
 * names and dates. A list of ticked options is joined with the language's comma.
 */
export function answerLines(page: QuestionPage, answers: Readonly<Record<string, unknown>>): string[] {
	const locale = getLocale();
	if (locale === 'en') return describeAnswer(page, answers);
	const translated = inLanguage(page);
	const swap = new Map<string, string>();
	for (const f of translated.fields) {
		const value = answers[f.name];
		if (f.kind === 'date' && typeof value === 'string' && value) swap.set(formatDate(value), localDate(value));
		if (f.kind === 'checkboxes' && Array.isArray(value) && value.length > 1) {
			const words = value.map((v) => f.options.find((o) => o.value === v)?.label ?? String(v));
			swap.set(words.join(', '), words.join(locale === 'ur' ? '، ' : ', '));
		}
	}
	return describeAnswer(translated, answers).map((line) => {
		if (line === 'Not given') return m.j_answer_not_given();
		if (line === 'Yes' || line === 'No') return t(line);
		const swapped = swap.get(line);
		if (swapped !== undefined) return swapped;
		const consent = /^(Yes|No): (.+)$/s.exec(line);
		if (consent) return (consent[1] === 'Yes' ? m.j_answer_yes_to : m.j_answer_no_to)({ consent: consentWords(consent[2]) });
		return consentWords(line);
	});
}
