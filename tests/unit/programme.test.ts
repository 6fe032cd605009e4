import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import {
	EMPLOYMENT_STATUSES,
	NATIONAL_ALTERNATIVES,
	alternativeSchema,
	eligibilityRulesSchema,
	linkSchema,
	programmeSchema,
	programmeSeedFileSchema
} from '../../src/lib/domain/programme';
import { isSourceCode } from '../../src/lib/domain/sources';

const seedPath = fileURLToPath(new URL('../../seed/programmes.json', import.meta.url));
const raw = () => JSON.parse(readFileSync(seedPath, 'utf8'));

describe('seed/programmes.json', () => {
	it('validates against the seed file schema', () => {
		const result = programmeSeedFileSchema.safeParse(raw());
		expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
	});

	it('has the Greater Manchester primary and secondary care programmes', () => {
		const seed = programmeSeedFileSchema.parse(raw());
		expect(seed.version).toBeGreaterThanOrEqual(1);
		expect(seed.programmes.map((p) => p.id)).toEqual(['gm-ips-primary-care', 'gm-ips-secondary-care']);
		const [primary, secondary] = seed.programmes;
		expect(primary.kind).toBe('primary-care');
		expect(primary.rules.secondaryCare).toBe('signpost');
		expect(primary.rules.signpostProgrammeId).toBe('gm-ips-secondary-care');
		expect(secondary.kind).toBe('secondary-care');
		expect(secondary.rules.secondaryCare).toBe('require');
		for (const p of seed.programmes) {
			expect(p.area.postcodes).toEqual(['M', 'BL', 'OL', 'SK', 'WN']);
			expect(p.rules.minAge).toBe(18);
			expect(p.rules.employmentStatuses).not.toContain('in-work-ok');
		}
	});

	it('has links whose source codes and programmes exist', () => {
		const seed = programmeSeedFileSchema.parse(raw());
		const ids = new Set(seed.programmes.map((p) => p.id));
		expect(seed.links.length).toBeGreaterThan(0);
		expect(new Set(seed.links.map((l) => l.code)).size).toBe(seed.links.length);
		for (const link of seed.links) {
			expect(isSourceCode(link.sourceCode), link.sourceCode).toBe(true);
			if (link.programmeId) expect(ids.has(link.programmeId)).toBe(true);
		}
		expect(seed.links.find((l) => l.code === 'gp-p84001')?.odsCode).toBe('P84001');
	});

	it('has unique programme ids', () => {
		const seed = programmeSeedFileSchema.parse(raw());
		expect(new Set(seed.programmes.map((p) => p.id)).size).toBe(seed.programmes.length);
	});
});

describe('programmeSeedFileSchema', () => {
	it('rejects a signpost to a programme that is not in the file', () => {
		const file = raw();
		file.programmes[0].rules.signpostProgrammeId = 'nowhere';
		const result = programmeSeedFileSchema.safeParse(file);
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].path).toEqual(['programmes', 0, 'rules', 'signpostProgrammeId']);
		expect(result.error?.issues[0].message).toMatch(/"nowhere" is not a programme/);
	});

	it('needs at least one programme and a version', () => {
		expect(programmeSeedFileSchema.safeParse({ version: 1, programmes: [] }).success).toBe(false);
		const file = raw();
		delete file.version;
		expect(programmeSeedFileSchema.safeParse(file).success).toBe(false);
		expect(programmeSeedFileSchema.safeParse({ ...raw(), version: 0 }).success).toBe(false);
	});

	it('defaults links to none', () => {
		const { links: _l, ...file } = raw();
		expect(programmeSeedFileSchema.parse(file).links).toEqual([]);
	});
});

