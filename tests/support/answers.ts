import { circumstanceAnswers } from '../../src/lib/domain/check-pages';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';

/** The answer names the optional "Tell us more" pages after sending ask (MORE_PAGES). */
export const MORE_FIELDS: ReadonlySet<string> = new Set(MORE_PAGES.flatMap((p) => p.fields.map((f) => f.name)));

/**
 * A complete set of stored answers, as the pages before "Send referral" leave them, for a likely-eligible
 * person in Greater Manchester. "Do any of these apply to you?" is answered with `circumstances` (and
 * `notSureAbout`); the rules engine's own answers (secondaryCare, otherProgramme, rightToWork) are derived
 * from them as the checker page derives them, e.g. `{ circumstances: ['secondary-care'] }` for a person in
 * secondary mental health care. The "Tell us more" answers (condition, pronouns, NHS number, ...) are not
 * here: they are given after sending (factories.ts aReferral, or addReferralDetails).
 */
export function completeAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const at = new Date().toISOString();
	for (const name of ['secondaryCare', 'otherProgramme', 'rightToWork'])
		if (name in overrides) throw new Error(`${name} is derived from circumstances (and notSureAbout): give those instead`);
	const answers: Record<string, unknown> = {
		postcode: 'M1 1AE',
		dateOfBirth: '1985-06-15',
		healthCondition: 'yes',
		employment: 'out-of-work',
		wantsWork: 'yes',
		circumstances: ['none'],
		givenName: 'Sam',
		familyName: 'Taylor',
		preferredName: null,
		phone: '07700900982',
		email: 'sam@example.com',
		contactChannels: ['phone', 'email'],
		bestTimes: ['weekday-morning'],
		messagesMayNameService: 'yes',
		postAllowed: 'no',
		communicationNeeds: ['none'],
		interpreterLanguage: null,
		heardFrom: 'leaflet',
		heardFromDetail: null,
		consentProcessing: { given: true, version: 'processing-2026-11-v1', at },
		consentReferrerUpdates: { given: false, version: 'referrer-updates-2026-11-v1', at },
		consentEvaluation: { given: true, version: 'evaluation-2026-11-v1', at },
		consentTextReminders: { given: false, version: 'text-reminders-2026-11-v1', at },
		...overrides
	};
	const derived = circumstanceAnswers(answers as { circumstances?: string[]; notSureAbout?: string[] });
	return JSON.parse(JSON.stringify({ ...answers, ...derived }));
}

/** `answers` split into those the pages before sending give and those the "Tell us more" pages give. */
export function splitAfterSending(answers: Record<string, unknown> = {}): { before: Record<string, unknown>; after: Record<string, unknown> } {
	const before: Record<string, unknown> = {};
	const after: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(answers)) (MORE_FIELDS.has(k) ? after : before)[k] = v;
	return { before, after };
}
