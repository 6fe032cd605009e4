/**
 * "Your consents": what each consent given at referral means, and what withdrawing it does, in the person's
 * words. Consent to processing cannot be withdrawn on its own here: without it the service cannot go on
 * supporting the person, so that page points to withdrawing the referral instead.
 */
import { CONSENTS, CONSENT_PERSON_LABELS, type ConsentKind } from './consents';

export const isConsentKind = (v: string): v is ConsentKind => Object.hasOwn(CONSENTS, v);

/** The consents that can be withdrawn one by one (all but processing). */
export const WITHDRAWABLE: readonly ConsentKind[] = ['referrerUpdates', 'evaluation', 'textReminders', 'nhsNumber'];

export const canWithdrawAlone = (kind: ConsentKind) => WITHDRAWABLE.includes(kind);

/** What withdrawing each consent does, said before the person confirms. */
export const WITHDRAWING_MEANS: Record<ConsentKind, string[]> = {
	processing: [
		'We need your agreement to use your information to give you employment support. Without it, we cannot go on supporting you.',
		'To stop, withdraw your referral. You can also ask us to delete your data.'
	],
	referrerUpdates: [
		'We will not tell your GP, or the person who referred you, how you are getting on.',
		'Your employment specialist can still help you as before.'
	],
	evaluation: [
		'We will not use your information to check how well the service works.',
		'Your support does not change.'
	],
	textReminders: [
		'We will stop sending you text messages, from now on. This includes reminders about meetings and check-ins, and sign-in codes by text.',
		'We will still send you emails if you gave us an email address.'
	],
	nhsNumber: [
		'We will not use your NHS number to link your referral to your health records or to speak to your GP practice.',
		'Your support does not change.'
	]
};

/** The consent's short name, for headings and buttons ("Text message reminders about meetings"). */
export const consentName = (kind: ConsentKind) => CONSENT_PERSON_LABELS[kind];

/** The wording the person agreed to. */
export const consentWording = (kind: ConsentKind) => CONSENTS[kind].text;
