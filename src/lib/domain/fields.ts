/**
 * Field definitions shared by the question pages (for rendering) and the server (for zod validation).
 * Error messages follow the GOV.UK pattern: say what to do, e.g. "Enter your postcode".
 */
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { z } from 'zod';
import { normalisePostcode } from './postcode';

export interface Option {
	value: string;
	label: string;
	hint?: string;
	/**
	 * The hint in pieces, shown instead of `hint` when given: a piece with `lang` is marked as that language
	 * (a provider's own words, such as a venue's address, inside a hint on a page in Welsh or Urdu).
	 */
	hintParts?: { text: string; lang?: string }[];
	/** A "none" or "prefer not to say" checkbox that clears the others. */
	exclusive?: boolean;
	/** A machine name shown before the label in code style, like an event type. */
	code?: string;
	/** The answer as staff read it, when the label is the person's own words ("I prefer not to say"). */
	staffLabel?: string;
}

interface BaseField {
	name: string;
	label: string;
	hint?: string;
}

export interface TextField extends BaseField {
	kind: 'text';
	type?: 'text' | 'email' | 'tel' | 'url' | 'date' | 'datetime-local';
	autocomplete?: string;
	inputmode?: 'text' | 'email' | 'tel' | 'numeric' | 'url';
	width?: 'short' | 'medium' | 'long';
	spellcheck?: boolean;
	/** Words after the box, like "working days" (hidden from screen readers: say it in the label or hint). */
	suffix?: string;
	/** For date and time boxes: "1" offers seconds. */
	step?: string;
}
/** A password box: what was typed is never sent back to the browser. */
export interface PasswordField extends BaseField {
	kind: 'password';
	autocomplete: 'new-password' | 'current-password';
}
export interface TextareaField extends BaseField {
	kind: 'textarea';
	rows?: number;
	maxLength?: number;
}
export interface RadiosField extends BaseField {
	kind: 'radios';
	options: Option[];
	/** How each answer reads on check your answers when the page has other questions too ("No letters"). */
	answerWords?: Record<string, string>;
	/** Two short choices side by side, like Yes and No. */
	inline?: boolean;
}
/** A drop-down list; put the "nothing chosen" choice (value "") first when there is one. */
export interface SelectField extends BaseField {
	kind: 'select';
	options: Option[];
}
/** A value the form carries back unseen, like the version a form was opened at. */
export interface HiddenField {
	kind: 'hidden';
	name: string;
	label?: undefined;
	hint?: undefined;
}
export interface CheckboxesField extends BaseField {
	kind: 'checkboxes';
	options: Option[];
}
export interface DateField extends BaseField {
	kind: 'date';
	/** autocomplete prefix, e.g. "bday" */
	autocomplete?: 'bday';
}
/** A single consent statement, ticked to agree. `version` is stored with the answer. */
export interface ConsentField extends BaseField {
	kind: 'consent';
	version: string;
}

export type Field = TextField | PasswordField | TextareaField | RadiosField | CheckboxesField | SelectField | DateField | ConsentField | HiddenField;

/** A form: the fields it draws and the zod schema (with the messages people see) its answers must pass. */
export interface FormDefinition<S extends z.ZodType = z.ZodType> {
	fields: Field[];
	schema: S;
}

export type FormResult<T> = { ok: true; values: T; raw: RawValues } | { ok: false; raw: RawValues; errors: Record<string, string> };

/** Reads a form's fields (from a posted form or a GET form's query) and checks them with its schema. */
export function parseFormData<S extends z.ZodType>(form: FormDefinition<S>, data: FormData | URLSearchParams): FormResult<z.output<S>> {
	return validateRaw(form, readRaw(form.fields, data));
}

/** Checks values already read (a form's, or the same names given on the command line) with the form's schema. */
export function validateRaw<S extends z.ZodType>(form: FormDefinition<S>, raw: RawValues): FormResult<z.output<S>> {
	const result = validate(form.schema, form.fields, raw);
	return result.ok ? { ok: true, values: result.values as z.output<S>, raw } : { ok: false, raw, errors: result.errors };
}

/** The values a form starts with: every field empty. */
export function emptyRaw(fields: Field[]): RawValues {
	return rawFromAnswers(fields, {});
}

/** What a browser sends for one field: a string, several strings (checkboxes), or the parts of a date. */
export type RawValue = string | string[] | { day: string; month: string; year: string };
export type RawValues = Record<string, RawValue>;

export function readRaw(fields: Field[], form: FormData | URLSearchParams): RawValues {
	const raw: RawValues = {};
	for (const field of fields) {
		if (field.kind === 'checkboxes') {
			raw[field.name] = form.getAll(field.name).map(String).slice(0, 50);
		} else if (field.kind === 'date') {
			raw[field.name] = {
				day: String(form.get(`${field.name}-day`) ?? '').slice(0, 10),
				month: String(form.get(`${field.name}-month`) ?? '').slice(0, 10),
				year: String(form.get(`${field.name}-year`) ?? '').slice(0, 10)
			};
		} else {
			raw[field.name] = String(form.get(field.name) ?? '').slice(0, 10_000);
		}
	}
	return raw;
}