describe('programmeSchema', () => {
	const base = () => raw().programmes[0];

	it('rejects bad ids, postcodes and practice codes', () => {
		expect(programmeSchema.safeParse({ ...base(), id: 'Has Capitals' }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), area: { postcodes: ['m'], gpPractices: [] } }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), area: { postcodes: ['M1 1AE'], gpPractices: [] } }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), area: { postcodes: ['M'], gpPractices: ['p84001'] } }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), area: { postcodes: ['SK14'], gpPractices: ['P84001'] } }).success).toBe(true);
	});

	it('rejects an unknown kind, a bad email and an out-of-range contact target', () => {
		expect(programmeSchema.safeParse({ ...base(), kind: 'tertiary' }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), teamEmail: 'not-an-email' }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), contactTargetWorkingDays: 0 }).success).toBe(false);
		expect(programmeSchema.safeParse({ ...base(), contactTargetWorkingDays: 31 }).success).toBe(false);
	});

	it('defaults the area lists and alternatives', () => {
		const { alternatives: _a, ...p } = base();
		const parsed = programmeSchema.parse({ ...p, area: {} });
		expect(parsed.area).toEqual({ postcodes: [], gpPractices: [] });
		expect(parsed.alternatives).toEqual([]);
	});
});

describe('eligibilityRulesSchema', () => {
	const rules = { minAge: 18, employmentStatuses: ['out-of-work'], secondaryCare: 'ignore' };

	it('fills in defaults', () => {
		expect(eligibilityRulesSchema.parse(rules)).toEqual({
			...rules,
			maxAge: null,
			signpostProgrammeId: null,
			excludeOtherEmploymentProgrammes: true,
			requireRightToWork: true
		});
	});

	it('rejects ages out of range, unknown statuses and no statuses', () => {
		expect(eligibilityRulesSchema.safeParse({ ...rules, minAge: 13 }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, minAge: 31 }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, minAge: 18.5 }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, maxAge: 29 }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, employmentStatuses: [] }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, employmentStatuses: ['retired'] }).success).toBe(false);
		expect(eligibilityRulesSchema.safeParse({ ...rules, secondaryCare: 'maybe' }).success).toBe(false);
	});
});

describe('linkSchema', () => {
	it('accepts a link with or without a practice', () => {
		expect(linkSchema.safeParse({ code: 'fitnote', sourceCode: 'fit-note', label: 'Fit note' }).success).toBe(true);
		expect(linkSchema.safeParse({ code: 'gp-p84001', sourceCode: 'fit-note', odsCode: 'P84001', label: 'x' }).success).toBe(true);
		expect(linkSchema.safeParse({ code: 'gp', sourceCode: 'fit-note', odsCode: null, label: 'x' }).success).toBe(true);
	});
	it('explains bad codes', () => {
		const bad = linkSchema.safeParse({ code: 'Fit Note', sourceCode: 'fit-note', label: 'x' });
		expect(bad.error?.issues[0].message).toBe('A link code uses lower-case letters, digits and dashes (2 to 40)');
		const ods = linkSchema.safeParse({ code: 'gp', sourceCode: 'fit-note', odsCode: 'P8400', label: 'x' });
		expect(ods.error?.issues[0].message).toBe('An ODS code is a letter and five digits, like P84001');
	});
});

describe('constants', () => {
	it('has the four employment situations', () => {
		expect(Object.keys(EMPLOYMENT_STATUSES)).toEqual(['out-of-work', 'off-sick', 'struggling-in-work', 'in-work-ok']);
	});
	it('has valid national alternatives', () => {
		expect(NATIONAL_ALTERNATIVES.length).toBeGreaterThan(0);
		for (const a of NATIONAL_ALTERNATIVES) expect(alternativeSchema.safeParse(a).success).toBe(true);
	});
});

describe('programmeFields', () => {
	it('draws a bounded number of alternative rows whatever count a posted form claims (found by the fuzz test)', async () => {
		const { programmeFields, MAX_ALTERNATIVES, BLANK_ALTERNATIVE_ROWS } = await import('../../src/lib/domain/programme-form');
		const rowsOf = (n: number) => programmeFields([], n).filter((f) => /^alt-\d+-/.test(f.name)).length;
		const perRow = rowsOf(1);
		expect(perRow).toBeGreaterThan(0);
		expect(rowsOf(-1)).toBe(0);
		expect(rowsOf(Number.NaN)).toBe(0);
		expect(rowsOf(2.5)).toBe(2 * perRow);
		expect(rowsOf(1e12)).toBe((MAX_ALTERNATIVES + BLANK_ALTERNATIVE_ROWS) * perRow);
	});
});
