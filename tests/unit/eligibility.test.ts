import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import {
	ELIGIBILITY_QUESTIONS,
	REASON_TEXT,
	ageOn,
	answerKeyOf,
	assessEligibility,
	chooseProgramme,
	programmeCovers,
	type Assessment,
	type CheckContext,
	type EligibilityAnswers,
	type EligibilityResult
} from '../../src/lib/domain/eligibility';
import { programmeSeedFileSchema, type Programme } from '../../src/lib/domain/programme';

const seedPath = fileURLToPath(new URL('../../seed/programmes.json', import.meta.url));
const seed = programmeSeedFileSchema.parse(JSON.parse(readFileSync(seedPath, 'utf8')));
const programmes = seed.programmes;
const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const primary = programmes.find((p) => p.id === PRIMARY)!;
const secondary = programmes.find((p) => p.id === SECONDARY)!;

/** A fixed "today": never the real clock. */
const TODAY = '2026-11-23';
const ctx: CheckContext = { programmes, today: TODAY };

/** Everything answered in the way most likely to lead to "likely eligible" in primary care. */
const ALL_YES: Required<EligibilityAnswers> = {
	postcode: 'M14 5RT',
	dateOfBirth: '1985-03-27',
	healthCondition: 'yes',
	employment: 'out-of-work',
	wantsWork: 'yes',
	secondaryCare: 'no',
	otherProgramme: 'no',
	rightToWork: 'yes'
};

function result(a: Assessment): EligibilityResult {
	if (a.status !== 'done') throw new Error(`expected a result, got a question: ${a.question}`);
	return a.result;
}

function withRules(base: Programme, rules: Partial<Programme['rules']>, extra: Partial<Programme> = {}): Programme {
	return { ...base, ...extra, rules: { ...base.rules, ...rules } };
}

describe('the seed programmes used by these tests', () => {
	it('has the primary and secondary care programmes for Greater Manchester', () => {
		expect(primary.area.postcodes).toEqual(['M', 'BL', 'OL', 'SK', 'WN']);
		expect(secondary.area.postcodes).toEqual(['M', 'BL', 'OL', 'SK', 'WN']);
		expect(primary.area.gpPractices).toContain('P84001');
		expect(secondary.area.gpPractices).not.toContain('P84001');
		expect(primary.rules.signpostProgrammeId).toBe(SECONDARY);
	});
});

describe('ELIGIBILITY_QUESTIONS', () => {
	it('asks the questions in order', () => {
		expect(ELIGIBILITY_QUESTIONS.join(' > ')).toBe('postcode > date-of-birth > health-condition > employment > wants-work > secondary-care > other-programme > right-to-work');
	});

	it('never asks about benefits, convictions, substances or readiness (zero exclusion)', () => {
		const forbidden = ['benefit', 'conviction', 'criminal', 'substance', 'drug', 'alcohol', 'readiness', 'ready', 'confidence'];
		for (const q of ELIGIBILITY_QUESTIONS) {
			for (const word of forbidden) expect(q).not.toContain(word);
		}
		for (const q of ELIGIBILITY_QUESTIONS) {
			const key = answerKeyOf(q).toLowerCase();
			for (const word of forbidden) expect(key).not.toContain(word);
		}
	});

	it('maps each question to its answer key', () => {
		expect(ELIGIBILITY_QUESTIONS.map(answerKeyOf)).toEqual([
			'postcode',
			'dateOfBirth',
			'healthCondition',
			'employment',
			'wantsWork',
			'secondaryCare',
			'otherProgramme',
			'rightToWork'
		]);
	});

	it('has plain-English text for every reason', () => {
		for (const text of Object.values(REASON_TEXT)) expect(text.length).toBeGreaterThan(10);
		expect(REASON_TEXT['out-of-area']).toMatch(/where you live/);
	});
});

describe('ageOn', () => {
	it('counts whole years', () => {
		expect(ageOn('1985-03-27', '2026-11-23')).toBe(41);
	});
	it('is one less the day before the birthday', () => {
		expect(ageOn('2008-11-24', '2026-11-23')).toBe(17);
		expect(ageOn('2008-12-01', '2026-11-23')).toBe(17);
	});
	it('turns over on the birthday itself', () => {
		expect(ageOn('2008-11-23', '2026-11-23')).toBe(18);
	});
	it('treats a 29 February birthday as reached on 1 March in other years', () => {
		expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
		expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
	});
	it('is 0 for a baby', () => {
		expect(ageOn('2026-01-01', '2026-11-23')).toBe(0);
	});
});

