/**
 * Support in each nation of the UK (issue 25): installation data, not code. A person outside every
 * programme's area in Wales, Scotland or Northern Ireland is shown that nation's alternatives and crisis
 * lines; England's alternatives are the ones suggested to anyone not eligible in England (England's crisis
 * lines are in every page's footer). The file is config/nations.json, or the one NATIONS_FILE names
 * (a path from the working directory), read and checked on first use, never at start or import.
 *
 * Each nation: `alternatives` (name, description, and a phone number, a web address or both), `crisis`
 * lines (name, number, how: "call" or "text", and optional `detail` and `when`) and an optional `note`.
 * Every piece of text is given per language, `{ "en": "...", "cy": "...", "ur": "..." }`: English is
 * needed, and a language left out is shown in English.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Alternative } from '$lib/domain/programme';
import type { Nation } from '$lib/domain/nations';
import type { Locale } from '$lib/i18n/locales';
import { getConfig } from './config';
import { log } from './log';

const words = (error: string) => z.string({ error }).trim().min(1, 'must not be empty').max(600, 'must be at most 600 characters');
const text = z.strictObject(
	{ en: words('needs the English words ("en")'), cy: words('must be text').optional(), ur: words('must be text').optional() },
	{ error: (issue) => (issue.code === 'invalid_type' ? 'must be words per language, like { "en": "...", "cy": "...", "ur": "..." }' : undefined) }
);
/** Digits and spaces, as shown: "0800 028 4844", "116 123", "999". */
const phoneNumber = z.string().regex(/^[0-9][0-9 ]{1,18}[0-9]$/, 'must be digits and spaces, like 0800 028 4844');

const alternative = z
	.strictObject({
		name: text,
		description: text,
		url: z.url({ protocol: /^https$/, error: 'must be a web address starting https://' }).optional(),
		phone: phoneNumber.optional()
	})
	.refine((a) => a.url || a.phone, { error: 'needs a phone number, a url or both' });

const crisisLine = z.strictObject({
	name: text,
	number: phoneNumber,
	how: z.enum(['call', 'text'], { error: 'must be "call" or "text"' }),
	/** Said after the number: "Press 2 for mental health." */
	detail: text.optional(),
	/** When the line is open: "Free, any time, day or night." */
	when: text.optional()
});

const nationSchema = z.strictObject(
	{
		alternatives: z.array(alternative).default([]),
		crisis: z.array(crisisLine).default([]),
		/** Said under the crisis lines. */
		note: text.optional()
	},
	{ error: (issue) => (issue.code === 'invalid_type' ? 'must be there, with the nation\'s "alternatives" (and "crisis" lines)' : undefined) }
);

export const nationsFileSchema = z.strictObject({
	england: nationSchema,
	wales: nationSchema,
	scotland: nationSchema,
	'northern-ireland': nationSchema
});
export type NationsFile = z.infer<typeof nationsFileSchema>;
type Text = z.infer<typeof text>;

/** Reads and checks a nations file; an error names the file and says what is wrong where. */
export function readNationsFile(file: string): NationsFile {
	const where = `The nations file ${file} (NATIONS_FILE)`;
	let raw: string;
	try {
		raw = readFileSync(path.resolve(file), 'utf8');
	} catch (e) {
		throw new Error(`${where} cannot be read: ${(e as Error).message}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch (e) {
		throw new Error(`${where} is not valid JSON: ${(e as Error).message}`);
	}
	const parsed = nationsFileSchema.safeParse(json);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(the whole file)'}: ${i.message}`);
		throw new Error(`${where} is not valid:\n${lines.join('\n')}`);
	}
	return parsed.data;
}

let loaded: NationsFile | undefined;

/**
 * The installation's nations file, read on first use and kept. A file that cannot be used fails the page
 * and is logged with what is wrong (the log keeps no error's message otherwise); it is read again on the
 * next use, so a fixed file is picked up without a restart.
 */
export function nationsFile(): NationsFile {
	if (loaded) return loaded;
	try {
		loaded = readNationsFile(getConfig().NATIONS_FILE);
	} catch (error) {
		log.error((error as Error).message);
		throw error;
	}
	return loaded;
}

export interface CrisisLine {
	name: string;
	number: string;
	how: 'call' | 'text';
	/** tel: or sms: */
	href: string;
	detail: string | null;
	when: string | null;
}

export interface NationSupport {
	nation: Nation;
	alternatives: Alternative[];
	crisis: CrisisLine[];
	note: string | null;
}

/** A text in a language, English when it is not given in that language. */
export function say(value: Text, locale: Locale): string {
	return value[locale] ?? value.en;
}

/** A nation's alternatives, crisis lines and note in a language. */
export function nationSupport(nation: Nation, locale: Locale, file: NationsFile = nationsFile()): NationSupport {
	const data = file[nation];
	const maybe = (value: Text | undefined) => (value ? say(value, locale) : null);
	return {
		nation,
		alternatives: data.alternatives.map((a) => ({
			name: say(a.name, locale),
			description: say(a.description, locale),
			...(a.url ? { url: a.url } : {}),
			...(a.phone ? { phone: a.phone } : {})
		})),
		crisis: data.crisis.map((c) => ({
			name: say(c.name, locale),
			number: c.number,
			how: c.how,
			href: `${c.how === 'call' ? 'tel' : 'sms'}:${c.number.replace(/\s/g, '')}`,
			detail: maybe(c.detail),
			when: maybe(c.when)
		})),
		note: maybe(data.note)
	};
}
