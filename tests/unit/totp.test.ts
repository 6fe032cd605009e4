import { describe, expect, it } from 'vitest';
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateTotpSecret, matchTotp, totpCode, totpStep, totpUri } from '../../src/lib/server/auth/totp';

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
	it('matches the RFC 6238 test vectors (6 digits)', () => {
		expect(totpCode(RFC_SECRET, new Date(59 * 1000))).toBe('287082');
		expect(totpCode(RFC_SECRET, new Date(1111111109 * 1000))).toBe('081804');
		expect(totpCode(RFC_SECRET, new Date(2000000000 * 1000))).toBe('279037');
	});

	it('agrees with the library for the current time', () => {
		const secret = generateTotpSecret();
		expect(totpCode(secret)).toBe(generateTOTP(decodeBase32IgnorePadding(secret), 30, 6));
	});

	it('accepts the current step and one either side, and nothing further', () => {
		const secret = generateTotpSecret();
		const at = new Date('2026-11-23T12:00:10Z');
		const step = totpStep(at);
		const codeAt = (s: number) => totpCode(secret, new Date(s * 30_000));
		expect(matchTotp(secret, codeAt(step), null, at)).toBe(step);
		expect(matchTotp(secret, codeAt(step - 1), null, at)).toBe(step - 1);
		expect(matchTotp(secret, codeAt(step + 1), null, at)).toBe(step + 1);
		expect(matchTotp(secret, codeAt(step - 2), null, at)).toBeNull();
		expect(matchTotp(secret, codeAt(step + 2), null, at)).toBeNull();
	});

	it('refuses a code from a step already used (replay)', () => {
		const secret = generateTotpSecret();
		const at = new Date('2026-11-23T12:00:10Z');
		const step = totpStep(at);
		expect(matchTotp(secret, totpCode(secret, at), step, at)).toBeNull();
		expect(matchTotp(secret, totpCode(secret, new Date((step + 1) * 30_000)), step, at)).toBe(step + 1);
	});

	it('ignores spaces and refuses anything that is not six digits', () => {
		const secret = generateTotpSecret();
		const at = new Date('2026-11-23T12:00:10Z');
		const code = totpCode(secret, at);
		expect(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, at)).not.toBeNull();
		expect(matchTotp(secret, '', null, at)).toBeNull();
		expect(matchTotp(secret, 'abcdef', null, at)).toBeNull();
		expect(matchTotp(secret, `${code}0`, null, at)).toBeNull();
	});

	it('builds an otpauth URI an authenticator app can read', () => {
		const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', 'sam@example.org'));
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
		expect(uri.searchParams.get('digits')).toBe('6');
		expect(uri.searchParams.get('period')).toBe('30');
	});
});
