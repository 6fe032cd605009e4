/** Turns a finished draft into the referral record and its consents. Pure. */
import { CONSENT_FIELDS, type ConsentKind } from './consents';
import type { DraftAnswers } from './draft-answers';
import type { EligibilityResult } from './eligibility';
import { dwpCategoryOf, isSourceCode, type DwpCategory, type ReferralSource } from './sources';

export interface ReferralRecord {
	givenName: string;
	familyName: string;
	dateOfBirth: string;
	postcode: string;
	email: string | null;
	phone: string | null;
	employmentStatus: string;
	source: ReferralSource;
	dwpCategory: DwpCategory;
	consents: { kind: ConsentKind; given: boolean; version: string; at: string }[];
}

export class IncompleteReferralError extends Error {
	constructor(public missing: string[]) {
		super(`The referral is missing: ${missing.join(', ')}`);
	}
}

/** The source of a referral: the link the person came from, else what they told us. */
export function resolveSource(draftSource: ReferralSource | null, answers: DraftAnswers): ReferralSource {
	if (draftSource) return draftSource;
	const heard = answers.heardFrom;
	if (isSourceCode(heard)) return { code: heard, detail: answers.heardFromDetail ?? null };
	return { code: 'other', detail: null };
}

export function buildReferral(
	answers: DraftAnswers,
	draftSource: ReferralSource | null,
	eligibility: EligibilityResult | null
): ReferralRecord {
	const missing: string[] = [];
	const text = (key: keyof DraftAnswers) => {
		const v = answers[key];
		return typeof v === 'string' && v.trim() !== '' ? v : null;
	};
	for (const key of ['givenName', 'familyName', 'dateOfBirth', 'postcode', 'employment'] as const)
		if (!text(key)) missing.push(key);
	if (!text('email') && !text('phone')) missing.push('email or phone');
	const processing = answers.consentProcessing;
	if (!processing?.given) missing.push('consentProcessing');
	if (!eligibility || eligibility.outcome === 'not-eligible' || !eligibility.programmeId) missing.push('eligibility');
	if (missing.length) throw new IncompleteReferralError(missing);

	const source = resolveSource(draftSource, answers);
	const consents: ReferralRecord['consents'] = [];
	for (const [field, kind] of CONSENT_FIELDS) {
		const c = answers[field];
		if (c) consents.push({ kind, given: c.given, version: c.version, at: c.at });
	}
	return {
		givenName: text('givenName')!,
		familyName: text('familyName')!,
		dateOfBirth: text('dateOfBirth')!,
		postcode: text('postcode')!,
		email: text('email'),
		phone: text('phone'),
		employmentStatus: text('employment')!,
		source,
		dwpCategory: dwpCategoryOf(source.code),
		consents
	};
}