describe('programmeCovers', () => {
	it('covers postcode areas in the list', () => {
		for (const pc of ['M1 1AE', 'BL1 1AA', 'OL16 1AB', 'SK14 6AA', 'WN1 1AA']) expect(programmeCovers(primary, pc)).toBe(true);
	});
	it('does not confuse the M area with MK or ME', () => {
		expect(programmeCovers(primary, 'MK9 1AA')).toBe(false);
		expect(programmeCovers(primary, 'ME1 1AA')).toBe(false);
	});
	it('does not cover other areas', () => {
		expect(programmeCovers(primary, 'SW1A 1AA')).toBe(false);
		expect(programmeCovers(primary, 'LS1 1AA')).toBe(false);
	});
	it('covers a postcode district listed on its own', () => {
		const district = { ...primary, area: { postcodes: ['SK14'], gpPractices: [] } };
		expect(programmeCovers(district, 'SK14 6AA')).toBe(true);
		expect(programmeCovers(district, 'SK1 1AA')).toBe(false);
		expect(programmeCovers(district, 'SK15 1AA')).toBe(false);
	});
	it('covers a GP practice in its list, whatever the postcode', () => {
		expect(programmeCovers(primary, 'SW1A 1AA', 'P84001')).toBe(true);
		expect(programmeCovers(primary, null, 'P84001')).toBe(true);
		expect(programmeCovers(primary, 'SW1A 1AA', 'Y99999')).toBe(false);
		expect(programmeCovers(secondary, 'SW1A 1AA', 'P84001')).toBe(false);
	});
	it('covers nothing with no postcode and no practice', () => {
		expect(programmeCovers(primary, null)).toBe(false);
		expect(programmeCovers(primary, null, null)).toBe(false);
	});
});

describe('chooseProgramme', () => {
	it('prefers the programme that does not require secondary care', () => {
		expect(chooseProgramme(programmes, 'M14 5RT')?.id).toBe(PRIMARY);
		expect(chooseProgramme([secondary, primary], 'M14 5RT')?.id).toBe(PRIMARY);
	});
	it('falls back to a programme that requires secondary care when it is the only one', () => {
		expect(chooseProgramme([secondary], 'M14 5RT')?.id).toBe(SECONDARY);
	});
	it('returns null out of area', () => {
		expect(chooseProgramme(programmes, 'SW1A 1AA')).toBeNull();
		expect(chooseProgramme(programmes, null)).toBeNull();
		expect(chooseProgramme([], 'M14 5RT')).toBeNull();
	});
	it('uses the GP practice from a link', () => {
		expect(chooseProgramme(programmes, 'SW1A 1AA', 'P84001')?.id).toBe(PRIMARY);
	});
});

describe('assessEligibility: asking questions', () => {
	it('asks for the postcode first', () => {
		const a = assessEligibility({}, ctx);
		expect(a).toEqual({ status: 'ask', question: 'postcode', asked: ['postcode'], programmeId: null });
	});

	it('asks each question in turn, naming the programme once the postcode is known', () => {
		const order = [...ELIGIBILITY_QUESTIONS];
		const answers: EligibilityAnswers = {};
		for (let i = 0; i < order.length; i++) {
			const a = assessEligibility(answers, ctx);
			expect(a.status).toBe('ask');
			if (a.status !== 'ask') return;
			expect(a.question).toBe(order[i]);
			expect(a.asked).toEqual(order.slice(0, i + 1));
			expect(a.programmeId).toBe(i === 0 ? null : PRIMARY);
			(answers as Record<string, unknown>)[answerKeyOf(a.question)] = ALL_YES[answerKeyOf(a.question)];
		}
		expect(assessEligibility(answers, ctx).status).toBe('done');
	});

	it('asks the next missing question even when later answers are present', () => {
		const { wantsWork: _omit, ...rest } = ALL_YES;
		const a = assessEligibility(rest, ctx);
		expect(a.status).toBe('ask');
		if (a.status === 'ask') expect(a.question).toBe('wants-work');
	});

	it('asks the secondary care questions of the programme it signposts to', () => {
		const a = assessEligibility(
			{ postcode: 'M14 5RT', dateOfBirth: '1985-03-27', healthCondition: 'yes', employment: 'off-sick', wantsWork: 'yes', secondaryCare: 'yes' },
			ctx
		);
		expect(a).toMatchObject({ status: 'ask', question: 'other-programme', programmeId: SECONDARY });
	});
});

