/**
 * The deliverer: sends queued webhooks (Standard Webhooks: webhook-id, webhook-timestamp,
 * webhook-signature) and records every attempt.
 *
 * - Claims: leased (jobs/lease.ts), so two app instances never send one delivery at the same moment; a
 *   crashed sender's lease runs out and another instance (or the restarted one) sends it again. Delivery is therefore at least once.
 * - Order per referral: a delivery is only claimed when no earlier event of the same referral for the same
 *   subscription is still pending (in flight counts as pending). A dead one no longer holds the rest.
 * - The same webhook-id (the event's event_id) on every attempt and replay; the body is the event's
 *   snapshot, fixed when it was appended (events/payload.ts eventBodies), minimised for the subscription.
 * - Where: the receiver's name is resolved and every address it has is checked (address.ts); the request
 *   then goes to the checked address itself (with the name kept for the Host header and TLS), so a second
 *   DNS answer cannot send it inside the server's network. A refused address is a failed attempt
 *   ("blocked_address: ..."); so is plain http ("blocked_http: ...") unless WEBHOOK_ALLOW_PRIVATE is set.
 * - 2xx is delivered. Anything else (another status, a redirect, a timeout, a refused connection) is
 *   tried again after an exponential backoff with jitter, capped per attempt, for 3 days from its first
 *   attempt; then it is dead-lettered (status "dead") and can be replayed from the admin page.
 * Nothing here runs in a request: only the background loop (loop.ts) calls it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { and, asc, eq, gte, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { signatureHeader } from './subscriptions';
import { getConfig, siteOrigin } from '../config';
import { getDb, type Db } from '../db';
import { event, staff, staffProgramme, webhookAttempt, webhookDelivery, webhookSubscription, type WebhookDelivery, type WebhookSubscription } from '../db/schema';
import { eventBodies, eventPayloadSchema, PayloadError } from '../events/payload';
import { enqueueEmails } from '../notify/outbox';
import { minimiseBody, readScopes } from '../events/minimise';
import { backoffMs } from '../jobs/backoff';
import { claimDue, due, release as releaseClaims } from '../jobs/lease';
import { log } from '../log';
import { recordAudit } from '../audit';
import { addressAllowed, bareHost, classifyAddress, hostNameProblem, type AddressPolicy } from './address';

/** A delivery still failing this long after its first attempt (since it was queued or replayed) is dead-lettered. */
export const DEAD_AFTER_MS = 3 * 24 * 60 * 60_000;
export const USER_AGENT = 'ips-portal-webhooks/1';

export interface DeliverOptions {
	/** The clock (tests move it forward to reach the 3 days). */
	now?: Date;
	random?: () => number;
	/** At most this many deliveries claimed and sent at once (WEBHOOK_CONCURRENCY). */
	limit?: number;
	timeoutMs?: number;
	retryBaseMs?: number;
	retryMaxMs?: number;
	deadAfterMs?: number;
	/** Aborted when the app shuts down: requests in flight are cut and their deliveries given back. */
	signal?: AbortSignal;
}

interface Settings {
	now: () => Date;
	random: () => number;
	limit: number;
	timeoutMs: number;
	retryBaseMs: number;
	retryMaxMs: number;
	deadAfterMs: number;
	signal?: AbortSignal;
	policy: AddressPolicy;
}

function settings(options: DeliverOptions): Settings {
	const c = getConfig();
	return {
		now: () => options.now ?? new Date(),
		random: options.random ?? Math.random,
		limit: options.limit ?? c.WEBHOOK_CONCURRENCY,
		timeoutMs: options.timeoutMs ?? c.WEBHOOK_TIMEOUT_MS,
		retryBaseMs: options.retryBaseMs ?? c.WEBHOOK_RETRY_BASE_MS,
		retryMaxMs: options.retryMaxMs ?? c.WEBHOOK_RETRY_MAX_MS,
		deadAfterMs: options.deadAfterMs ?? DEAD_AFTER_MS,
		signal: options.signal,
		policy: { allowPrivate: c.WEBHOOK_ALLOW_PRIVATE }
	};
}

/** Longer than one send can take (the request timeout, plus building the payload and writing the result). */
export function leaseMs(timeoutMs: number): number {
	return 2 * timeoutMs + 5000;
}

/**
 * The wait before the next try after `attempts` failed tries (the delivery backoff policy): the ceiling
 * doubles from `base` up to `max`, and the wait is drawn at random between `base` and the ceiling.
 */
