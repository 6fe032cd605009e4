/**
 * GET /api/v1/events: the event log for systems that cannot receive webhooks (docs/api.md).
 *
 * Events come in `id` order after a cursor. Writers append under one lock, so ids are handed out in commit
 * order (events/log.ts): once an event with id N is visible, no event with a smaller id can appear later.
 * "id > cursor" therefore never skips an event and never repeats one, however many are being written while
 * a client pages. The cursor is the last id returned, in an opaque wrapper so clients do not build their own.
 * Each event's body is the webhook payload (events/payload.ts), so both feeds send the same shape.
 */
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { max } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '../db';
import { event as eventTable } from '../db/schema';
import { installationKey } from '../secrets';
import { readEvents } from '../events/log';
import { PayloadError, PAYLOAD_VERSION, WEBHOOK_EVENT_TYPES, eventBodies, type EventPayload } from '../events/payload';
import { eventTypesFor, isHealthEventType, minimiseBody } from '../events/minimise';
import { log } from '../log';
import { apiError, apiJson, invalidRequest, isCleanApiText } from './errors';
import type { ApiKeyPrincipal } from './keys';

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 500;
const CURSOR_TAG = 'ev2:';
const utf8 = new TextEncoder();

/**
 * Cursors are signed: `ev2:<last id>.<HMAC>` with a key derived from the installation's cursor secret and
 * the API key's id, so a cursor the API did not hand out to this key (edited, from another key, from
 * another installation or a restored database with a new secret) fails the check. Pure: the caller gives
 * the signing key (cursorSigningKey).
 */
export function cursorSigningKey(installationSecret: Uint8Array, apiKeyId: string): Uint8Array {
	return hmac(SHA256, installationSecret, utf8.encode(`api-cursor:${apiKeyId}`));
}

function signature(key: Uint8Array, lastId: number): string {
	return encodeBase64urlNoPadding(hmac(SHA256, key, utf8.encode(`${CURSOR_TAG}${lastId}`)).subarray(0, 16));
}

export function encodeCursor(lastId: number, key: Uint8Array): string {
	return encodeBase64urlNoPadding(utf8.encode(`${CURSOR_TAG}${lastId}.${signature(key, lastId)}`));
}

/** The id a cursor stands for, or null when it is not one the API handed out with this key. */
export function decodeCursor(cursor: string, key: Uint8Array): number | null {
	if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) return null;
	let text: string;
	try {
		text = new TextDecoder().decode(decodeBase64urlIgnorePadding(cursor));
	} catch {
		return null;
	}
	const match = /^ev2:(0|[1-9]\d{0,15})\.([A-Za-z0-9_-]{22})$/.exec(text);
	if (!match) return null;
	const id = Number(match[1]);
	if (!Number.isSafeInteger(id)) return null;
	const expected = utf8.encode(signature(key, id));
	const given = utf8.encode(match[2]);
	return expected.length === given.length && constantTimeEqual(expected, given) ? id : null;
}

/** The signing key for cursors handed to this API key. */
export async function cursorKeyFor(apiKeyId: string): Promise<Uint8Array> {
	return cursorSigningKey(await installationKey('api-cursor'), apiKeyId);
}

/** A payload the builder could not make (it should not happen): the stored facts, so the event is not lost. */
export interface FallbackEvent {
	type: string;
	id: string;
	timestamp: string;
	data: { version: number; sequence: number; reference: string | null; programme: { id: string | null }; change: Record<string, unknown>; incomplete: true };
}

export interface EventPage {
	data: (EventPayload | FallbackEvent)[];
	next_cursor: string;
	has_more: boolean;
}

