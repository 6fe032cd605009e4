/**
 * The typed answers a referral carries to case systems (`data.answers` in events/payload.ts), derived from
 * the question pages so a question added, changed or removed there changes it too. One optional property
 * per field a person answers (consent fields travel under `consents` instead), typed from the field:
 *
 * - text and textarea: a string; radios (and select): one of its options' values; checkboxes: a list of
 *   its options' values; date: an ISO date (YYYY-MM-DD);
 * - nullable when the page's own schema stores null for the field left blank (optionalText,
 *   optionalChoice, ukPhone, email(null), the NHS number): found by parsing a blank answer with it.
 *
 * Every property is optional: a page can be skipped (`showIf`), and minimisation removes some (events/minimise.ts).
 * Removing a question's option (or a source from `askable`) makes the stored answers of earlier referrals
 * fail this schema, so their later events could not be built: keep the value, or migrate the stored answers.
 */
import { z } from 'zod';
import type { Field } from './fields';
import type { QuestionPage, SchemaContext } from './question-page';

/** Consent fields' names: the payload builder leaves these keys out of `answers`. */
export const CONSENT_KEY = /^consent[A-Z]/;

/** Any fixed context: only blank answers are parsed with it. */
const PROBE: SchemaContext = { today: '2000-01-01', now: () => '2000-01-01T00:00:00.000Z' };

/** A field left blank, as a browser sends it. */
function blankRaw(field: Field): unknown {
	if (field.kind === 'checkboxes') return [];
	if (field.kind === 'date') return { day: '', month: '', year: '' };
	return '';
}

/** What the page's own schema stores for this field left blank: null, something else, or nothing (refused). */
function storedWhenBlank(page: QuestionPage, field: Field): { value: unknown } | null {
	const schema = page.schema(PROBE);
	if (!(schema instanceof z.ZodObject)) throw new Error(`Page ${page.id}: its schema must be a z.object to type its answers`);
	const own = (schema.shape as Record<string, z.ZodType>)[field.name];
	if (!own) throw new Error(`Page ${page.id}: field ${field.name} is not in its schema`);
	const parsed = own.safeParse(blankRaw(field));
	return parsed.success ? { value: parsed.data } : null;
}

function optionValues(page: QuestionPage, field: Field & { options: { value: string }[] }): [string, ...string[]] {
	const values = field.options.map((o) => o.value).filter((v) => v !== '');
	if (!values.length) throw new Error(`Page ${page.id}: field ${field.name} has no options`);
	return values as [string, ...string[]];
}

/** One answer's type and what it means. `note` adds to the description (like who may receive it). */
function answerType(page: QuestionPage, field: Field, note: string | undefined): { type: z.ZodType; description: string } {
	const blank = storedWhenBlank(page, field);
	const nullable = blank !== null && blank.value === null;
	const extra = `${page.showIf ? ' Only asked of some people.' : ''}${note ? ` ${note}` : ''}`;
	const about = (what: string) => `"${field.label}": ${what}.${extra}`;
	const unexpected = () => new Error(`Page ${page.id}: field ${field.name} stores ${JSON.stringify(blank?.value)} when blank; type it in answers-schema.ts`);
	switch (field.kind) {
		case 'text':
		case 'textarea':
			if (blank && blank.value !== null && typeof blank.value !== 'string') throw unexpected();
			return nullable
				? { type: z.string().nullable(), description: about('text; null when left blank') }
				: { type: z.string(), description: about('text') };
		case 'radios':
		case 'select': {
			if (blank && blank.value !== null) throw unexpected();
			const values = z.enum(optionValues(page, field));
			return nullable
				? { type: values.nullable(), description: about('the value of the option chosen; null when not answered') }
				: { type: values, description: about('the value of the option chosen') };
		}
		case 'checkboxes':
			if (blank && !(Array.isArray(blank.value) && blank.value.length === 0)) throw unexpected();
			return {
				type: z.array(z.enum(optionValues(page, field))),
				description: about(`the values of every option ticked, each once${blank ? '; empty when none was' : ''}`)
			};
		case 'date':
			if (blank) throw unexpected();
			return { type: z.iso.date(), description: about('a date, YYYY-MM-DD') };
		default:
			throw new Error(`Page ${page.id}: field ${field.name} (${field.kind}) has no answer type`);
	}
}

/**
 * The answers object for these pages: every non-consent field, in page order. Not strict: a receiver's copy
 * of the JSON Schema must keep accepting events when a question is added (docs/webhooks.md), and answers
 * to a question since removed are left out of the payload rather than stopping its events.
 */
export function answersSchema(pages: readonly QuestionPage[], note: (name: string) => string | undefined = () => undefined) {
	const shape: Record<string, z.ZodOptional<z.ZodType>> = {};
	for (const page of pages) {
		for (const field of page.fields) {
			if (field.kind === 'consent') {
				if (!CONSENT_KEY.test(field.name)) throw new Error(`Page ${page.id}: consent field ${field.name} must be named consent…`);
				continue;
			}
			if (CONSENT_KEY.test(field.name)) throw new Error(`Page ${page.id}: field ${field.name} is named like a consent but is not one`);
			if (field.name in shape) throw new Error(`Field ${field.name} is on more than one page`);
			const { type, description } = answerType(page, field, note(field.name));
			shape[field.name] = type.optional().describe(description);
		}
		// Answers the page sets from its own (the rules engine's, from the combined checker page).
		for (const field of page.derived ?? []) {
			if (field.kind !== 'radios') throw new Error(`Page ${page.id}: derived field ${field.name} must be radios`);
			if (field.name in shape) throw new Error(`Field ${field.name} is on more than one page`);
			const extra = note(field.name);
			shape[field.name] = z
				.enum(optionValues(page, field))
				.optional()
				.describe(`"${field.label}": the value of the option that applies, from the answers on this page.${extra ? ` ${extra}` : ''}`);
		}
	}
	return z.object(shape);
}
