/**
 * The eligibility rules engine. Pure: it takes the answers so far, the programmes and today's date, and
 * says which question to ask next or what the outcome is. Rules are programme data, never code.
 *
 * It never asks about job readiness, substance use, convictions, benefits, time out of work or
 * confidence (zero exclusion), and an uncertain answer never refuses: it leads to "talk to a specialist".
 */
import type { EmploymentStatus, Programme } from './programme';
import { normalisePostcode, postcodeArea, postcodeDistrict } from './postcode';

export type YesNoNotSure = 'yes' | 'no' | 'not-sure';

export interface EligibilityAnswers {
	postcode?: string;
	/** ISO date, YYYY-MM-DD */
	dateOfBirth?: string;
	healthCondition?: YesNoNotSure;
	employment?: EmploymentStatus;
	wantsWork?: YesNoNotSure;
	secondaryCare?: YesNoNotSure;
	otherProgramme?: YesNoNotSure;
	rightToWork?: YesNoNotSure;
}

export const ELIGIBILITY_QUESTIONS = [
	'postcode',
	'date-of-birth',
	'health-condition',
	'employment',
	'wants-work',
	'secondary-care',
	'other-programme',
	'right-to-work'
] as const;
export type EligibilityQuestion = (typeof ELIGIBILITY_QUESTIONS)[number];

const ANSWER_KEY: Record<EligibilityQuestion, keyof EligibilityAnswers> = {
	postcode: 'postcode',
	'date-of-birth': 'dateOfBirth',
	'health-condition': 'healthCondition',
	employment: 'employment',
	'wants-work': 'wantsWork',
	'secondary-care': 'secondaryCare',
	'other-programme': 'otherProgramme',
	'right-to-work': 'rightToWork'
};

export function answerKeyOf(question: EligibilityQuestion): keyof EligibilityAnswers {
	return ANSWER_KEY[question];
}

export type Outcome = 'likely-eligible' | 'talk-to-specialist' | 'not-eligible';

export type ReasonCode =
	| 'out-of-area'
	| 'too-young'
	| 'too-old'
	| 'no-health-condition'
	| 'employment-status'
	| 'does-not-want-work'
	| 'secondary-care-required'
	| 'other-programme'
	| 'no-right-to-work'
	// "talk to a specialist" reasons
	| 'unsure-health-condition'
	| 'unsure-wants-work'
	| 'unsure-secondary-care'
	| 'unsure-other-programme'
	| 'unsure-right-to-work'
	| 'no-secondary-service';

export interface EligibilityResult {
	outcome: Outcome;
	/** The programme the person would be referred to (or was checked against). Null when out of area. */
	programmeId: string | null;
	/** Set when the person was pointed from one programme to another (secondary care). */
	signpostedFrom: string | null;
	reasons: ReasonCode[];
}

export type Assessment =
	| { status: 'ask'; question: EligibilityQuestion; asked: EligibilityQuestion[]; programmeId: string | null }
	| { status: 'done'; result: EligibilityResult; asked: EligibilityQuestion[] };

export interface CheckContext {
	programmes: readonly Programme[];
	/** ISO date of today in the UK. */
	today: string;
	/** GP practice ODS code carried by the link the person arrived from, if any. */
	linkOdsCode?: string | null;
}

/** Whether a programme's area covers a postcode or the person's GP practice. */
export function programmeCovers(programme: Programme, postcode: string | null, odsCode?: string | null): boolean {
	if (odsCode && programme.area.gpPractices.includes(odsCode)) return true;
	if (!postcode) return false;
	const area = postcodeArea(postcode);
	const district = postcodeDistrict(postcode);
	return programme.area.postcodes.some((p) => p === area || p === district);
}

/**
 * The programme a person starts with: one covering their postcode (or GP practice) that does not require
 * secondary care, else any covering programme.
 */
export function chooseProgramme(programmes: readonly Programme[], postcode: string | null, odsCode?: string | null): Programme | null {
	const covering = programmes.filter((p) => programmeCovers(p, postcode, odsCode));
	return covering.find((p) => p.rules.secondaryCare !== 'require') ?? covering[0] ?? null;
}

/** Age in whole years on a given day (both ISO dates). */
export function ageOn(dateOfBirth: string, today: string): number {
	const [by, bm, bd] = dateOfBirth.split('-').map(Number);
	const [ty, tm, td] = today.split('-').map(Number);
	let age = ty - by;
	if (tm < bm || (tm === bm && td < bd)) age--;
	return age;
}