export function retryDelayMs(attempts: number, base: number, max: number, random: () => number = Math.random): number {
	return backoffMs(attempts, { baseMs: base, maxMs: max, jitter: 1, floorMs: base }, random);
}

/** Not held back by an earlier undelivered event of the same referral for the same subscription. */
function notHeldBack(db: Db) {
	const earlier = alias(webhookDelivery, 'earlier');
	return notExists(
		db
			.select({ one: sql`1` })
			.from(earlier)
			.where(
				and(
					eq(earlier.subscriptionId, webhookDelivery.subscriptionId),
					eq(earlier.referralId, webhookDelivery.referralId),
					lt(earlier.eventId, webhookDelivery.eventId),
					eq(earlier.status, 'pending')
				)
			)
	);
}

/** Claims up to `limit` claimable deliveries of one subscription, oldest event first. */
async function claimFor(db: Db, subscriptionId: string, limit: number, now: Date, lease: number): Promise<WebhookDelivery[]> {
	return claimDue(db, webhookDelivery, {
		where: and(eq(webhookDelivery.subscriptionId, subscriptionId), notHeldBack(db)),
		orderBy: asc(webhookDelivery.eventId),
		limit,
		now,
		leaseMs: lease
	});
}

/**
 * Claims up to `limit` due deliveries for this process: counts the attempt and takes a lease. The slots
 * are shared between the subscriptions with work waiting, so a receiver that is slow or down, with many
 * retries due, cannot hold up the others; a share one subscription cannot use goes to the next.
 */
export async function claimDueDeliveries(limit: number, now: Date, lease: number): Promise<WebhookDelivery[]> {
	const db = await getDb();
	const waiting = await db
		.selectDistinct({ id: webhookDelivery.subscriptionId })
		.from(webhookDelivery)
		.innerJoin(webhookSubscription, and(eq(webhookSubscription.id, webhookDelivery.subscriptionId), isNull(webhookSubscription.disabledAt)))
		.where(due(webhookDelivery, now))
		.limit(200);
	// A different order each time, so no subscription always comes first.
	const subs = waiting.map((w) => w.id);
	for (let i = subs.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[subs[i], subs[j]] = [subs[j], subs[i]];
	}
	const claimed: WebhookDelivery[] = [];
	let active = subs;
	while (active.length && claimed.length < limit) {
		// Those that filled their share may have more: they share what is left in the next round.
		const more: string[] = [];
		for (let i = 0; i < active.length && claimed.length < limit; i++) {
			const share = Math.max(1, Math.floor((limit - claimed.length) / (active.length - i)));
			const rows = await claimFor(db, active[i], share, now, lease);
			claimed.push(...rows);
			if (rows.length === share) more.push(active[i]);
		}
		active = more;
	}
	return claimed;
}

/** Gives a claimed delivery back untried (shutting down), so the next instance need not wait for the lease. */
async function release(row: WebhookDelivery): Promise<void> {
	await releaseClaims(await getDb(), webhookDelivery, [row.id]);
}

/**
 * How long this delivery has been tried: since its first attempt after it was queued (or replayed). Only
 * looked up once it has been queued for the whole period (until then it cannot be longer); a
 * delivery held back behind an earlier event of its referral thus still gets its full 3 days of tries.
 */
async function triedFor(row: WebhookDelivery, at: Date): Promise<number> {
	const db = await getDb();
	const [first] = await db
		.select({ at: sql<Date | string | null>`min(${webhookAttempt.at})` })
		.from(webhookAttempt)
		.where(and(eq(webhookAttempt.subscriptionId, row.subscriptionId), eq(webhookAttempt.deliveryId, row.id), gte(webhookAttempt.at, row.createdAt)));
	const since = first?.at ? new Date(first.at) : at;
	return at.getTime() - since.getTime();
}

type Outcome = { kind: 'delivered' | 'retry' | 'dead' | 'released'; statusCode: number | null; latencyMs: number; error?: string | null };

