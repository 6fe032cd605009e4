/**
 * POST /api/v1/referrals/<reference>/status: the case system sends a referral's status back (docs/api.md).
 *
 * Like a status change on the staff referral page (casework.ts changeStatus), one transaction locks the
 * referral row, updates it, writes an audit row (no staff member: the key's id and name instead), stores
 * the response under the request's Idempotency-Key, and appends `referral.status_changed` last (it takes
 * the event-order lock), so the change shows in the staff history, the event log and the webhooks.
 *
 * Idempotency: the first request with a key is processed and its response kept (success, or 409 when the
 * change is not allowed). A request with the same key and the same content gets that response again
 * (with `Idempotent-Replayed: true`) and changes nothing; the same key with other content is refused with
 * 422 idempotency_key_reused. Requests that are refused before anything is looked at (400, 401, 403, 404,
 * 429) are not kept, so they can be corrected and sent again with the same key.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { CLOSE_REASON_CODES, STATUSES, STATUS_LABELS, canChangeStatus, isStatus, meansContacted, type Status } from '$lib/domain/casework';
import { normaliseReference } from '$lib/domain/reference';
import { recordAudit } from '../audit';
import { getDb, type Tx } from '../db';
import { idempotencyRecord, referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { REFERRAL_EVENT_VERSION } from '../referrals';
import { apiErrorBody, apiJson, invalidRequest, apiError, isCleanApiText } from './errors';
import { programmeRefusal, type ApiKeyPrincipal } from './keys';

/** The role whose rules an API key follows: like a team lead, it may reopen a closed referral. */
const API_ROLE = 'team-lead' as const;

export const statusUpdateSchema = z
	.object({
		status: z.enum(STATUSES, { error: `status must be one of ${STATUSES.join(', ')}` }),
		reason: z
			.enum(CLOSE_REASON_CODES as [string, ...string[]], { error: `reason must be a close reason code: ${CLOSE_REASON_CODES.join(', ')}` })
			.nullish(),
		note: z
			.string({ error: 'note must be text' })
			.refine(isCleanApiText, 'note must not contain control characters (tab, line feed and carriage return are allowed) or unpaired surrogates')
			.trim()
			.max(1000, 'note must be 1,000 characters or fewer')
			.nullish()
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.status === 'closed' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason is needed to close a referral' });
		if (v.status !== 'closed' && v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason is only for status closed' });
	})
	.transform((v) => ({ status: v.status as Status, reason: v.reason ?? null, note: v.note ? v.note : null }));
export type StatusUpdate = z.output<typeof statusUpdateSchema>;

/** Printable ASCII, like Stripe's and the IETF draft's keys (a UUID is a good choice). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface ApiResult {
	status: number;
	body: unknown;
	/** True when this is the stored response of an earlier request with the same Idempotency-Key. */
	replayed: boolean;
}

function toResponse(result: ApiResult): Response {
	return apiJson(result.body, result.status, result.replayed ? { 'idempotent-replayed': 'true' } : {});
}

function requestHash(reference: string, update: StatusUpdate): string {
	const canonical = JSON.stringify(['POST', `/api/v1/referrals/${reference}/status`, update.status, update.reason, update.note]);
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}

function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } } | null;
	return e?.code === '23505' || e?.cause?.code === '23505';
}

class Refusal {
	constructor(readonly response: Response) {}
}

/** The whole endpoint: validation, then the change (see changeStatusFromApi). */
export async function statusResponse(key: ApiKeyPrincipal, reference: string, request: Request, now = new Date()): Promise<Response> {
	const idempotencyKey = request.headers.get('idempotency-key');
	if (idempotencyKey === null || idempotencyKey.trim() === '')
		return apiError('idempotency_key_required', 'Send an Idempotency-Key header (a new UUID for each change) so a retried request cannot change the referral twice');
	if (!IDEMPOTENCY_KEY.test(idempotencyKey))
		return apiError('invalid_request', 'The Idempotency-Key header is not valid', [{ field: 'Idempotency-Key', message: 'Use 1 to 255 printable ASCII characters, like a UUID' }]);
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? ''))
		return apiError('invalid_request', 'Send the body as JSON', [{ field: 'Content-Type', message: 'must be application/json' }]);
	let body: unknown;
	try {
		body = JSON.parse(await request.text());
	} catch {
		return apiError('invalid_request', 'The body is not valid JSON');
	}
	const result = await changeStatusFromApi(key, reference, idempotencyKey, body, now);
	return result instanceof Response ? result : toResponse(result);
}

/**
 * Validates `body` and applies it. Returns the response to send: an ApiResult (stored under the
 * Idempotency-Key) or a Response for a refusal that is not stored.
 */
