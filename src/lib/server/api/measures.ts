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

type HealthTable = typeof checkIn | typeof wellbeingConcern;

/** What differs between the two reads: the table, the words of the refusals, the audit row, the answer. */
interface HealthRead<T extends HealthTable> {
	table: T;
	noun: string;
	/** Ends "This API key was not given health details, and ...". */
	forbidden: string;
	action: 'check_in.viewed' | 'wellbeing_concern.viewed';
	detail: (record: T['$inferSelect']) => Record<string, unknown>;
	/** The answer's `data`; may throw (before anything is audited). */
	data: (record: T['$inferSelect'], where: { reference: string; programme: { id: string; name: string } }) => Record<string, unknown>;
}

/**
 * One check-in or concern for an API key: 403 forbidden_data for a key without the health scope, before
 * any look-up; then the same 404 not_found for a malformed id, a missing one, and one in a programme the key
 * does not cover; then the read is audited (which record, by which key) and answered.
 */
async function healthRead<T extends HealthTable>(key: ApiKeyPrincipal, id: string, read: HealthRead<T>): Promise<Response> {
	const notFound = () => apiError('not_found', `No ${read.noun} has this id`);
	// Before any look-up, so the answer is the same whether the id exists or not.
	if (!key.dataScopes.includes('health')) return apiError('forbidden_data', `This API key was not given health details, and ${read.forbidden}`);
	if (!isUuid(id)) return notFound();
	const db = await getDb();
	// The query is typed over both tables; `read` gets the row of the table it named.
	const t: HealthTable = read.table;
	const [row] = await db
		.select({ record: t, reference: referral.reference, programmeName: programme.name })
		.from(t)
		.innerJoin(referral, eq(referral.id, t.referralId))
		.innerJoin(programme, eq(programme.id, t.programmeId))
		.where(eq(t.id, id.toLowerCase()));
	if (!row || !key.programmeIds.includes(row.record.programmeId)) return notFound();
	const record = row.record as T['$inferSelect'];
	const data = read.data(record, { reference: row.reference, programme: { id: record.programmeId, name: row.programmeName } });
	await recordAudit({
		staffId: null,
		action: read.action,
		referralId: record.referralId,
		programmeId: record.programmeId,
		detail: { ...read.detail(record), via: 'api', apiKeyId: key.id, apiKeyName: key.name }
	});
	return apiJson({ data });
}

export function checkInResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	return healthRead(key, id, {
		table: checkIn,
		noun: 'check-in',
		forbidden: 'check-in scores are health details',
		action: 'check_in.viewed',
		detail: (c) => ({ checkInId: c.id, instrument: c.instrument }),
		data: (c, { reference, programme }) => {
			const scores = publicScores(c.instrument, c.result);
			if (!scores) throw new Error(`check-in ${c.id} has a result that cannot be read as ${c.instrument} scores`);
			return { id: c.id, instrument: c.instrument, pointId: c.pointId, completedAt: c.completedAt.toISOString(), reference, programme, scores };
		}
	});
}

export function concernResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	return healthRead(key, id, {
		table: wellbeingConcern,
		noun: 'concern',
		forbidden: 'a wellbeing concern is a health detail',
		action: 'wellbeing_concern.viewed',
		detail: (c) => ({ concernId: c.id, kind: c.kind }),
		data: (c, { reference, programme }) => ({
			id: c.id,
			kind: c.kind,
			checkInId: c.checkInId,
			checkInHref: c.checkInId ? checkInHref(c.checkInId) : null,
			raisedAt: c.raisedAt.toISOString(),
			acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
			resolvedAt: c.resolvedAt?.toISOString() ?? null,
			resolution: c.resolution,
			reasons: [...c.reasons],
			reference,
			programme
		})
	});
}
