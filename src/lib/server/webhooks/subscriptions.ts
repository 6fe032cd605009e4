/**
 * Webhook subscriptions: a receiver's URL, the event types and programmes it covers, and its signing
 * secret ("whsec_" + base64, the Standard Webhooks format). The secret is shown once, when the
 * subscription is made (admin page or `npm run cli -- webhook add`); only the deliverer reads it after.
 */
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, isNull, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { getConfig } from '../config';
import { getDb } from '../db';
import { event, eventConsumer, programme, webhookDelivery, webhookSubscription, type WebhookSubscription } from '../db/schema';
import { WEBHOOK_EVENT_TYPES } from '../events/payload';
import { webhookUrlProblem } from './address';

/** The event-log consumer that turns events into deliveries (fanout.ts). */
export const WEBHOOK_CONSUMER = 'webhooks';

/** A new signing secret: 32 random bytes, as the standardwebhooks library expects them. */
export function newWebhookSecret(): string {
	return `whsec_${randomBytes(32).toString('base64')}`;
}

export const subscriptionSchema = z.object({
	url: z
		.string()
		.trim()
		.min(1, 'Enter the address the case system receives webhooks at')
		.max(2000, 'The address must be 2,000 characters or fewer')
		.refine((v) => {
			try {
				const u = new URL(v);
				return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password;
			} catch {
				return false;
			}
		}, 'Enter a full web address starting https://, like https://crm.example.org/ips-webhooks'),
	eventTypes: z
		.array(z.enum(WEBHOOK_EVENT_TYPES, { error: 'Choose event types from the list' }))
		.min(1, 'Select at least one event type')
		.transform((v) => [...new Set(v)]),
	programmeIds: z
		.array(z.string().min(1).max(60))
		.min(1, 'Select at least one programme')
		.transform((v) => [...new Set(v)]),
	description: z.string().trim().max(200, 'The description must be 200 characters or fewer').default('')
});
export interface SubscriptionInput {
	url: string;
	eventTypes: string[];
	programmeIds: string[];
	description?: string;
}

export type CreateSubscriptionResult =
	| { ok: true; subscription: WebhookSubscription; secret: string }
	| { ok: false; errors: Record<string, string> };

/**
 * Validates and creates a subscription. It receives events appended after it was made: the event-log
 * consumer row is locked first, so a fan-out batch running at the same moment either finished before (its
 * events are older than the subscription) or starts after and sees it.
 */
export async function createSubscription(input: SubscriptionInput, by: { staffId: string | null; via: 'admin' | 'cli' }): Promise<CreateSubscriptionResult> {
	const parsed = subscriptionSchema.safeParse(input);
	const errors: Record<string, string> = {};
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'url')] ??= issue.message;
	if (!errors.url) {
		// https to a public address only, unless WEBHOOK_ALLOW_PRIVATE is set for local testing (address.ts).
		const problem = webhookUrlProblem(String(input.url ?? '').trim(), { allowPrivate: getConfig().WEBHOOK_ALLOW_PRIVATE });
		if (problem) errors.url = problem;
	}
	const db = await getDb();
	if (parsed.success) {
		const known = new Set((await db.select({ id: programme.id }).from(programme)).map((p) => p.id));
		const unknown = parsed.data.programmeIds.filter((id) => !known.has(id));
		if (unknown.length) errors.programmeIds = `There is no programme ${unknown.join(', ')}. Choose programmes from the list`;
	}
	if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
	const secret = newWebhookSecret();
	await db.insert(eventConsumer).values({ name: WEBHOOK_CONSUMER }).onConflictDoNothing();
	const subscription = await db.transaction(async (tx) => {
		await tx.select().from(eventConsumer).where(eq(eventConsumer.name, WEBHOOK_CONSUMER)).for('update');
		const [{ last }] = await tx.select({ last: max(event.id) }).from(event);
		const [row] = await tx
			.insert(webhookSubscription)
			.values({ ...parsed.data, secret, startAfterEventId: Number(last ?? 0) })
			.returning();
		await recordAudit(
			{
				staffId: by.staffId,
				action: 'webhook.created',
				detail: { subscriptionId: row.id, url: row.url, eventTypes: row.eventTypes, programmeIds: row.programmeIds, via: by.via }
			},
			tx
		);
		return row;
	});
	return { ok: true, subscription, secret };
}

export interface SubscriptionSummary {
	id: string;
	url: string;
	description: string;
	eventTypes: string[];
	programmeIds: string[];
	createdAt: Date;
	disabledAt: Date | null;
	pending: number;
	delivered: number;
	dead: number;
}

/** Every subscription, newest first, with its delivery counts. The secret is not included. */
export async function listSubscriptions(): Promise<SubscriptionSummary[]> {
	const db = await getDb();
	const subs = await db.select().from(webhookSubscription).orderBy(desc(webhookSubscription.createdAt));
	const counts = await db
		.select({ id: webhookDelivery.subscriptionId, status: webhookDelivery.status, n: count() })
		.from(webhookDelivery)
		.groupBy(webhookDelivery.subscriptionId, webhookDelivery.status);
	return subs.map((s) => {
		const of = (status: string) => Number(counts.find((c) => c.id === s.id && c.status === status)?.n ?? 0);
		return {
			id: s.id,
			url: s.url,
			description: s.description,
			eventTypes: s.eventTypes,
			programmeIds: s.programmeIds,
			createdAt: s.createdAt,
			disabledAt: s.disabledAt,
			pending: of('pending'),
			delivered: of('delivered'),
			dead: of('dead')
		};
	});
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export async function getSubscription(id: string): Promise<WebhookSubscription | null> {
	if (!UUID.test(id)) return null;
	const db = await getDb();
	const [row] = await db.select().from(webhookSubscription).where(eq(webhookSubscription.id, id));
	return row ?? null;
}

/**
 * Stops deliveries to a subscription for good: nothing new is queued for it and what is waiting is not
 * sent (it stays in the log). Returns false when it was already disabled or does not exist.
 */
export async function disableSubscription(id: string, staffId: string | null, now = new Date()): Promise<boolean> {
	if (!UUID.test(id)) return false;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(webhookSubscription)
			.set({ disabledAt: now })
			.where(and(eq(webhookSubscription.id, id), isNull(webhookSubscription.disabledAt)))
			.returning();
		if (!row) return false;
		const [{ waiting }] = await tx
			.select({ waiting: sql<number>`count(*)::int` })
			.from(webhookDelivery)
			.where(and(eq(webhookDelivery.subscriptionId, id), eq(webhookDelivery.status, 'pending')));
		await recordAudit({ staffId, action: 'webhook.disabled', detail: { subscriptionId: id, url: row.url, pendingLeft: waiting } }, tx);
		return true;
	});
}

export interface SubscriptionFormValues {
	url: string;
	description: string;
	eventTypes: string[];
	programmeIds: string[];
}

/** The admin form, bounded, as typed (kept on errors). */
export function readSubscriptionForm(form: FormData): SubscriptionFormValues {
	const text = (name: string, max: number) => String(form.get(name) ?? '').slice(0, max);
	return {
		url: text('url', 2100).trim(),
		description: text('description', 300),
		eventTypes: form.getAll('eventTypes').slice(0, 20).map((v) => String(v).slice(0, 60)),
		programmeIds: form.getAll('programmeIds').slice(0, 50).map((v) => String(v).slice(0, 60))
	};
}

/** Form fields in page order, for the error summary. */
export const SUBSCRIPTION_FIELD_ORDER = ['url', 'eventTypes', 'programmeIds', 'description'] as const;