describe('assessEligibility: outcomes', () => {
	it('is likely eligible for primary care when every answer is positive', () => {
		const a = assessEligibility(ALL_YES, ctx);
		expect(a).toEqual({
			status: 'done',
			asked: [...ELIGIBILITY_QUESTIONS],
			result: { outcome: 'likely-eligible', programmeId: PRIMARY, signpostedFrom: null, reasons: [] }
		});
	});

	it('accepts each supported employment situation', () => {
		for (const employment of ['out-of-work', 'off-sick', 'struggling-in-work'] as const) {
			expect(result(assessEligibility({ ...ALL_YES, employment }, ctx)).outcome).toBe('likely-eligible');
		}
	});

	it('normalises the postcode before matching it', () => {
		expect(result(assessEligibility({ ...ALL_YES, postcode: ' bl11aa ' }, ctx))).toMatchObject({ outcome: 'likely-eligible', programmeId: PRIMARY });
	});

	it('is not eligible out of area, with no programme', () => {
		const a = assessEligibility({ ...ALL_YES, postcode: 'SW1A 1AA' }, ctx);
		expect(a.asked).toEqual(['postcode']);
		expect(result(a)).toEqual({ outcome: 'not-eligible', programmeId: null, signpostedFrom: null, reasons: ['out-of-area'] });
	});

	it('is not eligible for a postcode it cannot read', () => {
		expect(result(assessEligibility({ ...ALL_YES, postcode: 'not a postcode' }, ctx))).toMatchObject({ outcome: 'not-eligible', reasons: ['out-of-area'] });
	});

	it('counts an out-of-area postcode as in area when the link names a practice in the programme', () => {
		const a = assessEligibility({ ...ALL_YES, postcode: 'SW1A 1AA' }, { ...ctx, linkOdsCode: 'P84001' });
		expect(result(a)).toEqual({ outcome: 'likely-eligible', programmeId: PRIMARY, signpostedFrom: null, reasons: [] });
	});

	it('does not count a practice that is not in any programme', () => {
		const a = assessEligibility({ ...ALL_YES, postcode: 'SW1A 1AA' }, { ...ctx, linkOdsCode: 'Y12345' });
		expect(result(a)).toMatchObject({ outcome: 'not-eligible', reasons: ['out-of-area'] });
	});

	it('is not eligible under 18', () => {
		const a = assessEligibility({ ...ALL_YES, dateOfBirth: '2008-11-24' }, ctx);
		expect(a.asked).toEqual(['postcode', 'date-of-birth']);
		expect(result(a)).toEqual({ outcome: 'not-eligible', programmeId: PRIMARY, signpostedFrom: null, reasons: ['too-young'] });
	});

	it('is eligible on the 18th birthday', () => {
		expect(result(assessEligibility({ ...ALL_YES, dateOfBirth: '2008-11-23' }, ctx)).outcome).toBe('likely-eligible');
	});

	it('has no upper age limit in the seed programmes', () => {
		expect(result(assessEligibility({ ...ALL_YES, dateOfBirth: '1926-01-01' }, ctx)).outcome).toBe('likely-eligible');
	});

	it('is not eligible over a programme maximum age', () => {
		const capped = withRules(primary, { maxAge: 65 });
		const c = { ...ctx, programmes: [capped, secondary] };
		expect(result(assessEligibility({ ...ALL_YES, dateOfBirth: '1960-01-01' }, c))).toMatchObject({ outcome: 'not-eligible', reasons: ['too-old'] });
		expect(result(assessEligibility({ ...ALL_YES, dateOfBirth: '1960-12-01' }, c)).outcome).toBe('likely-eligible');
	});

	it('applies the maximum age of the programme a person is pointed to', () => {
		const cappedSecondary = withRules(secondary, { maxAge: 65 });
		const c = { ...ctx, programmes: [primary, cappedSecondary] };
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', dateOfBirth: '1950-01-01' }, c))).toMatchObject({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			signpostedFrom: PRIMARY,
			reasons: ['too-old']
		});
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', dateOfBirth: '1985-03-27' }, c)).programmeId).toBe(SECONDARY);
	});

	it('is not eligible with no health condition', () => {
		expect(result(assessEligibility({ ...ALL_YES, healthCondition: 'no' }, ctx))).toMatchObject({
			outcome: 'not-eligible',
			programmeId: PRIMARY,
			reasons: ['no-health-condition']
		});
	});

	it('is not eligible when in work with health not affecting work', () => {
		const a = assessEligibility({ ...ALL_YES, employment: 'in-work-ok' }, ctx);
		expect(result(a)).toEqual({ outcome: 'not-eligible', programmeId: PRIMARY, signpostedFrom: null, reasons: ['employment-status'] });
	});

	it('is not eligible when the person does not want work', () => {
		expect(result(assessEligibility({ ...ALL_YES, wantsWork: 'no' }, ctx))).toMatchObject({ outcome: 'not-eligible', reasons: ['does-not-want-work'] });
	});

	it('is not eligible when already on another employment programme', () => {
		expect(result(assessEligibility({ ...ALL_YES, otherProgramme: 'yes' }, ctx))).toEqual({
			outcome: 'not-eligible',
			programmeId: PRIMARY,
			signpostedFrom: null,
			reasons: ['other-programme']
		});
	});

	it('is not eligible without the right to work', () => {
		expect(result(assessEligibility({ ...ALL_YES, rightToWork: 'no' }, ctx))).toEqual({
			outcome: 'not-eligible',
			programmeId: PRIMARY,
			signpostedFrom: null,
			reasons: ['no-right-to-work']
		});
	});

	it('does not ask about other programmes or right to work when a programme does not need them', () => {
		const open = withRules(primary, { excludeOtherEmploymentProgrammes: false, requireRightToWork: false });
		const { otherProgramme: _o, rightToWork: _r, ...rest } = ALL_YES;
		const a = assessEligibility(rest, { ...ctx, programmes: [open, secondary] });
		expect(a.asked).toEqual(['postcode', 'date-of-birth', 'health-condition', 'employment', 'wants-work', 'secondary-care']);
		expect(result(a).outcome).toBe('likely-eligible');
	});

	it('does not ask about secondary care when a programme ignores it', () => {
		const ignoring = withRules(primary, { secondaryCare: 'ignore', signpostProgrammeId: null });
		const { secondaryCare: _s, ...rest } = ALL_YES;
		const a = assessEligibility(rest, { ...ctx, programmes: [ignoring] });
		expect(a.asked).not.toContain('secondary-care');
		expect(result(a).outcome).toBe('likely-eligible');
	});
});

