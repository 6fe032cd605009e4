/** The pages of the eligibility checker, in the order the rules engine asks them. */
import { z } from 'zod';
import { choice, dateOfBirth, postcode } from './fields';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_STATUS_STAFF_LABELS, type EmploymentStatus } from './programme';
import { YNN, yesNoNotSure, type AnswersOf, type QuestionPage } from './question-page';

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
		id: 'secondary-care',
		flow: 'check',
		heading: 'Do you get support from a community mental health team or another secondary mental health service?',
		hint: 'For example, a care coordinator, a community mental health team (CMHT) or an early intervention in psychosis team. This is not the same as your GP or NHS Talking Therapies.',
		summaryLabel: 'Secondary mental health care',
		fields: [{ kind: 'radios', name: 'secondaryCare', label: 'Do you get support from a community mental health team or another secondary mental health service?', options: yesNoNotSure }],
		schema: () => z.object({ secondaryCare: choice(YNN, 'Select yes, no or I’m not sure') })
	},
	{
		id: 'other-programme',
		flow: 'check',
		heading: 'Are you on another employment programme at the moment?',
		hint: 'For example, Restart, Connect to Work or WorkWell. Support from a Jobcentre work coach does not count.',
		summaryLabel: 'On another employment programme',
		fields: [{ kind: 'radios', name: 'otherProgramme', label: 'Are you on another employment programme at the moment?', options: yesNoNotSure }],
		schema: () => z.object({ otherProgramme: choice(YNN, 'Select yes, no or I’m not sure') })
	},
	{
		id: 'right-to-work',
		flow: 'check',
		heading: 'Do you have the right to work in the UK?',
		hint: 'For example, you are a British or Irish citizen, or you have settled status or a visa that lets you work.',
		summaryLabel: 'Right to work in the UK',
		fields: [{ kind: 'radios', name: 'rightToWork', label: 'Do you have the right to work in the UK?', options: yesNoNotSure }],
		schema: () => z.object({ rightToWork: choice(YNN, 'Select yes, no or I’m not sure') })
	}
] satisfies QuestionPage[];

export const CHECK_PAGES: QuestionPage[] = pages;

/** The checker's answers, as its page schemas give them. */
export type CheckAnswers = AnswersOf<typeof pages>;
