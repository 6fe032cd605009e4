/** The pages of the self-referral; some only show for some people (`showIf`). */
import { z } from 'zod';
import { CONSENTS } from './consents';
import { choice, consent, email, isValidNhsNumber, multiChoice, optionalChoice, optionalText, requiredText, ukPhone, type Option } from './fields';
import { YN, yesNo, type AnswersOf, type QuestionPage } from './question-page';
import { SOURCES, SOURCE_CODES } from './sources';

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
	{ value: 'prefer-not-to-say', label: 'I prefer not to say', staffLabel: 'Prefers not to say', exclusive: true }
];
const IMPACT: Option[] = [
	{ value: 'a-lot', label: 'Yes, a lot' },
	{ value: 'a-little', label: 'Yes, a little' },
	{ value: 'not-at-all', label: 'No, not at all' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say', staffLabel: 'Prefers not to say' }
];
const COMMUNICATION: Option[] = [
	{ value: 'interpreter', label: 'A spoken language interpreter' },
	{ value: 'bsl', label: 'A British Sign Language (BSL) interpreter' },
	{ value: 'easy-read', label: 'Easy read information' },
	{ value: 'large-print', label: 'Large print' },
	{ value: 'none', label: 'I do not need any of these', staffLabel: 'Needs none of these', exclusive: true }
];
const GENDER: Option[] = [
	{ value: 'woman', label: 'Woman' },
	{ value: 'man', label: 'Man' },
	{ value: 'non-binary', label: 'Non-binary' },
	{ value: 'self-describe', label: 'I describe myself another way', staffLabel: 'Describes themselves another way' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say', staffLabel: 'Prefers not to say' }
];
const ETHNICITY: Option[] = [
	{ value: 'asian', label: 'Asian or Asian British' },
	{ value: 'black', label: 'Black, Black British, Caribbean or African' },
	{ value: 'mixed', label: 'Mixed or multiple ethnic groups' },
	{ value: 'white', label: 'White' },
	{ value: 'other', label: 'Another ethnic group' },
	{ value: 'prefer-not-to-say', label: 'I prefer not to say', staffLabel: 'Prefers not to say' }
];
const REFERRER_CONTACT: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' },
	{ value: 'no-referrer', label: 'Nobody referred me', staffLabel: 'Nobody referred them' }
];

const values = (options: Option[]) => options.map((o) => o.value);
const exclusiveOk = (options: Option[]) => (vs: string[]) => {
	const exclusive = options.filter((o) => o.exclusive).map((o) => o.value);
	return !(vs.some((v) => exclusive.includes(v)) && vs.length > 1);
};
const askableSources: Option[] = SOURCE_CODES.filter((c) => SOURCES[c].askable).map((c) => ({ value: c, label: SOURCES[c].label, staffLabel: SOURCES[c].staffLabel }));
const inWork = (answers: Readonly<Record<string, unknown>>) => answers.employment === 'off-sick' || answers.employment === 'struggling-in-work';

/**
 * The pages before "Send referral": only what deciding eligibility, routing, contacting the person safely
 * and consent need (issue 22). Everything else is asked after sending (MORE_PAGES), or by the specialist at
 * the first meeting.
 */
const pages = [
	{
		id: 'your-details',
		flow: 'refer',
		heading: 'Your name and how we can contact you',
		hint: 'Give at least one way to reach you: a phone number or an email address.',
		summaryLabel: 'Name and contact details',
		fields: [
			{ kind: 'text', name: 'givenName', label: 'First name', autocomplete: 'given-name', spellcheck: false },
			{ kind: 'text', name: 'familyName', label: 'Last name', autocomplete: 'family-name', spellcheck: false },
			{ kind: 'text', name: 'preferredName', label: 'What should we call you? (optional)', hint: 'If you would like us to use another name.', autocomplete: 'nickname', spellcheck: false },
			{ kind: 'text', name: 'phone', label: 'Phone number', type: 'tel', autocomplete: 'tel', inputmode: 'tel', width: 'medium', hint: 'For example, 07700 900 982' },
			{ kind: 'text', name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', inputmode: 'email', spellcheck: false }
		],
		schema: () =>
			z
				.object({
					givenName: requiredText('Enter your first name', 100, 'First name must be 100 characters or fewer'),
					familyName: requiredText('Enter your last name', 100, 'Last name must be 100 characters or fewer'),
					preferredName: optionalText(100, 'Preferred name must be 100 characters or fewer'),
					phone: ukPhone(),
					email: email(null)
				})
				.superRefine((v, ctx) => {
					if (!v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Enter a phone number or an email address' });
				})
	},
	{
		id: 'contact-preferences',
		flow: 'refer',
		heading: 'How and when can we contact you?',
		summaryLabel: 'How and when to contact you',
		staffSummaryLabel: 'How and when to contact them',
		fields: [
			{ kind: 'checkboxes', name: 'contactChannels', label: 'Which ways of contacting you are you happy with?', hint: 'Select all that you are happy with.', options: CHANNELS },
			{ kind: 'checkboxes', name: 'bestTimes', label: 'When is the best time to contact you?', hint: 'Select all that apply. If you work, we can call before or after work, in the evening or at weekends.', options: TIMES },
			{ kind: 'radios', name: 'messagesMayNameService', label: 'If we cannot reach you, can we leave a voicemail or text that says who we are?', hint: 'Say no if someone else might hear or see your messages. We will then leave no details.', options: yesNo, inline: true, answerWords: { yes: 'Messages can say who we are', no: 'Messages must not say who we are' } },
			{ kind: 'radios', name: 'postAllowed', label: 'Can we send you letters in the post?', options: yesNo, inline: true, answerWords: { yes: 'Letters are fine', no: 'No letters' } }
		],
		schema: () =>
			z.object({
				contactChannels: multiChoice(values(CHANNELS), 'Select how you would like us to contact you', 'Select at least one way we can contact you'),
				bestTimes: multiChoice(values(TIMES), 'Select when is best', 'Select at least one time, or select any time').refine(
					exclusiveOk(TIMES),
					'Select times, or select any time, not both'
				),
				messagesMayNameService: choice(YN, 'Select yes if we can leave a message that says who we are, or no'),
				postAllowed: choice(YN, 'Select yes if we can send you letters, or no')
			})
	},
	{
		id: 'communication',
		flow: 'refer',
		heading: 'Do you need any help to communicate with us?',
		hint: 'Select all that apply.',
		why: 'So we can make the first call or meeting work for you. You can leave this blank.',
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
	},	{
		id: 'heard-from',
		flow: 'refer',
		heading: 'How did you hear about this service?',
		summaryLabel: 'How you heard about us',
		staffSummaryLabel: 'How they heard about us',
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
	},	{
		id: 'consent',
		flow: 'refer',
		heading: 'Can we use your information to support you?',
		hint: 'We need your agreement to the first one to look at your referral. The others are up to you, and you can change your mind later. Only the service team can see your information. Read our privacy notice to find out more.',
		summaryLabel: 'What you agree to',
		staffSummaryLabel: 'What they agreed to',
		fields: [
			{ kind: 'consent', name: 'consentProcessing', label: CONSENTS.processing.text, version: CONSENTS.processing.version },
			{ kind: 'consent', name: 'consentReferrerUpdates', label: CONSENTS.referrerUpdates.text, version: CONSENTS.referrerUpdates.version },
			{ kind: 'consent', name: 'consentEvaluation', label: CONSENTS.evaluation.text, version: CONSENTS.evaluation.version },
			{ kind: 'consent', name: 'consentTextReminders', label: CONSENTS.textReminders.text, version: CONSENTS.textReminders.version }
		],
		schema: (ctx) =>
			z.object({
				consentProcessing: consent(CONSENTS.processing.version, 'Tick the first box to agree, so we can look at your referral', ctx.now),
				consentReferrerUpdates: consent(CONSENTS.referrerUpdates.version, null, ctx.now),
				consentEvaluation: consent(CONSENTS.evaluation.version, null, ctx.now),
				consentTextReminders: consent(CONSENTS.textReminders.version, null, ctx.now)
			})
	}
] satisfies QuestionPage[];

export const REFER_PAGES: QuestionPage[] = pages;

/**
 * "Tell us more now, or your specialist will ask when you meet": optional pages after "Referral sent",
 * each saved on the referral as it is answered (a `referral.details_added` event per page).
 */
const morePages = [
	{
		id: 'condition',
		flow: 'more',
		heading: 'Tell us about your health and how it affects work',
		hint: 'In your own words. A few sentences is enough. You do not need a diagnosis.',
		optional: true,
		why: 'This helps your employment specialist understand what support might help. Only the service team can see it.',
		summaryLabel: 'Your health',
		staffSummaryLabel: 'Their health',
		fields: [{ kind: 'textarea', name: 'conditionDescription', label: 'Tell us about your health and how it affects work', rows: 5, maxLength: 2000 }],
		schema: () => z.object({ conditionDescription: optionalText(2000, 'Your answer must be 2,000 characters or fewer') })
	},	{
		id: 'condition-types',
		flow: 'more',
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
	},	{
		id: 'daily-life',
		flow: 'more',
		heading: 'Does your condition limit your day-to-day activities?',
		optional: true,
		why: 'This helps us plan the right support. You can skip it.',
		summaryLabel: 'Limits day-to-day activities',
		fields: [{ kind: 'radios', name: 'dailyImpact', label: 'Does your condition limit your day-to-day activities?', options: IMPACT }],
		schema: () => z.object({ dailyImpact: optionalChoice(values(IMPACT), 'Select an answer') })
	},	{
		id: 'employer',
		flow: 'more',
		heading: 'About your job',
		optional: true,
		why: 'If you want, your specialist can help you talk to your employer. We will not contact them without asking you first.',
		summaryLabel: 'Your job',
		staffSummaryLabel: 'Their job',
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
	},	{
		id: 'job-goals',
		flow: 'more',
		heading: 'What kind of work would you like to do?',
		hint: 'Any ideas are welcome. It is fine to say you do not know yet.',
		optional: true,
		summaryLabel: 'Work you would like',
		staffSummaryLabel: 'Work they would like',
		fields: [{ kind: 'textarea', name: 'jobGoals', label: 'What kind of work would you like to do?', rows: 4, maxLength: 1000 }],
		schema: () => z.object({ jobGoals: optionalText(1000, 'Your answer must be 1,000 characters or fewer') })
	},	{
		id: 'pronouns',
		flow: 'more',
		heading: 'What are your pronouns?',
		optional: true,
		why: 'So we use the pronouns you want. You can leave this blank.',
		summaryLabel: 'Pronouns',
		fields: [{ kind: 'text', name: 'pronouns', label: 'What are your pronouns?', hint: 'For example, she/her, he/him or they/them', width: 'medium' }],
		schema: () => z.object({ pronouns: optionalText(40, 'Pronouns must be 40 characters or fewer') })
	},
	{
		id: 'nhs-number',
		flow: 'more',
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
	},	{
		id: 'referrer-contact',
		flow: 'more',
		heading: 'If we cannot reach you, can we contact the person who told you about us?',
		hint: 'For example, your GP practice or your work coach. We would only ask them to help us get in touch.',
		summaryLabel: 'Contact the person who referred you',
		staffSummaryLabel: 'Contact the person who referred them',
		fields: [{ kind: 'radios', name: 'contactReferrer', label: 'If we cannot reach you, can we contact the person who told you about us?', options: REFERRER_CONTACT }],
		optional: true,
		schema: () => z.object({ contactReferrer: optionalChoice(values(REFERRER_CONTACT), 'Select yes, no or nobody referred me') })
	},	{
		id: 'equality',
		flow: 'more',
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
	}
] satisfies QuestionPage[];

export const MORE_PAGES: QuestionPage[] = morePages;

/** The referral's answers, as its page schemas give them. */
export type ReferAnswers = AnswersOf<typeof pages> & Partial<AnswersOf<typeof morePages>>;
