/**
 * The words of the question pages (issue 25), gathered from the page definitions themselves, so English
 * stays written once beside the rules it belongs to and the message files cannot drift from it.
 *
 * Every string a person can see on a question page (heading, hint, why, field labels and hints, option
 * labels and hints, "answer words", summary labels) and every error message its schema gives for the
 * inputs people get wrong (empty, not one of the options, too long, a hidden character, each kind of wrong
 * date) is a message in messages/{locale}/questions.json, keyed by `textKey(english)`. Staff labels are not
 * gathered: staff pages stay in English. `npm run i18n:extract` writes the English file;
 * tests/unit/i18n-messages.test.ts fails when it is out of date or any language lacks a message.
 */
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES } from '$lib/domain/journey';
import { withdrawalForm } from '$lib/domain/casework/withdrawal';
import { erasureRequestForm } from '$lib/domain/data-rights';
import { emptyRaw, validate, type Field, type FormDefinition, type RawValues } from '$lib/domain/fields';
import { JOB_PAGES, stillInWorkForm } from '$lib/domain/jobs';
import type { QuestionPage } from '$lib/domain/question-page';
import { PREFERENCE_PAGES, newAddressForm } from '$lib/domain/your-details';
import { textKey } from './text-key';

export { textKey };

/** What is gathered from a page: its fields and schema, and its heading, hint, why and summary label if it has them. */
export type TranslatedPage = Pick<QuestionPage, 'fields' | 'schema'> & Partial<Pick<QuestionPage, 'heading' | 'hint' | 'why' | 'summaryLabel'>>;

/** A form of the person's account, gathered as a page (its heading, when the page has one of its own). */
const formPage = (form: FormDefinition, heading?: string): TranslatedPage => ({ heading, fields: form.fields, schema: () => form.schema });

/**
 * The person's account pages that ask questions: "I have started a job", "Your details" (each contact
 * preference, a new email address or phone number), and the forms to ask for deletion, to withdraw, and to
 * say whether they are still in a job.
 */
export const ACCOUNT_PAGES: readonly TranslatedPage[] = [
	...JOB_PAGES,
	...PREFERENCE_PAGES.map((p): TranslatedPage => ({ heading: p.heading, summaryLabel: p.summaryLabel, fields: p.fields, schema: () => p.form().schema })),
	formPage(newAddressForm('email')),
	formPage(newAddressForm('phone')),
	formPage(erasureRequestForm),
	formPage(withdrawalForm),
	formPage(stillInWorkForm, 'Are you still in this job?')
];

/** The pages whose words are gathered: the checker, the referral, "Tell us more" after sending, and the account's questions. */
export const TRANSLATED_PAGES: readonly TranslatedPage[] = [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES, ...ACCOUNT_PAGES];

const CONTEXT = { today: '2026-06-15', now: () => '2026-06-15T12:00:00.000Z' };
const LONG = 'a'.repeat(5001);

/** Wrong inputs for one field, each alone with every other field empty. */
function wrongInputs(field: Field): RawValues[string][] {
	switch (field.kind) {
		case 'date':
			return [
				{ day: '', month: '', year: '' },
				...[
					['', '1', '1980'],
					['1', '', '1980'],
					['1', '1', ''],
					['', '', '1980'],
					['', '1', ''],
					['1', '', ''],
					['x', '1', '1980'],
					['31', '2', '1980'],
					['1', '1', '2099'],
					['1', '1', '1800']
				].map(([day, month, year]) => ({ day, month, year }))
			];
		case 'checkboxes':
			return [[], ['not-an-option'], ...field.options.filter((o) => o.exclusive).map((o) => [o.value, field.options.find((x) => !x.exclusive)?.value ?? ''])];
		case 'radios':
		case 'select':
			return ['', 'not-an-option'];
		case 'consent':
			return ['', 'no'];
		case 'hidden':
			return [];
		default:
			return ['', 'x', LONG, 'a\u0007b', '12', '99', 'not an email', '0123', '943 476 5919'];
	}
}

function add(into: Set<string>, text: string | undefined) {
	if (text && /[A-Za-z]/.test(text)) into.add(text);
}

/** Every English string the translated pages can show, in a stable order. */
export function questionTexts(): string[] {
	const texts = new Set<string>();
	for (const page of TRANSLATED_PAGES) {
		add(texts, page.heading);
		add(texts, page.hint);
		add(texts, page.why);
		add(texts, page.summaryLabel);
		for (const field of page.fields) {
			if (field.kind === 'hidden') continue;
			add(texts, field.label);
			add(texts, field.hint);
			if ('suffix' in field) add(texts, field.suffix);
			if ('options' in field) for (const option of field.options) (add(texts, option.label), add(texts, option.hint));
			if ('answerWords' in field && field.answerWords) for (const words of Object.values(field.answerWords)) add(texts, words);
		}
		const schema = page.schema(CONTEXT);
		const empty = emptyRaw(page.fields);
		for (const message of Object.values(validate(schema, page.fields, empty).errors)) add(texts, message);
		for (const field of page.fields)
			for (const wrong of wrongInputs(field)) for (const message of Object.values(validate(schema, page.fields, { ...empty, [field.name]: wrong }).errors)) add(texts, message);
	}
	return [...texts].sort();
}

/** The English message file's content: key → English, in key order. */
export function englishQuestionMessages(): Record<string, string> {
	const entries = questionTexts().map((text) => [textKey(text), text] as const);
	entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return Object.fromEntries(entries);
}
