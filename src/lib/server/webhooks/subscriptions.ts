/**
 * Webhook subscriptions: a receiver's URL, the event types and programmes it covers, and its signing
 * secret ("whsec_" + base64, the Standard Webhooks format). The secret is shown once, when the
 * subscription is made (admin page or `npm run cli -- webhook add`); only the deliverer reads it after.
 */
import { encodeBase64 } from '@oslojs/encoding';
import { lookup as dnsLookup } from 'node:dns/promises';
import { Webhook } from 'standardwebhooks';
import { and, count, desc, eq, isNull, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { text, validateRaw, type Field, type RawValues } from '$lib/domain/fields';
import { recordAudit, type Actor } from '../audit';
import { getConfig } from '../config';
import { getDb } from '../db';
import { event, eventConsumer, programme, webhookDelivery, webhookSubscription, type WebhookSubscription } from '../db/schema';
import { EVENT_TYPE_LABELS, WEBHOOK_EVENT_TYPES } from '../events/payload';
import { resolvedUrlProblem, webhookUrlProblem } from './address';
import { DATA_SCOPE_LABELS, DATA_SCOPES, readScopes, type DataScope } from '../events/minimise';

/** The event-log consumer that turns events into deliveries (fanout.ts). */
export const WEBHOOK_CONSUMER = 'webhooks';

/** A new signing secret: 32 random bytes, as the standardwebhooks library expects them. */
export function newWebhookSecret(): string {
	return `whsec_${encodeBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
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
		}, 'Enter a full web address starting https://, like https://crm.example.org/ips-webhooks')
		// https to a public address only, unless WEBHOOK_ALLOW_PRIVATE is set for local testing (address.ts).
		.superRefine((v, ctx) => {
			let parses = true;
			try {
				new URL(v);
			} catch {
				parses = false;
			}
			const problem = parses ? webhookUrlProblem(v, { allowPrivate: getConfig().WEBHOOK_ALLOW_PRIVATE }) : null;
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		}),
	eventTypes: z
		.array(z.enum(WEBHOOK_EVENT_TYPES, { error: 'Choose event types from the list' }))
		.min(1, 'Select at least one event type')
		.transform((v) => [...new Set(v)]),
	programmeIds: z
		.array(z.string().min(1).max(60))
		.min(1, 'Select at least one programme')
		.transform((v) => [...new Set(v)]),
	dataScopes: z
		.array(z.enum(DATA_SCOPES, { error: 'Choose from the list' }))
		.default([])
		.transform((v) => [...new Set(v)]),
	description: text().trim().max(200, 'The description must be 200 characters or fewer').default('')
});
export interface SubscriptionInput {
	url: string;
	eventTypes: string[];
	programmeIds: string[];
	/** Beyond the core referral and contact details: "health", "equality". Default: the core only. */
	dataScopes?: string[];
	description?: string;
}

/** The admin form's fields, in page order. */
export function subscriptionFields(programmes: { id: string; name: string }[]): Field[] {
	return [
		{
			kind: 'text',
			name: 'url',
			label: 'Receiver address',
			hint: "The case system's address for webhooks, like https://crm.example.org/ips-webhooks. It must be an https address the case system receives on the internet, not one inside this server's network.",
			type: 'url',
			spellcheck: false
		},
		{
			kind: 'checkboxes',
			name: 'eventTypes',
			label: 'Events',
			hint: 'Select every event the case system should hear about.',
			options: WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, code: type, label: EVENT_TYPE_LABELS[type] }))
		},
		{
			kind: 'checkboxes',
			name: 'programmeIds',
			label: 'Programmes',
			hint: 'Only referrals to these programmes are sent.',
			options: programmes.map((p) => ({ value: p.id, label: p.name }))
		},
		{
			kind: 'checkboxes',
			name: 'dataScopes',
			label: 'What it receives besides the referral and contact details (optional)',
			hint: 'Send only what the case system needs. Leave both unticked for the referral and contact details alone. Without health details, check-in and wellbeing events are not sent, nor answers in the person\'s own words.',
			options: DATA_SCOPES.map((scope) => ({ value: scope, label: DATA_SCOPE_LABELS[scope] }))
		},
		{ kind: 'text', name: 'description', label: 'Description (optional)', hint: 'For staff only, like "Example Provider CRM, live".' }
	];
}

export type CreateSubscriptionResult =
	| { ok: true; subscription: WebhookSubscription; secret: string }
	| { ok: false; raw: RawValues; errors: Record<string, string> };

/**
 * Validates and creates a subscription. It receives events appended after it was made: the event-log
 * consumer row is locked first, so a fan-out batch running at the same moment either finished before (its
 * events are older than the subscription) or starts after and sees it.
 */
export async function createSubscription(input: SubscriptionInput | RawValues, actor: Actor): Promise<CreateSubscriptionResult> {
	const raw = { ...input } as RawValues;
	const db = await getDb();
	const programmes = await db.select({ id: programme.id, name: programme.name }).from(programme);
	const result = validateRaw({ fields: subscriptionFields(programmes), schema: subscriptionSchema }, raw);
	// What the address's name resolves to, once the address itself is acceptable (address.ts).
	const url = result.ok ? result.values.url : typeof raw.url === 'string' ? raw.url.trim() : '';
	const urlProblem = !result.ok && result.errors.url ? null : await resolvedUrlProblem(url, { allowPrivate: getConfig().WEBHOOK_ALLOW_PRIVATE }, dnsLookup);
	if (!result.ok) return urlProblem ? { ...result, errors: { ...result.errors, url: urlProblem } } : result;
	if (urlProblem) return { ok: false, raw, errors: { url: urlProblem } };
	const unknown = result.values.programmeIds.filter((id) => !programmes.some((p) => p.id === id));
	if (unknown.length) return { ok: false, raw, errors: { programmeIds: `There is no programme ${unknown.join(', ')}. Choose programmes from the list` } };
	const parsed = { data: result.values };
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
			{ actor, action: 'webhook.created', detail: { subscriptionId: row.id, url: row.url, eventTypes: row.eventTypes, programmeIds: row.programmeIds, dataScopes: row.dataScopes } },
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
	dataScopes: DataScope[];
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
			dataScopes: readScopes(s.dataScopes),
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

/** How long, at most, a rotated secret keeps signing alongside the new one: one week. */
export const MAX_ROTATION_OVERLAP_HOURS = 168;

export type RotateResult = { ok: true; secret: string; previousUntil: Date | null } | { ok: false; reason: 'not-found' | 'bad-overlap' };

/**
 * Rolls the signing secret. For `overlapHours` every delivery carries two signatures (Standard Webhooks
 * allows several, space-separated): one with the new secret and one with the old, so the receiver can
 * switch to the new secret at any time in that window. Afterwards only the new secret signs. 0 hours
 * switches at once. The new secret is returned to show once; the audit row never holds a secret.
 */
export async function rotateSecret(id: string, overlapHours: number, staffId: string | null, now = new Date()): Promise<RotateResult> {
	if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > MAX_ROTATION_OVERLAP_HOURS) return { ok: false, reason: 'bad-overlap' };
	if (!UUID.test(id)) return { ok: false, reason: 'not-found' };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(webhookSubscription).where(eq(webhookSubscription.id, id)).for('update');
		if (!row) return { ok: false as const, reason: 'not-found' as const };
		const secret = newWebhookSecret();
		const previousUntil = overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null;
		await tx
			.update(webhookSubscription)
			.set({ secret, previousSecret: previousUntil ? row.secret : null, previousSecretUntil: previousUntil })
			.where(eq(webhookSubscription.id, id));
		await recordAudit({ staffId, action: 'webhook.secret_rotated', detail: { subscriptionId: id, url: row.url, overlapHours } }, tx);
		return { ok: true as const, secret, previousUntil };
	});
}

/**
 * The webhook-signature header for one delivery: the current secret's signature, then the previous
 * secret's while its overlap lasts.
 */
export function signatureHeader(sub: Pick<WebhookSubscription, 'secret' | 'previousSecret' | 'previousSecretUntil'>, msgId: string, at: Date, body: string): string {
	const signatures = [new Webhook(sub.secret).sign(msgId, at, body)];
	if (sub.previousSecret && sub.previousSecretUntil && at < sub.previousSecretUntil) signatures.push(new Webhook(sub.previousSecret).sign(msgId, at, body));
	return signatures.join(' ');
}

/** The admin form for rolling the secret: how long the old one keeps signing too. */
export const rotateSecretForm = {
	fields: [
		{
			kind: 'select',
			name: 'overlapHours',
			label: 'Keep signing with the old secret as well for',
			hint: 'While both sign, the case system can switch to the new secret at any time. Then only the new one signs.',
			options: [
				{ value: '24', label: '1 day' },
				{ value: '1', label: '1 hour' },
				{ value: '72', label: '3 days' },
				{ value: '168', label: '7 days' },
				{ value: '0', label: 'No overlap: switch now' }
			]
		}
	] as Field[],
	schema: z.object({ overlapHours: z.enum(['0', '1', '24', '72', '168'], 'Choose how long the old secret keeps signing').transform(Number) })
};
