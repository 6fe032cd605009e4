/**
 * The deliverer: sends queued webhooks (Standard Webhooks: webhook-id, webhook-timestamp,
 * webhook-signature) and records every attempt.
 *
 * - Each delivery has a job (kind 'webhook.delivery', key `webhook:<delivery id>`) on the one job table,
 *   run by the job worker (jobs/worker.ts) with this file's handler: leased, so two app instances never
 *   send one delivery at the same moment; a crashed sender's lease runs out and another instance (or the
 *   restarted one) sends it again. Delivery is therefore at least once. The attempt (webhook_attempt) and
 *   the delivery's record (status, attempts, next try, last answer) are written in the transaction that
 *   settles the job. Up to WEBHOOK_CONCURRENCY are sent at once, the slots shared fairly between subscriptions.
 * - Order per referral: a delivery is only claimed when no earlier event of the same referral for the same
 *   subscription is still pending (in flight counts as pending); should one be run anyway, it is deferred
 *   (given back untried). A dead one no longer holds the rest.
 * - The same webhook-id (the event's event_id) on every attempt and replay; the body is the event's
 *   snapshot, fixed when it was appended (events/payload.ts eventBodies), minimised for the subscription.
 * - Where: the receiver's name is resolved and every address it has is checked (address.ts); the request
 *   then goes to the checked address itself (with the name kept for the Host header and TLS), so a second
 *   DNS answer cannot send it inside the server's network. A refused address is a failed attempt
 *   ("blocked_address: ..."); so is plain http ("blocked_http: ...") unless WEBHOOK_ALLOW_PRIVATE is set.
 * - 2xx is delivered. Anything else (another status, a redirect, a timeout, a refused connection) is
 *   tried again after an exponential backoff with jitter, capped per attempt, for 3 days from its first
 *   attempt; then it is dead-lettered (status "dead") and can be replayed from the admin page.
 * - Shutting down cuts requests in flight: their jobs are given back untried.
 * Nothing here runs in a request: only the background loop (loop.ts) calls it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { and, asc, eq, gte, isNull, lt, lte, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { signatureHeader } from './subscriptions';
import { getConfig, siteOrigin } from '../config';
import { getDb, type Db, type Tx } from '../db';
import { event, job, staff, staffProgramme, webhookAttempt, webhookDelivery, webhookSubscription, type Job, type WebhookDelivery, type WebhookSubscription } from '../db/schema';
import { eventBodies, eventPayloadSchema, PayloadError } from '../events/payload';
import { enqueueEmails } from '../notify/outbox';
import { minimiseBody, readScopes } from '../events/minimise';
import { backoffMs } from '../jobs/backoff';
import { claimPicked, due } from '../jobs/lease';
import { runJobs, type ClaimRequest, type JobHandler, type Outcome, type Settled } from '../jobs/worker';
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

/** The job kind of a webhook delivery (one job per webhook_delivery row, key `webhook:<delivery id>`). */
export const WEBHOOK_JOB = 'webhook.delivery';

export function webhookJobKey(deliveryId: number): string {
	return `webhook:${deliveryId}`;
}

/**
 * Queues the job of each delivery (inside the transaction that creates or replays them): pending, no
 * tries yet, due at `now`. A delivery whose job exists already has it put back the same way.
 */
export async function queueDeliveryJobs(tx: Db | Tx, deliveryIds: number[], now: Date): Promise<void> {
	for (let i = 0; i < deliveryIds.length; i += 500) {
		const rows = deliveryIds.slice(i, i + 500).map((id) => ({ kind: WEBHOOK_JOB, key: webhookJobKey(id), deliveryId: id, dueAt: now, nextAttemptAt: now, createdAt: now }));
		await tx
			.insert(job)
			.values(rows)
			.onConflictDoUpdate({
				target: job.key,
				set: { status: 'pending', attempts: 0, dueAt: now, nextAttemptAt: now, lockedUntil: null, lastError: null, doneAt: null }
			});
	}
}

