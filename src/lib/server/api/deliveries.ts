/**
 * GET /api/v1/webhook-deliveries: what the portal has tried to send to the key's case system, so the case
 * system can see what failed without asking an administrator (issue 12 item 7). A key sees deliveries of
 * events in its programmes only, to subscriptions that cover at least one of its programmes; newest first.
 * No bodies and no secrets: the event id, type, reference, status, attempts and the last answer. Deliveries
 * of check-in and wellbeing events only to a key given the health scope.
 */
import { and, desc, eq, inArray, lt, notInArray } from 'drizzle-orm';
import { getDb } from '../db';
import { event, referral, webhookDelivery, webhookSubscription } from '../db/schema';
import { HEALTH_EVENT_TYPES } from '../events/minimise';
import { DELIVERY_COLUMNS, DELIVERY_STATUSES, type DeliveryStatus } from '../webhooks/delivery-log';
import { apiError, apiJson } from './errors';
import type { ApiKeyPrincipal } from './keys';

const MAX_LIMIT = 200;

export async function deliveriesResponse(key: ApiKeyPrincipal, query: URLSearchParams): Promise<Response> {
	const problems: { field: string; message: string }[] = [];
	const statusText = query.get('status');
	if (statusText !== null && !(DELIVERY_STATUSES as readonly string[]).includes(statusText))
		problems.push({ field: 'status', message: 'status must be pending, delivered or dead' });
	const limitText = query.get('limit');
	const limit = limitText === null ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= MAX_LIMIT)) problems.push({ field: 'limit', message: `limit must be a whole number from 1 to ${MAX_LIMIT}` });
	const beforeText = query.get('before');
	const before = beforeText === null ? null : /^\d{1,15}$/.test(beforeText) ? Number(beforeText) : NaN;
	if (before !== null && !(before > 0)) problems.push({ field: 'before', message: 'before must be a delivery id from an earlier page' });
	if (problems.length) return apiError('invalid_request', 'The query is not valid', problems);

	const db = await getDb();
	// Subscriptions are few: which ones cover one of the key's programmes is worked out here.
	const subscriptions = await db.select({ id: webhookSubscription.id, programmeIds: webhookSubscription.programmeIds }).from(webhookSubscription);
	const covered = subscriptions.filter((sub) => sub.programmeIds.some((p) => key.programmeIds.includes(p))).map((sub) => sub.id);
	if (!covered.length) return apiJson({ data: [], next_before: null });
	const conditions = [inArray(webhookDelivery.subscriptionId, covered), inArray(event.programmeId, key.programmeIds)];
	// A key without the health scope does not learn that a check-in or wellbeing event happened (events/minimise.ts).
	if (!key.dataScopes.includes('health')) conditions.push(notInArray(event.type, [...HEALTH_EVENT_TYPES]));
	if (statusText) conditions.push(eq(webhookDelivery.status, statusText as DeliveryStatus));
	if (before) conditions.push(lt(webhookDelivery.id, before));
	const rows = await db
		.select({ ...DELIVERY_COLUMNS, subscriptionId: webhookDelivery.subscriptionId, url: webhookSubscription.url })
		.from(webhookDelivery)
		.innerJoin(event, eq(event.id, webhookDelivery.eventId))
		.innerJoin(webhookSubscription, eq(webhookSubscription.id, webhookDelivery.subscriptionId))
		.leftJoin(referral, eq(referral.id, webhookDelivery.referralId))
		.where(and(...conditions))
		.orderBy(desc(webhookDelivery.id))
		.limit(limit + 1);
	const page = rows.slice(0, limit);
	return apiJson({
		data: page.map((r) => ({
			id: r.id,
			subscription: { id: r.subscriptionId, url: r.url },
			event: { id: r.eventId, type: r.type, reference: r.reference },
			status: r.status,
			attempts: r.attempts,
			lastStatusCode: r.lastStatusCode,
			lastError: r.lastError,
			nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
			deliveredAt: r.deliveredAt?.toISOString() ?? null,
			queuedAt: r.queuedAt.toISOString()
		})),
		next_before: rows.length > limit ? page[page.length - 1].id : null
	});
}