const querySchema = z.object({
	limit: z.coerce
		.number({ error: 'limit must be a whole number from 1 to 500' })
		.int('limit must be a whole number from 1 to 500')
		.min(1, 'limit must be a whole number from 1 to 500')
		.max(MAX_EVENT_LIMIT, 'limit must be a whole number from 1 to 500')
		.default(DEFAULT_EVENT_LIMIT),
	type: z
		.array(z.enum(WEBHOOK_EVENT_TYPES, { error: `type must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
		.max(WEBHOOK_EVENT_TYPES.length),
	programme: z.array(z.string().min(1).max(100).refine(isCleanApiText, 'programme must not contain control characters')).max(50)
});

/** Repeated or comma-separated: ?type=a&type=b or ?type=a,b. */
function listParam(params: URLSearchParams, name: string): string[] {
	return params
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
}

/** One page of events for the key, as the HTTP response. */
export async function eventsResponse(key: ApiKeyPrincipal, params: URLSearchParams): Promise<Response> {
	const after = params.get('after');
	const cursorKey = await cursorKeyFor(key.id);
	const afterId = after === null || after === '' ? 0 : decodeCursor(after, cursorKey);
	if (afterId === null || (afterId > 0 && afterId > (await newestEventId())))
		return apiError('invalid_cursor', 'The after parameter must be a next_cursor from an earlier response to this API key, or left out to start at the beginning');

	const rawLimit = params.get('limit');
	const parsed = querySchema.safeParse({
		limit: rawLimit === null || rawLimit === '' ? undefined : rawLimit,
		type: listParam(params, 'type'),
		programme: listParam(params, 'programme')
	});
	if (!parsed.success) return invalidRequest(parsed.error.issues, 'The query is not valid');
	const { limit, type, programme } = parsed.data;

	const outside = programme.filter((p) => !key.programmeIds.includes(p));
	if (outside.length) return apiError('forbidden_programme', 'This API key does not cover every programme asked for');
	if (!key.dataScopes.includes('health') && type.some(isHealthEventType))
		return apiError('forbidden_data', 'This API key was not given health details, and check-in and wellbeing events are health details');
	const page = await readEventPage(key, afterId, limit, { types: type, programmeIds: programme.length ? programme : undefined });
	return apiJson(page);
}

/** The newest event's id (0 with none): a cursor beyond it was never handed out. */
async function newestEventId(): Promise<number> {
	const db = await getDb();
	const [row] = await db.select({ id: max(eventTable.id) }).from(eventTable);
	return Number(row?.id ?? 0);
}

/** The events after `afterId` in the key's programmes (narrowed by the filters), oldest first. */
export async function readEventPage(
	key: ApiKeyPrincipal,
	afterId: number,
	limit: number,
	filter: { types?: string[]; programmeIds?: string[] } = {}
): Promise<EventPage> {
	const programmeIds = (filter.programmeIds ?? key.programmeIds).filter((p) => key.programmeIds.includes(p));
	const db = await getDb();
	// Check-in and wellbeing events only for a key with the health scope. Left out in the query itself, so a
	// page is never short or empty because of them and next_cursor stays the last event the key may see.
	const types = eventTypesFor(filter.types?.length ? filter.types : [...WEBHOOK_EVENT_TYPES], key.dataScopes);
	const rows = await readEvents(afterId, limit + 1, { types: types.length ? types : [''], programmeIds }, db);
	const events = rows.slice(0, limit);
	const payloads = events.length ? await eventBodies(db, events) : new Map<number, string | PayloadError>();
	const data = events.map((e): EventPayload | FallbackEvent => {
		const payload = payloads.get(e.id);
		// The body fixed when the event was appended: the same bytes a webhook carries for this event.
		// Less for a key without health or equality scope, the same way every time.
		if (typeof payload === 'string') return JSON.parse(minimiseBody(payload, key.dataScopes)) as EventPayload;
		log.warn('api event payload could not be built', { eventId: e.id, error: payload instanceof PayloadError ? payload.message : 'missing' });
		return {
			type: e.type,
			id: e.eventId,
			timestamp: e.createdAt.toISOString(),
			data: {
				version: PAYLOAD_VERSION,
				sequence: e.id,
				reference: typeof e.payload.reference === 'string' ? e.payload.reference : null,
				programme: { id: e.programmeId },
				change: e.payload,
				incomplete: true
			}
		};
	});
	const last = events.at(-1)?.id ?? afterId;
	return { data, next_cursor: encodeCursor(last, await cursorKeyFor(key.id)), has_more: rows.length > limit };
}