describe('assessEligibility: secondary care', () => {
	it('signposts people in secondary care to the secondary care programme, never refusing them', () => {
		const a = assessEligibility({ ...ALL_YES, secondaryCare: 'yes' }, ctx);
		expect(result(a)).toEqual({ outcome: 'likely-eligible', programmeId: SECONDARY, signpostedFrom: PRIMARY, reasons: [] });
		expect(a.asked).toEqual([...ELIGIBILITY_QUESTIONS]);
	});

	it('keeps the signpost on later refusals', () => {
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', rightToWork: 'no' }, ctx))).toEqual({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			signpostedFrom: PRIMARY,
			reasons: ['no-right-to-work']
		});
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', employment: 'in-work-ok' }, ctx))).toEqual({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			signpostedFrom: PRIMARY,
			reasons: ['employment-status']
		});
	});

	it('applies the rules of the programme signposted to', () => {
		const strict = withRules(secondary, { employmentStatuses: ['out-of-work'] });
		const c = { ...ctx, programmes: [primary, strict] };
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', employment: 'off-sick' }, c))).toMatchObject({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			signpostedFrom: PRIMARY,
			reasons: ['employment-status']
		});
		// The same person without secondary care is fine in primary care.
		expect(result(assessEligibility({ ...ALL_YES, employment: 'off-sick' }, c)).outcome).toBe('likely-eligible');
	});

	it('applies the minimum age of the programme signposted to', () => {
		const older = withRules(secondary, { minAge: 21 });
		const c = { ...ctx, programmes: [primary, older] };
		expect(result(assessEligibility({ ...ALL_YES, dateOfBirth: '2006-01-01', secondaryCare: 'yes' }, c))).toMatchObject({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			reasons: ['too-young']
		});
	});

	it('sends people to a specialist when there is no secondary care service for them', () => {
		// In area only through the GP practice; the secondary programme has no practices.
		const a = assessEligibility({ ...ALL_YES, postcode: 'SW1A 1AA', secondaryCare: 'yes' }, { ...ctx, linkOdsCode: 'P84001' });
		expect(result(a)).toEqual({ outcome: 'talk-to-specialist', programmeId: PRIMARY, signpostedFrom: null, reasons: ['no-secondary-service'] });
		// And when the signpost target is missing altogether.
		const b = assessEligibility({ ...ALL_YES, secondaryCare: 'yes' }, { ...ctx, programmes: [primary] });
		expect(result(b)).toMatchObject({ outcome: 'talk-to-specialist', programmeId: PRIMARY, reasons: ['no-secondary-service'] });
	});

	it('refuses people outside secondary care when secondary care is the only programme', () => {
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'no' }, { ...ctx, programmes: [secondary] }))).toEqual({
			outcome: 'not-eligible',
			programmeId: SECONDARY,
			signpostedFrom: null,
			reasons: ['secondary-care-required']
		});
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes' }, { ...ctx, programmes: [secondary] }))).toEqual({
			outcome: 'likely-eligible',
			programmeId: SECONDARY,
			signpostedFrom: null,
			reasons: []
		});
	});
});

