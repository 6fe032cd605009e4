/**
 * The FHIR R4 view of a referral (issue 12 item 8): a `Bundle` of type `collection` holding a UK Core
 * `ServiceRequest` (the referral to the IPS service) and a UK Core `Patient` (the person). Pure: built
 * from the referral snapshot the API already serves, so the two views cannot disagree.
 *
 * - The NHS number is the Patient's official identifier (system https://fhir.nhs.uk/Id/nhs-number) only
 *   when the person gave it and their NHS number consent stands.
 * - The referral reference is the ServiceRequest's identifier under this installation's own system
 *   (`<origin>/referral-reference`), as UK Core asks for locally assigned identifiers.
 * - Status: open statuses are `active`; closed is
 *   `revoked` (008 "Support ended" is `completed`).
 * - Health details (the condition in the person's words) are not in this view: they travel only in the
 *   JSON referral and webhooks, under the programme's rules.
 * - What is asked for is coded in SNOMED CT (docs/api.md cites the concepts): `code` is the UK edition's
 *   "Individual Placement and Support", `category` the international "Vocational rehabilitation".
 * - The performer, the programme, is a `HealthcareService` in the Bundle, referenced by its fullUrl.
 * - The Patient's `communication` is the language the person used on the portal (BCP 47, preferred: the
 *   portal writes to them in it); English ("en-GB") for referrals sent before languages.
 * - Each job the person started is an `Observation` (social history, LOINC 11341-5 "History of
 *   Occupation"): the job title as its value, the start and end as its period, hours a week and the employer
 *   as components; `final` once staff confirmed it, `preliminary` while it waits.
 */
import { createHash } from 'node:crypto';
import { isLocale, LOCALE_INFO, localeOfTag } from '$lib/i18n/locales';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const UK_CORE_PATIENT = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';
export const UK_CORE_SERVICE_REQUEST = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest';
export const UK_CORE_HEALTHCARE_SERVICE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-HealthcareService';
export const SNOMED_CT = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
/** LOINC: History of Occupation (the job a person holds, in the Occupational Data for Health pattern). */
export const LOINC_OCCUPATION = { system: LOINC, code: '11341-5', display: 'History of Occupation' } as const;
/** SNOMED CT UK clinical extension: Individual Placement and Support. */
export const SNOMED_IPS = { system: SNOMED_CT, code: '1082621000000104', display: 'Individual Placement and Support' } as const;
/** SNOMED CT international: Vocational rehabilitation (regime/therapy). */
export const SNOMED_VOCATIONAL_REHABILITATION = { system: SNOMED_CT, code: '70082004', display: 'Vocational rehabilitation' } as const;

