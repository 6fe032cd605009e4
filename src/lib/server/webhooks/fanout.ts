/**
 * Fan-out: reads the event log as consumer "webhooks" and queues one webhook_delivery per event and
 * matching subscription, with its job (deliver.ts), in the same transaction that moves the consumer's
 * cursor (events.consumeEvents), so a crash keeps all or nothing and no event is queued twice (the pair
 * is unique as well).
 */
import { isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { webhookDelivery, webhookSubscription, type Event, type WebhookSubscription } from '../db/schema';
import { consumeEvents } from '../events/log';
import { isWebhookEventType } from '../events/payload';
import { readScopes, sendsEventType } from '../events/minimise';
import { queueDeliveryJobs } from './deliver';
import { WEBHOOK_CONSUMER } from './subscriptions';

export const FANOUT_BATCH = 200;

/** Does this subscription want this event, and may it have it (check-in and wellbeing events need the health scope)? */
export function matches(sub: Pick<WebhookSubscription, 'eventTypes' | 'programmeIds' | 'startAfterEventId' | 'disabledAt' | 'dataScopes'>, ev: Pick<Event, 'id' | 'type' | 'programmeId'>): boolean {
	return (
		!sub.disabledAt &&
		ev.id > sub.startAfterEventId &&
		isWebhookEventType(ev.type) &&
		(sub.eventTypes.length === 0 || sub.eventTypes.includes(ev.type)) &&
		sendsEventType(ev.type, readScopes(sub.dataScopes)) &&
		!!ev.programmeId &&
		sub.programmeIds.includes(ev.programmeId)
	);
}

/** Queues deliveries and their jobs for `events` inside `tx`, due at `now`. */
export async function queueDeliveries(tx: Tx, events: Event[], now: Date): Promise<number> {
	const subs = await tx.select().from(webhookSubscription).where(isNull(webhookSubscription.disabledAt));
	const rows = events.flatMap((ev) =>
		subs.filter((s) => matches(s, ev)).map((s) => ({ subscriptionId: s.id, eventId: ev.id, referralId: ev.referralId, nextAttemptAt: now, createdAt: now }))
	);
	for (let i = 0; i < rows.length; i += 500) {
		const added = await tx
			.insert(webhookDelivery)
			.values(rows.slice(i, i + 500))
			.onConflictDoNothing({ target: [webhookDelivery.subscriptionId, webhookDelivery.eventId] })
			.returning({ id: webhookDelivery.id });
		await queueDeliveryJobs(tx, added.map((d) => d.id), now);
	}
	return rows.length;
}

/** One batch of new events into deliveries; returns how many events were read (0: none, or another instance is at it). */
export async function fanOutEvents(options: { now?: Date; limit?: number } = {}): Promise<number> {
	const now = options.now ?? new Date();
	return consumeEvents(WEBHOOK_CONSUMER, options.limit ?? FANOUT_BATCH, async (tx, events) => {
		await queueDeliveries(tx, events, now);
	});
}
