/** The pages of the eligibility checker, in the order the rules engine asks them. */
import { z } from 'zod';
import { choice, dateOfBirth, multiChoice, postcode, type Field, type Option } from './fields';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_STATUS_STAFF_LABELS, type EmploymentStatus } from './programme';
import { YNN, yesNoNotSure, type AnswersOf, type QuestionPage } from './question-page';
import type { Programme } from './programme';

/**
 * The exclusion and routing questions (secondary mental health care, another employment programme, the
 * right to work) are asked together on one page, "Do any of these apply to you?", with an exclusive "None
 * of these" and an "I'm not sure" that leads to one more page asking which. The rules engine still reads
 * its own answers (secondaryCare, otherProgramme, rightToWork): circumstanceAnswers derives them, so the
 * rules and their outcomes do not change.
 */
export const STATEMENTS = ['secondary-care', 'other-programme', 'no-right-to-work'] as const;
export type Statement = (typeof STATEMENTS)[number];

const STATEMENT_OPTIONS: Record<Statement, Option> = {
	'secondary-care': {
		value: 'secondary-care',
		label: 'I get support from a community mental health team or another secondary mental health service',
		staffLabel: 'Gets support from a secondary mental health service',
		hint: 'For example, a care coordinator or an early intervention in psychosis team. Not your GP or NHS Talking Therapies.'
	},
	'other-programme': {
		value: 'other-programme',
		label: 'I am on another employment programme',
		staffLabel: 'On another employment programme',
		hint: 'For example, Restart, Connect to Work or WorkWell. Support from a Jobcentre work coach does not count.'
	},
	'no-right-to-work': {
		value: 'no-right-to-work',
		label: 'I do not have the right to work in the UK',
		staffLabel: 'No right to work in the UK',
		hint: 'British and Irish citizens, and people with settled status or a visa that lets them work, have the right to work.'
	}
};

const CIRCUMSTANCE_OPTIONS: Option[] = [
	...STATEMENTS.map((s) => STATEMENT_OPTIONS[s]),
	{ value: 'not-sure', label: 'I’m not sure about one of these', staffLabel: 'Not sure about one of these', hint: 'We will ask which one next.' },
	{ value: 'none', label: 'None of these', exclusive: true }
];

const NOT_SURE_OPTIONS: Option[] = STATEMENTS.map((s) => ({
	...STATEMENT_OPTIONS[s],
	label: { 'secondary-care': 'Whether I get support from a secondary mental health service', 'other-programme': 'Whether I am on another employment programme', 'no-right-to-work': 'Whether I have the right to work in the UK' }[s],
	staffLabel: { 'secondary-care': 'Secondary mental health care', 'other-programme': 'Another employment programme', 'no-right-to-work': 'Right to work in the UK' }[s]
}));

const exclusiveOk = (options: Option[]) => (vs: string[]) => {
	const exclusive = options.filter((o) => o.exclusive).map((o) => o.value);
	return !(vs.some((v) => exclusive.includes(v)) && vs.length > 1);
};

/** The rules engine's own answers, kept on the referral and in its events as before the pages were combined. */
const CIRCUMSTANCE_ANSWER_FIELDS: Field[] = [
	{ kind: 'radios', name: 'secondaryCare', label: 'Do you get support from a community mental health team or another secondary mental health service?', options: yesNoNotSure },
	{ kind: 'radios', name: 'otherProgramme', label: 'Are you on another employment programme at the moment?', options: yesNoNotSure },
	{ kind: 'radios', name: 'rightToWork', label: 'Do you have the right to work in the UK?', options: yesNoNotSure }
];

type YesNoNotSure = (typeof YNN)[number];
export interface CircumstanceAnswers {
	secondaryCare: YesNoNotSure | undefined;
	otherProgramme: YesNoNotSure | undefined;
	rightToWork: YesNoNotSure | undefined;
}

/**
 * The engine's answers from the combined page (and the "not sure" page): a statement ticked is a yes
 * (for the right to work, a no); one the person is not sure about is "not-sure"; any other is the answer
 * that lets them through. While "I'm not sure" is ticked and the next page is not answered yet, the
 * statements not ticked have no answer (undefined), so the engine asks again and the next page shows.
 * Every key is returned, so saving it replaces what an earlier answer derived.
 */
export function circumstanceAnswers(answers: { circumstances?: readonly string[] | null; notSureAbout?: readonly string[] | null }): CircumstanceAnswers | null {
	const ticked = answers.circumstances;
	if (!ticked) return null;
	const unsure = ticked.includes('not-sure');
	const pending = unsure && !answers.notSureAbout;
	const answer = (s: Statement, yes: YesNoNotSure, no: YesNoNotSure): YesNoNotSure | undefined =>
		ticked.includes(s) ? yes : pending ? undefined : unsure && answers.notSureAbout!.includes(s) ? 'not-sure' : no;
	return {
		secondaryCare: answer('secondary-care', 'yes', 'no'),
		otherProgramme: answer('other-programme', 'yes', 'no'),
		rightToWork: answer('no-right-to-work', 'no', 'yes')
	};
}