/** A stable urn:uuid for a programme id (its ids are words, like gm-ips-primary-care): the same in every Bundle. */
export function programmeUrn(origin: string, programmeId: string): string {
	const h = createHash('sha256').update(`${origin}/programme/${programmeId}`).digest('hex');
	return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface FhirReferralInput {
	/** Stable uuids for fullUrl (urn:uuid): the referral's own id, and a person id derived from it. */
	referralId: string;
	patientId: string;
	reference: string;
	programme: { id: string; name: string };
	status: string;
	closedReason: string | null;
	submittedAt: string;
	person: {
		givenName: string;
		familyName: string;
		preferredName: string | null;
		dateOfBirth: string;
		postcode: string;
		email: string | null;
		phone: string | null;
	};
	/** Only when given with a standing consent. */
	nhsNumber: string | null;
	/** Where the referral came from, in words ("GP Fit Note link"), for ServiceRequest.note. */
	sourceText: string | null;
	/** The language the person used (the referral's `preferredLanguage`, BCP 47): the Patient's preferred language. */
	preferredLanguage?: string;
	/** Jobs the person started (the referral's `jobs`). */
	jobs?: { id: string; title: string; employer: string | null; hoursPerWeek: number; startDate: string; endedOn: string | null; confirmedAt: string | null }[];
}

type FhirStatus = 'active' | 'completed' | 'revoked';

/** 008 Support ended: the service was given. Every other closing reason means it was not (revoked). */
const COMPLETED_REASONS = new Set(['008']);

export function serviceRequestStatus(status: string, closedReason: string | null): FhirStatus {
	if (status === 'withdrawn') return 'revoked';
	if (status !== 'closed') return 'active';
	return closedReason && COMPLETED_REASONS.has(closedReason) ? 'completed' : 'revoked';
}

/** BCP 47, the code system of FHIR's languages. */
export const BCP_47 = 'urn:ietf:bcp:47';

/** Patient.communication for the person's language: the BCP 47 tag, named in English, preferred. */
export function communicationOf(tag: string) {
	const primary = tag.toLowerCase().split('-')[0];
	// Named only when it is a language the portal speaks (localeOfTag reads anything else as English).
	const display = isLocale(primary) ? LOCALE_INFO[localeOfTag(tag)].english : null;
	return { language: { coding: [{ system: BCP_47, code: tag, ...(display ? { display } : {}) }], ...(display ? { text: display } : {}) }, preferred: true };
}

export function referralFhirBundle(input: FhirReferralInput, origin: string, now = new Date()) {
	const patientUrl = `urn:uuid:${input.patientId}`;
	const serviceUrl = programmeUrn(origin, input.programme.id);
	const service = {
		resourceType: 'HealthcareService',
		id: serviceUrl.slice('urn:uuid:'.length),
		meta: { profile: [UK_CORE_HEALTHCARE_SERVICE] },
		identifier: [{ system: `${origin}/programme`, value: input.programme.id }],
		active: true,
		category: [{ coding: [SNOMED_VOCATIONAL_REHABILITATION] }],
		type: [{ coding: [SNOMED_IPS] }],
		name: input.programme.name
	};
	const { person } = input;
	const names: Record<string, unknown>[] = [{ use: 'official', family: person.familyName, given: [person.givenName] }];
	if (person.preferredName) names.push({ use: 'usual', given: [person.preferredName] });
	const telecom: Record<string, unknown>[] = [];
	if (person.phone) telecom.push({ system: 'phone', value: person.phone });
	if (person.email) telecom.push({ system: 'email', value: person.email });
	const patient: Record<string, unknown> = {
		resourceType: 'Patient',
		id: input.patientId,
		meta: { profile: [UK_CORE_PATIENT] },
		...(input.nhsNumber ? { identifier: [{ use: 'official', system: NHS_NUMBER_SYSTEM, value: input.nhsNumber }] } : {}),
		name: names,
		...(telecom.length ? { telecom } : {}),
		birthDate: person.dateOfBirth,
		address: [{ postalCode: person.postcode }],
		...(input.preferredLanguage ? { communication: [communicationOf(input.preferredLanguage)] } : {})
	};
	const serviceRequest: Record<string, unknown> = {
		resourceType: 'ServiceRequest',
		id: input.referralId,
		meta: { profile: [UK_CORE_SERVICE_REQUEST] },
		identifier: [{ system: `${origin}/referral-reference`, value: input.reference }],
		status: serviceRequestStatus(input.status, input.closedReason),
		intent: 'proposal',
		category: [{ coding: [SNOMED_VOCATIONAL_REHABILITATION], text: 'Employment support' }],
		code: { coding: [SNOMED_IPS], text: 'Individual Placement and Support (IPS) employment support' },
		subject: { reference: patientUrl },
		requester: { reference: patientUrl, display: 'Self-referral' },
		performer: [{ reference: serviceUrl, display: input.programme.name }],
		authoredOn: input.submittedAt,
		...(input.sourceText ? { note: [{ text: `Came from: ${input.sourceText}` }] } : {})
	};
	const jobs = (input.jobs ?? []).map((job) => ({
		fullUrl: `urn:uuid:${job.id}`,
		resource: {
			resourceType: 'Observation',
			id: job.id,
			status: job.confirmedAt ? 'final' : 'preliminary',
			category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history', display: 'Social History' }] }],
			code: { coding: [LOINC_OCCUPATION], text: 'Job started with IPS support' },
			subject: { reference: patientUrl },
			basedOn: [{ reference: `urn:uuid:${input.referralId}` }],
			effectivePeriod: { start: job.startDate, ...(job.endedOn ? { end: job.endedOn } : {}) },
			...(job.confirmedAt ? { issued: job.confirmedAt } : {}),
			valueCodeableConcept: { text: job.title },
			component: [
				{ code: { text: 'Hours worked per week' }, valueQuantity: { value: job.hoursPerWeek, unit: 'h/wk', system: 'http://unitsofmeasure.org', code: 'h/wk' } },
				...(job.employer ? [{ code: { text: 'Employer' }, valueString: job.employer }] : [])
			]
		}
	}));
	return {
		resourceType: 'Bundle',
		type: 'collection',
		timestamp: now.toISOString(),
		entry: [
			{ fullUrl: `urn:uuid:${input.referralId}`, resource: serviceRequest },
			{ fullUrl: patientUrl, resource: patient },
			{ fullUrl: serviceUrl, resource: service },
			...jobs
		]
	};
}