async function record(row: WebhookDelivery, s: Settings, result: { statusCode: number | null; latencyMs: number; error: string | null; permanent?: boolean }, at: Date): Promise<Outcome> {
	const db = await getDb();
	const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 && !result.error;
	const giveUp =
		!ok && (result.permanent || (at.getTime() - row.createdAt.getTime() >= s.deadAfterMs && (await triedFor(row, at)) >= s.deadAfterMs));
	const kind = ok ? 'delivered' : giveUp ? 'dead' : 'retry';
	await db.transaction(async (tx) => {
		await tx.insert(webhookAttempt).values({
			deliveryId: row.id,
			subscriptionId: row.subscriptionId,
			at,
			statusCode: result.statusCode,
			latencyMs: result.latencyMs,
			error: result.error?.slice(0, 500) ?? null
		});
		await tx
			.update(webhookDelivery)
			.set(
				ok
					? { status: 'delivered', deliveredAt: at, lockedUntil: null, lastStatusCode: result.statusCode, lastError: null }
					: {
							status: giveUp ? 'dead' : 'pending',
							nextAttemptAt: new Date(at.getTime() + retryDelayMs(row.attempts, s.retryBaseMs, s.retryMaxMs, s.random)),
							lockedUntil: null,
							lastStatusCode: result.statusCode,
							lastError: result.error?.slice(0, 500) ?? `HTTP ${result.statusCode}`
						}
			)
			.where(and(eq(webhookDelivery.id, row.id), eq(webhookDelivery.status, 'pending')));
	});
	return { kind, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error };
}

/** Why a request failed, in a few words (no response bodies: they are the receiver's business). */
function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
	if (timedOut) return `no answer within ${timeoutMs} ms`;
	if (error instanceof Blocked) return `${error.code}: ${error.message}`;
	const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
	for (const x of [e?.cause, e]) {
		if (!x?.code) continue;
		if (!x.message) return x.code;
		return x.message.includes(x.code) ? x.message : `${x.code}: ${x.message}`;
	}
	return error instanceof Error ? error.message : String(error);
}

/** A delivery refused before any connection is made; `code` starts the attempt's error in the log. */
class Blocked extends Error {
	constructor(
		readonly code: 'blocked_address' | 'blocked_http',
		message: string
	) {
		super(message);
	}
}

/** Where one request goes: the receiver's URL, its host as named, and the checked addresses to connect to. */
interface Target {
	url: URL;
	host: string;
	addresses: { address: string; family: 4 | 6 }[];
}

/**
 * Resolves the receiver's host and checks every address it has (not just the first: the connection
 * could otherwise be made to another). Throws Blocked when any may not be sent to.
 */
async function resolveTarget(value: string, policy: AddressPolicy): Promise<Target> {
	const url = new URL(value);
	if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) {
		throw new Blocked('blocked_http', `${url.protocol.replace(':', '')} is not allowed: webhooks are sent over https`);
	}
	const host = bareHost(url);
	const nameProblem = hostNameProblem(host);
	if (nameProblem) throw new Blocked('blocked_address', nameProblem);
	const literal = isIP(host);
	const addresses = literal ? [{ address: host, family: literal }] : await dnsLookup(host, { all: true, verbatim: true });
	if (!addresses.length) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
	for (const a of addresses) {
		const cls = classifyAddress(a.address);
		if (!addressAllowed(cls, policy)) throw new Blocked('blocked_address', literal ? `${host} is a ${cls} address` : `${host} resolves to ${a.address}, a ${cls} address`);
	}
	return { url, host, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}

/** Waits for a promise unless the signal ends the wait first (a DNS lookup cannot itself be cut short). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const stop = () => reject(signal.reason);
		signal.addEventListener('abort', stop, { once: true });
		promise.then(
			(v) => (signal.removeEventListener('abort', stop), resolve(v)),
			(e) => (signal.removeEventListener('abort', stop), reject(e))
		);
	});
}

/**
 * POSTs to the checked addresses: the connection's lookup answers with those only, while the Host
 * header and the TLS server name (SNI, and the certificate check) stay the receiver's own name. Redirects
 * are not followed. Resolves to the status once the answer's body has been read (and dropped).
 */
function post(target: Target, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
	const secure = target.url.protocol === 'https:';
	const lookup: LookupFunction = (_hostname, options, callback) => {
		if (options.all) callback(null, target.addresses);
		else callback(null, target.addresses[0].address, target.addresses[0].family);
	};
	const options: https.RequestOptions = {
		method: 'POST',
		host: target.host,
		port: target.url.port || (secure ? 443 : 80),
		path: `${target.url.pathname}${target.url.search}`,
		headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
		lookup,
		signal,
		...(secure && !isIP(target.host) ? { servername: target.host } : {})
	};
	return new Promise<number>((resolve, reject) => {
		const request = (secure ? https : http).request(options, (response) => {
			const status = response.statusCode ?? 0;
			// The body is not needed; reading it (bounded by the same timeout) lets the connection be reused.
			const done = () => resolve(status);
			response.on('end', done);
			response.on('close', done);
			response.on('error', done);
			response.resume();
		});
		request.on('error', reject);
		request.end(body);
	});
}