/** Turns stored answers back into what the form shows. */
export function rawFromAnswers(fields: Field[], answers: Record<string, unknown>): RawValues {
	const raw: RawValues = {};
	for (const field of fields) {
		const value = answers[field.name];
		if (field.kind === 'password') raw[field.name] = '';
		else if (field.kind === 'checkboxes') raw[field.name] = Array.isArray(value) ? value.map(String) : [];
		else if (field.kind === 'date') {
			const [year = '', month = '', day = ''] = typeof value === 'string' ? value.split('-') : [];
			raw[field.name] = { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
		} else if (field.kind === 'consent') raw[field.name] = isGiven(value) ? 'yes' : '';
		else raw[field.name] = value == null ? '' : String(value);
	}
	return raw;
}

function isGiven(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as { given?: unknown }).given === true;
}

// ---- zod builders -------------------------------------------------------------------------------

/** Control characters other than tab, line feed and carriage return (which textareas send). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const CONTROL_CHARACTER_MESSAGE = 'Your answer has a hidden character in it that we cannot accept. Type it again instead of pasting it';

export function hasControlCharacters(value: string): boolean {
	return CONTROL.test(value);
}

/** Every text a person types goes through this: control characters are refused with a clear message. */
export const text = () => z.string().refine((v) => !CONTROL.test(v), CONTROL_CHARACTER_MESSAGE);

const str = text();

export const requiredText = (empty: string, max: number, tooLong: string) =>
	str.trim().min(1, empty).max(max, tooLong);

export const optionalText = (max: number, tooLong: string) =>
	str
		.trim()
		.max(max, tooLong)
		.transform((v) => (v === '' ? null : v));

export const choice = <T extends string>(values: readonly T[], empty: string) =>
	str.refine((v): v is T => (values as readonly string[]).includes(v), empty).transform((v) => v as T);

export const optionalChoice = <T extends string>(values: readonly T[], invalid: string) =>
	str
		.refine((v) => v === '' || (values as readonly string[]).includes(v), invalid)
		.transform((v) => (v === '' ? null : (v as T)));

export const multiChoice = <T extends string>(values: readonly T[], invalid: string, empty?: string) =>
	z
		.array(str)
		.refine((vs) => vs.every((v) => (values as readonly string[]).includes(v)), invalid)
		.refine((vs) => !empty || vs.length > 0, empty ?? invalid)
		.transform((vs) => [...new Set(vs)] as T[]);

export const postcode = () =>
	str.trim().min(1, 'Enter your postcode').transform((v, ctx) => {
		const normal = normalisePostcode(v);
		if (!normal) {
			ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like M1 1AE' });
			return z.NEVER;
		}
		return normal;
	});

export const email = (empty: string | null) =>
	str
		.trim()
		.max(254, 'Email address must be 254 characters or fewer')
		.refine((v) => (v === '' ? empty === null : true), empty ?? '')
		.refine((v) => v === '' || isDeliverableAddress(v), 'Enter an email address in the correct format, like name@example.com')
		.transform((v) => (v === '' ? null : v.toLowerCase()));

/**
 * An address is accepted only if the mail library that sends it reads it as exactly this one address:
 * no display names, comments, groups or lists (`a<b>@c.zz` would otherwise go to `b`).
 */
export function isDeliverableAddress(value: string): boolean {
	if (!/^[^\s@<>()\[\],;:"\\]+@[^\s@<>()\[\],;:"\\]+\.[^\s@<>()\[\],;:"\\]+$/.test(value)) return false;
	const parsed = addressparser(value);
	const only = parsed[0];
	return parsed.length === 1 && !('group' in only) && only.name === '' && only.address === value;
}

/** UK phone numbers: 10 or 11 digits starting with 0, or +44 followed by 9 or 10 digits. */
export const ukPhone = () =>
	str
		.trim()
		.max(30, 'Phone number must be 30 characters or fewer')
		.transform((v, ctx) => {
			if (v === '') return null;
			const compact = v.replace(/[\s()-]/g, '');
			const national = compact.startsWith('+44') ? `0${compact.slice(3).replace(/^0/, '')}` : compact;
			if (!/^0[0-9]{9,10}$/.test(national)) {
				ctx.addIssue({ code: 'custom', message: 'Enter a UK phone number, like 07700 900 982 or 0161 496 0000' });
				return z.NEVER;
			}
			return national;
		});

/** Date of birth from day, month and year boxes, as an ISO date. `today` is an ISO date. */
export const dateOfBirth = (today: string) =>
	z.object({ day: str, month: str, year: str }).transform((parts, ctx) => {
		const day = parts.day.trim();
		const month = parts.month.trim();
		const year = parts.year.trim();
		if (!day && !month && !year) {
			ctx.addIssue({ code: 'custom', message: 'Enter your date of birth' });
			return z.NEVER;
		}
		const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
		if (missing.length) {
			ctx.addIssue({ code: 'custom', message: `Date of birth must include a ${missing.join(' and ')}` });
			return z.NEVER;
		}
		if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
			ctx.addIssue({ code: 'custom', message: 'Date of birth must be a real date, like 27 3 1985' });
			return z.NEVER;
		}
		const d = Number(day);
		const m = Number(month);
		const y = Number(year);
		const date = new Date(Date.UTC(y, m - 1, d));
		if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
			ctx.addIssue({ code: 'custom', message: 'Date of birth must be a real date, like 27 3 1985' });
			return z.NEVER;
		}
		const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
		if (iso >= today) {
			ctx.addIssue({ code: 'custom', message: 'Date of birth must be in the past' });
			return z.NEVER;
		}
		if (y < Number(today.slice(0, 4)) - 120) {
			ctx.addIssue({ code: 'custom', message: 'Check the year of your date of birth' });
			return z.NEVER;
		}
		return iso;
	});