describe('assessEligibility: "not sure" never refuses', () => {
	const cases = [
		['healthCondition', 'unsure-health-condition'],
		['wantsWork', 'unsure-wants-work'],
		['secondaryCare', 'unsure-secondary-care'],
		['otherProgramme', 'unsure-other-programme'],
		['rightToWork', 'unsure-right-to-work']
	] as const;

	for (const [key, reason] of cases) {
		it(`${key} "not-sure" leads to talk to a specialist (${reason})`, () => {
			const a = assessEligibility({ ...ALL_YES, [key]: 'not-sure' }, ctx);
			expect(a.asked).toEqual([...ELIGIBILITY_QUESTIONS]);
			expect(result(a)).toEqual({ outcome: 'talk-to-specialist', programmeId: PRIMARY, signpostedFrom: null, reasons: [reason] });
		});
	}

	it('collects every uncertain answer, in question order', () => {
		const a = assessEligibility(
			{ ...ALL_YES, healthCondition: 'not-sure', wantsWork: 'not-sure', secondaryCare: 'not-sure', otherProgramme: 'not-sure', rightToWork: 'not-sure' },
			ctx
		);
		expect(result(a)).toEqual({
			outcome: 'talk-to-specialist',
			programmeId: PRIMARY,
			signpostedFrom: null,
			reasons: cases.map(([, reason]) => reason)
		});
	});

	it('still refuses on a definite "no" after an uncertain answer', () => {
		expect(result(assessEligibility({ ...ALL_YES, wantsWork: 'not-sure', rightToWork: 'no' }, ctx))).toMatchObject({
			outcome: 'not-eligible',
			reasons: ['no-right-to-work']
		});
	});

	it('keeps the signpost when unsure later on', () => {
		expect(result(assessEligibility({ ...ALL_YES, secondaryCare: 'yes', otherProgramme: 'not-sure' }, ctx))).toEqual({
			outcome: 'talk-to-specialist',
			programmeId: SECONDARY,
			signpostedFrom: PRIMARY,
			reasons: ['unsure-other-programme']
		});
	});
});

describe('assessEligibility is pure', () => {
	it('does not change its inputs and gives the same answer twice', () => {
		const answers = { ...ALL_YES, secondaryCare: 'yes' as const };
		const before = JSON.stringify({ answers, programmes });
		const first = assessEligibility(answers, ctx);
		const second = assessEligibility(answers, ctx);
		expect(second).toEqual(first);
		expect(JSON.stringify({ answers, programmes })).toBe(before);
	});

	it('depends on the given today, not the clock', () => {
		const answers = { ...ALL_YES, dateOfBirth: '2010-06-15' };
		expect(result(assessEligibility(answers, { ...ctx, today: '2028-06-14' })).reasons).toEqual(['too-young']);
		expect(result(assessEligibility(answers, { ...ctx, today: '2028-06-15' })).outcome).toBe('likely-eligible');
	});
});
