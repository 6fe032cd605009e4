import { describe, expect, it } from 'vitest';
import { LOCALE_INFO, localeFromAcceptLanguage, localeOfTag } from '../../src/lib/i18n/locales';
import { alwaysEnglish, requestLocale } from '../../src/lib/server/i18n';
import { textKey } from '../../src/lib/i18n/text-key';

describe('the request’s language', () => {
	it('reads Accept-Language by quality, then order, and only languages the portal speaks', () => {
		expect(localeFromAcceptLanguage('cy-GB,cy;q=0.9,en-GB;q=0.8')).toBe('cy');
		expect(localeFromAcceptLanguage('en-GB,en;q=0.9,ur;q=0.8')).toBe('en');
		expect(localeFromAcceptLanguage('fr-FR,ur;q=0.5,cy;q=0.4')).toBe('ur');
		expect(localeFromAcceptLanguage('cy;q=0.2, ur;q=0.7')).toBe('ur');
		expect(localeFromAcceptLanguage('pl,de')).toBeNull();
		expect(localeFromAcceptLanguage('cy;q=0')).toBeNull();
		expect(localeFromAcceptLanguage('')).toBeNull();
		expect(localeFromAcceptLanguage(null)).toBeNull();
	});

	it('takes the cookie before the header, and English for staff, the API and health checks', () => {
		expect(requestLocale({ pathname: '/check/postcode', cookie: 'ur', acceptLanguage: 'cy' })).toBe('ur');
		expect(requestLocale({ pathname: '/check/postcode', cookie: 'xx', acceptLanguage: 'cy' })).toBe('cy');
		expect(requestLocale({ pathname: '/', cookie: undefined, acceptLanguage: null })).toBe('en');
		for (const path of ['/staff', '/staff/referrals/ABCD1234', '/api/v1/events', '/healthz', '/Staff/admin'])
			expect(requestLocale({ pathname: path, cookie: 'cy', acceptLanguage: 'cy' }), path).toBe('en');
		expect(alwaysEnglish('/staffing')).toBe(false);
	});

	it('reads a stored tag as a locale, English when there is none', () => {
		expect(localeOfTag('cy')).toBe('cy');
		expect(localeOfTag('ur')).toBe('ur');
		expect(localeOfTag('en-GB')).toBe('en');
		expect(localeOfTag(null)).toBe('en');
		expect(localeOfTag('pl')).toBe('en');
		expect(LOCALE_INFO.ur.dir).toBe('rtl');
		expect(LOCALE_INFO.en.tag).toBe('en-GB');
	});

	it('keys a question’s words by their English: stable, and different for different words', () => {
		expect(textKey('Enter your postcode')).toBe(textKey('Enter your postcode'));
		expect(textKey('Enter your postcode')).not.toBe(textKey('Enter your postcode.'));
		expect(textKey('Enter your postcode')).toMatch(/^q_enter_your_postcode_[a-z0-9]+$/);
	});
});