/** The Standard Webhooks headers of one request: every delivery and every test event. */
function signedHeaders(sub: WebhookSubscription, msgId: string, at: Date, body: string): Record<string, string> {
	return {
		'content-type': 'application/json',
		'user-agent': USER_AGENT,
		'webhook-id': msgId,
		'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
		'webhook-signature': signatureHeader(sub, msgId, at, body)
	};
}

type Answer = { statusCode: number | null; error: string | null; latencyMs: number };

/**
 * One signed POST to the subscription's address within the time allowed: the answer, or why there was
 * none. 'stopped' when `stop` (shutting down) cut it short rather than the receiver.
 */
async function postOnce(sub: WebhookSubscription, headers: Record<string, string>, body: string, s: Settings, stop?: AbortSignal): Promise<Answer | 'stopped'> {
	const timeout = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		timeout.abort();
	}, s.timeoutMs);
	const signal = stop ? AbortSignal.any([timeout.signal, stop]) : timeout.signal;
	const started = performance.now();
	let statusCode: number | null = null;
	let error: string | null = null;
	try {
		const target = await unlessAborted(resolveTarget(sub.url, s.policy), signal);
		statusCode = await post(target, headers, body, signal);
		if (statusCode >= 300 && statusCode < 400) error = `redirect (HTTP ${statusCode}) not followed`;
	} catch (e) {
		if (stop?.aborted && !timedOut) return 'stopped';
		error = describeFailure(e, timedOut, s.timeoutMs);
	} finally {
		clearTimeout(timer);
	}
	return { statusCode, error, latencyMs: Math.round(performance.now() - started) };
}

/** Sends one delivery; never throws for the receiver's failures. */
async function send(row: WebhookDelivery, sub: WebhookSubscription, body: string, msgId: string, s: Settings): Promise<Outcome> {
	const at = s.now();
	const answer = await postOnce(sub, signedHeaders(sub, msgId, at, body), body, s, s.signal);
	if (answer === 'stopped') {
		await release(row);
		return { kind: 'released', statusCode: null, latencyMs: 0 };
	}
	return record(row, s, answer, at);
}

export interface DeliverResult {
	claimed: number;
	delivered: number;
	retrying: number;
	dead: number;
}

/** Claims and sends one batch of due deliveries, all at once (at most one per referral and subscription). */
export async function deliverDue(options: DeliverOptions = {}): Promise<DeliverResult> {
	const s = settings(options);
	const result: DeliverResult = { claimed: 0, delivered: 0, retrying: 0, dead: 0 };
	if (s.signal?.aborted) return result;
	const claimed = await claimDueDeliveries(s.limit, s.now(), leaseMs(s.timeoutMs));
	result.claimed = claimed.length;
	if (!claimed.length) return result;

	const db = await getDb();
	const subIds = [...new Set(claimed.map((c) => c.subscriptionId))];
	const subs = new Map((await db.select().from(webhookSubscription).where(inArray(webhookSubscription.id, subIds))).map((x) => [x.id, x]));
	const events = await db.select().from(event).where(inArray(event.id, claimed.map((c) => c.eventId)));
	const eventsById = new Map(events.map((e) => [e.id, e]));
	const payloads = await eventBodies(db, events);

	const outcomes = await Promise.all(
		claimed.map(async (row): Promise<Outcome> => {
			const sub = subs.get(row.subscriptionId)!;
			const ev = eventsById.get(row.eventId)!;
			const payload = payloads.get(row.eventId);
			try {
				const problem = !payload ? 'the event is missing' : payload instanceof PayloadError ? payload.message : schemaProblem(payload);
				if (problem || typeof payload !== 'string') {
					// A bug, not something a retry can mend: dead-lettered at once so nothing invalid is sent, and the
					// programme's administrators are told (once per event), so it is never silent.
					log.error('webhook dead-lettered: its body does not match the published schema', { subscriptionId: row.subscriptionId, deliveryId: row.id, eventId: ev?.eventId, reason: problem });
					if (ev) await alertInvalidBody(ev, problem ?? 'the event is missing', s.now());
					return await record(row, s, { statusCode: null, latencyMs: 0, error: `invalid_body: ${problem}`, permanent: true }, s.now());
				}
				// What this receiver may have (core, health, equality): removed the same way on every try.
				const outcome = await send(row, sub, minimiseBody(payload, readScopes(sub.dataScopes)), ev.eventId, s);
				const fields = { subscriptionId: sub.id, deliveryId: row.id, eventId: ev.eventId, type: ev.type, attempts: row.attempts, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, error: outcome.error ?? undefined };
				if (outcome.kind === 'retry') log.warn('webhook not accepted: will try again', fields);
				else if (outcome.kind === 'dead') log.error('webhook dead-lettered: not accepted for 3 days', fields);
				else if (outcome.kind === 'delivered') log.debug('webhook delivered', fields);
				return outcome;
			} catch (error) {
				// A database failure while recording: the lease runs out and the delivery is tried again.
				log.error('webhook delivery could not be recorded; it will be tried again when its lease ends', {
					deliveryId: row.id,
					error: error instanceof Error ? error.message.slice(0, 300) : String(error)
				});
				return { kind: 'released', statusCode: null, latencyMs: 0 };
			}
		})
	);
	for (const o of outcomes) {
		if (o.kind === 'delivered') result.delivered++;
		else if (o.kind === 'retry') result.retrying++;
		else if (o.kind === 'dead') result.dead++;
	}
	return result;
}

