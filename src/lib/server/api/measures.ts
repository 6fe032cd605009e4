/**
 * GET /api/v1/check-ins/<id> and GET /api/v1/concerns/<id>: what a `checkin.completed` or
 * `wellbeing.concern_raised` event links to (docs/api.md, docs/webhooks.md).
 *
 * The rule: the programme's `healthDataInEvents` setting governs what is pushed (event bodies, sent to a
 * webhook address and kept in delivery logs); it does not govern these reads. An API key is made by the
 * provider for its own case system and covers named programmes, so a key of the check-in's programme gets
 * the scores, whatever the setting, and every read is recorded in the audit log. The scores are the same
 * typed shape as in an event (events/measures-payload.ts): never item answers, never PHQ-9 item 9.
 *
 * An id that does not exist, is malformed, or belongs to a programme the key does not cover gets the same
 * answer, 404 not_found, so a key cannot learn which ids exist in other programmes. A key without the
 * health scope gets 403 forbidden_data for every id, existing or not, for the same reason.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { checkIn, programme, referral, wellbeingConcern } from '../db/schema';
import { checkInHref, publicScores } from '../events/measures-payload';
import { apiError, apiJson } from './errors';
import type { ApiKeyPrincipal } from './keys';

const isUuid = (v: string) => z.uuid().safeParse(v).success;

export async function checkInResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	const notFound = () => apiError('not_found', 'No check-in has this id');
	// Before any look-up, so the answer is the same whether the id exists or not.
	if (!key.dataScopes.includes('health')) return apiError('forbidden_data', 'This API key was not given health details, and check-in scores are health details');
	if (!isUuid(id)) return notFound();
	const db = await getDb();
	const [row] = await db
		.select({ checkIn, reference: referral.reference, programmeName: programme.name })
		.from(checkIn)
		.innerJoin(referral, eq(referral.id, checkIn.referralId))
		.innerJoin(programme, eq(programme.id, checkIn.programmeId))
		.where(eq(checkIn.id, id.toLowerCase()));
	if (!row || !key.programmeIds.includes(row.checkIn.programmeId)) return notFound();
	const c = row.checkIn;
	const scores = publicScores(c.instrument, c.result);
	if (!scores) throw new Error(`check-in ${c.id} has a result that cannot be read as ${c.instrument} scores`);
	await recordAudit({
		staffId: null,
		action: 'check_in.viewed',
		referralId: c.referralId,
		programmeId: c.programmeId,
		detail: { checkInId: c.id, instrument: c.instrument, via: 'api', apiKeyId: key.id, apiKeyName: key.name }
	});
	return apiJson({
		data: {
			id: c.id,
			instrument: c.instrument,
			pointId: c.pointId,
			completedAt: c.completedAt.toISOString(),
			reference: row.reference,
			programme: { id: c.programmeId, name: row.programmeName },
			scores
		}
	});
}

export async function concernResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	const notFound = () => apiError('not_found', 'No concern has this id');
	// Before any look-up, so the answer is the same whether the id exists or not.
	if (!key.dataScopes.includes('health')) return apiError('forbidden_data', 'This API key was not given health details, and a wellbeing concern is a health detail');
	if (!isUuid(id)) return notFound();
	const db = await getDb();
	const [row] = await db
		.select({ concern: wellbeingConcern, reference: referral.reference, programmeName: programme.name })
		.from(wellbeingConcern)
		.innerJoin(referral, eq(referral.id, wellbeingConcern.referralId))
		.innerJoin(programme, eq(programme.id, wellbeingConcern.programmeId))
		.where(eq(wellbeingConcern.id, id.toLowerCase()));
	if (!row || !key.programmeIds.includes(row.concern.programmeId)) return notFound();
	const c = row.concern;
	await recordAudit({
		staffId: null,
		action: 'wellbeing_concern.viewed',
		referralId: c.referralId,
		programmeId: c.programmeId,
		detail: { concernId: c.id, kind: c.kind, via: 'api', apiKeyId: key.id, apiKeyName: key.name }
	});
	return apiJson({
		data: {
			id: c.id,
			kind: c.kind,
			checkInId: c.checkInId,
			checkInHref: c.checkInId ? checkInHref(c.checkInId) : null,
			raisedAt: c.raisedAt.toISOString(),
			acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
			resolvedAt: c.resolvedAt?.toISOString() ?? null,
			resolution: c.resolution,
			reasons: [...c.reasons],
			reference: row.reference,
			programme: { id: c.programmeId, name: row.programmeName }
		}
	});
}
