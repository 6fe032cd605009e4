import { describe, it, expect } from 'vitest';
import { REFERENCE_ALPHABET, formatReference, normaliseReference, referenceFromBytes, spellReference } from '../../src/lib/domain/reference';

const FORMAT = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;
const CONFUSABLE = ['0', 'O', '1', 'I', 'L', '5', 'S', '2', 'Z', '8', 'B'];

/** A simple deterministic byte source (xorshift), so the tests do not depend on real randomness. */
function bytesFrom(seed: number, n = 8): Uint8Array {
	let x = seed || 1;
	const out = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
	}
	return out;
}

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

describe('referenceFromBytes', () => {
	it('maps bytes through the alphabet', () => {
		expect(referenceFromBytes(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]))).toBe('3467-9ACD');
		expect(referenceFromBytes(new Uint8Array(8))).toBe('3333-3333');
		expect(referenceFromBytes(new Uint8Array([24, 25, 49, 50, 255, 0, 0, 0]))).toBe('Y3Y3-A333'); // 255 % 25 = 5
	});
	it('is deterministic for the given bytes', () => {
		const bytes = bytesFrom(42);
		expect(referenceFromBytes(bytes)).toBe(referenceFromBytes(Uint8Array.from(bytes)));
	});
	it('uses only the first 8 bytes', () => {
		const a = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 100, 200]);
		expect(referenceFromBytes(a)).toBe(referenceFromBytes(a.slice(0, 8)));
	});
	it('refuses fewer than 8 bytes', () => {
		expect(() => referenceFromBytes(new Uint8Array(7))).toThrow(/8 random bytes/);
	});
	it('is always XXXX-XXXX with no 0, O, 1 or I, and reads back unchanged', () => {
		for (let seed = 1; seed <= 500; seed++) {
			const ref = referenceFromBytes(bytesFrom(seed));
			expect(ref).toMatch(FORMAT);
			for (const c of ['0', 'O', '1', 'I']) expect(ref).not.toContain(c);
			expect(normaliseReference(ref)).toBe(ref);
		}
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
