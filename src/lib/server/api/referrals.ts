/**
 * GET /api/v1/referrals/<reference>: one referral as the case system sees it (docs/api.md). The body is
 * the `data` of the webhook payload (events/payload.ts) without the parts that belong to one event
 * (`sequence`, `change`), so a referral read here and one received by webhook have the same fields.
 *
 * A reference that does not exist and one in a programme the key does not cover get the same answer,
 * 404 not_found, so a key cannot tell whether a reference exists in another programme.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { normaliseReference } from '$lib/domain/reference';
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { event, participant, referral, type Referral } from '../db/schema';
import { siteOrigin } from '../config';
import { referralFhirBundle } from '$lib/domain/fhir';
import { isSourceCode, SOURCES } from '$lib/domain/sources';
import { minimiseData } from '../events/minimise';
import { PayloadError, WEBHOOK_EVENT_TYPES, buildPayloads, type EventPayload } from '../events/payload';
import { apiError, apiJson } from './errors';
import { programmeRefusal, type ApiKeyPrincipal } from './keys';

type Snapshot = Omit<EventPayload['data'], 'sequence' | 'actor' | 'change'>;

/** The referral, or the error response: 404 for a malformed, unknown or out-of-scope reference. */
export async function findReferralForKey(key: ApiKeyPrincipal, reference: string): Promise<{ ok: true; row: Referral } | { ok: false; response: Response }> {
	const ref = normaliseReference(reference);
	if (!ref) return { ok: false, response: apiError('not_found', 'No referral has this reference') };
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.reference, ref));
	if (!row) return { ok: false, response: apiError('not_found', 'No referral has this reference') };
	const refused = programmeRefusal(key, row.programmeId);
	if (refused) return { ok: false, response: refused };
	if (row.erasedAt) return { ok: false, response: apiError('erased', `The personal data of referral ${row.reference} was erased on ${row.erasedAt.toISOString().slice(0, 10)}`) };
	return { ok: true, row };
}

/** The referral as it is now, in the webhook payload's shape. */
export async function referralSnapshot(row: Referral): Promise<Snapshot> {
	const db = await getDb();
	// Its first event (referral.submitted) always exists; the payload is built from the referral as it is now.
	const [first] = await db
		.select()
		.from(event)
		.where(and(eq(event.referralId, row.id), inArray(event.type, [...WEBHOOK_EVENT_TYPES])))
		.orderBy(asc(event.id))
		.limit(1);
	if (!first) throw new Error(`referral ${row.id} has no events`);
	const payload = (await buildPayloads(db, [first])).get(first.id);
	if (!payload || payload instanceof PayloadError) throw payload ?? new Error('no payload');
	// Only the referral: not the parts that belong to one event (the first is referral.submitted, with `change`).
	const all: EventPayload['data'] & Partial<Record<'change' | 'meeting' | 'checkIn' | 'concern', unknown>> = payload.data;
	const { sequence: _sequence, actor: _actor, change: _change, meeting: _meeting, checkIn: _checkIn, concern: _concern, ...data } = all;
	return data;
}

export async function referralResponse(key: ApiKeyPrincipal, reference: string): Promise<Response> {
	const found = await findReferralForKey(key, reference);
	if (!found.ok) return found.response;
	const data = await referralSnapshot(found.row);
	// Less for a key without health or equality scope (events/minimise.ts), as in its events.
	minimiseData(data as unknown as Record<string, unknown>, key.dataScopes);
	await recordAudit({
		staffId: null,
		action: 'referral.viewed',
		referralId: found.row.id,
		programmeId: found.row.programmeId,
		detail: { reference: found.row.reference, via: 'api', apiKeyId: key.id, apiKeyName: key.name }
	});
	return apiJson({ data });
}

/** GET /api/v1/referrals/<reference>/fhir: the same referral as a FHIR R4 Bundle (domain/fhir.ts). */
export async function referralFhirResponse(key: ApiKeyPrincipal, reference: string): Promise<Response> {
	const found = await findReferralForKey(key, reference);
	if (!found.ok) return found.response;
	const row = found.row;
	const data = await referralSnapshot(row);
	const db = await getDb();
	const [person] = await db.select({ id: participant.id }).from(participant).where(eq(participant.referralId, row.id));
	const nhsConsent = data.consents.find((c) => c.kind === 'nhsNumber');
	const nhs = typeof row.answers.nhsNumber === 'string' ? row.answers.nhsNumber.replace(/\s+/g, '') : '';
	const source = isSourceCode(row.sourceCode) ? SOURCES[row.sourceCode].staffLabel : null;
	const bundle = referralFhirBundle(
		{
			referralId: row.id,
			// Every referral has its participant (made in the submit transaction); the referral's id otherwise.
			patientId: person?.id ?? row.id,
			reference: row.reference,
			programme: data.programme,
			status: row.status,
			closedReason: row.closedReason,
			submittedAt: data.submittedAt,
			person: data.person!,
			// The NHS number is a health detail: only for keys given health details.
			nhsNumber: nhs && nhsConsent?.given && !nhsConsent.withdrawnAt && key.dataScopes.includes('health') ? nhs : null,
			sourceText: source,
			preferredLanguage: data.preferredLanguage,
			jobs: data.jobs ?? []
		},
		siteOrigin()
	);
	await recordAudit({
		staffId: null,
		action: 'referral.viewed',
		referralId: row.id,
		programmeId: row.programmeId,
		detail: { reference: row.reference, via: 'api-fhir', apiKeyId: key.id, apiKeyName: key.name }
	});
	return new Response(JSON.stringify(bundle), { headers: { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store' } });
}
