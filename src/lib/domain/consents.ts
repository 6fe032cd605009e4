/**
 * Consent statements. Each is stored with its version and the time it was given; change the wording
 * and you must change the version.
 */
export const CONSENTS = {
	processing: {
		version: 'processing-2026-11-v1',
		text: 'I agree to the service using the information I give here to assess and support my referral. I understand I can withdraw my consent at any time.'
	},
	referrerUpdates: {
		version: 'referrer-updates-2026-11-v1',
		text: 'The service can tell my GP or the person who referred me how I am getting on.'
	},
	evaluation: {
		version: 'evaluation-2026-11-v1',
		text: 'My information can be used, without my name, to check how well the service works.'
	},
	textReminders: {
		version: 'text-reminders-2026-11-v1',
		text: 'The service can send me text message reminders about meetings.'
	},
	nhsNumber: {
		version: 'nhs-number-2026-11-v1',
		text: 'The service can use my NHS number to link my referral to my health records and speak to my GP practice.'
	}
} as const;

export type ConsentKind = keyof typeof CONSENTS;

/** Each consent as staff read it, about the person. */
export const CONSENT_STAFF_LABELS: Record<ConsentKind, string> = {
	processing: 'Use of their information to support the referral (required)',
	referrerUpdates: 'Updates to their GP or referrer',
	evaluation: 'Use without their name to evaluate the service',
	textReminders: 'Text message reminders',
	nhsNumber: 'Use of their NHS number'
};

/** Each consent in short, in the person's words: how check your answers lists it. */
export const CONSENT_PERSON_LABELS: Record<ConsentKind, string> = {
	processing: 'Using your information to support your referral',
	referrerUpdates: 'Telling your GP or referrer how you are getting on',
	evaluation: 'Using your information, without your name, to check the service works',
	textReminders: 'Text message reminders about meetings',
	nhsNumber: 'Using your NHS number'
};

/** Answer field name and the consent kind it records. */
export const CONSENT_FIELDS = [
	['consentProcessing', 'processing'],
	['consentReferrerUpdates', 'referrerUpdates'],
	['consentEvaluation', 'evaluation'],
	['consentTextReminders', 'textReminders'],
	['consentNhsNumber', 'nhsNumber']
] as const satisfies readonly (readonly [string, ConsentKind])[];

export interface ConsentAnswer {
	given: boolean;
	version: string;
	/** ISO timestamp */
	at: string;
}