export function assessEligibility(answers: EligibilityAnswers, ctx: CheckContext): Assessment {
	const asked: EligibilityQuestion[] = [];
	const unsure: ReasonCode[] = [];
	const ask = (question: EligibilityQuestion, programme: Programme | null): Assessment => ({
		status: 'ask',
		question,
		asked,
		programmeId: programme?.id ?? null
	});
	const done = (outcome: Outcome, programme: Programme | null, reasons: ReasonCode[], signpostedFrom: string | null = null): Assessment => ({
		status: 'done',
		asked,
		result: { outcome, programmeId: programme?.id ?? null, signpostedFrom, reasons }
	});

	asked.push('postcode');
	if (!answers.postcode) return ask('postcode', null);
	const postcode = normalisePostcode(answers.postcode);
	let programme = chooseProgramme(ctx.programmes, postcode, ctx.linkOdsCode);
	if (!programme) return done('not-eligible', null, ['out-of-area']);
	let signpostedFrom: string | null = null;

	asked.push('date-of-birth');
	if (!answers.dateOfBirth) return ask('date-of-birth', programme);
	const age = ageOn(answers.dateOfBirth, ctx.today);
	if (age < programme.rules.minAge) return done('not-eligible', programme, ['too-young']);
	if (programme.rules.maxAge !== null && age > programme.rules.maxAge) return done('not-eligible', programme, ['too-old']);

	asked.push('health-condition');
	if (!answers.healthCondition) return ask('health-condition', programme);
	if (answers.healthCondition === 'no') return done('not-eligible', programme, ['no-health-condition']);
	if (answers.healthCondition === 'not-sure') unsure.push('unsure-health-condition');

	asked.push('employment');
	if (!answers.employment) return ask('employment', programme);

	asked.push('wants-work');
	if (!answers.wantsWork) return ask('wants-work', programme);
	if (answers.wantsWork === 'no') return done('not-eligible', programme, ['does-not-want-work']);
	if (answers.wantsWork === 'not-sure') unsure.push('unsure-wants-work');

	if (programme.rules.secondaryCare !== 'ignore') {
		asked.push('secondary-care');
		if (!answers.secondaryCare) return ask('secondary-care', programme);
		if (answers.secondaryCare === 'yes' && programme.rules.secondaryCare === 'signpost') {
			const target = ctx.programmes.find((p) => p.id === programme!.rules.signpostProgrammeId);
			if (target && programmeCovers(target, postcode, ctx.linkOdsCode)) {
				signpostedFrom = programme.id;
				programme = target;
			} else {
				unsure.push('no-secondary-service');
			}
		} else if (answers.secondaryCare === 'no' && programme.rules.secondaryCare === 'require') {
			return done('not-eligible', programme, ['secondary-care-required']);
		} else if (answers.secondaryCare === 'not-sure') {
			unsure.push('unsure-secondary-care');
		}
	}

	// Checked after a possible signpost, so the rules of the programme the person will join apply.
	if (!programme.rules.employmentStatuses.includes(answers.employment)) {
		return done('not-eligible', programme, ['employment-status'], signpostedFrom);
	}
	if (age < programme.rules.minAge) return done('not-eligible', programme, ['too-young'], signpostedFrom);
	if (programme.rules.maxAge !== null && age > programme.rules.maxAge) return done('not-eligible', programme, ['too-old'], signpostedFrom);

	if (programme.rules.excludeOtherEmploymentProgrammes) {
		asked.push('other-programme');
		if (!answers.otherProgramme) return ask('other-programme', programme);
		if (answers.otherProgramme === 'yes') return done('not-eligible', programme, ['other-programme'], signpostedFrom);
		if (answers.otherProgramme === 'not-sure') unsure.push('unsure-other-programme');
	}

	if (programme.rules.requireRightToWork) {
		asked.push('right-to-work');
		if (!answers.rightToWork) return ask('right-to-work', programme);
		if (answers.rightToWork === 'no') return done('not-eligible', programme, ['no-right-to-work'], signpostedFrom);
		if (answers.rightToWork === 'not-sure') unsure.push('unsure-right-to-work');
	}

	return done(unsure.length ? 'talk-to-specialist' : 'likely-eligible', programme, unsure, signpostedFrom);
}

/** Plain-English explanations, written to the person. */
export const REASON_TEXT: Record<ReasonCode, string> = {
	'out-of-area': 'We do not run a service where you live, or at your GP practice, yet.',
	'too-young': 'This service is for adults. You are younger than the age it can support.',
	'too-old': 'You are older than the age this service can support.',
	'no-health-condition':
		'This service is for people whose health condition or disability affects their work, or makes finding work harder.',
	'employment-status':
		'This service is for people who are out of work, off sick, or finding work hard because of their health.',
	'does-not-want-work':
		'This service helps people find or keep paid work. If you decide you would like to work, you can come back at any time.',
	'secondary-care-required':
		'This service is for people who get support from a community mental health team or other secondary mental health service.',
	'other-programme':
		'You told us you are on another employment programme. You cannot get support from two programmes at the same time.',
	'no-right-to-work': 'This service can only help people who have the right to work in the UK.',
	'unsure-health-condition': 'You were not sure whether your health affects your work.',
	'unsure-wants-work': 'You were not sure whether you want to work. That is fine: a specialist can talk it through with you.',
	'unsure-secondary-care': 'You were not sure whether you get support from a secondary mental health service.',
	'unsure-other-programme': 'You were not sure whether you are on another employment programme.',
	'unsure-right-to-work': 'You were not sure about your right to work in the UK.',
	'no-secondary-service':
		'You get support from a secondary mental health service, and we could not find a matching service for your area.'
};