/** The statements a programme's rules may ask about (with those of the programme it signposts to). */
export function statementsFor(programme: Programme | null, programmes: readonly Programme[]): Statement[] {
	if (!programme) return [...STATEMENTS];
	const target = programme.rules.secondaryCare === 'signpost' ? programmes.find((p) => p.id === programme.rules.signpostProgrammeId) : undefined;
	const rules = [programme.rules, ...(target ? [target.rules] : [])];
	return STATEMENTS.filter((s) =>
		s === 'secondary-care'
			? programme.rules.secondaryCare !== 'ignore'
			: s === 'other-programme'
				? rules.some((r) => r.excludeOtherEmploymentProgrammes)
				: rules.some((r) => r.requireRightToWork)
	);
}

/** The engine's questions that the combined page answers. */
export const COMBINED_QUESTIONS = ['secondary-care', 'other-programme', 'right-to-work'] as const;

const pages = [
	{
		id: 'postcode',
		flow: 'check',
		heading: 'What is your postcode?',
		hint: 'We use this to find the service for where you live. For example, M1 1AE.',
		summaryLabel: 'Postcode',
		fields: [{ kind: 'text', name: 'postcode', label: 'What is your postcode?', autocomplete: 'postal-code', width: 'short', spellcheck: false }],
		schema: () => z.object({ postcode: postcode() })
	},
	{
		id: 'date-of-birth',
		flow: 'check',
		heading: 'What is your date of birth?',
		hint: 'For example, 27 3 1985',
		summaryLabel: 'Date of birth',
		fields: [{ kind: 'date', name: 'dateOfBirth', label: 'What is your date of birth?', autocomplete: 'bday' }],
		schema: (ctx) => z.object({ dateOfBirth: dateOfBirth(ctx.today) })
	},
	{
		id: 'health-condition',
		flow: 'check',
		heading: 'Do you have a health condition or disability that affects your work, or makes it harder to find work?',
		hint: 'This can be a physical or mental health condition, or both. It does not need a diagnosis.',
		summaryLabel: 'Health affects work',
		fields: [{ kind: 'radios', name: 'healthCondition', label: 'Do you have a health condition or disability that affects your work, or makes it harder to find work?', options: yesNoNotSure }],
		schema: () => z.object({ healthCondition: choice(YNN, 'Select yes, no or I’m not sure') })
	},
	{
		id: 'employment',
		flow: 'check',
		heading: 'Which of these best describes you at the moment?',
		summaryLabel: 'Work at the moment',
		fields: [
			{
				kind: 'radios',
				name: 'employment',
				label: 'Which of these best describes you at the moment?',
				options: (Object.keys(EMPLOYMENT_STATUSES) as EmploymentStatus[]).map((value) => ({
					value,
					label: EMPLOYMENT_STATUSES[value],
					staffLabel: EMPLOYMENT_STATUS_STAFF_LABELS[value]
				}))
			}
		],
		schema: () =>
			z.object({ employment: choice(Object.keys(EMPLOYMENT_STATUSES) as EmploymentStatus[], 'Select what best describes you at the moment') })
	},
	{
		id: 'wants-work',
		flow: 'check',
		heading: 'Would you like to find paid work, or stay in the job you have?',
		hint: 'Any kind of paid work counts, including part-time. If you are not sure yet, that is fine.',
		summaryLabel: 'Wants paid work',
		fields: [{ kind: 'radios', name: 'wantsWork', label: 'Would you like to find paid work, or stay in the job you have?', options: yesNoNotSure }],
		schema: () => z.object({ wantsWork: choice(YNN, 'Select yes, no or I’m not sure') })
	},
	{
		id: 'circumstances',
		flow: 'check',
		heading: 'Do any of these apply to you?',
		hint: 'Select all that apply.',
		summaryLabel: 'Do any of these apply',
		staffSummaryLabel: 'Which of these apply',
		fields: [{ kind: 'checkboxes', name: 'circumstances', label: 'Do any of these apply to you?', options: CIRCUMSTANCE_OPTIONS }],
		derived: CIRCUMSTANCE_ANSWER_FIELDS,
		// A new answer here asks "which are you not sure about" again when "I'm not sure" is still ticked.
		derive: (a) => ({ ...circumstanceAnswers({ circumstances: a.circumstances as string[] }), notSureAbout: undefined }),
		schema: () =>
			z.object({
				circumstances: multiChoice(
					CIRCUMSTANCE_OPTIONS.map((o) => o.value),
					'Select the ones that apply to you, or select none of these',
					'Select the ones that apply to you, or select none of these'
				).refine(exclusiveOk(CIRCUMSTANCE_OPTIONS), 'Select the ones that apply to you, or select none of these, not both')
			})
	},
	{
		id: 'not-sure',
		flow: 'check',
		heading: 'Which of these are you not sure about?',
		hint: 'Select all that you are not sure about. That is fine: a specialist can talk them through with you.',
		summaryLabel: 'Not sure about',
		derive: (a) => ({ ...circumstanceAnswers(a as { circumstances?: string[]; notSureAbout?: string[] }) }),
		fields: [{ kind: 'checkboxes', name: 'notSureAbout', label: 'Which of these are you not sure about?', options: NOT_SURE_OPTIONS }],
		schema: () =>
			z.object({
				notSureAbout: multiChoice(
					NOT_SURE_OPTIONS.map((o) => o.value),
					'Select what you are not sure about',
					'Select at least one thing you are not sure about'
				)
			})
	}
] satisfies QuestionPage[];

export const CHECK_PAGES: QuestionPage[] = pages;

/** The checker's answers, as its page schemas give them. */
export type CheckAnswers = AnswersOf<typeof pages> & { [K in keyof CircumstanceAnswers]?: CircumstanceAnswers[K] };
