import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import {
	CONTROL_CHARACTER_MESSAGE,
	hasControlCharacters,
	isDeliverableAddress,
	choice,
	consent,
	dateOfBirth,
	email,
	errorHref,
	errorList,
	formState,
	isValidNhsNumber,
	multiChoice,
	optionalChoice,
	optionalText,
	postcode,
	rawFromAnswers,
	readRaw,
	requiredText,
	ukPhone,
	validate,
	type Field
} from '../../src/lib/domain/fields';

const TODAY = '2026-11-23';
const NOW = '2026-11-23T10:00:00.000Z';

/** The first issue message of a failed parse. */
function message(schema: z.ZodType, input: unknown): string | undefined {
	const r = schema.safeParse(input);
	expect(r.success).toBe(false);
	return r.error?.issues[0]?.message;
}

/** The schema refuses each of `inputs` with the message `expected`. */
function refuses(schema: z.ZodType, inputs: unknown[], expected: string) {
	for (const input of inputs) expect(message(schema, input), JSON.stringify(input)).toBe(expected);
}

const FIELDS: Field[] = [
	{ kind: 'text', name: 'givenName', label: 'First name' },
	{ kind: 'textarea', name: 'notes', label: 'Notes', maxLength: 100 },
	{ kind: 'radios', name: 'colour', label: 'Colour', options: [{ value: 'red', label: 'Red' }] },
	{ kind: 'checkboxes', name: 'times', label: 'Times', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
	{ kind: 'date', name: 'dateOfBirth', label: 'Date of birth' },
	{ kind: 'consent', name: 'consentX', label: 'I agree', version: 'x-v1' }
];

/** The form values of FIELDS when nothing is filled in. */
const EMPTY_RAW = { givenName: '', notes: '', colour: '', times: [], dateOfBirth: { day: '', month: '', year: '' }, consentX: '' };

describe('requiredText', () => {
	const s = requiredText('Enter your first name', 5, 'Too long');
	it('trims and accepts text', () => {
		expect(s.parse('  Ann ')).toBe('Ann');
	});
	it('says what to do when empty or blank', () => {
		expect(message(s, '')).toBe('Enter your first name');
		expect(message(s, '   ')).toBe('Enter your first name');
	});
	it('says when it is too long', () => {
		expect(message(s, 'Annabel')).toBe('Too long');
		expect(s.parse('Annab')).toBe('Annab');
	});
});

describe('optionalText', () => {
	const s = optionalText(5, 'Too long');
	it('turns blank into null', () => {
		expect(s.parse('')).toBeNull();
		expect(s.parse('   ')).toBeNull();
	});
	it('trims text', () => {
		expect(s.parse(' she ')).toBe('she');
	});
	it('says when it is too long', () => {
		expect(message(s, '123456')).toBe('Too long');
	});
});

describe('choice and optionalChoice', () => {
	const c = choice(['yes', 'no'] as const, 'Select yes or no');
	const o = optionalChoice(['yes', 'no'] as const, 'Select an answer');
	it('accepts listed values', () => {
		expect(c.parse('yes')).toBe('yes');
		expect(o.parse('no')).toBe('no');
	});
	it('rejects empty and unlisted values for a required choice', () => {
		refuses(c, ['', 'maybe'], 'Select yes or no');
	});
	it('allows empty for an optional choice, but not unlisted values', () => {
		expect(o.parse('')).toBeNull();
		expect(message(o, 'maybe')).toBe('Select an answer');
	});
});

describe('multiChoice', () => {
	const required = multiChoice(['a', 'b', 'c'] as const, 'Select from the list', 'Select at least one');
	const optional = multiChoice(['a', 'b', 'c'] as const, 'Select from the list');
	it('accepts listed values and removes duplicates', () => {
		expect(required.parse(['a', 'c', 'a'])).toEqual(['a', 'c']);
	});
	it('rejects unlisted values', () => {
		refuses(required, [['a', 'z']], 'Select from the list');
		refuses(optional, [['z']], 'Select from the list');
	});
	it('needs at least one when given an empty message', () => {
		expect(message(required, [])).toBe('Select at least one');
		expect(optional.parse([])).toEqual([]);
	});
});

describe('postcode', () => {
	const s = postcode();
	it('normalises a postcode', () => {
		expect(s.parse(' m1 1ae ')).toBe('M1 1AE');
		expect(s.parse('sk146aa')).toBe('SK14 6AA');
	});
	it('asks for a postcode when empty', () => {
		refuses(s, ['', '  '], 'Enter your postcode');
	});
	it('asks for a real postcode', () => {
		expect(message(s, 'Manchester')).toBe('Enter a real postcode, like M1 1AE');
	});
});

describe('email', () => {
	const optional = email(null);
	const required = email('Enter your email address');
	it('lower-cases and trims', () => {
		expect(optional.parse(' Ann@Example.COM ')).toBe('ann@example.com');
	});
	it('is null when blank and optional', () => {
		expect(optional.parse('')).toBeNull();
	});
	it('asks for it when blank and required', () => {
		expect(message(required, '')).toBe('Enter your email address');
	});
	it('rejects a bad format', () => {
		refuses(optional, ['ann', 'ann@', 'ann@example', 'ann @example.com', '@example.com'], 'Enter an email address in the correct format, like name@example.com');
	});
	it('rejects more than 254 characters', () => {
		expect(message(optional, `${'a'.repeat(250)}@example.com`)).toBe('Email address must be 254 characters or fewer');
	});
});

describe('ukPhone', () => {
	const s = ukPhone();
	it('accepts UK numbers and stores them compactly', () => {
		expect(s.parse('07700 900 982')).toBe('07700900982');
		expect(s.parse('0161 496 0000')).toBe('01614960000');
		expect(s.parse('(0161) 496-0000')).toBe('01614960000');
		expect(s.parse('+44 7700 900982')).toBe('07700900982');
		expect(s.parse('+44 (0)161 496 0000')).toBe('01614960000');
	});
	it('accepts 10-digit numbers starting with 0', () => {
		expect(s.parse('016977 4321')).toBe('0169774321');
	});
	it('is null when blank', () => {
		expect(s.parse('')).toBeNull();
		expect(s.parse('   ')).toBeNull();
	});
	it('rejects numbers that are not UK numbers', () => {
		refuses(s, ['12345', '7700900982', '+1 212 555 0100', '077009', '077009009822', 'phone me'], 'Enter a UK phone number, like 07700 900 982 or 0161 496 0000');
	});
	it('rejects more than 30 characters', () => {
		expect(message(s, '0'.repeat(31))).toBe('Phone number must be 30 characters or fewer');
	});
});

describe('dateOfBirth', () => {
	const s = dateOfBirth(TODAY);
	const dob = (day: string, month: string, year: string) => ({ day, month, year });
	it('gives an ISO date', () => {
		expect(s.parse(dob('27', '3', '1985'))).toBe('1985-03-27');
		expect(s.parse(dob(' 7 ', '03', '1985'))).toBe('1985-03-07');
		expect(s.parse(dob('29', '2', '2000'))).toBe('2000-02-29');
	});
	it('asks for a date when every box is empty', () => {
		expect(message(s, dob('', '', ''))).toBe('Enter your date of birth');
		expect(message(s, dob(' ', ' ', ' '))).toBe('Enter your date of birth');
	});
	it('says which parts are missing', () => {
		expect(message(s, dob('27', '', '1985'))).toBe('Date of birth must include a month');
		expect(message(s, dob('', '', '1985'))).toBe('Date of birth must include a day and month');
		expect(message(s, dob('27', '3', ''))).toBe('Date of birth must include a year');
		expect(message(s, dob('27', '', ''))).toBe('Date of birth must include a month and year');
	});
	it('asks for a real date', () => {
		const real = 'Date of birth must be a real date, like 27 3 1985';
		expect(message(s, dob('31', '2', '1985'))).toBe(real);
		expect(message(s, dob('29', '2', '2001'))).toBe(real);
		expect(message(s, dob('1', '13', '1985'))).toBe(real);
		expect(message(s, dob('0', '1', '1985'))).toBe(real);
		expect(message(s, dob('x', '1', '1985'))).toBe(real);
		expect(message(s, dob('1', '1', '85'))).toBe(real);
		expect(message(s, dob('123', '1', '1985'))).toBe(real);
	});
	it('must be in the past', () => {
		expect(message(s, dob('23', '11', '2026'))).toBe('Date of birth must be in the past');
		expect(message(s, dob('1', '1', '2030'))).toBe('Date of birth must be in the past');
		expect(s.parse(dob('22', '11', '2026'))).toBe('2026-11-22');
	});
	it('checks a very old year', () => {
		expect(message(s, dob('1', '1', '1900'))).toBe('Check the year of your date of birth');
		expect(s.parse(dob('1', '1', '1906'))).toBe('1906-01-01');
	});
});

describe('consent', () => {
	const required = consent('v1', 'Tick the box', () => NOW);
	const optional = consent('v2', null, () => NOW);
	it('records the version and time when given', () => {
		expect(required.parse('yes')).toEqual({ given: true, version: 'v1', at: NOW });
	});
	it('asks for a required consent', () => {
		expect(message(required, '')).toBe('Tick the box');
	});
	it('records a refusal of an optional consent', () => {
		expect(optional.parse('')).toEqual({ given: false, version: 'v2', at: NOW });
		expect(optional.parse('on')).toEqual({ given: false, version: 'v2', at: NOW });
	});
});

describe('isValidNhsNumber', () => {
	it('accepts a number with the right check digit', () => {
		expect(isValidNhsNumber('9434765919')).toBe(true);
		expect(isValidNhsNumber('4010232137')).toBe(true);
	});
	it('rejects a wrong check digit', () => {
		expect(isValidNhsNumber('9434765918')).toBe(false);
		expect(isValidNhsNumber('4010232138')).toBe(false);
	});
	it('rejects numbers whose check digit would be 10', () => {
		expect(isValidNhsNumber('1000000010')).toBe(false); // sum 10 + 2 = 12 -> check 10
	});
	it('accepts a check digit of 0 (remainder 0)', () => {
		// 0000000000: sum 0 -> 11 -> 0
		expect(isValidNhsNumber('0000000000')).toBe(true);
	});
	it('rejects anything that is not 10 digits', () => {
		for (const bad of ['943476591', '94347659190', '943 476 5919', '943476591a', '']) expect(isValidNhsNumber(bad)).toBe(false);
	});
});

describe('readRaw', () => {
	it('reads each kind of field from form data', () => {
		const form = new FormData();
		form.set('givenName', 'Ann');
		form.set('notes', 'hello');
		form.set('colour', 'red');
		form.append('times', 'a');
		form.append('times', 'b');
		form.set('dateOfBirth-day', '27');
		form.set('dateOfBirth-month', '3');
		form.set('dateOfBirth-year', '1985');
		form.set('consentX', 'yes');
		form.set('unlisted', 'ignored');
		expect(readRaw(FIELDS, form)).toEqual({
			givenName: 'Ann',
			notes: 'hello',
			colour: 'red',
			times: ['a', 'b'],
			dateOfBirth: { day: '27', month: '3', year: '1985' },
			consentX: 'yes'
		});
	});
	it('gives empty values for missing fields', () => {
		expect(readRaw(FIELDS, new FormData())).toEqual(EMPTY_RAW);
	});
	it('caps the size of what it reads', () => {
		const form = new FormData();
		form.set('givenName', 'x'.repeat(20_000));
		for (let i = 0; i < 60; i++) form.append('times', 'a');
		form.set('dateOfBirth-year', '1'.repeat(50));
		const raw = readRaw(FIELDS, form);
		expect((raw.givenName as string).length).toBe(10_000);
		expect((raw.times as string[]).length).toBe(50);
		expect((raw.dateOfBirth as { year: string }).year).toBe('1'.repeat(10));
	});
});

describe('rawFromAnswers', () => {
	it('turns stored answers back into form values', () => {
		expect(
			rawFromAnswers(FIELDS, {
				givenName: 'Ann',
				notes: null,
				colour: 'red',
				times: ['a'],
				dateOfBirth: '1985-03-07',
				consentX: { given: true, version: 'x-v1', at: NOW }
			})
		).toEqual({
			givenName: 'Ann',
			notes: '',
			colour: 'red',
			times: ['a'],
			dateOfBirth: { day: '7', month: '3', year: '1985' },
			consentX: 'yes'
		});
	});
	it('keeps two-digit days and months', () => {
		expect(rawFromAnswers(FIELDS, { dateOfBirth: '1985-12-10' }).dateOfBirth).toEqual({ day: '10', month: '12', year: '1985' });
	});
	it('gives empty values when nothing was answered', () => {
		expect(rawFromAnswers(FIELDS, {})).toEqual(EMPTY_RAW);
	});
	it('shows a refused consent as unticked', () => {
		expect(rawFromAnswers(FIELDS, { consentX: { given: false, version: 'x-v1', at: NOW } }).consentX).toBe('');
	});
	it('round-trips through the date schema', () => {
		const raw = rawFromAnswers(FIELDS, { dateOfBirth: '1985-03-07' });
		expect(dateOfBirth(TODAY).parse(raw.dateOfBirth)).toBe('1985-03-07');
	});
});

describe('validate', () => {
	const fields: Field[] = [
		{ kind: 'text', name: 'givenName', label: 'First name' },
		{ kind: 'text', name: 'familyName', label: 'Last name' },
		{ kind: 'date', name: 'dateOfBirth', label: 'Date of birth' }
	];
	const schema = z.object({
		givenName: requiredText('Enter your first name', 100, 'Too long'),
		familyName: requiredText('Enter your last name', 100, 'Too long'),
		dateOfBirth: dateOfBirth(TODAY)
	});

	it('returns the parsed values when valid', () => {
		const r = validate(schema, fields, { givenName: ' Ann ', familyName: 'Lee', dateOfBirth: { day: '27', month: '3', year: '1985' } });
		expect(r).toEqual({ ok: true, values: { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1985-03-27' }, errors: {} });
	});

	it('returns one message per field, in field order', () => {
		const r = validate(schema, fields, { dateOfBirth: { day: '', month: '', year: '' }, familyName: '', givenName: '' });
		expect(r.ok).toBe(false);
		expect(r.values).toEqual({});
		expect(Object.entries(r.errors)).toEqual([
			['givenName', 'Enter your first name'],
			['familyName', 'Enter your last name'],
			['dateOfBirth', 'Enter your date of birth']
		]);
	});

	it('only reports fields that are wrong', () => {
		const r = validate(schema, fields, { givenName: 'Ann', familyName: '', dateOfBirth: { day: '27', month: '3', year: '1985' } });
		expect(r.errors).toEqual({ familyName: 'Enter your last name' });
	});

	it('keeps errors for keys that are not fields, after the fields', () => {
		const s = z.object({ a: z.string().min(1, 'Enter a') }).superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', path: ['other'], message: 'Other problem' }));
		const r = validate(s, [{ kind: 'text', name: 'a', label: 'A' }], { a: 'x' });
		expect(r.errors).toEqual({ other: 'Other problem' });
	});

	it('puts form-level issues on the first field', () => {
		const s = z.object({ a: z.string() }).refine(() => false, 'Whole form is wrong');
		const r = validate(s, [{ kind: 'text', name: 'a', label: 'A' }], { a: 'x' });
		expect(r.errors).toEqual({ a: 'Whole form is wrong' });
	});
});

describe('errorHref and errorList', () => {
	it('links to the field, or the day box of a date', () => {
		expect(errorHref(FIELDS, 'givenName')).toBe('#givenName');
		expect(errorHref(FIELDS, 'dateOfBirth')).toBe('#dateOfBirth-day');
		expect(errorHref(FIELDS, 'unknown')).toBe('#unknown');
	});
	it('lists errors with their links', () => {
		expect(errorList(FIELDS, { dateOfBirth: 'Enter your date of birth', givenName: 'Enter your first name' })).toEqual([
			{ href: '#dateOfBirth-day', message: 'Enter your date of birth' },
			{ href: '#givenName', message: 'Enter your first name' }
		]);
	});
});

describe('control characters (security probe: a NUL byte reached the database and the log)', () => {
	const CONTROLS = [...Array.from({ length: 32 }, (_, i) => i).filter((i) => ![9, 10, 13].includes(i)), 127].map((c) => String.fromCharCode(c));
	it.each(CONTROLS.map((c) => [c.charCodeAt(0)]))('refuses U+%s in every text builder with a clear message', (code) => {
		const c = String.fromCharCode(code);
		for (const schema of [requiredText('Enter it', 100, 'Too long'), optionalText(100, 'Too long'), email('Enter an email'), ukPhone(), postcode()]) {
			const parsed = schema.safeParse(`Ali${c}ce`);
			expect(parsed.success).toBe(false);
			if (!parsed.success) expect(parsed.error.issues.map((i) => i.message)).toContain(CONTROL_CHARACTER_MESSAGE);
		}
	});
	it('accepts tab, new lines and any other unicode', () => {
		expect(optionalText(100, 'Too long').parse('one\ttwo\r\nthree\nZoë 李 👍 \u200f')).toBe('one\ttwo\r\nthree\nZoë 李 👍 \u200f');
		expect(hasControlCharacters('a\u0000b')).toBe(true);
		expect(hasControlCharacters('a\u007fb')).toBe(true);
		expect(hasControlCharacters('plain\ttext\n')).toBe(false);
	});
	it('puts the message beside the field on a question page', () => {
		const fields: Field[] = [{ kind: 'text', name: 'givenName', label: 'Given name' }];
		const result = validate(z.object({ givenName: requiredText('Enter your given name', 100, 'Too long') }), fields, { givenName: 'Ali\u0000ce' });
		expect(result.errors).toEqual({ givenName: CONTROL_CHARACTER_MESSAGE });
	});
});

describe('email addresses are read the way the mail library will send them', () => {
	it.each([
		'a<b>@c.zz',
		'grp:victim@evil.zz;',
		'a@b.zz, c@d.zz',
		'"x y"@ex.com',
		'a(b)@c.zz',
		'Name <n@x.zz>',
		'a@b.zz;c@d.zz',
		'a\\b@c.zz',
		'a@[127.0.0.1]'
	])('refuses %s', (value) => {
		expect(isDeliverableAddress(value)).toBe(false);
		expect(email('Enter an email').safeParse(value).success).toBe(false);
	});
	it.each(['name@example.com', 'first.last+tag@sub.example.co.uk', "o'neil@example.org", 'x_y-z@ex.io'])('accepts %s', (value) => {
		expect(isDeliverableAddress(value)).toBe(true);
		expect(email('Enter an email').parse(value)).toBe(value.toLowerCase());
	});
});

describe('formState', () => {
	const fields: Field[] = [
		{ kind: 'text', name: 'name', label: 'Name' },
		{ kind: 'date', name: 'since', label: 'Since' }
	];
	it('starts empty, or with the values given, when nothing has been sent', () => {
		expect(formState(fields, null)).toEqual({ values: { name: '', since: { day: '', month: '', year: '' } }, errors: {}, list: [] });
		expect(formState(fields, undefined, { name: 'Sam' }).values).toEqual({ name: 'Sam' });
	});
	it('shows what was sent back with its messages, linked to the first box of each field', () => {
		const sent = { values: { name: 'x' }, errors: { since: 'Enter a date', name: 'Too short' } };
		const state = formState(fields, sent, { name: 'ignored' }, 'replay-');
		expect(state.values).toEqual({ name: 'x' });
		expect(state.errors).toEqual(sent.errors);
		expect(state.list).toEqual([
			{ href: '#replay-since-day', message: 'Enter a date' },
			{ href: '#replay-name', message: 'Too short' }
		]);
	});
});
