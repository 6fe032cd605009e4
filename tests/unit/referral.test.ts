import { describe, it, expect } from 'vitest';
import { CONSENTS } from '../../src/lib/domain/consents';
import type { EligibilityResult } from '../../src/lib/domain/eligibility';
import { IncompleteReferralError, buildReferral, resolveSource } from '../../src/lib/domain/referral';
import type { ReferralSource } from '../../src/lib/domain/sources';

const AT = '2026-11-23T10:00:00.000Z';
const ELIGIBLE: EligibilityResult = { outcome: 'likely-eligible', programmeId: 'gm-ips-primary-care', signpostedFrom: null, reasons: [] };
const SPECIALIST: EligibilityResult = { outcome: 'talk-to-specialist', programmeId: 'gm-ips-primary-care', signpostedFrom: null, reasons: ['unsure-wants-work'] };
const NOT_ELIGIBLE: EligibilityResult = { outcome: 'not-eligible', programmeId: 'gm-ips-primary-care', signpostedFrom: null, reasons: ['no-right-to-work'] };

/** Who Ann is: as she answered, and as the referral record keeps it. */
const ANN = { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1985-03-27', postcode: 'M1 1AE', email: 'ann@example.com', phone: null };

function answers(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		...ANN,
		employment: 'off-sick',
		conditionDescription: 'Back pain',
		consentProcessing: { given: true, version: CONSENTS.processing.version, at: AT },
		...extra
	};
}

function missingOf(fn: () => unknown): string[] {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(IncompleteReferralError);
		return (e as IncompleteReferralError).missing;
	}
	throw new Error('expected an IncompleteReferralError');
}

describe('resolveSource', () => {
	it('prefers the source the draft already has (from a link)', () => {
		const link: ReferralSource = { code: 'fit-note', odsCode: 'P84001', linkCode: 'gp-p84001' };
		expect(resolveSource(link, { heardFrom: 'leaflet' })).toBe(link);
	});
	it('uses what the person said, with any detail', () => {
		expect(resolveSource(null, { heardFrom: 'leaflet' })).toEqual({ code: 'leaflet', detail: null });
		expect(resolveSource(null, { heardFrom: 'other', heardFromDetail: 'A podcast' })).toEqual({ code: 'other', detail: 'A podcast' });
	});
	it('falls back to "other" with no or an unknown answer', () => {
		expect(resolveSource(null, {})).toEqual({ code: 'other', detail: null });
		expect(resolveSource(null, { heardFrom: 'carrier-pigeon', heardFromDetail: 'x' })).toEqual({ code: 'other', detail: null });
	});
});

describe('buildReferral', () => {
	it('builds the referral record from the answers', () => {
		const r = buildReferral(answers({ heardFrom: 'jobcentre-plus' }), null, ELIGIBLE);
		expect(r).toEqual({
			...ANN,
			employmentStatus: 'off-sick',
			source: { code: 'jobcentre-plus', detail: null },
			dwpCategory: 'signposted-jcp',
			consents: [{ kind: 'processing', given: true, version: CONSENTS.processing.version, at: AT }]
		});
	});

	it('uses the link source and its DWP category', () => {
		const link: ReferralSource = { code: 'fit-note', odsCode: 'P84001', linkCode: 'gp-p84001' };
		const r = buildReferral(answers({ heardFrom: 'leaflet' }), link, ELIGIBLE);
		expect(r.source).toEqual(link);
		expect(r.dwpCategory).toBe('primary-care');
	});

	it('records "other" when the person gave no source', () => {
		const r = buildReferral(answers(), null, ELIGIBLE);
		expect(r.source).toEqual({ code: 'other', detail: null });
		expect(r.dwpCategory).toBe('other');
	});

	it('accepts a phone number instead of an email address', () => {
		const r = buildReferral(answers({ email: null, phone: '07700900982' }), null, ELIGIBLE);
		expect(r.email).toBeNull();
		expect(r.phone).toBe('07700900982');
	});

	it('accepts people who should talk to a specialist', () => {
		expect(buildReferral(answers(), null, SPECIALIST).givenName).toBe('Ann');
	});

	it('records every consent answered, given or not, with its version and time', () => {
		const r = buildReferral(
			answers({
				consentEvaluation: { given: false, version: CONSENTS.evaluation.version, at: AT },
				consentTextReminders: { given: true, version: CONSENTS.textReminders.version, at: AT },
				consentNhsNumber: { given: true, version: CONSENTS.nhsNumber.version, at: AT }
			}),
			null,
			ELIGIBLE
		);
		expect(r.consents).toEqual([
			{ kind: 'processing', given: true, version: CONSENTS.processing.version, at: AT },
			{ kind: 'evaluation', given: false, version: CONSENTS.evaluation.version, at: AT },
			{ kind: 'textReminders', given: true, version: CONSENTS.textReminders.version, at: AT },
			{ kind: 'nhsNumber', given: true, version: CONSENTS.nhsNumber.version, at: AT }
		]);
	});

	it('lists everything that is missing', () => {
		expect(missingOf(() => buildReferral({}, null, null))).toEqual([
			'givenName',
			'familyName',
			'dateOfBirth',
			'postcode',
			'employment',
			'email or phone',
			'consentProcessing',
			'eligibility'
		]);
	});

	it('treats blank text as missing', () => {
		// The condition is asked after sending now ("Tell us more"): blank or absent, the referral is complete.
		expect(missingOf(() => buildReferral(answers({ givenName: '  ', conditionDescription: '' }), null, ELIGIBLE))).toEqual(['givenName']);
	});

	it('needs an email address or a phone number', () => {
		expect(missingOf(() => buildReferral(answers({ email: null, phone: '' }), null, ELIGIBLE))).toEqual(['email or phone']);
	});

	it('needs consent to processing to have been given', () => {
		expect(missingOf(() => buildReferral(answers({ consentProcessing: undefined }), null, ELIGIBLE))).toEqual(['consentProcessing']);
		expect(
			missingOf(() => buildReferral(answers({ consentProcessing: { given: false, version: CONSENTS.processing.version, at: AT } }), null, ELIGIBLE))
		).toEqual(['consentProcessing']);
	});

	it('refuses without an eligible result and a programme', () => {
		expect(missingOf(() => buildReferral(answers(), null, null))).toEqual(['eligibility']);
		expect(missingOf(() => buildReferral(answers(), null, NOT_ELIGIBLE))).toEqual(['eligibility']);
		expect(missingOf(() => buildReferral(answers(), null, { ...ELIGIBLE, programmeId: null }))).toEqual(['eligibility']);
	});

	it('explains what is missing in its message', () => {
		expect(() => buildReferral(answers({ postcode: '' }), null, ELIGIBLE)).toThrow('The referral is missing: postcode');
	});
});
