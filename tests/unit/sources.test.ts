import { describe, it, expect } from 'vitest';
import { DWP_CATEGORIES, SOURCES, SOURCE_CODES, dwpCategoryOf, isOdsPracticeCode, isSourceCode, sourceStaffLabel } from '../../src/lib/domain/sources';

describe('SOURCES', () => {
	it('maps every source to a DWP category', () => {
		for (const code of SOURCE_CODES) expect(Object.keys(DWP_CATEGORIES)).toContain(SOURCES[code].dwp);
	});
	it('lists every source code', () => {
		expect(SOURCE_CODES).toEqual(Object.keys(SOURCES));
		expect(SOURCE_CODES).toContain('fit-note');
		expect(SOURCE_CODES).toContain('other');
	});
	it('does not ask people about campaign sources they would not know the name of', () => {
		expect(SOURCES['text-campaign'].askable).toBe(false);
		expect(SOURCES['other-campaign'].askable).toBe(false);
		expect(SOURCES['gp-practice'].askable).toBe(true);
		expect(SOURCES.other.askable).toBe(true);
	});
	it('has a label for each source', () => {
		for (const code of SOURCE_CODES) expect(SOURCES[code].label.length).toBeGreaterThan(3);
	});
	it('reads in staff words on staff pages: no "my", no article at the start', () => {
		for (const code of SOURCE_CODES) {
			const label = SOURCES[code].staffLabel;
			expect(label, code).not.toMatch(/\b(my|me|I)\b/i);
			expect(label, code).not.toMatch(/^(A|An) /);
			expect(sourceStaffLabel(code)).toBe(label);
		}
		expect(sourceStaffLabel('fit-note')).toBe('Fit Note link or QR code');
		expect(sourceStaffLabel('gp-practice')).toBe('GP practice');
		expect(sourceStaffLabel('nonsense')).toBe('Not recorded');
		// The person is still asked in their own words.
		expect(SOURCES['fit-note'].label).toBe('A link or QR code on my fit note');
	});
});

describe('dwpCategoryOf', () => {
	it('maps detailed codes to the DWP categories', () => {
		expect(dwpCategoryOf('fit-note')).toBe('primary-care');
		expect(dwpCategoryOf('gp-practice')).toBe('primary-care');
		expect(dwpCategoryOf('talking-therapies')).toBe('primary-care');
		expect(dwpCategoryOf('community-care')).toBe('community-care');
		expect(dwpCategoryOf('jobcentre-plus')).toBe('signposted-jcp');
		expect(dwpCategoryOf('voluntary-sector')).toBe('voluntary-charity');
		expect(dwpCategoryOf('leaflet')).toBe('self-referral');
		expect(dwpCategoryOf('friend-family')).toBe('self-referral');
		expect(dwpCategoryOf('text-campaign')).toBe('self-referral');
		expect(dwpCategoryOf('employer')).toBe('other');
		expect(dwpCategoryOf('other')).toBe('other');
	});
});

describe('isSourceCode', () => {
	it('accepts known codes', () => {
		expect(isSourceCode('fit-note')).toBe(true);
		expect(isSourceCode('other')).toBe(true);
	});
	it('rejects anything else', () => {
		expect(isSourceCode('fitnote')).toBe(false);
		expect(isSourceCode('')).toBe(false);
		expect(isSourceCode(undefined)).toBe(false);
		expect(isSourceCode(null)).toBe(false);
		expect(isSourceCode(3)).toBe(false);
		expect(isSourceCode({})).toBe(false);
		expect(isSourceCode('toString')).toBe(false);
		expect(isSourceCode('constructor')).toBe(false);
		expect(isSourceCode('__proto__')).toBe(false);
	});
});

describe('isOdsPracticeCode', () => {
	it('is a capital letter and five digits', () => {
		expect(isOdsPracticeCode('P84001')).toBe(true);
		expect(isOdsPracticeCode('Y12345')).toBe(true);
	});
	it('rejects other shapes', () => {
		for (const bad of ['p84001', 'P8400', 'P840011', '84001P', 'PP4001', '', ' P84001']) expect(isOdsPracticeCode(bad)).toBe(false);
	});
});
