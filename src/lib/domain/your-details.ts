/**
 * "Your details": the contact details a participant can change from their account, one question a page.
 * The contact preference pages reuse the referral's own questions (the "contact-preferences" page of
 * refer-pages.ts), so the answers stay the same shape on the referral. A new email address or phone number
 * is typed here; the server confirms it with a one-time code before it is used (participants/details.ts).
 */
import { z } from 'zod';
import { describeAnswer } from './journey';
import { email, text, ukPhone, type Field, type FormDefinition } from './fields';
import { REFER_PAGES } from './refer-pages';

/** Every contact detail a person can change, as `referral.contact_details_changed` names them. */
export const CONTACT_DETAIL_NAMES = ['email', 'phone', 'contactChannels', 'bestTimes', 'messagesMayNameService', 'postAllowed'] as const;
export type ContactDetailName = (typeof CONTACT_DETAIL_NAMES)[number];

export type AddressKind = 'email' | 'phone';
export const isAddressKind = (v: string): v is AddressKind => v === 'email' || v === 'phone';

/** A contact preference page: one question of the referral's "How and when can we contact you?" page. */
export interface PreferencePage {
	id: string;
	name: Exclude<ContactDetailName, AddressKind>;
	heading: string;
	/** How the summary page names it. */
	summaryLabel: string;
	fields: Field[];
	form: () => FormDefinition;
}

const contactPage = REFER_PAGES.find((p) => p.id === 'contact-preferences')!;

function preference(id: string, name: PreferencePage['name'], heading: string, summaryLabel: string): PreferencePage {
	const field = contactPage.fields.find((f) => f.name === name)!;
	const fields = [{ ...field, label: heading } as Field];
	return {
		id,
		name,
		heading,
		summaryLabel,
		fields,
		form: () => {
			const shape = (contactPage.schema({ today: '', now: () => '' }) as z.ZodObject).shape;
			return { fields, schema: z.object({ [name]: shape[name] }) };
		}
	};
}

export const PREFERENCE_PAGES: PreferencePage[] = [
	preference('ways', 'contactChannels', 'Which ways of contacting you are you happy with?', 'Ways we can contact you'),
	preference('times', 'bestTimes', 'When is the best time to contact you?', 'Best times to contact you'),
	preference('messages', 'messagesMayNameService', 'If we cannot reach you, can we leave a voicemail or text that says who we are?', 'Messages that say who we are'),
	preference('letters', 'postAllowed', 'Can we send you letters in the post?', 'Letters in the post')
];

export const preferencePage = (id: string) => PREFERENCE_PAGES.find((p) => p.id === id) ?? null;

/** The form for a new email address or phone number. */
export function newAddressForm(kind: AddressKind): FormDefinition<z.ZodType<{ value: string }, unknown>> {
	if (kind === 'email')
		return {
			fields: [
				{
					kind: 'text',
					name: 'value',
					label: 'What is your new email address?',
					hint: 'We will send a 6-digit code to it, to check it is yours. We keep using your old email address until you enter the code.',
					type: 'email',
					autocomplete: 'email',
					inputmode: 'email',
					spellcheck: false
				}
			],
			schema: z.object({ value: email('Enter your new email address').pipe(z.string()) })
		} satisfies FormDefinition;
	return {
		fields: [
			{
				kind: 'text',
				name: 'value',
				label: 'What is your new phone number?',
				hint: 'For example, 07700 900 982. If it is a mobile number, we will text a 6-digit code to it, to check it is yours. We keep using your old number until you enter the code.',
				type: 'tel',
				autocomplete: 'tel',
				inputmode: 'tel',
				width: 'medium'
			}
		],
		schema: z.object({
			value: text()
				.trim()
				.min(1, 'Enter your new phone number')
				.pipe(ukPhone())
				.pipe(z.string())
		})
	} satisfies FormDefinition;
}

/** A UK mobile number (07 and 9 more digits, as ukPhone stores it): the only kind a code can be texted to. */
export const isUkMobile = (phone: string) => /^07[0-9]{9}$/.test(phone);

/** One row of the "Your details" page. */
export interface DetailRow {
	id: string;
	label: string;
	lines: string[];
	href: string;
	/** Words for screen readers after "Change". */
	changeWhat: string;
}

/** The summary rows from the referral's answers and the current email address and phone number. */
export function detailRows(answers: Readonly<Record<string, unknown>>, current: { email: string | null; phone: string | null }): DetailRow[] {
	return [
		{ id: 'email', label: 'Email address', lines: [current.email ?? 'Not given'], href: '/account/details/new/email', changeWhat: 'email address' },
		{ id: 'phone', label: 'Phone number', lines: [current.phone ?? 'Not given'], href: '/account/details/new/phone', changeWhat: 'phone number' },
		...PREFERENCE_PAGES.map((p) => {
			const field = p.fields[0];
			const value = answers[p.name];
			const words = field.kind === 'radios' && typeof value === 'string' ? field.answerWords?.[value] : undefined;
			const lines = words ? [words] : describeAnswer({ ...contactPage, fields: p.fields }, answers);
			return { id: p.id, label: p.summaryLabel, lines, href: `/account/details/${p.id}`, changeWhat: p.summaryLabel.toLowerCase() };
		})
	];
}
