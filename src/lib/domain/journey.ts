/**
 * The question pages of the eligibility checker and the self-referral, one question per page.
 * Each page lists its fields (for rendering) and builds its zod schema (for validation on the server).
 */
import { z } from 'zod';
import { CONSENTS } from './consents';
import {
	choice,
	consent,
	dateOfBirth,
	email,
	isValidNhsNumber,
	multiChoice,
	optionalChoice,
	optionalText,
	postcode,
	requiredText,
	ukPhone,
	type Field,
	type Option
} from './fields';
import { EMPLOYMENT_STATUSES, type EmploymentStatus } from './programme';
import { SOURCES, SOURCE_CODES } from './sources';
import { formatDate } from './uk-time';

export type Flow = 'check' | 'refer';

export interface SchemaContext {
	/** ISO date of today in the UK */
	today: string;
	/** ISO timestamp now */
	now: () => string;
}

export interface PageContext {
	answers: Record<string, unknown>;
	/** True when the draft already knows where the person came from (a /r/ link). */
	hasSource: boolean;
}

export interface QuestionPage {
	id: string;
	flow: Flow;
	/** The page heading: the question. */
	heading: string;
	hint?: string;
	/** Why we ask, shown under the question for optional and sensitive questions. */
	why?: string;
	/** Optional questions say so in the heading area and can be left blank. */
	optional?: boolean;
	fields: Field[];
	schema: (ctx: SchemaContext) => z.ZodType;
	/** Short label for the check-your-answers list. */
	summaryLabel: string;
	showIf?: (ctx: PageContext) => boolean;
}

const yesNoNotSure: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' },
	{ value: 'not-sure', label: 'I’m not sure' }
];
const YNN = ['yes', 'no', 'not-sure'] as const;
const yesNo: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' }
];
const YN = ['yes', 'no'] as const;

// ---- eligibility checker ------------------------------------------------------------------------

export const CHECK_PAGES: QuestionPage[] = [
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
				options: (Object.keys(EMPLOYMENT_STATUSES) as EmploymentStatus[]).map((value) => ({ value, label: EMPLOYMENT_STATUSES[value] }))
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
];

// ---- self-referral -----------------------------------------------------------------------------