/** Why a body would fail the published schema (parsed and checked as a receiver would), or null when it passes. */
function schemaProblem(body: string): string | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return 'the body is not JSON';
	}
	const checked = eventPayloadSchema.safeParse(parsed);
	return checked.success
		? null
		: checked.error.issues
				.map((i) => `${i.path.join('.')}: ${i.message}`)
				.join('; ')
				.slice(0, 400);
}

/** Emails the administrators of the event's programme (every active admin when it has none) that an event could not be sent. */
async function alertInvalidBody(ev: { eventId: string; type: string; programmeId: string | null }, problem: string, now: Date): Promise<void> {
	const db = await getDb();
	const admins = await db
		.select({ email: staff.email, programmeId: staffProgramme.programmeId })
		.from(staff)
		.leftJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
		.where(and(eq(staff.role, 'admin'), isNull(staff.disabledAt)));
	const own = admins.filter((a) => a.programmeId && a.programmeId === ev.programmeId);
	const to = [...new Set((own.length ? own : admins).map((a) => a.email.toLowerCase()))];
	if (!to.length) return;
	await enqueueEmails(
		db,
		to.map((address) => ({
			eventId: ev.eventId,
			kind: 'webhook.invalid_body',
			to: address,
			subject: 'An event could not be sent to a case system',
			body: [
				`The portal did not send a ${ev.type} event (id ${ev.eventId}) to a case system because its body does not match the published schema.`,
				'This is a fault in the portal, not in the case system. It has been dead-lettered, so it can be replayed from the webhook page once the fault is mended.',
				'',
				`What failed: ${problem}`,
				'',
				`See the deliveries: ${siteOrigin()}/staff/admin/webhooks`
			].join('\n')
		})),
		now
	);
}

export interface TestEventResult {
	/** The receiver's HTTP status; null when there was no answer. */
	statusCode: number | null;
	/** Why it did not arrive (blocked address, timeout, refused connection, a redirect); null when it was answered. */
	error: string | null;
	latencyMs: number;
	eventId: string;
}

/**
 * Sends one `webhook.test` event to a subscription's address now, signed as every delivery (both secrets
 * during a rotation's overlap), through the same address checks. It is not in the event log and never
 * retried: the answer is returned for the admin page or the command line, and the send is audited.
 */
export async function sendTestEvent(sub: WebhookSubscription, staffId: string | null, options: { timeoutMs?: number } = {}): Promise<TestEventResult> {
	const s = settings({ timeoutMs: options.timeoutMs });
	const at = s.now();
	const eventId = crypto.randomUUID();
	const body = JSON.stringify({
		type: 'webhook.test',
		id: eventId,
		timestamp: at.toISOString(),
		data: { subscriptionId: sub.id, message: 'A test event from the IPS portal. If you can read this, your receiver verified the signature.' }
	});
	// Without a stop signal the answer is never 'stopped'.
	const { statusCode, error, latencyMs } = (await postOnce(sub, signedHeaders(sub, eventId, at, body), body, s)) as Answer;
	await recordAudit({ staffId, action: 'webhook.test_sent', detail: { subscriptionId: sub.id, url: sub.url, statusCode, error } });
	return { statusCode, error, latencyMs, eventId };
}
