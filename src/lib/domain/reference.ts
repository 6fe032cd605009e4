/**
 * Reference numbers people read aloud on the phone: no 0/O, no 1/I/L, no 5/S, no 2/Z, no 8/B,
 * so nothing can be misheard or misread. 8 characters from 25 gives about 1.5e11 references.
 */
import { generateRandomString, type RandomReader } from '@oslojs/crypto/random';

export const REFERENCE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

export function formatReference(chars: string): string {
	return `${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

/**
 * A new reference from `random` (the caller supplies the randomness). Each character is drawn uniformly
 * from the alphabet (rejection sampling, so no character is likelier than another).
 */
export function generateReference(random: RandomReader): string {
	return formatReference(generateRandomString(random, REFERENCE_ALPHABET, 8));
}

/** Accepts what a person types ("k7mr 4pxd", "K7MR-4PXD") and returns the canonical form, or null. */
export function normaliseReference(input: string): string | null {
	const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
	if (compact.length !== 8) return null;
	for (const c of compact) if (!REFERENCE_ALPHABET.includes(c)) return null;
	return formatReference(compact);
}

/** Spells a reference for reading aloud: "K 7 M R, 4 P X D". */
export function spellReference(reference: string): string {
	return reference
		.split('-')
		.map((group) => group.split('').join(' '))
		.join(', ');
}