/** Not held back by an earlier undelivered event of the same referral for the same subscription. */
function notHeldBack(db: Db | Tx) {
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

/** Due webhook jobs (with their delivery joined) of enabled subscriptions. */
function dueDeliveryJobs(now: Date, where?: SQL) {
	return and(eq(job.kind, WEBHOOK_JOB), due(job, now), lte(job.dueAt, now), where);
}

/** Claims up to `limit` claimable deliveries' jobs of one subscription, oldest event first. */
async function claimFor(db: Db, subscriptionId: string, limit: number, request: ClaimRequest): Promise<Job[]> {
	// The ids first, then the claim, in one transaction (the rows stay locked between): as one UPDATE ...
	// WHERE id IN (a joined SELECT ... LIMIT), the planner may run the SELECT again and claim more than `limit`.
	return db.transaction(async (tx) => {
		const picked = await tx
			.select({ id: job.id })
			.from(job)
			.innerJoin(webhookDelivery, eq(webhookDelivery.id, job.deliveryId))
			.where(and(dueDeliveryJobs(request.now, request.where), eq(webhookDelivery.subscriptionId, subscriptionId), notHeldBack(tx)))
			.orderBy(asc(webhookDelivery.eventId))
			.limit(limit)
			.for('update', { of: job, skipLocked: true });
		if (!picked.length) return [];
		return claimPicked(tx, job, picked.map((p) => p.id), request.now, request.leaseMs);
	});
}

/**
 * Claims up to `limit` due delivery jobs for this process (the webhook kind's claim in the job worker):
 * counts the attempt and takes a lease. The slots are shared between the subscriptions with work waiting,
 * so a receiver that is slow or down, with many retries due, cannot hold up the others; a share one
 * subscription cannot use goes to the next. A later event of a referral is not claimed while an earlier
 * one is undelivered.
 */
export async function claimDueDeliveries(db: Db, request: ClaimRequest): Promise<Job[]> {
	const waiting = await db
		.selectDistinct({ id: webhookDelivery.subscriptionId })
		.from(job)
		.innerJoin(webhookDelivery, eq(webhookDelivery.id, job.deliveryId))
		.innerJoin(webhookSubscription, and(eq(webhookSubscription.id, webhookDelivery.subscriptionId), isNull(webhookSubscription.disabledAt)))
		.where(dueDeliveryJobs(request.now, request.where))
		.limit(200);
	// A different order each time, so no subscription always comes first.
	const subs = waiting.map((w) => w.id);
	for (let i = subs.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[subs[i], subs[j]] = [subs[j], subs[i]];
	}
	const limit = request.limit;
	const claimed: Job[] = [];
	let active = subs;
	while (active.length && claimed.length < limit) {
		// Those that filled their share may have more: they share what is left in the next round.
		const more: string[] = [];
		for (let i = 0; i < active.length && claimed.length < limit; i++) {
			const share = Math.max(1, Math.floor((limit - claimed.length) / (active.length - i)));
			const rows = await claimFor(db, active[i], share, request);
			claimed.push(...rows);
			if (rows.length === share) more.push(active[i]);
		}
		active = more;
	}
	return claimed;
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

interface Answered {
	statusCode: number | null;
	latencyMs: number;
	error: string | null;
	/** Given up at once (a body that fails the schema). */
	permanent?: boolean;
}

/**
 * What one try comes to: delivered (2xx), dead (given up: 3 days of failures, or permanent), or tried
 * again after the backoff. The attempt and the delivery's record are written with the job's settling.
 */
async function outcomeOf(row: WebhookDelivery, s: Settings, result: Answered, at: Date, fields: Record<string, unknown>): Promise<Outcome> {
	const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 && !result.error;
	const giveUp =
		!ok && (result.permanent || (at.getTime() - row.createdAt.getTime() >= s.deadAfterMs && (await triedFor(row, at)) >= s.deadAfterMs));
	const lastError = ok ? null : (result.error?.slice(0, 500) ?? `HTTP ${result.statusCode}`);
	const write = async (tx: Tx, settled: Settled) => {
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
					? { status: 'delivered', deliveredAt: at, attempts: settled.attempts, lastStatusCode: result.statusCode, lastError: null }
					: {
							status: settled.status === 'pending' ? 'pending' : 'dead',
							attempts: settled.attempts,
							nextAttemptAt: settled.nextAttemptAt,
							lastStatusCode: result.statusCode,
							lastError
						}
			)
			.where(and(eq(webhookDelivery.id, row.id), eq(webhookDelivery.status, 'pending')));
	};
	const all = { ...fields, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error ?? undefined };
	if (ok) return { status: 'done', fields: all, write };
	if (giveUp)
		return {
			status: 'failed',
			reason: lastError!,
			fields: all,
			write,
			log: result.permanent
				? { level: 'error', message: 'webhook dead-lettered: its body does not match the published schema' }
				: { level: 'error', message: 'webhook dead-lettered: not accepted for 3 days' }
		};
	return { status: 'retry', error: lastError, fields: all, write };
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

/**
 * Sends the delivery of one claimed job: 'defer' while an earlier event of its referral is undelivered,
 * or when `signal` (shutting down) cut the request short; 'dropped' when the delivery is no longer
 * pending (or gone). Never throws for the receiver's failures.
 */
async function deliverJob(jobRow: Job, s: Settings, signal: AbortSignal | undefined): Promise<Outcome> {
	const db = await getDb();
	const [found] = await db
		.select({ delivery: webhookDelivery, sub: webhookSubscription, ev: event })
		.from(webhookDelivery)
		.innerJoin(webhookSubscription, eq(webhookSubscription.id, webhookDelivery.subscriptionId))
		.leftJoin(event, eq(event.id, webhookDelivery.eventId))
		.where(eq(webhookDelivery.id, jobRow.deliveryId ?? -1));
	if (!found) return { status: 'dropped', reason: 'the delivery is gone' };
	const { delivery: row, sub, ev } = found;
	if (row.status !== 'pending') return { status: 'dropped', reason: `the delivery is ${row.status} already` };
	if (sub.disabledAt) return { status: 'defer', reason: 'the subscription is disabled' };
	if (row.referralId) {
		const earlier = alias(webhookDelivery, 'earlier');
		const [held] = await db
			.select({ id: earlier.id })
			.from(earlier)
			.where(and(eq(earlier.subscriptionId, row.subscriptionId), eq(earlier.referralId, row.referralId), lt(earlier.eventId, row.eventId), eq(earlier.status, 'pending')))
			.limit(1);
		if (held) return { status: 'defer', reason: 'an earlier event of the referral is undelivered' };
	}
	const fields = { subscriptionId: sub.id, deliveryId: row.id, eventId: ev?.eventId, type: ev?.type };
	const payload = ev ? (await eventBodies(db, [ev])).get(ev.id) : undefined;
	const problem = !payload ? 'the event is missing' : payload instanceof PayloadError ? payload.message : schemaProblem(payload);
	if (problem || typeof payload !== 'string') {
		// A bug, not something a retry can mend: dead-lettered at once so nothing invalid is sent, and the
		// programme's administrators are told (once per event), so it is never silent.
		if (ev) await alertInvalidBody(ev, problem ?? 'the event is missing', s.now());
		return outcomeOf(row, s, { statusCode: null, latencyMs: 0, error: `invalid_body: ${problem}`, permanent: true }, s.now(), { ...fields, reason: problem });
	}
	// What this receiver may have (core, health, equality): removed the same way on every try.
	const body = minimiseBody(payload, readScopes(sub.dataScopes));
	const at = s.now();
	const answer = await postOnce(sub, signedHeaders(sub, ev!.eventId, at, body), body, s, signal);
	if (answer === 'stopped') return { status: 'defer', reason: 'shutting down' };
	return outcomeOf(row, s, answer, at, fields);
}

/**
 * The job handler of webhook deliveries, with these settings (WEBHOOK_* unless given): the kind's own
 * fair claim, up to `limit` sent at once, the retry backoff, dead-lettered after 3 days.
 */
export function webhookHandler(options: DeliverOptions = {}): JobHandler {
	const s = settings(options);
	return {
		leaseMs: leaseMs(s.timeoutMs),
		retry: { baseMs: s.retryBaseMs, maxMs: s.retryMaxMs, jitter: 1, floorMs: s.retryBaseMs },
		random: s.random,
		concurrency: s.limit,
		claim: claimDueDeliveries,
		// The handler decides itself (3 days since the first try), and answers 'failed'.
		givesUp: () => false,
		runnable: async () => true,
		run: (row, _now, signal) => deliverJob(row, s, signal ?? s.signal),
		logFields: (row) => ({ jobId: row.id, deliveryId: row.deliveryId }),
		doneLevel: 'debug',
		logs: {
			done: 'webhook delivered',
			dropped: 'webhook job dropped',
			retry: 'webhook not accepted: will try again',
			failed: 'webhook dead-lettered: not accepted for 3 days'
		}
	};
}

export interface DeliverResult {
	claimed: number;
	delivered: number;
	retrying: number;
	dead: number;
	/** Claimed, then given back untried (held back, or shutting down). */
	deferred: number;
}

/**
 * Claims and sends one batch of due deliveries, all at once (at most one per referral and subscription):
 * the job worker run for the webhook kind only.
 */
export async function deliverDue(options: DeliverOptions = {}): Promise<DeliverResult> {
	const handler = webhookHandler(options);
	const result = await runJobs({ [WEBHOOK_JOB]: handler }, { now: options.now, limit: handler.concurrency, signal: options.signal });
	const counts = result.byKind[WEBHOOK_JOB];
	return { claimed: result.claimed, delivered: counts.done, retrying: counts.retrying, dead: counts.failed, deferred: result.deferred };
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
