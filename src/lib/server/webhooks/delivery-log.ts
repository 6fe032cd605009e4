/** The delivery log of one subscription, for the admin page: recent deliveries and recent attempts. */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FormDefinition } from '$lib/domain/fields';
import { getDb } from '../db';
import { event, referral, webhookAttempt, webhookDelivery } from '../db/schema';

export interface DeliveryRow {
	id: number;
	eventId: string;
	type: string;
	reference: string | null;
	status: 'pending' | 'delivered' | 'dead';
	attempts: number;
	lastStatusCode: number | null;
	lastError: string | null;
	nextAttemptAt: Date;
	deliveredAt: Date | null;
	queuedAt: Date;
	eventAt: Date;
}

export interface AttemptRow {
	id: number;
	deliveryId: number;
	eventId: string;
	type: string;
	at: Date;
	statusCode: number | null;
	latencyMs: number;
	error: string | null;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = { pending: 'Waiting', delivered: 'Delivered', dead: 'Failed for good' };

/** The delivery log's GET filter: one state, or every delivery for anything else. */
export const deliveryFilterForm = {
	fields: [
		{
			kind: 'select',
			name: 'status',
			label: 'Show',
			options: [{ value: '', label: 'All deliveries' }, ...DELIVERY_STATUSES.map((value) => ({ value, label: DELIVERY_STATUS_LABELS[value] }))]
		}
	],
	schema: z.object({ status: z.string().transform((v) => ((DELIVERY_STATUSES as readonly string[]).includes(v) ? (v as DeliveryStatus) : null)) })
} satisfies FormDefinition;

/**
 * A delivery's columns as the admin log and the deliveries API both show them (select them with `event`
 * joined, and `referral` left-joined, on the delivery).
 */
export const DELIVERY_COLUMNS = {
	id: webhookDelivery.id,
	eventId: event.eventId,
	type: event.type,
	reference: referral.reference,
	status: webhookDelivery.status,
	attempts: webhookDelivery.attempts,
	lastStatusCode: webhookDelivery.lastStatusCode,
	lastError: webhookDelivery.lastError,
	nextAttemptAt: webhookDelivery.nextAttemptAt,
	deliveredAt: webhookDelivery.deliveredAt,
	queuedAt: webhookDelivery.createdAt
};

export async function deliveryLog(
	subscriptionId: string,
	options: { status?: DeliveryStatus | null; limit?: number } = {}
): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[]; counts: Record<DeliveryStatus, number>; latency: { median: number | null; p95: number | null } }> {
	const db = await getDb();
	const limit = options.limit ?? 100;
	const where = options.status
		? and(eq(webhookDelivery.subscriptionId, subscriptionId), eq(webhookDelivery.status, options.status))
		: eq(webhookDelivery.subscriptionId, subscriptionId);
	const deliveries = await db
		.select({ ...DELIVERY_COLUMNS, eventAt: event.createdAt })
		.from(webhookDelivery)
		.innerJoin(event, eq(event.id, webhookDelivery.eventId))
		.leftJoin(referral, eq(referral.id, webhookDelivery.referralId))
		.where(where)
		.orderBy(desc(webhookDelivery.eventId))
		.limit(limit);
	const attempts = await db
		.select({
			id: webhookAttempt.id,
			deliveryId: webhookAttempt.deliveryId,
			eventId: event.eventId,
			type: event.type,
			at: webhookAttempt.at,
			statusCode: webhookAttempt.statusCode,
			latencyMs: webhookAttempt.latencyMs,
			error: webhookAttempt.error
		})
		.from(webhookAttempt)
		.innerJoin(webhookDelivery, eq(webhookDelivery.id, webhookAttempt.deliveryId))
		.innerJoin(event, eq(event.id, webhookDelivery.eventId))
		.where(eq(webhookAttempt.subscriptionId, subscriptionId))
		.orderBy(desc(webhookAttempt.id))
		.limit(limit);
	const grouped = await db
		.select({ status: webhookDelivery.status, n: count() })
		.from(webhookDelivery)
		.where(eq(webhookDelivery.subscriptionId, subscriptionId))
		.groupBy(webhookDelivery.status);
	const counts = { pending: 0, delivered: 0, dead: 0 } as Record<DeliveryStatus, number>;
	for (const g of grouped) counts[g.status] = Number(g.n);
	// Over the last 1,000 attempts that got an answer.
	const latencyRows = await db.execute(sql`
		select percentile_disc(0.5) within group (order by latency_ms) as median, percentile_disc(0.95) within group (order by latency_ms) as p95
		from (select latency_ms from ${webhookAttempt} where subscription_id = ${subscriptionId} and status_code is not null order by id desc limit 1000) recent`);
	const [lat] = rowsOf<{ median: number | string | null; p95: number | string | null }>(latencyRows);
	const n = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
	return { deliveries: deliveries as DeliveryRow[], attempts, counts, latency: { median: n(lat?.median), p95: n(lat?.p95) } };
}

/** db.execute answers with an array (postgres-js) or { rows } (PGlite). */
function rowsOf<T>(result: unknown): T[] {
	return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
