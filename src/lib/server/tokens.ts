import { sha256 } from '@oslojs/crypto/sha2';
import type { RandomReader } from '@oslojs/crypto/random';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** The system's cryptographic random source, for @oslojs/crypto/random. */
export const secureRandom: RandomReader = { read: (bytes) => crypto.getRandomValues(bytes) };

/** A random, unguessable token (160 bits). */
export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** Only hashes of tokens are stored, so a copy of the database cannot be used to resume a journey. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
