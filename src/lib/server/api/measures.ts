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
 * answer, 404 not_found, so a key cannot learn which ids exist in other programmes.
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

type Audit = Parameters<typeof recordAudit>[0];

/** What both reads found: the record, with its referral's reference and its programme's name. */
interface Found<R> {
	record: R;
	reference: string;
	programmeName: string;
}

/**
 * The rule both reads keep: not found outside the key's programmes, refused without the health scope, the
 * read in the audit log, then the record (`data` places the reference and programme where they go).
 */
async function healthRead<R extends { id: string; referralId: string; programmeId: string }>(
	key: ApiKeyPrincipal,
	row: Found<R> | undefined,
	read: {
		notFound: () => Response;
		/** Why the health scope is needed: "check-in scores are health details". */
		because: string;
		action: Audit['action'];
		detail: (r: R) => Record<string, unknown>;
		data: (r: R, of: { reference: string; programme: { id: string; name: string } }) => Record<string, unknown>;
	}
): Promise<Response> {
	if (!row || !key.programmeIds.includes(row.record.programmeId)) return read.notFound();
	if (!key.dataScopes.includes('health')) return apiError('forbidden_data', `This API key was not given health details, and ${read.because}`);
	const r = row.record;
	const data = read.data(r, { reference: row.reference, programme: { id: r.programmeId, name: row.programmeName } });
	await recordAudit({
		staffId: null,
		action: read.action,
		referralId: r.referralId,
		programmeId: r.programmeId,
		detail: { ...read.detail(r), via: 'api', apiKeyId: key.id, apiKeyName: key.name }
	});
	return apiJson({ data });
}

export async function checkInResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	const notFound = () => apiError('not_found', 'No check-in has this id');
	if (!isUuid(id)) return notFound();
	const db = await getDb();
	const [row] = await db
		.select({ record: checkIn, reference: referral.reference, programmeName: programme.name })
		.from(checkIn)
		.innerJoin(referral, eq(referral.id, checkIn.referralId))
		.innerJoin(programme, eq(programme.id, checkIn.programmeId))
		.where(eq(checkIn.id, id.toLowerCase()));
	return healthRead(key, row, {
		notFound,
		because: 'check-in scores are health details',
		action: 'check_in.viewed',
		detail: (c) => ({ checkInId: c.id, instrument: c.instrument }),
		data: (c, of) => {
			const scores = publicScores(c.instrument, c.result);
			if (!scores) throw new Error(`check-in ${c.id} has a result that cannot be read as ${c.instrument} scores`);
			return { id: c.id, instrument: c.instrument, pointId: c.pointId, completedAt: c.completedAt.toISOString(), ...of, scores };
		}
	});
}

export async function concernResponse(key: ApiKeyPrincipal, id: string): Promise<Response> {
	const notFound = () => apiError('not_found', 'No concern has this id');
	if (!isUuid(id)) return notFound();
	const db = await getDb();
	const [row] = await db
		.select({ record: wellbeingConcern, reference: referral.reference, programmeName: programme.name })
		.from(wellbeingConcern)
		.innerJoin(referral, eq(referral.id, wellbeingConcern.referralId))
		.innerJoin(programme, eq(programme.id, wellbeingConcern.programmeId))
		.where(eq(wellbeingConcern.id, id.toLowerCase()));
	return healthRead(key, row, {
		notFound,
		because: 'a wellbeing concern is a health detail',
		action: 'wellbeing_concern.viewed',
		detail: (c) => ({ concernId: c.id, kind: c.kind }),
		data: (c, of) => ({
			id: c.id,
			kind: c.kind,
			checkInId: c.checkInId,
			checkInHref: c.checkInId ? checkInHref(c.checkInId) : null,
			raisedAt: c.raisedAt.toISOString(),
			acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
			resolvedAt: c.resolvedAt?.toISOString() ?? null,
			resolution: c.resolution,
			reasons: [...c.reasons],
			...of
		})
	});
}