/** A consent checkbox: stored with the version of its wording and the time it was given. */
export const consent = (version: string, requiredMessage: string | null, now: () => string) =>
	str.transform((v, ctx) => {
		const given = v === 'yes';
		if (!given && requiredMessage) {
			ctx.addIssue({ code: 'custom', message: requiredMessage });
			return z.NEVER;
		}
		return { given, version, at: now() };
	});

/** NHS numbers are 10 digits with a modulus 11 check digit. */
export function isValidNhsNumber(value: string): boolean {
	if (!/^[0-9]{10}$/.test(value)) return false;
	const digits = value.split('').map(Number);
	const sum = digits.slice(0, 9).reduce((acc, digit, i) => acc + digit * (10 - i), 0);
	let check = 11 - (sum % 11);
	if (check === 11) check = 0;
	if (check === 10) return false;
	return check === digits[9];
}

export interface ValidationResult {
	ok: boolean;
	values: Record<string, unknown>;
	/** field name -> message, in field order */
	errors: Record<string, string>;
}

/** Runs a page's zod schema and maps issues to the first message per field. */
export function validate(schema: z.ZodType, fields: Field[], raw: RawValues): ValidationResult {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, values: parsed.data as Record<string, unknown>, errors: {} };
	const byField: Record<string, string> = {};
	for (const issue of parsed.error.issues) {
		const key = String(issue.path[0] ?? fields[0]?.name ?? 'form');
		if (!(key in byField)) byField[key] = issue.message;
	}
	const errors: Record<string, string> = {};
	for (const field of fields) if (byField[field.name]) errors[field.name] = byField[field.name];
	for (const [key, message] of Object.entries(byField)) if (!(key in errors)) errors[key] = message;
	return { ok: false, values: {}, errors };
}

/**
 * Where an error summary link points: the field's first input. A message for a hidden field points at
 * the first field people see; one for a name that is no field, at the element with that id (a button). `idPrefix` is the one given to QuestionFields.
 */
export function errorHref(fields: Field[], name: string, idPrefix = ''): string {
	let field = fields.find((f) => f.name === name);
	if (field?.kind === 'hidden') field = fields.find((f) => f.kind !== 'hidden') ?? field;
	const id = `${idPrefix}${field?.name ?? name}`;
	return field?.kind === 'date' ? `#${id}-day` : `#${id}`;
}

export function errorList(fields: Field[], errors: Record<string, string>, idPrefix = ''): { href: string; message: string }[] {
	return Object.entries(errors).map(([name, message]) => ({ href: errorHref(fields, name, idPrefix), message }));
}

/** What a page's form shows: the values (what was sent back, else `initial`, else empty), the messages by field and the summary list. */
export interface FormState {
	values: RawValues;
	errors: Record<string, string>;
	list: { href: string; message: string }[];
}

/**
 * One page form's state from an action's answer (`form`, with `values` and `errors` after a failure).
 * Use it with `$derived(formState(data.fields, form))` so it follows each answer.
 */
export function formState(
	fields: Field[],
	form: { values?: unknown; errors?: unknown } | null | undefined,
	initial?: RawValues,
	idPrefix = ''
): FormState {
	const errors = (form?.errors ?? {}) as Record<string, string>;
	const values = (form?.values ?? initial ?? emptyRaw(fields)) as RawValues;
	return { values, errors, list: errorList(fields, errors, idPrefix) };
}

/** A whole number typed in a short box ("4 hours"): numeric keyboard, no spellcheck. */
export const wholeNumberField = (name: string, label: string, hint: string, suffix?: string): Field => ({
	kind: 'text',
	name,
	label,
	hint,
	width: 'short',
	inputmode: 'numeric',
	spellcheck: false,
	suffix
});

/** Yes and No side by side, for a settings question. */
export const yesNoField = (name: string, label: string, hint: string): Field => ({
	kind: 'radios',
	name,
	label,
	hint,
	inline: true,
	options: [
		{ value: 'yes', label: 'Yes' },
		{ value: 'no', label: 'No' }
	]
});
