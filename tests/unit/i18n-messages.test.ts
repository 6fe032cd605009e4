/**
 * Issue 25: no message is missing in any language. Every message file of every language has exactly the
 * English file's keys, a translation that is not empty, the same {variables}, and a translation status
 * (messages/status/<file>.json). The question pages' words in messages/en/questions.json are exactly those the
 * page definitions give today (npm run i18n:extract writes them).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { englishQuestionMessages } from '../../src/lib/i18n/question-text';
import { LOCALES } from '../../src/lib/i18n/locales';

const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8'));
const files: string[] = settings['plugin.inlang.messageFormat'].pathPattern.map((p: string) => /\/([a-z-]+)\.json$/.exec(p)![1]);
const read = (locale: string, file: string): Record<string, string> => {
	const { $schema: _, ...messages } = JSON.parse(readFileSync(`messages/${locale}/${file}.json`, 'utf8'));
	return messages;
};
const variables = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const others = LOCALES.filter((l) => l !== 'en');

describe('message files', () => {
	it('the project lists every message file on disk, and each language has each file', () => {
		expect(settings.locales).toEqual([...LOCALES]);
		for (const locale of LOCALES) expect(readdirSync(`messages/${locale}`).filter((f) => f.endsWith('.json')).sort(), locale).toEqual(files.map((f) => `${f}.json`).sort());
	});

	it('no key is used in two files (Paraglide merges them)', () => {
		const seen = new Map<string, string>();
		for (const file of files)
			for (const key of Object.keys(read('en', file))) {
				expect(seen.get(key), `${key} in ${file}.json and ${seen.get(key)}.json`).toBeUndefined();
				seen.set(key, file);
			}
	});

	for (const file of files)
		for (const locale of others)
			it(`${locale}/${file}.json has every English message, translated, with the same variables and a status`, () => {
				const english = read('en', file);
				const translated = read(locale, file);
				const status = JSON.parse(readFileSync(`messages/status/${file}.json`, 'utf8'))[locale] ?? {};
				const missing = Object.keys(english).filter((k) => !translated[k]?.trim());
				expect(missing, `missing in ${locale}/${file}.json`).toEqual([]);
				expect(Object.keys(translated).filter((k) => !(k in english)), `not in en/${file}.json`).toEqual([]);
				for (const key of Object.keys(english)) expect(variables(translated[key]), `${locale} ${key}`).toEqual(variables(english[key]));
				expect(Object.keys(english).filter((k) => !['needs-review', 'reviewed'].includes(status[k])), `without a status in status/${file}.json`).toEqual([]);
				expect(Object.keys(status).filter((k) => !(k in english)), `status for a key that is gone`).toEqual([]);
			});

	it('messages/en/questions.json is the question pages’ words as the code has them (npm run i18n:extract)', () => {
		expect(read('en', 'questions')).toEqual(englishQuestionMessages());
	});
});
