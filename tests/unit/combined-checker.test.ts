/**
 * The exclusion and routing questions (secondary mental health care, another employment programme, the
 * right to work) are asked on one page, "Do any of these apply to you?", with "Which of these are you not
 * sure about?" after it when needed (issue 22). The rules did not change: for every answer the three old
 * questions could take, under every kind of programme rule, the answers the new pages derive lead the rules
 * engine to the same outcome, programme, reasons and signpost as before, and the pages shown are the ones the
 * engine asks for.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circumstanceAnswers, statementsFor, type Statement } from '../../src/lib/domain/check-pages';
import { assessEligibility, type EligibilityAnswers, type YesNoNotSure } from '../../src/lib/domain/eligibility';
import { checkHref, checkPagesReached } from '../../src/lib/domain/journey';
import { programmeSeedFileSchema, type Programme } from '../../src/lib/domain/programme';

const seedPath = fileURLToPath(new URL('../../seed/programmes.json', import.meta.url));
const seeded = programmeSeedFileSchema.parse(JSON.parse(readFileSync(seedPath, 'utf8'))).programmes;
const primary = seeded.find((p) => p.id === 'gm-ips-primary-care')!;
const secondary = seeded.find((p) => p.id === 'gm-ips-secondary-care')!;

/** Programme rule sets to try: as seeded, and with each rule turned the other way. */
function ruleSets(): { name: string; programmes: Programme[] }[] {
	const withRules = (p: Programme, rules: Partial<Programme['rules']>): Programme => ({ ...p, rules: { ...p.rules, ...rules } });
	return [
		{ name: 'as seeded', programmes: seeded },
		{ name: 'primary ignores secondary care', programmes: [withRules(primary, { secondaryCare: 'ignore' }), secondary] },
		{ name: 'primary requires secondary care', programmes: [withRules(primary, { secondaryCare: 'require' })] },
		{ name: 'signpost target missing', programmes: [primary] },
		{ name: 'no other-programme rule', programmes: [withRules(primary, { excludeOtherEmploymentProgrammes: false }), withRules(secondary, { excludeOtherEmploymentProgrammes: false })] },
		{ name: 'no right-to-work rule', programmes: [withRules(primary, { requireRightToWork: false }), withRules(secondary, { requireRightToWork: false })] },
		{ name: 'only the signpost target asks the right to work', programmes: [withRules(primary, { requireRightToWork: false }), secondary] },
		{ name: 'no rules at all', programmes: [withRules(primary, { secondaryCare: 'ignore', excludeOtherEmploymentProgrammes: false, requireRightToWork: false })] }
	];
}

const VALUES: YesNoNotSure[] = ['yes', 'no', 'not-sure'];
const TODAY = '2026-12-06';
const BASE: EligibilityAnswers = { postcode: 'M14 5RT', dateOfBirth: '1985-03-27', healthCondition: 'yes', employment: 'out-of-work', wantsWork: 'yes' };

/** What a person who would have answered the three old questions so ticks on the new pages. */
function ticksFor(old: { secondaryCare: YesNoNotSure; otherProgramme: YesNoNotSure; rightToWork: YesNoNotSure }, shown: readonly Statement[]) {
	const applies: Statement[] = [];
	const unsure: Statement[] = [];
	const put = (s: Statement, v: YesNoNotSure, yes: YesNoNotSure) => {
		if (!shown.includes(s)) return;
		if (v === 'not-sure') unsure.push(s);
		else if (v === yes) applies.push(s);
	};
	put('secondary-care', old.secondaryCare, 'yes');
	put('other-programme', old.otherProgramme, 'yes');
	put('no-right-to-work', old.rightToWork, 'no');
	const circumstances: string[] = [...applies, ...(unsure.length ? ['not-sure'] : [])];
	return { circumstances: circumstances.length ? circumstances : ['none'], notSureAbout: unsure.length ? unsure : undefined };
}

describe('"Do any of these apply to you?" keeps every outcome of the three questions it replaced', () => {
	for (const { name, programmes } of ruleSets()) {
		it(name, () => {
			const ctx = { programmes, today: TODAY };
			let compared = 0;
			for (const employment of ['out-of-work', 'off-sick', 'in-work-ok'] as const)
				for (const secondaryCare of VALUES)
					for (const otherProgramme of VALUES)
						for (const rightToWork of VALUES) {
							const base = { ...BASE, employment };
							const before = assessEligibility({ ...base, secondaryCare, otherProgramme, rightToWork }, ctx);

							// The pages: the engine first asks one of the combined questions, so the combined page shows,
							// listing what this programme's rules ask about.
							const asking = assessEligibility(base, ctx);
							if (asking.status === 'done') {
								// No combined question for these rules: the old flow asked none either.
								expect(before).toEqual(asking);
								compared++;
								continue;
							}
							expect(checkHref(asking, {})).toBe('/check/circumstances');
							const shown = statementsFor(programmes.find((p) => p.id === asking.programmeId)!, programmes);
							const ticks = ticksFor({ secondaryCare, otherProgramme, rightToWork }, shown);

							// Saving the combined page: with "I'm not sure" ticked the engine asks again, and the next page
							// is "Which of these are you not sure about?".
							const first = { ...base, circumstances: ticks.circumstances, ...circumstanceAnswers({ circumstances: ticks.circumstances }) };
							const middle = assessEligibility(first as EligibilityAnswers, ctx);
							const answers = ticks.notSureAbout
								? { ...first, notSureAbout: ticks.notSureAbout, ...circumstanceAnswers({ circumstances: ticks.circumstances, notSureAbout: ticks.notSureAbout }) }
								: first;
							if (ticks.notSureAbout && middle.status === 'ask') {
								expect(checkHref(middle, first)).toBe('/check/not-sure');
								expect(checkPagesReached(middle.asked, first)).toContain('not-sure');
							}
							const after = assessEligibility(answers as EligibilityAnswers, ctx);
							expect(after.status, JSON.stringify({ secondaryCare, otherProgramme, rightToWork, ticks })).toBe('done');
							expect(before.status).toBe('done');
							if (after.status !== 'done' || before.status !== 'done') continue;
							expect(after.result, JSON.stringify({ employment, secondaryCare, otherProgramme, rightToWork, ticks })).toEqual(before.result);
							compared++;
						}
			expect(compared).toBeGreaterThan(0);
		});
	}

	it('a statement the programme does not ask about is not shown, and "None of these" lets the person through', () => {
		expect(statementsFor(primary, seeded)).toEqual(['secondary-care', 'other-programme', 'no-right-to-work']);
		const noRules = { ...primary, rules: { ...primary.rules, secondaryCare: 'ignore' as const, excludeOtherEmploymentProgrammes: false, requireRightToWork: true } };
		expect(statementsFor(noRules, [noRules])).toEqual(['no-right-to-work']);
		expect(circumstanceAnswers({ circumstances: ['none'] })).toEqual({ secondaryCare: 'no', otherProgramme: 'no', rightToWork: 'yes' });
		expect(circumstanceAnswers({ circumstances: ['secondary-care', 'not-sure'] })).toEqual({ secondaryCare: 'yes', otherProgramme: undefined, rightToWork: undefined });
		expect(circumstanceAnswers({ circumstances: ['secondary-care', 'not-sure'], notSureAbout: ['no-right-to-work'] })).toEqual({
			secondaryCare: 'yes',
			otherProgramme: 'no',
			rightToWork: 'not-sure'
		});
	});
});