export async function changeStatusFromApi(key: ApiKeyPrincipal, reference: string, idempotencyKey: string, body: unknown, now = new Date()): Promise<ApiResult | Response> {
	const parsed = statusUpdateSchema.safeParse(body);
	if (!parsed.success) return invalidRequest(parsed.error.issues, 'The status update is not valid');
	const ref = normaliseReference(reference);
	if (!ref) return apiError('not_found', 'No referral has this reference');
	const update = parsed.data;
	const hash = requestHash(ref, update);
	const db = await getDb();

	// Two requests with one key for different referrals can both get past the look-up; the second one's
	// insert then fails on the primary key, and running it again finds the first one's record.
	for (let attempt = 0; ; attempt++) {
		try {
			return await db.transaction((tx) => applyLocked(tx, key, ref, idempotencyKey, hash, update, now));
		} catch (error) {
			if (error instanceof Refusal) return error.response;
			if (attempt < 2 && isUniqueViolation(error)) continue;
			throw error;
		}
	}
}

async function storedResult(tx: Tx, key: ApiKeyPrincipal, idempotencyKey: string, hash: string): Promise<ApiResult | null> {
	const [stored] = await tx
		.select()
		.from(idempotencyRecord)
		.where(and(eq(idempotencyRecord.apiKeyId, key.id), eq(idempotencyRecord.key, idempotencyKey)));
	if (!stored) return null;
	if (stored.requestHash !== hash)
		throw new Refusal(apiError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Use a new key for each change'));
	return { status: stored.statusCode, body: stored.body, replayed: true };
}

async function applyLocked(tx: Tx, key: ApiKeyPrincipal, ref: string, idempotencyKey: string, hash: string, update: StatusUpdate, now: Date): Promise<ApiResult> {
	const earlier = await storedResult(tx, key, idempotencyKey, hash);
	if (earlier) return earlier;

	const [row] = await tx.select().from(referral).where(eq(referral.reference, ref)).for('update');
	if (!row) throw new Refusal(apiError('not_found', 'No referral has this reference'));
	const refused = programmeRefusal(key, row.programmeId);
	if (refused) throw new Refusal(refused);
	if (row.erasedAt) throw new Refusal(apiError('erased', 'The personal data of this referral was erased: it cannot be changed'));
	// A request with the same key may have committed while this one waited for the row.
	const raced = await storedResult(tx, key, idempotencyKey, hash);
	if (raced) return raced;

	const keep = async (result: Omit<ApiResult, 'replayed'>): Promise<ApiResult> => {
		// The body as stored (jsonb orders keys its own way), so a replay is byte for byte the same response.
		const [stored] = await tx
			.insert(idempotencyRecord)
			.values({ apiKeyId: key.id, key: idempotencyKey, requestHash: hash, statusCode: result.status, body: result.body })
			.returning({ statusCode: idempotencyRecord.statusCode, body: idempotencyRecord.body });
		return { status: stored.statusCode, body: stored.body, replayed: false };
	};

	const from: Status = isStatus(row.status) ? row.status : 'received';
	if (!canChangeStatus(from, update.status, API_ROLE)) {
		const message =
			from === update.status
				? `The referral is already ${update.status}`
				: `A referral cannot go from ${from} back to ${update.status}`;
		return keep({ status: 409, body: { ...apiErrorBody('invalid_transition', message), current: { reference: row.reference, status: from } } });
	}

	const closedReason = update.status === 'closed' ? update.reason : null;
	const firstContact = meansContacted(update.status) && !row.firstContactAt;
	await tx
		.update(referral)
		.set({ status: update.status, closedReason, statusChangedAt: now, ...(firstContact ? { firstContactAt: now } : {}) })
		.where(eq(referral.id, row.id));
	const detail = { reference: row.reference, from, to: update.status, closedReason };
	await recordAudit(
		{
			staffId: null,
			action: 'referral.status_changed',
			referralId: row.id,
			programmeId: row.programmeId,
			detail: { ...detail, via: 'api', apiKeyId: key.id, apiKeyName: key.name, idempotencyKey, ...(update.note ? { note: update.note } : {}) }
		},
		tx
	);
	const result = await keep({
		status: 200,
		body: {
			data: {
				reference: row.reference,
				status: update.status,
				statusLabel: STATUS_LABELS[update.status],
				previousStatus: from,
				closedReason,
				statusChangedAt: now.toISOString()
			}
		}
	});
	// Last: it takes the event-order lock until commit. The note stays out of the event log.
	await appendEvent(tx, {
		type: 'referral.status_changed',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: {
			version: REFERRAL_EVENT_VERSION,
			...detail,
			programmeId: row.programmeId,
			byStaffId: null,
			actor: { type: 'api-key', id: key.id, name: key.name },
			at: now.toISOString()
		}
	});
	return result;
}
