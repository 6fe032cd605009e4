/**
 * The typed `answers` of event payloads (events/payload.ts, derived in domain/answers-schema.ts) against the
 * question pages: every field is in it, and whatever a page's schema stores parses under it, with null
 * allowed exactly where a page stores null.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answersSchema, CONSENT_KEY } from '../../src/lib/domain/answers-schema';
import { CHECK_PAGES } from '../../src/lib/domain/check-pages';
import type { Field, RawValue, RawValues } from '../../src/lib/domain/fields';
import type { QuestionPage, SchemaContext } from '../../src/lib/domain/question-page';
import { MORE_PAGES, REFER_PAGES } from '../../src/lib/domain/refer-pages';
import { eventAnswersSchema } from '../../src/lib/server/events/payload';
import { EQUALITY_ANSWERS, HEALTH_ANSWERS, minimiseData } from '../../src/lib/server/events/minimise';
import { completeAnswers } from '../support/answers';

const PAGES = [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES];
const CTX: SchemaContext = { today: '2026-11-23', now: () => '2026-11-23T10:00:00.000Z' };
const answers = eventAnswersSchema as unknown as z.ZodObject<Record<string, z.ZodType>>;
const shape = answers.shape;

const withoutConsents = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([k]) => !CONSENT_KEY.test(k)));

/** A valid answer to one field, as a browser sends it. */
function validRaw(field: Field): RawValue {
	switch (field.kind) {
		case 'checkboxes':
			return [field.options.find((o) => !o.exclusive)!.value];
		case 'radios':
			return field.options[0].value;
		case 'date':
			return { day: '15', month: '6', year: '1985' };
		case 'consent':
			return 'yes';
		default: {
			const samples: Record<string, string> = { postcode: 'm1 1ae', phone: '07700 900 982', email: 'Sam@Example.com', nhsNumber: '943 476 5919' };
			return samples[field.name] ?? ' Some words ';
		}
	}
}

function blankRaw(field: Field): RawValue {
	if (field.kind === 'checkboxes') return [];
	if (field.kind === 'date') return { day: '', month: '', year: '' };
	return '';
}

/** Every field answered validly, every field left blank, each field left blank, each option alone, and every option at once. */
function variants(page: QuestionPage): RawValues[] {
	const base: RawValues = Object.fromEntries(page.fields.map((f) => [f.name, validRaw(f)]));
	const out: RawValues[] = [base, Object.fromEntries(page.fields.map((f) => [f.name, blankRaw(f)]))];
	for (const field of page.fields) {
		out.push({ ...base, [field.name]: blankRaw(field) });
		if (field.kind === 'radios') for (const o of field.options) out.push({ ...base, [field.name]: o.value });
		if (field.kind === 'checkboxes') {
			for (const o of field.options) out.push({ ...base, [field.name]: [o.value] });
			out.push({ ...base, [field.name]: field.options.filter((o) => !o.exclusive).map((o) => o.value) });
		}
	}
	return out;
}

