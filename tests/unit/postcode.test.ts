import { describe, it, expect } from 'vitest';
import { normalisePostcode, postcodeArea, postcodeDistrict } from '../../src/lib/domain/postcode';

describe('normalisePostcode', () => {
	it('upper-cases, trims and puts one space before the inward code', () => {
		expect(normalisePostcode('m1 1ae')).toBe('M1 1AE');
		expect(normalisePostcode('  M11AE ')).toBe('M1 1AE');
		expect(normalisePostcode('sw1a1aa')).toBe('SW1A 1AA');
		expect(normalisePostcode('SW1A   1AA')).toBe('SW1A 1AA');
		expect(normalisePostcode('sk14-6aa')).toBe('SK14 6AA');
		expect(normalisePostcode('BL1 1AA')).toBe('BL1 1AA');
		expect(normalisePostcode('W1A 0AX')).toBe('W1A 0AX');
		expect(normalisePostcode('EC1A 1BB')).toBe('EC1A 1BB');
	});
	it('rejects things that are not UK postcodes', () => {
		for (const bad of ['', 'M1', '1AE', 'hello', '12345', 'M1 1A', 'M1 1AEE', 'MMM1 1AE', 'M1 AAE']) {
			expect(normalisePostcode(bad)).toBeNull();
		}
	});
});

describe('postcodeDistrict', () => {
	it('is the outward code', () => {
		expect(postcodeDistrict('M14 5RT')).toBe('M14');
		expect(postcodeDistrict('SK14 6AA')).toBe('SK14');
		expect(postcodeDistrict('SW1A 1AA')).toBe('SW1A');
	});
});

describe('postcodeArea', () => {
	it('is the leading letters', () => {
		expect(postcodeArea('M14 5RT')).toBe('M');
		expect(postcodeArea('BL1 1AA')).toBe('BL');
		expect(postcodeArea('SW1A 1AA')).toBe('SW');
		expect(postcodeArea('MK9 1AA')).toBe('MK');
	});
	it('is empty when there are no leading letters', () => {
		expect(postcodeArea('123')).toBe('');
	});
});