const CHANNELS: Option[] = [
	{ value: 'phone', label: 'Phone call' },
	{ value: 'text', label: 'Text message' },
	{ value: 'email', label: 'Email' },
	{ value: 'video', label: 'Video call' },
	{ value: 'in-person', label: 'Meeting in person' }
];
const TIMES: Option[] = [
	{ value: 'weekday-morning', label: 'Weekday mornings' },
	{ value: 'weekday-afternoon', label: 'Weekday afternoons' },
	{ value: 'weekday-evening', label: 'Weekday evenings' },
	{ value: 'weekend', label: 'Weekends' },
	{ value: 'any', label: 'Any time', exclusive: true }
];
const CONDITION_CATEGORIES: Option[] = [
	{ value: 'mental-health', label: 'Mental health condition', hint: 'For example, depression or anxiety' },
	{ value: 'musculoskeletal', label: 'Muscle, joint or back condition' },
	{ value: 'long-term-illness', label: 'Long-term illness', hint: 'For example, diabetes, heart disease or long COVID' },
	{ value: 'neurodivergent', label: 'Neurodivergence', hint: 'For example, autism, ADHD or dyslexia' },
	{ value: 'learning-disability', label: 'Learning disability or difficulty' },
	{ value: 'sensory', label: 'Sight or hearing condition' },
	{ value: 'physical', label: 'Physical disability or mobility' },
	{ value: 'other', label: 'Something else' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say', exclusive: true }
];
const IMPACT: Option[] = [
	{ value: 'a-lot', label: 'Yes, a lot' },
	{ value: 'a-little', label: 'Yes, a little' },
	{ value: 'not-at-all', label: 'No, not at all' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say' }
];
const COMMUNICATION: Option[] = [
	{ value: 'interpreter', label: 'A spoken language interpreter' },
	{ value: 'bsl', label: 'A British Sign Language (BSL) interpreter' },
	{ value: 'easy-read', label: 'Easy read information' },
	{ value: 'large-print', label: 'Large print' },
	{ value: 'none', label: 'I do not need any of these', exclusive: true }
];
const GENDER: Option[] = [
	{ value: 'woman', label: 'Woman' },
	{ value: 'man', label: 'Man' },
	{ value: 'non-binary', label: 'Non-binary' },
	{ value: 'self-describe', label: 'I describe myself another way' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say' }
];
const ETHNICITY: Option[] = [
	{ value: 'asian', label: 'Asian or Asian British' },
	{ value: 'black', label: 'Black, Black British, Caribbean or African' },
	{ value: 'mixed', label: 'Mixed or multiple ethnic groups' },
	{ value: 'white', label: 'White' },
	{ value: 'other', label: 'Another ethnic group' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say' }
];
const REFERRER_CONTACT: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' },
	{ value: 'no-referrer', label: 'Nobody referred me' }
];

const values = (options: Option[]) => options.map((o) => o.value);
const exclusiveOk = (options: Option[]) => (vs: string[]) => {
	const exclusive = options.filter((o) => o.exclusive).map((o) => o.value);
	return !(vs.some((v) => exclusive.includes(v)) && vs.length > 1);
};
const askableSources: Option[] = SOURCE_CODES.filter((c) => SOURCES[c].askable).map((c) => ({ value: c, label: SOURCES[c].label }));
const inWork = (answers: Record<string, unknown>) => answers.employment === 'off-sick' || answers.employment === 'struggling-in-work';

export const REFER_PAGES: QuestionPage[] = [
	{
		id: 'name',
		flow: 'refer',
		heading: 'What is your name?',
		summaryLabel: 'Name',
		fields: [
			{ kind: 'text', name: 'givenName', label: 'First name', autocomplete: 'given-name', spellcheck: false },
			{ kind: 'text', name: 'familyName', label: 'Last name', autocomplete: 'family-name', spellcheck: false }
		],
		schema: () =>
			z.object({
				givenName: requiredText('Enter your first name', 100, 'First name must be 100 characters or fewer'),
				familyName: requiredText('Enter your last name', 100, 'Last name must be 100 characters or fewer')
			})
	},
	{
		id: 'preferred-name',
		flow: 'refer',
		heading: 'What should we call you?',
		optional: true,
		why: 'So we use the name and pronouns you want. You can leave these blank.',
		summaryLabel: 'Preferred name and pronouns',
		fields: [
			{ kind: 'text', name: 'preferredName', label: 'Preferred name (optional)', autocomplete: 'nickname', spellcheck: false },
			{ kind: 'text', name: 'pronouns', label: 'Pronouns (optional)', hint: 'For example, she/her, he/him or they/them', width: 'medium' }
		],
		schema: () =>
			z.object({
				preferredName: optionalText(100, 'Preferred name must be 100 characters or fewer'),
				pronouns: optionalText(40, 'Pronouns must be 40 characters or fewer')
			})
	},
	{
		id: 'contact-details',
		flow: 'refer',
		heading: 'How can we contact you?',
		hint: 'Give at least one: a phone number or an email address.',
		summaryLabel: 'Contact details',
		fields: [
			{ kind: 'text', name: 'phone', label: 'Phone number', type: 'tel', autocomplete: 'tel', inputmode: 'tel', width: 'medium', hint: 'For example, 07700 900 982' },
			{ kind: 'text', name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', inputmode: 'email', spellcheck: false }
		],
		schema: () =>
			z
				.object({ phone: ukPhone(), email: email(null) })
				.superRefine((v, ctx) => {
					if (!v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Enter a phone number or an email address' });
				})
	},
	{
		id: 'contact-methods',
		flow: 'refer',
		heading: 'How would you like us to contact you?',
		hint: 'Select all that you are happy with.',
		summaryLabel: 'Ways to contact you',
		fields: [{ kind: 'checkboxes', name: 'contactChannels', label: 'How would you like us to contact you?', options: CHANNELS }],
		schema: () => z.object({ contactChannels: multiChoice(values(CHANNELS), 'Select how you would like us to contact you', 'Select at least one way we can contact you') })
	},
	{
		id: 'best-times',
		flow: 'refer',
		heading: 'When is the best time to contact you?',
		hint: 'Select all that apply. If you work, we can call before or after work, in the evening or at weekends.',
		summaryLabel: 'Best times',
		fields: [{ kind: 'checkboxes', name: 'bestTimes', label: 'When is the best time to contact you?', options: TIMES }],
		schema: () =>
			z.object({
				bestTimes: multiChoice(values(TIMES), 'Select when is best', 'Select at least one time, or select any time').refine(
					exclusiveOk(TIMES),
					'Select times, or select any time, not both'
				)
			})
	},
	{
		id: 'messages',
		flow: 'refer',
		heading: 'If we cannot reach you, can we leave a voicemail or text that says who we are?',
		hint: 'Say no if someone else might hear or see your messages. We will then leave no details.',
		summaryLabel: 'Voicemail or text can say who we are',
		fields: [{ kind: 'radios', name: 'messagesMayNameService', label: 'If we cannot reach you, can we leave a voicemail or text that says who we are?', options: yesNo }],
		schema: () => z.object({ messagesMayNameService: choice(YN, 'Select yes or no') })
	},
	{
		id: 'post',
		flow: 'refer',
		heading: 'Can we send you letters in the post?',
		summaryLabel: 'Letters in the post',
		fields: [{ kind: 'radios', name: 'postAllowed', label: 'Can we send you letters in the post?', options: yesNo }],
		schema: () => z.object({ postAllowed: choice(YN, 'Select yes or no') })
	},
	{
		id: 'condition',
		flow: 'refer',
		heading: 'Tell us about your health and how it affects work',
		hint: 'In your own words. A few sentences is enough. You do not need a diagnosis.',
		why: 'This helps your employment specialist understand what support might help. Only the service team can see it.',
		summaryLabel: 'Your health',
		fields: [{ kind: 'textarea', name: 'conditionDescription', label: 'Tell us about your health and how it affects work', rows: 5, maxLength: 2000 }],
		schema: () =>
			z.object({
				conditionDescription: requiredText('Tell us about your health in a few words', 2000, 'Your answer must be 2,000 characters or fewer')
			})
	},
	{
		id: 'condition-types',
		flow: 'refer',
		heading: 'Which of these describe your health condition?',
		hint: 'Select all that apply.',
		optional: true,
		why: 'Services use this to make sure they reach people with all kinds of conditions. You can skip it.',
		summaryLabel: 'Kinds of condition',
		fields: [{ kind: 'checkboxes', name: 'conditionCategories', label: 'Which of these describe your health condition?', options: CONDITION_CATEGORIES }],
		schema: () =>
			z.object({
				conditionCategories: multiChoice(values(CONDITION_CATEGORIES), 'Select the kinds of condition').refine(
					exclusiveOk(CONDITION_CATEGORIES),
					'Select kinds of condition, or select I prefer not to say, not both'
				)
			})
	},
	{
		id: 'daily-life',
		flow: 'refer',
		heading: 'Does your condition limit your day-to-day activities?',
		optional: true,
		why: 'This helps us plan the right support. You can skip it.',
		summaryLabel: 'Limits day-to-day activities',
		fields: [{ kind: 'radios', name: 'dailyImpact', label: 'Does your condition limit your day-to-day activities?', options: IMPACT }],
		schema: () => z.object({ dailyImpact: optionalChoice(values(IMPACT), 'Select an answer') })
	},
	{
		id: 'employer',
		flow: 'refer',
		heading: 'About your job',
		optional: true,
		why: 'If you want, your specialist can help you talk to your employer. We will not contact them without asking you first.',
		summaryLabel: 'Your job',
		showIf: ({ answers }) => inWork(answers),
		fields: [
			{ kind: 'text', name: 'employerName', label: 'Employer name (optional)', autocomplete: 'organization' },
			{ kind: 'text', name: 'jobTitle', label: 'Job title (optional)', autocomplete: 'organization-title' }
		],
		schema: () =>
			z.object({
				employerName: optionalText(200, 'Employer name must be 200 characters or fewer'),
				jobTitle: optionalText(200, 'Job title must be 200 characters or fewer')
			})
	},
	{
		id: 'job-goals',
		flow: 'refer',
		heading: 'What kind of work would you like to do?',
		hint: 'Any ideas are welcome. It is fine to say you do not know yet.',
		optional: true,
		summaryLabel: 'Work you would like',
		fields: [{ kind: 'textarea', name: 'jobGoals', label: 'What kind of work would you like to do?', rows: 4, maxLength: 1000 }],
		schema: () => z.object({ jobGoals: optionalText(1000, 'Your answer must be 1,000 characters or fewer') })
	},
	{
		id: 'communication',
		flow: 'refer',
		heading: 'Do you need any help to communicate with us?',
		hint: 'Select all that apply.',
		optional: true,
		summaryLabel: 'Communication needs',
		fields: [
			{ kind: 'checkboxes', name: 'communicationNeeds', label: 'Do you need any help to communicate with us?', options: COMMUNICATION },
			{ kind: 'text', name: 'interpreterLanguage', label: 'If you need an interpreter, which language?', width: 'medium' }
		],
		schema: () =>
			z
				.object({
					communicationNeeds: multiChoice(values(COMMUNICATION), 'Select the help you need').refine(
						exclusiveOk(COMMUNICATION),
						'Select the help you need, or select I do not need any of these, not both'
					),
					interpreterLanguage: optionalText(100, 'Language must be 100 characters or fewer')
				})
				.superRefine((v, ctx) => {
					if (v.communicationNeeds.includes('interpreter') && !v.interpreterLanguage)
						ctx.addIssue({ code: 'custom', path: ['interpreterLanguage'], message: 'Enter the language you need an interpreter for' });
				})
	},
	{
		id: 'nhs-number',
		flow: 'refer',
		heading: 'Do you want to give your NHS number?',
		hint: 'It is 10 digits long, like 943 476 5919. You can find it on letters from the NHS or in the NHS App.',
		optional: true,
		why: 'It helps the service find your details quickly if they need to speak to your GP. You do not have to give it.',
		summaryLabel: 'NHS number',
		fields: [
			{ kind: 'text', name: 'nhsNumber', label: 'NHS number (optional)', inputmode: 'numeric', width: 'medium', spellcheck: false },
			{ kind: 'consent', name: 'consentNhsNumber', label: CONSENTS.nhsNumber.text, version: CONSENTS.nhsNumber.version }
		],
		schema: (ctx) =>
			z
				.object({
					nhsNumber: z
						.string()
						.trim()
						.transform((v, c) => {
							const digits = v.replace(/[\s-]/g, '');
							if (digits === '') return null;
							if (!isValidNhsNumber(digits)) {
								c.addIssue({ code: 'custom', message: 'Enter a valid NHS number, 10 digits like 943 476 5919' });
								return z.NEVER;
							}
							return digits;
						}),
					consentNhsNumber: consent(CONSENTS.nhsNumber.version, null, ctx.now)
				})
				.superRefine((v, c) => {
					if (v.nhsNumber && !v.consentNhsNumber.given)
						c.addIssue({ code: 'custom', path: ['consentNhsNumber'], message: 'Tick the box to agree to us using your NHS number, or leave the number blank' });
				})
	},
	{
		id: 'heard-from',
		flow: 'refer',
		heading: 'How did you hear about this service?',
		summaryLabel: 'How you heard about us',
		showIf: ({ hasSource }) => !hasSource,
		fields: [
			{ kind: 'radios', name: 'heardFrom', label: 'How did you hear about this service?', options: askableSources },
			{ kind: 'text', name: 'heardFromDetail', label: 'If somewhere else, where? (optional)' }
		],
		schema: () =>
			z.object({
				heardFrom: choice(
					askableSources.map((o) => o.value),
					'Select how you heard about this service'
				),
				heardFromDetail: optionalText(200, 'Your answer must be 200 characters or fewer')
			})
	},
	{
		id: 'referrer-contact',
		flow: 'refer',
		heading: 'If we cannot reach you, can we contact the person who told you about us?',
		hint: 'For example, your GP practice or your work coach. We would only ask them to help us get in touch.',
		summaryLabel: 'Contact the person who referred you',
		fields: [{ kind: 'radios', name: 'contactReferrer', label: 'If we cannot reach you, can we contact the person who told you about us?', options: REFERRER_CONTACT }],
		schema: () => z.object({ contactReferrer: choice(values(REFERRER_CONTACT), 'Select yes, no or nobody referred me') })
	},
	{
		id: 'equality',
		flow: 'refer',
		heading: 'About you',
		optional: true,
		why: 'Services report these numbers, without names, to check they reach everyone in the area. You can skip them.',
		summaryLabel: 'Equality monitoring',
		fields: [
			{ kind: 'radios', name: 'gender', label: 'What is your gender? (optional)', options: GENDER },
			{ kind: 'radios', name: 'ethnicity', label: 'What is your ethnic group? (optional)', options: ETHNICITY }
		],
		schema: () =>
			z.object({
				gender: optionalChoice(values(GENDER), 'Select your gender, or I prefer not to say'),
				ethnicity: optionalChoice(values(ETHNICITY), 'Select your ethnic group, or I prefer not to say')
			})
	},
	{
		id: 'consent',
		flow: 'refer',
		heading: 'Can we use your information to support you?',
		hint: 'We need your agreement to look at your referral and contact you. Only the service team can see your information. Read our privacy notice to find out more.',
		summaryLabel: 'Agreement to use your information',
		fields: [{ kind: 'consent', name: 'consentProcessing', label: CONSENTS.processing.text, version: CONSENTS.processing.version }],
		schema: (ctx) =>
			z.object({
				consentProcessing: consent(CONSENTS.processing.version, 'Tick the box to agree, so we can look at your referral', ctx.now)
			})
	},
	{
		id: 'more-consents',
		flow: 'refer',
		heading: 'Is there anything else you agree to?',
		hint: 'These are all optional. Tick any you agree to. You can change your mind later.',
		optional: true,
		summaryLabel: 'Other things you agree to',
		fields: [
			{ kind: 'consent', name: 'consentReferrerUpdates', label: CONSENTS.referrerUpdates.text, version: CONSENTS.referrerUpdates.version },
			{ kind: 'consent', name: 'consentEvaluation', label: CONSENTS.evaluation.text, version: CONSENTS.evaluation.version },
			{ kind: 'consent', name: 'consentTextReminders', label: CONSENTS.textReminders.text, version: CONSENTS.textReminders.version }
		],
		schema: (ctx) =>
			z.object({
				consentReferrerUpdates: consent(CONSENTS.referrerUpdates.version, null, ctx.now),
				consentEvaluation: consent(CONSENTS.evaluation.version, null, ctx.now),
				consentTextReminders: consent(CONSENTS.textReminders.version, null, ctx.now)
			})
	}
];

export function findPage(flow: Flow, id: string): QuestionPage | undefined {
	return (flow === 'check' ? CHECK_PAGES : REFER_PAGES).find((p) => p.id === id);
}

/** The referral pages that apply to this person, in order. */
export function referPath(ctx: PageContext): QuestionPage[] {
	return REFER_PAGES.filter((p) => !p.showIf || p.showIf(ctx));
}

/** A page counts as answered once it was saved, even when every field was left blank (optional pages). */
export function isAnswered(page: QuestionPage, answered: ReadonlySet<string>): boolean {
	return answered.has(`${page.flow}/${page.id}`);
}

/** How an answer reads on check your answers. */
export function describeAnswer(page: QuestionPage, answers: Record<string, unknown>): string[] {
	const lines: string[] = [];
	const empty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0);
	const others = page.fields.filter((f) => f.kind !== 'consent');
	// A consent that only goes with an answer (the NHS number) means nothing when the answer is blank.
	if (others.length && page.fields.length > others.length && others.every((f) => empty(answers[f.name]))) return ['Not given'];
	for (const field of page.fields) {
		const value = answers[field.name];
		if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
		if (field.kind === 'radios') lines.push(field.options.find((o) => o.value === value)?.label ?? String(value));
		else if (field.kind === 'checkboxes')
			lines.push((value as string[]).map((v) => field.options.find((o) => o.value === v)?.label ?? v).join(', '));
		else if (field.kind === 'consent') {
			const given = (value as { given?: boolean }).given;
			if (page.fields.length > 1) lines.push(`${given ? 'Yes' : 'No'}: ${field.label}`);
			else lines.push(given ? 'Yes' : 'No');
		} else if (field.kind === 'date') {
			lines.push(formatDate(String(value)));
		} else lines.push(String(value));
	}
	return lines.length ? lines : ['Not given'];
}