describe('the typed answers of event payloads', () => {
	it('has a property for every field a person answers, and none for consents or anything else', () => {
		const fields = PAGES.flatMap((p) => p.fields);
		// Each page's fields, then the answers it derives (the rules engine's, from "Do any of these apply").
		const answerable = PAGES.flatMap((p) => [...p.fields.filter((f) => f.kind !== 'consent'), ...(p.derived ?? [])]).map((f) => f.name);
		expect(Object.keys(shape)).toEqual(answerable);
		expect(Object.keys(shape)).toEqual(expect.arrayContaining(['circumstances', 'notSureAbout', 'secondaryCare', 'otherProgramme', 'rightToWork']));
		// The payload builder leaves consents out by this name pattern: it must match them all and nothing else.
		for (const f of fields) expect(CONSENT_KEY.test(f.name), f.name).toBe(f.kind === 'consent');
		expect(answerable.length).toBeGreaterThan(30);
	});

	it('accepts what every page stores, and allows null exactly where a page stores null', () => {
		let accepted = 0;
		const storesNull = new Set<string>();
		const texts = new Map<string, string[]>();
		for (const page of PAGES) {
			const schema = page.schema(CTX);
			const [base, ...rest] = variants(page);
			const first = schema.safeParse(base);
			expect(first.success, `${page.id}: the test's valid answers are refused: ${JSON.stringify(first.error?.issues)}`).toBe(true);
			for (const raw of [base, ...rest]) {
				const stored = schema.safeParse(raw);
				if (!stored.success) continue;
				accepted++;
				const values = withoutConsents({ ...(stored.data as Record<string, unknown>), ...page.derive?.(stored.data as Record<string, unknown>) });
				for (const k of Object.keys(values)) if (values[k] === undefined) delete values[k];
				for (const [k, v] of Object.entries(values)) {
					if (v === null) storesNull.add(k);
					if (typeof v === 'string') texts.set(k, [...(texts.get(k) ?? []), v]);
				}
				const parsed = eventAnswersSchema.safeParse(values);
				expect(parsed.success, `${page.id} ${JSON.stringify(values)}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
				// Nothing is dropped or changed on the way.
				expect(parsed.data).toEqual(values);
			}
		}
		expect(accepted).toBeGreaterThan(100);
		// The formats the descriptions promise.
		const formats: Record<string, RegExp> = { postcode: /^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/, phone: /^0[0-9]{9,10}$/, email: /^[^A-Z]+$/, nhsNumber: /^[0-9]{10}$/ };
		for (const [name, format] of Object.entries(formats)) {
			expect(texts.get(name)?.length, name).toBeGreaterThan(0);
			for (const v of texts.get(name)!) expect(v, name).toMatch(format);
			expect(String(shape[name].description), name).toMatch(/like|lower case|digits/);
		}
		for (const [name, type] of Object.entries(shape)) expect(type.safeParse(null).success, name).toBe(storesNull.has(name));
		expect([...storesNull].sort()).toEqual(
			[
				'conditionDescription',
				'contactReferrer',
				'dailyImpact',
				'email',
				'employerName',
				'ethnicity',
				'gender',
				'heardFromDetail',
				'interpreterLanguage',
				'jobGoals',
				'jobTitle',
				'nhsNumber',
				'phone',
				'preferredName',
				'pronouns'
			].sort()
		);
	});

	it('types each kind of answer: strings, option values, lists of option values and an ISO date', () => {
		expect(answers.safeParse({ givenName: 'Sam', employment: 'out-of-work', contactChannels: ['phone', 'email'], dateOfBirth: '1985-06-15' }).success).toBe(true);
		const refused = [
			{ employment: 'retired' },
			{ healthCondition: 'maybe' },
			{ contactChannels: ['phone', 'pigeon'] },
			{ contactChannels: 'phone' },
			{ dateOfBirth: '15/06/1985' },
			{ dateOfBirth: '1985-02-30' },
			{ givenName: 42 },
			{ givenName: null },
			{ conditionCategories: null },
			{ heardFrom: 'a-friend' }
		];
		for (const wrong of refused) expect(answers.safeParse(wrong).success, JSON.stringify(wrong)).toBe(false);
	});

	it('leaves out an answer to a question it does not know (a question since removed) instead of refusing the payload', () => {
		const parsed = answers.safeParse({ givenName: 'Sam', favouriteColour: 'green' });
		expect(parsed.success).toBe(true);
		expect(parsed.data).toEqual({ givenName: 'Sam' });
	});

	it('the tests\' stored answers are valid, and stay valid when minimised', () => {
		const full = withoutConsents(completeAnswers({ nhsNumber: '9434765919', dailyImpact: 'a-lot', gender: 'woman' }));
		expect(answers.parse(full)).toEqual(full);
		for (const scopes of [[], ['health'], ['equality']] as const) {
			const data = { answers: structuredClone(full) };
			minimiseData(data, scopes);
			expect(answers.safeParse(data.answers).success).toBe(true);
		}
	});

	it('names every answer minimisation removes, so a renamed question cannot slip past it', () => {
		for (const key of [...HEALTH_ANSWERS, ...EQUALITY_ANSWERS]) expect(Object.keys(shape), key).toContain(key);
		expect(String(shape.nhsNumber.description)).toMatch(/health scope/);
		expect(String(shape.gender.description)).toMatch(/equality scope/);
	});

	it('is listed in docs/webhooks.md, question by question', () => {
		const doc = readFileSync('docs/webhooks.md', 'utf8');
		const section = doc.slice(doc.indexOf('### `data.answers`'), doc.indexOf('### Event types'));
		const listed = new Set([...section.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]));
		for (const name of Object.keys(shape)) expect(listed.has(name), name).toBe(true);
	});

	it('refuses pages it cannot type', () => {
		const page = (fields: Field[], schema: z.ZodType): QuestionPage => ({ id: 'x', flow: 'refer', heading: 'x', summaryLabel: 'x', fields, schema: () => schema });
		const text: Field = { kind: 'text', name: 'x', label: 'X' };
		expect(() => answersSchema([page([text], z.object({ y: z.string() }))])).toThrow(/not in its schema/);
		const radios: Field = { kind: 'radios', name: 'x', label: 'X', options: [{ value: 'a', label: 'A' }] };
		expect(() => answersSchema([page([radios], z.object({ x: z.string() }))])).toThrow(/stores "" when blank/);
		expect(() => answersSchema([page([text], z.object({ x: z.string().transform(() => 0) }))])).toThrow(/stores 0 when blank/);
		// A text stored as "" when blank is still a string.
		expect(answersSchema([page([text], z.object({ x: z.string() }))]).safeParse({ x: '' }).success).toBe(true);
		expect(() => answersSchema([page([text], z.object({ x: z.string().min(1) })), page([text], z.object({ x: z.string().min(1) }))])).toThrow(/more than one page/);
		expect(() => answersSchema([page([{ kind: 'text', name: 'consentX', label: 'X' }], z.object({ consentX: z.string() }))])).toThrow(/named like a consent/);
	});
});
