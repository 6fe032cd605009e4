/**
 * Authenticator app codes (TOTP, RFC 6238: 30-second steps, 6 digits) with @oslojs/otp.
 * A code is accepted one step either side of now, and never twice (the last accepted step is kept).
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'IPS Employment Support';

export function generateTotpSecret(): string {
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	return encodeBase32UpperCaseNoPadding(key);
}

export function totpUri(secret: string, accountName: string): string {
	return createTOTPKeyURI(TOTP_ISSUER, accountName, decodeBase32IgnorePadding(secret), TOTP_PERIOD, TOTP_DIGITS);
}

export function totpStep(at: Date = new Date()): number {
	return Math.floor(at.getTime() / 1000 / TOTP_PERIOD);
}

/** The code for a secret at a time (tests and the set-up check use it). */
export function totpCode(secret: string, at: Date = new Date()): string {
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(at)), TOTP_DIGITS);
}

function sameString(a: string, b: string): boolean {
	const encoder = new TextEncoder();
	return constantTimeEqual(encoder.encode(a), encoder.encode(b));
}

/** The time step the code belongs to, or null. Steps at or before `lastStep` are refused (replay). */
export function matchTotp(secret: string, code: string, lastStep: number | null, at: Date = new Date()): number | null {
	const clean = code.replace(/\s+/g, '');
	if (!/^\d{6}$/.test(clean)) return null;
	const key = decodeBase32IgnorePadding(secret);
	const now = totpStep(at);
	for (const step of [now, now - 1, now + 1]) {
		if (lastStep !== null && step <= lastStep) continue;
		if (sameString(generateHOTP(key, BigInt(step), TOTP_DIGITS), clean)) return step;
	}
	return null;
}
