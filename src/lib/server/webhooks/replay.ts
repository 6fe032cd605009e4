/**
 * Replays, from the admin page: one delivery, or every event since a time for one subscription. A
 * replayed delivery goes back to pending, due now, with a fresh 3-day window, and so does its job (no
 * tries, due now; deliver.ts queueDeliveryJobs); it keeps its webhook-id (the event's id), so a receiver
 * sees it is the same event. A delivery being sent at that moment (its job pending and leased) is left
 * to finish. Replaying since a time also queues events the subscription never had (older than it, or not
 * yet fanned out), within its event types and programmes.
 */
import { and, eq, gt, gte, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { text, type Field, type FormDefinition } from '$lib/domain/fields';
import { parseUkDateTime } from '$lib/domain/uk-time';

// Imported from here by older tests.
export { parseUkDateTime };
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { event, job, webhookDelivery, webhookSubscription } from '../db/schema';
import { WEBHOOK_EVENT_TYPES } from '../events/payload';
import { eventTypesFor, readScopes } from '../events/minimise';
import { queueDeliveryJobs, WEBHOOK_JOB, webhookJobKey } from './deliver';
import { isUuid } from './subscriptions';

export type ReplayOneResult = 'queued' | 'in-flight' | 'not-found';

/** Sends one delivery of an active subscription again. */
export async function replayDelivery(subscriptionId: string, deliveryId: number, staffId: string | null, now = new Date()): Promise<ReplayOneResult> {
	if (!isUuid(subscriptionId)) return 'not-found';
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ delivery: webhookDelivery })
			.from(webhookDelivery)
			.innerJoin(webhookSubscription, and(eq(webhookSubscription.id, webhookDelivery.subscriptionId), isNull(webhookSubscription.disabledAt)))
			.where(and(eq(webhookDelivery.id, deliveryId), eq(webhookDelivery.subscriptionId, subscriptionId)))
			.for('update', { of: webhookDelivery })
			.then((rows) => rows.map((r) => r.delivery));
		if (!row) return 'not-found';
		const [leased] = await tx
			.select({ lockedUntil: job.lockedUntil })
			.from(job)
			.where(and(eq(job.key, webhookJobKey(row.id)), eq(job.status, 'pending')))
			.for('update');
		if (leased?.lockedUntil && leased.lockedUntil > now) return 'in-flight';
		await tx
			.update(webhookDelivery)
			.set({ status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, deliveredAt: null, lastError: null })
			.where(eq(webhookDelivery.id, row.id));
		await queueDeliveryJobs(tx, [row.id], now);
		const [ev] = await tx.select({ eventId: event.eventId, type: event.type }).from(event).where(eq(event.id, row.eventId));
		await recordAudit(
			{ staffId, action: 'webhook.replayed', referralId: row.referralId, detail: { subscriptionId, deliveryId, eventId: ev?.eventId, type: ev?.type, was: row.status } },
			tx
		);
		return 'queued';
	});
}

export interface ReplaySinceResult {
	/** Deliveries that existed and were put back in the queue. */
	requeued: number;
	/** Events that had no delivery for this subscription and now have one. */
	added: number;
	/** Being sent at that moment, so left alone. */
	inFlight: number;
}

/** Every event since `since` that the subscription covers, delivered again (or for the first time). */
export async function replaySince(subscriptionId: string, since: Date, staffId: string | null, now = new Date()): Promise<ReplaySinceResult | null> {
	if (!isUuid(subscriptionId)) return null;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [sub] = await tx.select().from(webhookSubscription).where(and(eq(webhookSubscription.id, subscriptionId), isNull(webhookSubscription.disabledAt)));
		if (!sub) return null;
		// Check-in and wellbeing events only with the health scope, as fan-out does (events/minimise.ts).
		const types = eventTypesFor(sub.eventTypes.length ? sub.eventTypes : [...WEBHOOK_EVENT_TYPES], readScopes(sub.dataScopes));
		const covered = and(gte(event.createdAt, since), inArray(event.type, types), inArray(event.programmeId, sub.programmeIds));

		// Being sent now: the delivery's job is pending and leased.
		const leased = tx
			.select({ id: job.deliveryId })
			.from(job)
			.where(and(eq(job.kind, WEBHOOK_JOB), eq(job.status, 'pending'), gt(job.lockedUntil, now), sql`${job.deliveryId} is not null`));
		const inFlight = await tx
			.select({ id: webhookDelivery.id })
			.from(webhookDelivery)
			.innerJoin(event, eq(event.id, webhookDelivery.eventId))
			.where(and(eq(webhookDelivery.subscriptionId, sub.id), covered, eq(webhookDelivery.status, 'pending'), inArray(webhookDelivery.id, leased)));
		const requeued = await tx
			.update(webhookDelivery)
			.set({ status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, deliveredAt: null, lastError: null })
			.where(
				and(
					eq(webhookDelivery.subscriptionId, sub.id),
					or(notInArray(webhookDelivery.id, leased), sql`${webhookDelivery.status} <> 'pending'`),
					inArray(webhookDelivery.eventId, tx.select({ id: event.id }).from(event).where(covered))
				)
			)
			.returning({ id: webhookDelivery.id });
		const missing = await tx
			.select({ id: event.id, referralId: event.referralId })
			.from(event)
			.where(
				and(
					covered,
					sql`not exists (select 1 from ${webhookDelivery} d where d.subscription_id = ${sub.id} and d.event_id = ${event.id})`
				)
			);
		const added: number[] = [];
		for (let i = 0; i < missing.length; i += 500) {
			const rows = await tx
				.insert(webhookDelivery)
				.values(missing.slice(i, i + 500).map((m) => ({ subscriptionId: sub.id, eventId: m.id, referralId: m.referralId, nextAttemptAt: now, createdAt: now })))
				.onConflictDoNothing({ target: [webhookDelivery.subscriptionId, webhookDelivery.eventId] })
				.returning({ id: webhookDelivery.id });
			added.push(...rows.map((r) => r.id));
		}
		await queueDeliveryJobs(tx, [...requeued.map((r) => r.id), ...added], now);
		const result = { requeued: requeued.length, added: missing.length, inFlight: inFlight.length };
		await recordAudit({ staffId, action: 'webhook.replayed', detail: { subscriptionId, since: since.toISOString(), ...result } }, tx);
		return result;
	});
}

/** The "replay everything since" form: a UK date and time in the past. */
export function replaySinceForm(now: Date) {
	const fields: Field[] = [
		{
			kind: 'text',
			name: 'since',
			label: 'Send again every event since',
			hint: 'UK time. Events the case system already has are sent again with the same webhook-id.',
			type: 'datetime-local',
			step: '1'
		}
	];
	const schema = z.object({
		since: text()
			.trim()
			.min(1, 'Enter the date and time to replay from')
			.transform((value, ctx) => {
				const since = parseUkDateTime(value);
				if (!since) ctx.addIssue({ code: 'custom', message: 'Enter a real date and time, like 5 December 2026 at 14:05' });
				else if (since > now) ctx.addIssue({ code: 'custom', message: 'The date and time must be in the past' });
				return since ?? z.NEVER;
			})
	});
	return { fields, schema } satisfies FormDefinition;
}

/** The replay button's form: the delivery to send again. */
export const replayOneForm = {
	fields: [{ kind: 'hidden', name: 'deliveryId' }],
	schema: z.object({ deliveryId: text().regex(/^[1-9]\d{0,14}$/).transform(Number) })
} satisfies FormDefinition;
