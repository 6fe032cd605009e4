/**
 * Issue 25: a postcode's nation, and each nation's support and crisis lines (config/nations.json), which a
 * person outside every programme's area in Wales, Scotland or Northern Ireland is shown instead of advice
 * written for England.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_TEXT, type ReasonCode } from '../../src/lib/domain/eligibility';
import { nationOfPostcode, NATIONS } from '../../src/lib/domain/nations';
import { NATIONAL_ALTERNATIVES } from '../../src/lib/domain/programme';
import { nationSupport, readNationsFile } from '../../src/lib/server/nations';
import { m } from '../../src/lib/paraglide/messages';

describe('nationOfPostcode', () => {
	it.each([
		['CF10 1EP', 'wales'],
		['cf101ep', 'wales'],
		['SA1 1AA', 'wales'],
		['LL11 1AA', 'wales'],
		['NP20 1AA', 'wales'],
		['LD1 5AA', 'wales'],
		['EH1 1YZ', 'scotland'],
		['G1 1AA', 'scotland'],
		['AB10 1AA', 'scotland'],
		['DG1 1AA', 'scotland'],
		['ZE1 0AA', 'scotland'],
		['BT1 5GS', 'northern-ireland'],
		['M1 1AE', 'england'],
		['SW1A 1AA', 'england'],
		['GL1 1AA', 'england'],
		['GU1 1AA', 'england']
	])('%s is in %s', (postcode, nation) => expect(nationOfPostcode(postcode)).toBe(nation));

	it.each([
		// Shropshire and Powys, Ceredigion
		['SY1 1AA', 'england'],
		['SY14 8AA', 'england'],
		['SY16 1AA', 'wales'],
		['SY21 7AA', 'wales'],
		['SY23 3AA', 'wales'],
		['SY25 6AA', 'wales'],
		// Chester and Flintshire
		['CH1 1AA', 'england'],
		['CH5 1AA', 'wales'],
		['CH7 1AA', 'wales'],
		['CH8 7AA', 'wales'],
		// The Scottish Borders and Berwick-upon-Tweed
		['TD1 1AA', 'scotland'],
		['TD14 5AA', 'scotland'],
		['TD15 1AA', 'england'],
		['CA1 1AA', 'england']
	])('border area: %s is in %s', (postcode, nation) => expect(nationOfPostcode(postcode)).toBe(nation));

	it('counts anything that is not a UK postcode as England', () => {
		for (const value of ['', 'not a postcode', null, undefined, 'JE2 3AA', 'IM1 1AA']) expect(nationOfPostcode(value)).toBe('england');
	});
});

describe('config/nations.json', () => {
	const file = readNationsFile('config/nations.json');

	it('gives every nation alternatives, and Wales, Scotland and Northern Ireland their crisis lines', () => {
		for (const nation of NATIONS) expect(file[nation].alternatives.length, nation).toBeGreaterThan(0);
		for (const nation of NATIONS.filter((n) => n !== 'england')) {
			const numbers = file[nation].crisis.map((c) => c.number);
			expect(numbers, nation).toContain('999');
			expect(numbers, nation).toContain('116 123');
		}
	});

	it('England’s alternatives are, in English, the ones suggested before (word for word)', () => {
		expect(nationSupport('england', 'en', file).alternatives).toEqual(NATIONAL_ALTERNATIVES);
	});

	it('Wales: Working Wales, NHS 111 Wales (press 2), the Samaritans’ Welsh language line and C.A.L.L., in Welsh', () => {
		const wales = nationSupport('wales', 'cy', file);
		expect(wales.alternatives[0]).toMatchObject({ name: "Cymru'n Gweithio", phone: '0800 028 4844', url: 'https://workingwales.gov.wales/' });
		expect(wales.crisis.map((c) => [c.number, c.href])).toEqual([
			['999', 'tel:999'],
			['111', 'tel:111'],
			['116 123', 'tel:116123'],
			['0808 164 0123', 'tel:08081640123'],
			['0800 132 737', 'tel:0800132737'],
			['85258', 'sms:85258']
		]);
		expect(wales.crisis[1]).toMatchObject({ name: 'GIG 111 Cymru', detail: 'Pwyswch 2 ar gyfer iechyd meddwl.' });
	});

	it('a language left out falls back to English', () => {
		const scotland = nationSupport('scotland', 'ur', file);
		expect(scotland.crisis.find((c) => c.number === '0800 83 85 87')?.name).toBe('Breathing Space');
		expect(nationSupport('northern-ireland', 'en', file).note).toMatch(/^There is no NHS 111 line in Northern Ireland/);
	});
});

describe('readNationsFile', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'ips-nations-'));
	const write = (name: string, body: string) => {
		const file = path.join(dir, name);
		writeFileSync(file, body);
		return file;
	};

	it('names the file and says what is wrong, and where', () => {
		const good = readNationsFile('config/nations.json');
		const bad = structuredClone(good) as Record<string, { alternatives: Record<string, unknown>[] }>;
		bad.wales.alternatives[0] = { name: { cy: 'Dim Saesneg' }, description: { en: 'Words' }, url: 'https://example.org/' };
		bad.wales.alternatives[1] = { name: { en: 'No way to reach it' }, description: { en: 'Words' } };
		delete (bad as Record<string, unknown>).scotland;
		const file = write('bad.json', JSON.stringify(bad));
		expect(() => readNationsFile(file)).toThrow(`The nations file ${file} (NATIONS_FILE) is not valid:`);
		const message = (() => {
			try {
				readNationsFile(file);
			} catch (e) {
				return (e as Error).message;
			}
		})();
		expect(message).toContain('wales.alternatives.0.name.en: needs the English words ("en")');
		expect(message).toContain('wales.alternatives.1: needs a phone number, a url or both');
		expect(message).toContain('scotland: must be there');
	});

	it('refuses a file that is missing or is not JSON, naming it', () => {
		expect(() => readNationsFile(path.join(dir, 'none.json'))).toThrow(/The nations file .*none\.json \(NATIONS_FILE\) cannot be read/);
		expect(() => readNationsFile(write('broken.json', '{ "wales": '))).toThrow(/broken\.json \(NATIONS_FILE\) is not valid JSON/);
	});

	it('refuses a crisis line that is neither a call nor a text, and a number with letters', () => {
		const good = readNationsFile('config/nations.json');
		const bad = structuredClone(good);
		(bad.wales.crisis[0] as { how: string }).how = 'email';
		bad.wales.crisis[1].number = '0800 CALL NOW';
		const file = write('crisis.json', JSON.stringify(bad));
		expect(() => readNationsFile(file)).toThrow(/wales\.crisis\.0\.how: must be "call" or "text"[\s\S]*wales\.crisis\.1\.number: must be digits and spaces/);
	});
});

describe('the result page’s reasons', () => {
	it('say in English, word for word, what REASON_TEXT says', () => {
		const key = (code: ReasonCode) => `w_reason_${code.replace(/-/g, '_')}` as keyof typeof m;
		for (const [code, text] of Object.entries(REASON_TEXT)) expect((m[key(code as ReasonCode)] as () => string)(), code).toBe(text);
	});
});
