import { describe, it, expect } from 'vitest';
import type { RandomReader } from '@oslojs/crypto/random';
import { REFERENCE_ALPHABET, formatReference, generateReference, normaliseReference, spellReference } from '../../src/lib/domain/reference';

const FORMAT = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;
const CONFUSABLE = ['0', 'O', '1', 'I', 'L', '5', 'S', '2', 'Z', '8', 'B'];

/** A deterministic random source (xorshift), so tests can repeat a draw. */
function seeded(seed: number): RandomReader {
	let x = seed || 1;
	return {
		read(bytes: Uint8Array) {
			for (let i = 0; i < bytes.length; i++) {
				x ^= x << 13;
				x ^= x >>> 17;
				x ^= x << 5;
				bytes[i] = x & 0xff;
			}
		}
	};
}

const system: RandomReader = { read: (bytes) => crypto.getRandomValues(bytes) };

describe('REFERENCE_ALPHABET', () => {
	it('has 25 distinct characters', () => {
		expect(REFERENCE_ALPHABET).toHaveLength(25);
		expect(new Set(REFERENCE_ALPHABET).size).toBe(25);
	});
	it('has none of the characters that are easy to mishear or misread', () => {
		for (const c of CONFUSABLE) expect(REFERENCE_ALPHABET).not.toContain(c);
	});
	it('has only upper-case letters and digits', () => {
		expect(REFERENCE_ALPHABET).toMatch(/^[A-Z0-9]+$/);
	});
});

describe('generateReference', () => {
	it('repeats the same reference for the same random source', () => {
		expect(generateReference(seeded(42))).toBe(generateReference(seeded(42)));
		expect(generateReference(seeded(42))).not.toBe(generateReference(seeded(43)));
	});
	it('is always XXXX-XXXX from the alphabet only, and reads back unchanged', { timeout: 60_000 }, () => {
		for (let i = 0; i < 2000; i++) {
			const ref = generateReference(system);
			expect(ref).toMatch(FORMAT);
			for (const c of ref.replace('-', '')) expect(REFERENCE_ALPHABET).toContain(c);
			expect(normaliseReference(ref)).toBe(ref);
		}
	});
	// 160,000 draws from the system's random source: seconds of CPU, more on a busy machine, so its own timeout.
	it('draws every character equally often (no modulo bias)', { timeout: 60_000 }, () => {
		// 160,000 characters; with 24 degrees of freedom a fair draw exceeds 80 about once in 10^7 runs,
		// while "byte % 25" (6 characters 10% likelier) scores about 280.
		const counts = new Map<string, number>([...REFERENCE_ALPHABET].map((c) => [c, 0]));
		const draws = 20_000;
		for (let i = 0; i < draws; i++) for (const c of generateReference(system).replace('-', '')) counts.set(c, counts.get(c)! + 1);
		const expected = (draws * 8) / REFERENCE_ALPHABET.length;
		const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
		expect(chiSquare).toBeLessThan(80);
	});
});

describe('formatReference', () => {
	it('puts a dash after the fourth character', () => {
		expect(formatReference('K7MR4PXD')).toBe('K7MR-4PXD');
	});
});

describe('normaliseReference', () => {
	it('accepts the canonical form', () => {
		expect(normaliseReference('K7MR-4PXD')).toBe('K7MR-4PXD');
	});
	it('accepts lower case and spaces', () => {
		expect(normaliseReference('k7mr 4pxd')).toBe('K7MR-4PXD');
		expect(normaliseReference('  k 7 m r 4 p x d  ')).toBe('K7MR-4PXD');
		expect(normaliseReference('k7mr4pxd')).toBe('K7MR-4PXD');
		expect(normaliseReference('K7MR–4PXD')).toBe('K7MR-4PXD'); // en dash
	});
	it('rejects the wrong length', () => {
		expect(normaliseReference('')).toBeNull();
		expect(normaliseReference('K7MR-4PX')).toBeNull();
		expect(normaliseReference('K7MR-4PXDD')).toBeNull();
	});
	it('rejects characters outside the alphabet', () => {
		expect(normaliseReference('K7MR-4PX0')).toBeNull();
		expect(normaliseReference('K7MR-4PXO')).toBeNull();
		expect(normaliseReference('K7MR-4PX1')).toBeNull();
		expect(normaliseReference('K7MR-4PXI')).toBeNull();
		expect(normaliseReference('k7mr-4pxs')).toBeNull();
	});
});

describe('spellReference', () => {
	it('spells a reference for reading aloud', () => {
		expect(spellReference('K7MR-4PXD')).toBe('K 7 M R, 4 P X D');
	});
});
