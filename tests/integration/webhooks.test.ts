/**
 * Signed webhooks, end to end inside one process: real HTTP receivers verify every request with the
 * standardwebhooks library; the fan-out and the deliverer are driven step by step on a clock of the test's
 * own. Runs on PGlite and, with DATABASE_URL, on PostgreSQL (whose database the test files share, so each
 * test disables its subscriptions when it ends).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { siteOrigin } from '../../src/lib/server/config';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { getDb } from '../../src/lib/server/db';
import { auditLog, event, referral as referralTable, webhookAttempt, webhookDelivery, webhookSubscription, type Referral } from '../../src/lib/server/db/schema';
import { createDraft, saveDraftAnswers } from '../../src/lib/server/drafts';
import { appendEvent, type NewEvent } from '../../src/lib/server/events/log';
import { buildPayloads, eventPayloadJsonSchema, eventPayloadSchema, PAYLOAD_VERSION, PayloadError } from '../../src/lib/server/events/payload';
import { assess } from '../../src/lib/server/journey';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { REFERRAL_EVENT_VERSION, submitReferral } from '../../src/lib/server/referrals';
import { DEAD_AFTER_MS, deliverDue, retryDelayMs, sendTestEvent } from '../../src/lib/server/webhooks/deliver';
import { sendFailureAlerts } from '../../src/lib/server/webhooks/failure-alerts';
import { readEventPage } from '../../src/lib/server/api/events';
import { createStaff } from '../../src/lib/server/auth/staff';
import { fanOutEvents } from '../../src/lib/server/webhooks/fanout';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { parseUkDateTime, replayDelivery, replaySince } from '../../src/lib/server/webhooks/replay';
import { createSubscription, disableSubscription, rotateSecret } from '../../src/lib/server/webhooks/subscriptions';
import { createApiKey } from '../../src/lib/server/api/keys';
import { GET as deliveriesGET } from '../../src/routes/api/v1/webhook-deliveries/+server';
import { completeAnswers } from '../support/answers';
import { addDetails } from '../support/factories';
import { countById, orderViolations, startReceiver, type Receiver } from '../support/webhook-receiver';
import { emailJob, queuedEmails } from '../support/jobs';
import { disableOpenSubscriptions } from '../support/subscriptions';

// The receivers listen on 127.0.0.1 over plain http: allowed for local testing only (the strict default
// is tested in webhook-addresses.test.ts). Set before the first getConfig(); the CLI child inherits it.
process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const run = promisify(execFile);
const receivers: Receiver[] = [];

/** Fast, deterministic retries: the wait is the top of its range (random = 1), doubling from 1 s to 8 s. */
const RETRY = { retryBaseMs: 1000, retryMaxMs: 8000, random: () => 1, timeoutMs: 3000 };

async function receiver(secret: string | (() => string), options: Parameters<typeof startReceiver>[1] = {}) {
	const r = await startReceiver(secret, options);
	receivers.push(r);
	return r;
}

async function refer(programme: 'primary' | 'secondary' = 'primary', now = new Date()): Promise<Referral> {
	const { draft } = await createDraft({ code: 'fit-note', odsCode: 'P84001', linkCode: 'gp-p84001' });
	const answers = completeAnswers(programme === 'secondary' ? { circumstances: ['secondary-care'] } : {});
	const assessment = await assess({ answers, source: draft.source });
	if (assessment.status !== 'done') throw new Error('answers should be complete');
	await saveDraftAnswers(draft, 'refer/consent', answers, assessment.result);
	const { referral } = await submitReferral(draft.id, now);
	if (programme === 'secondary') expect(referral.programmeId).toBe(SECONDARY);
	return referral;
}

/** A casework event as src/lib/server/casework.ts writes them (status, assignment, contact attempt). */
async function casework(r: Referral, type: 'referral.status_changed' | 'referral.assigned' | 'referral.contact_attempted', n: number) {
	const db = await getDb();
	const base = { version: REFERRAL_EVENT_VERSION, reference: r.reference, programmeId: r.programmeId, byStaffId: null, at: new Date().toISOString() };
	const where = { referralId: r.id, programmeId: r.programmeId };
	const event: NewEvent =
		type === 'referral.status_changed'
			? { type, ...where, payload: { ...base, from: 'received', to: n % 2 ? 'contacted' : 'eligibility-confirmed', closedReason: null } }
			: type === 'referral.assigned'
				? { type, ...where, payload: { ...base, from: null, to: null, how: 'returned' } }
				: {
						type,
						...where,
						payload: { ...base, attemptId: crypto.randomUUID(), channel: 'phone', outcome: n % 2 ? 'no-answer' : 'spoke', successful: n % 2 === 0, firstContact: n === 0 }
					};
	return db.transaction(async (tx) => appendEvent(tx, event));
}

/** A subscription given everything (health and equality too) unless `dataScopes` says less. */
async function subscribe(url: string, eventTypes: string[] = [], programmeIds = [PRIMARY], dataScopes: string[] = ['health', 'equality']) {
	const result = await createSubscription(
		{ url, eventTypes: eventTypes.length ? eventTypes : ['referral.submitted', 'referral.status_changed', 'referral.assigned', 'referral.contact_attempted', 'referral.withdrawn'], programmeIds, dataScopes },
		COMMAND_LINE
	);
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result;
}

/** Runs passes until nothing is due at `now` (a pass already loops until its claims come back empty). */
async function drain(options: Parameters<typeof runWebhooksOnce>[0] = {}) {
	return runWebhooksOnce({ ...RETRY, ...options });
}

async function deliveriesOf(subscriptionId: string) {
	const db = await getDb();
	return db
		.select({ delivery: webhookDelivery, eventUuid: event.eventId, type: event.type })
		.from(webhookDelivery)
		.innerJoin(event, eq(event.id, webhookDelivery.eventId))
		.where(eq(webhookDelivery.subscriptionId, subscriptionId))
		.orderBy(asc(webhookDelivery.eventId));
}

async function attemptsOf(deliveryId: number) {
	const db = await getDb();
	return db.select().from(webhookAttempt).where(eq(webhookAttempt.deliveryId, deliveryId)).orderBy(asc(webhookAttempt.id));
}

async function eventIdsOf(referrals: Referral[]) {
	const db = await getDb();
	return db
		.select()
		.from(event)
		.where(inArray(event.referralId, referrals.map((r) => r.id)))
		.orderBy(asc(event.id));
}

let cliSubscription: { id: string; secret: string; receiver: Receiver };

beforeAll(async () => {
	// The command runs in its own process before this file opens the database (PGlite allows one process).
	const r = await receiver(() => cliSubscription.secret);
	const { stdout } = await run(
		process.execPath,
		['--import', 'tsx', 'scripts/cli.ts', 'webhook', 'add', '--url', r.url, '--events', 'referral.submitted', '--programme', SECONDARY, '--description', 'cli test'],
		{ env: { ...process.env, LOG_LEVEL: 'warn' } }
	);
	const id = /Created webhook subscription ([0-9a-f-]{36})/.exec(stdout)?.[1];
	const secret = /^(whsec_\S+)$/m.exec(stdout)?.[1];
	if (!id || !secret) throw new Error(`unexpected output from webhook add:\n${stdout}`);
	cliSubscription = { id, secret, receiver: r };

	await seedProgrammes();
	// On a shared PostgreSQL database, subscriptions left by earlier runs must not take deliveries' turns.
	const db = await getDb();
	await db
		.update(webhookSubscription)
		.set({ disabledAt: new Date() })
		.where(and(isNull(webhookSubscription.disabledAt), sql`${webhookSubscription.id} <> ${id}`));
	// Nothing older than this file is of interest: queue it (for no one) now.
	while ((await runWebhooksOnce({ ...RETRY })).events > 0);
}, 120_000);

afterEach(disableOpenSubscriptions);

afterAll(async () => {
	for (const r of receivers) await r.close().catch(() => {});
});

describe('webhook subscriptions', () => {
	it('npm run cli -- webhook add prints a Standard Webhooks secret and the subscription delivers with it', async () => {
		const db = await getDb();
		const [sub] = await db.select().from(webhookSubscription).where(eq(webhookSubscription.id, cliSubscription.id));
		expect(sub).toMatchObject({ eventTypes: ['referral.submitted'], programmeIds: [SECONDARY], description: 'cli test', disabledAt: null });
		expect(sub.secret).toBe(cliSubscription.secret);
		expect(() => new Webhook(cliSubscription.secret)).not.toThrow();
		const [audit] = await db.select().from(auditLog).where(sql`${auditLog.action} = 'webhook.created' and ${auditLog.detail}->>'subscriptionId' = ${sub.id}`);
		expect(audit).toMatchObject({ staffId: null, detail: { via: 'command line' } });

		const secondary = await refer('secondary');
		await refer('primary'); // another programme: not for this subscription
		await drain();
		const r = cliSubscription.receiver;
		expect(r.rejected).toEqual([]);
		expect(r.accepted().map((x) => x.body.data.reference)).toEqual([secondary.reference]);
	});

	it('refuses a bad address, no event types, an unknown event type or programme, and keeps the history away', async () => {
		const bad = await createSubscription({ url: 'ftp://example.org/x', eventTypes: [], programmeIds: [] }, COMMAND_LINE);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['eventTypes', 'programmeIds', 'url']);
		const unknown = await createSubscription({ url: 'http://127.0.0.1:9/x', eventTypes: ['referral.exploded'], programmeIds: ['nowhere'] }, COMMAND_LINE);
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(unknown.errors.eventTypes).toMatch(/from the list/);
		const noProgramme = await createSubscription({ url: 'http://127.0.0.1:9/x', eventTypes: ['referral.submitted'], programmeIds: ['nowhere'] }, COMMAND_LINE);
		expect(noProgramme.ok).toBe(false);
		if (!noProgramme.ok) expect(noProgramme.errors.programmeIds).toMatch(/no programme nowhere/);

		// A referral from before the subscription is not sent to it.
		await refer();
		const r = await receiver(() => created.secret);
		const created = await subscribe(r.url);
		expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		await drain();
		expect(r.received).toEqual([]);
	});
});

describe('delivery', () => {
	it('delivers a scripted sequence: every event exactly once by webhook-id, in order per referral, filtered by type and programme', async () => {
		const all = await receiver(() => subAll.secret, { delayMs: () => Math.floor(Math.random() * 15) });
		const statusOnly = await receiver(() => subStatus.secret);
		const secondaryOnly = await receiver(() => subSecondary.secret);
		const subAll = await subscribe(all.url);
		const subStatus = await subscribe(statusOnly.url, ['referral.status_changed']);
		const subSecondary = await subscribe(secondaryOnly.url, [], [SECONDARY]);

		// Five referrals, their casework events interleaved, then a pass; more events; another pass.
		const referrals: Referral[] = [];
		for (let i = 0; i < 5; i++) referrals.push(await refer());
		const kinds = ['referral.assigned', 'referral.status_changed', 'referral.contact_attempted'] as const;
		for (let round = 0; round < 3; round++) for (const [i, r] of referrals.entries()) await casework(r, kinds[(round + i) % 3], round);
		await drain();
		for (let round = 3; round < 5; round++) for (const r of referrals) await casework(r, kinds[round % 3], round);
		const lateReferral = await refer();
		referrals.push(lateReferral);
		await drain();

		const events = await eventIdsOf(referrals);
		expect(events).toHaveLength(5 * 6 + 1);
		expect(all.rejected).toEqual([]);
		const { counts, duplicates } = countById(all.received);
		expect(duplicates).toBe(0);
		expect([...counts.keys()].sort()).toEqual(events.map((e) => e.eventId).sort());
		expect(orderViolations(all.received)).toEqual([]);
		// Per referral, the receiver saw exactly the event log's order.
		for (const r of referrals) {
			const seen = all.received.filter((x) => x.body.data.reference === r.reference).sort((a, b) => a.arrivedAt - b.arrivedAt).map((x) => x.id);
			expect(seen).toEqual(events.filter((e) => e.referralId === r.id).map((e) => e.eventId));
		}
		expect(statusOnly.rejected).toEqual([]);
		expect(statusOnly.received.map((x) => x.id).sort()).toEqual(events.filter((e) => e.type === 'referral.status_changed').map((e) => e.eventId).sort());
		expect(secondaryOnly.received).toEqual([]);

		const deliveries = await deliveriesOf(subAll.subscription.id);
		expect(deliveries.every((d) => d.delivery.status === 'delivered' && d.delivery.attempts === 1 && d.delivery.lastStatusCode === 204)).toBe(true);
		const attempts = await attemptsOf(deliveries[0].delivery.id);
		expect(attempts).toHaveLength(1);
		expect(attempts[0].statusCode).toBe(204);
		expect(attempts[0].latencyMs).toBeGreaterThanOrEqual(0);
	});

	it('sends the documented payload: it matches the published schema and carries answers, consents and contact preferences', async () => {
		const r = await receiver(() => sub.secret);
		const sub = await subscribe(r.url, ['referral.submitted', 'referral.details_added', 'referral.status_changed']);
		const referral = await refer();
		// "Tell us more" after sending: the health page and the referrer contact page, one event each.
		await addDetails(referral.id, { conditionDescription: 'Back pain and anxiety make long shifts hard.', contactReferrer: 'no' });
		await casework(referral, 'referral.status_changed', 1);
		await drain();
		expect(r.rejected).toEqual([]);
		expect(r.received.map((x) => x.body.type)).toEqual(['referral.submitted', 'referral.details_added', 'referral.details_added', 'referral.status_changed']);
		for (const x of r.received) {
			const parsed = eventPayloadSchema.safeParse(x.body);
			expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
			expect(x.body.id).toBe(x.id);
		}
		const submitted = r.received.find((x) => x.body.type === 'referral.submitted')!.body;
		expect(submitted.data).toMatchObject({
			version: PAYLOAD_VERSION,
			reference: referral.reference,
			programme: { id: PRIMARY, name: expect.any(String) },
			status: 'received',
			source: { code: 'fit-note', odsCode: 'P84001', linkCode: 'gp-p84001', dwpCategory: 'primary-care' },
			person: { givenName: 'Sam', familyName: 'Taylor', dateOfBirth: '1985-06-15', postcode: referral.postcode },
			// Asked after sending: not known when the referral was sent.
			contactPreferences: { channels: ['phone', 'email'], bestTimes: ['weekday-morning'], messagesMayNameService: true, postAllowed: false, contactReferrer: null },
			submittedAt: referral.submittedAt.toISOString(),
			contactTargetDate: referral.contactTargetDate
		});
		const consents = submitted.data.consents as { kind: string; given: boolean; version: string; recordedAt: string }[];
		expect(consents.find((c) => c.kind === 'processing')).toMatchObject({ given: true, version: 'processing-2026-11-v1', recordedAt: expect.stringMatching(/Z$/) });
		expect(consents.find((c) => c.kind === 'textReminders')).toMatchObject({ given: false, version: 'text-reminders-2026-11-v1' });
		// The engine's answers are derived from "Do any of these apply to you?" and sent beside it.
		expect(submitted.data.answers).toMatchObject({ employment: 'out-of-work', circumstances: ['none'], secondaryCare: 'no', otherProgramme: 'no', rightToWork: 'yes' });
		expect(submitted.data.answers).not.toHaveProperty('conditionDescription');
		expect(Object.keys(submitted.data.answers as object).some((k) => k.startsWith('consent'))).toBe(false);
		// Each "Tell us more" page: its own event, saying what it asked and what was answered, on the referral as it then was.
		const details = r.received.filter((x) => x.body.type === 'referral.details_added').map((x) => x.body.data);
		expect(details.map((d) => d.change)).toEqual([
			{ page: 'condition', questions: ['conditionDescription'], answers: { conditionDescription: 'Back pain and anxiety make long shifts hard.' }, at: expect.stringMatching(/Z$/) },
			{ page: 'referrer-contact', questions: ['contactReferrer'], answers: { contactReferrer: 'no' }, at: expect.stringMatching(/Z$/) }
		]);
		expect(details[0].answers).toMatchObject({ conditionDescription: 'Back pain and anxiety make long shifts hard.' });
		expect(details[1].contactPreferences).toMatchObject({ contactReferrer: 'no' });
		const changed = r.received.find((x) => x.body.type === 'referral.status_changed')!.body;
		expect(changed.data.change).toMatchObject({ from: 'received', to: 'contacted', closedReason: null });
		expect(changed.data.answers).toMatchObject({ conditionDescription: 'Back pain and anxiety make long shifts hard.' });

		// The schema is served at its stable address.
		const { GET } = await import('../../src/routes/api/v1/schema/events.json/+server');
		const response = await GET({} as never);
		expect(response.status).toBe(200);
		const schema = await response.json();
		expect(schema).toEqual(JSON.parse(JSON.stringify(eventPayloadJsonSchema(siteOrigin()))));
		expect(schema.$id).toMatch(/\/api\/v1\/schema\/events\.json$/);
		expect(JSON.stringify(schema)).toContain('referral.contact_attempted');
	});

	it('types the answers: a full and a core-only body validate against the published JSON Schema; a wrong value or type does not', async () => {
		const full = await receiver(() => fullSub.secret);
		const fullSub = await subscribe(full.url, ['referral.submitted', 'referral.details_added']);
		const core = await receiver(() => coreSub.secret);
		const coreSub = await subscribe(core.url, ['referral.submitted', 'referral.details_added'], [PRIMARY], []);
		const referral = await refer();
		// Answers from "Tell us more" after sending (health, day-to-day impact, equality): the last page's event carries them all.
		await addDetails(referral.id, { conditionDescription: 'Back pain and anxiety make long shifts hard.', dailyImpact: 'a-little', gender: 'prefer-not-to-say' });
		await drain();
		const last = (r: Receiver) => r.received.filter((x) => x.body.data.reference === referral.reference).at(-1)!.body;
		const fullBody = last(full);
		const coreBody = last(core);
		expect(fullBody.type).toBe('referral.details_added');
		expect(fullBody.data.answers).toMatchObject({ dateOfBirth: '1985-06-15', contactChannels: ['phone', 'email'], circumstances: ['none'], dailyImpact: 'a-little', gender: 'prefer-not-to-say' });
		expect(fullBody.data.answers).not.toHaveProperty('nhsNumber');
		expect(coreBody.data.answers).not.toHaveProperty('conditionDescription');
		expect(coreBody.data.answers).not.toHaveProperty('gender');
		expect(coreBody.data.change).toMatchObject({ page: 'equality', answers: {} });
		for (const r of [full, core]) for (const x of r.received.filter((x) => x.body.data.reference === referral.reference)) expect(eventPayloadSchema.safeParse(x.body).success, x.body.type).toBe(true);

		// Offline, as a receiver would: formats are left to the patterns the schema carries (dates have one).
		const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(eventPayloadJsonSchema(siteOrigin()));
		const check = (body: unknown) => ({ zod: eventPayloadSchema.safeParse(body).success, jsonSchema: validate(body) });
		expect(check(fullBody)).toEqual({ zod: true, jsonSchema: true });
		expect(check(coreBody)).toEqual({ zod: true, jsonSchema: true });
		const withAnswers = (answers: Record<string, unknown>) => ({ ...fullBody, data: { ...fullBody.data, answers: { ...(fullBody.data.answers as Record<string, unknown>), ...answers } } });
		for (const wrong of [{ employment: 'retired' }, { contactChannels: ['phone', 'pigeon'] }, { gender: 'unknown' }]) expect(check(withAnswers(wrong)), JSON.stringify(wrong)).toEqual({ zod: false, jsonSchema: false });
		for (const wrong of [{ dateOfBirth: '15/06/1985' }, { contactChannels: 'phone' }, { givenName: 42 }, { givenName: null }]) expect(check(withAnswers(wrong)), JSON.stringify(wrong)).toEqual({ zod: false, jsonSchema: false });
		// Not strict: a question the schema does not know is allowed by the published schema (receivers ignore it)...
		expect(check(withAnswers({ favouriteColour: 'green' }))).toEqual({ zod: true, jsonSchema: true });
		// What the page answered is typed as the answers are.
		const withChange = (answers: Record<string, unknown>) => ({ ...fullBody, data: { ...fullBody.data, change: { ...(fullBody.data.change as object), answers } } });
		expect(check(withChange({ gender: 'woman' }))).toEqual({ zod: true, jsonSchema: true });
		expect(check(withChange({ gender: 'unknown' }))).toEqual({ zod: false, jsonSchema: false });

		// ...and the builder leaves it out; a stored answer of the wrong kind makes a PayloadError (never sent).
		const db = await getDb();
		const [submitted] = await db.select().from(event).where(and(eq(event.referralId, referral.id), eq(event.type, 'referral.submitted')));
		const stored = referral.answers as Record<string, unknown>;
		await db.update(referralTable).set({ answers: { ...stored, favouriteColour: 'green' } as never }).where(eq(referralTable.id, referral.id));
		const built = (await buildPayloads(db, [submitted])).get(submitted.id);
		if (!built || built instanceof PayloadError) throw new Error(`not built: ${built?.message}`);
		expect(built.data.answers).not.toHaveProperty('favouriteColour');
		expect(built.data.answers).toMatchObject({ employment: 'out-of-work' });
		await db.update(referralTable).set({ answers: { ...stored, employment: 'retired' } as never }).where(eq(referralTable.id, referral.id));
		const broken = (await buildPayloads(db, [submitted])).get(submitted.id);
		expect(broken).toBeInstanceOf(PayloadError);
		expect((broken as PayloadError).message).toMatch(/data\.answers\.employment/);
		await db.update(referralTable).set({ answers: stored as never }).where(eq(referralTable.id, referral.id));
	});

	it('sends each event as the snapshot taken when it happened: every try, replay and the pull API carry the same bytes', async () => {
		let failing = true;
		const r = await receiver(() => sub.secret, { mode: () => (failing ? 500 : 200) });
		const sub = await subscribe(r.url);
		const referral = await refer();
		const clock = new Date();
		await drain({ now: clock });
		const [submitted] = await eventIdsOf([referral]);
		expect(r.received.filter((x) => x.id === submitted.eventId).map((x) => x.answered)).toEqual([500]);

		// The referral changes before the retry: contacted, assigned elsewhere, renamed.
		const db = await getDb();
		await db.update(referralTable).set({ status: 'contacted', givenName: 'Changed' }).where(eq(referralTable.id, referral.id));
		await casework(referral, 'referral.status_changed', 1);
		failing = false;
		await drain({ now: new Date(clock.getTime() + 60_000) });
		const [delivery] = (await deliveriesOf(sub.subscription.id)).filter((d) => d.eventUuid === submitted.eventId);
		expect(await replayDelivery(sub.subscription.id, delivery.delivery.id, null, new Date(clock.getTime() + 120_000))).toBe('queued');
		await drain({ now: new Date(clock.getTime() + 120_000) });

		const bodies = r.received.filter((x) => x.id === submitted.eventId).map((x) => x.raw);
		expect(bodies.length).toBe(3);
		expect(new Set(bodies).size).toBe(1);
		const sent = JSON.parse(bodies[0]);
		expect(sent.data).toMatchObject({ status: 'received', person: { givenName: referral.givenName } });
		expect(eventPayloadSchema.safeParse(sent).success).toBe(true);
		// The stored snapshot is what was sent, and the pull API serves the same bytes for that event id.
		const [row] = await db.select().from(event).where(eq(event.id, submitted.id));
		expect(row.body).toBe(bodies[0]);
		const { createApiKey } = await import('../../src/lib/server/api/keys');
		const { readEventPage } = await import('../../src/lib/server/api/events');
		const key = await createApiKey({ name: 'snapshot test', programmeIds: [PRIMARY], dataScopes: ['health', 'equality'] }, COMMAND_LINE);
		if (!key.ok) throw new Error('key');
		const page = await readEventPage({ id: key.apiKey.id, name: 'snapshot test', prefix: '', programmeIds: [PRIMARY], access: 'read-write', dataScopes: ['health', 'equality'] }, submitted.id - 1, 1);
		expect(JSON.stringify(page.data[0])).toBe(bodies[0]);
		// The later event shows the later state: the status change.
		const later = r.received.find((x) => x.body.type === 'referral.status_changed' && x.body.data.reference === referral.reference)!;
		expect(later.body.data).toMatchObject({ status: 'contacted' });
	});

	it('keeps retrying a receiver that answers 500 and then is gone; when it is back every event arrives once more, with the same ids', async () => {
		const r = await receiver(() => sub.secret, { mode: 'fail' });
		const sub = await subscribe(r.url);
		let clock = new Date();
		const step = async () => drain({ now: clock });
		/** Moves the clock to the next moment a delivery falls due (those held back behind another are due already). */
		const advance = async () => {
			const db = await getDb();
			const [{ next }] = await db
				.select({ next: sql<string>`min(${webhookDelivery.nextAttemptAt})` })
				.from(webhookDelivery)
				.where(and(eq(webhookDelivery.subscriptionId, sub.subscription.id), eq(webhookDelivery.status, 'pending'), gt(webhookDelivery.nextAttemptAt, clock)));
			if (next) clock = new Date(next);
		};

		// Referrals are sent while the receiver fails; sending them does not wait for it.
		const referrals: Referral[] = [];
		for (let i = 0; i < 3; i++) {
			referrals.push(await refer());
			await casework(referrals[i], 'referral.status_changed', 1);
			await step();
		}
		for (let i = 0; i < 2; i++) {
			await advance();
			await step();
		}
		const failed = r.received.filter((x) => x.answered === 500);
		expect(failed.length).toBeGreaterThanOrEqual(3);
		// Later events of a referral wait for the first: only referral.submitted events have been tried.
		expect(new Set(failed.map((x) => x.body.type))).toEqual(new Set(['referral.submitted']));

		// Gone entirely: connections are refused.
		await r.close();
		for (let i = 0; i < 2; i++) {
			await advance();
			await step();
		}
		let deliveries = await deliveriesOf(sub.subscription.id);
		const first = deliveries[0].delivery;
		const tries = await attemptsOf(first.id);
		expect(tries.map((t) => t.statusCode)).toEqual([500, 500, 500, null, null]);
		// The first try may find the old keep-alive connection cut; after that, connections are refused.
		expect(tries[3].error).toBeTruthy();
		expect(tries[4].error).toMatch(/ECONNREFUSED/);
		// The backoff grows: 1 s, 2 s, 4 s, 8 s (random = 1), capped at 8 s.
		const gaps = tries.slice(1).map((t, i) => t.at.getTime() - tries[i].at.getTime());
		expect(gaps).toEqual([1000, 2000, 4000, 8000]);
		expect(deliveries.every((d) => d.delivery.status === 'pending')).toBe(true);

		// Back, and answering.
		r.mode = 'ok';
		await r.reopen();
		for (let i = 0; i < 10 && (await deliveriesOf(sub.subscription.id)).some((d) => d.delivery.status === 'pending'); i++) {
			await advance();
			await step();
		}
		deliveries = await deliveriesOf(sub.subscription.id);
		expect(deliveries.map((d) => d.delivery.status)).toEqual(Array(6).fill('delivered'));
		expect(r.rejected).toEqual([]);
		const events = await eventIdsOf(referrals);
		const accepted = countById(r.accepted());
		expect(accepted.duplicates).toBe(0);
		expect([...accepted.counts.keys()].sort()).toEqual(events.map((e) => e.eventId).sort());
		expect(orderViolations(r.accepted())).toEqual([]);
		// Every 500 was for an id that later arrived: the same webhook-id on every try.
		for (const x of failed) expect(accepted.counts.get(x.id)).toBe(1);
	});

	it('dead-letters a delivery after 3 days of failures, then lets the next event of the referral go; replays one and everything since a time', async () => {
		const r = await receiver(() => sub.secret);
		const sub = await subscribe(r.url);
		await r.close();
		const start = new Date();
		let clock = start;
		const referral = await refer();
		await casework(referral, 'referral.status_changed', 1);
		const deadlineMs = start.getTime() + DEAD_AFTER_MS;
		// Default backoff (capped at an hour), on a clock that jumps to each due time.
		const options = { now: clock, timeoutMs: 3000, random: () => 0.5 };
		let rounds = 0;
		for (;;) {
			await runWebhooksOnce({ ...options, now: clock });
			const [first] = await deliveriesOf(sub.subscription.id);
			if (first.delivery.status !== 'pending') break;
			clock = first.delivery.nextAttemptAt;
			if (++rounds > 500) throw new Error('never dead-lettered');
		}
		let deliveries = await deliveriesOf(sub.subscription.id);
		const [dead, waiting] = deliveries;
		expect(dead.delivery.status).toBe('dead');
		const tries = await attemptsOf(dead.delivery.id);
		const last = tries[tries.length - 1];
		expect(last.at.getTime()).toBeGreaterThanOrEqual(deadlineMs);
		expect(tries[tries.length - 2].at.getTime()).toBeLessThan(deadlineMs);
		// Never more than an hour (the default cap) between tries; many tries over the 3 days.
		for (let i = 1; i < tries.length; i++) expect(tries[i].at.getTime() - tries[i - 1].at.getTime()).toBeLessThanOrEqual(60 * 60_000);
		expect(tries.length).toBeGreaterThan(70);
		// The dead one no longer holds the referral's next event back: it has been tried, and gets its own 3 days.
		expect(waiting.delivery.attempts).toBeGreaterThanOrEqual(1);
		expect(waiting.delivery.status).toBe('pending');

		// The receiver is back. Replay the dead one: it arrives with its original id.
		await r.reopen();
		const now = new Date();
		expect(await replayDelivery(sub.subscription.id, dead.delivery.id, null, now)).toBe('queued');
		await drain({ now });
		expect(r.rejected).toEqual([]);
		expect(r.accepted().map((x) => x.id)).toContain(dead.eventUuid);
		deliveries = await deliveriesOf(sub.subscription.id);

		// Everything since before the first referral: both events again, in order, with their ids.
		const db = await getDb();
		const before = r.accepted().length;
		const [firstEvent] = await eventIdsOf([referral]);
		const result = await replaySince(sub.subscription.id, firstEvent.createdAt, null, new Date());
		expect(result).toEqual({ requeued: 2, added: 0, inFlight: 0 });
		await drain();
		const replayed = r.accepted().slice(before);
		expect(replayed.map((x) => x.id)).toEqual(deliveries.map((d) => d.eventUuid));
		expect(orderViolations(replayed)).toEqual([]);
		const audits = await db.select().from(auditLog).where(sql`${auditLog.action} = 'webhook.replayed' and ${auditLog.detail}->>'subscriptionId' = ${sub.subscription.id}`);
		expect(audits).toHaveLength(2);
	});

	it('replaying since a time also sends events from before the subscription, within its programmes and types', async () => {
		const earlier = await refer();
		const otherProgramme = await refer('secondary');
		const r = await receiver(() => sub.secret);
		const sub = await subscribe(r.url, ['referral.submitted']);
		await drain();
		expect(r.received).toEqual([]);
		const result = await replaySince(sub.subscription.id, new Date(earlier.submittedAt.getTime() - 1000), null);
		expect(result?.added).toBeGreaterThanOrEqual(1);
		await drain();
		const references = r.accepted().map((x) => x.body.data.reference);
		expect(references).toContain(earlier.reference);
		expect(references).not.toContain(otherProgramme.reference);
		expect(r.accepted().every((x) => x.body.type === 'referral.submitted')).toBe(true);
	});

	it('a receiver that is slow or down with many retries due does not hold up another subscription', async () => {
		const slow = await receiver(() => slowSub.secret, { delayMs: 1000 });
		const healthy = await receiver(() => healthySub.secret);
		const slowSub = await subscribe(slow.url);
		const referrals: Referral[] = [];
		for (let i = 0; i < 12; i++) referrals.push(await refer());
		// Twelve deliveries due for the slow receiver (older events), then one event for a healthy one.
		const healthySub = await subscribe(healthy.url);
		await casework(referrals[0], 'referral.status_changed', 1);
		while ((await fanOutEvents()) > 0);
		// One batch of 4 slots: the healthy subscription gets its share although its event is the newest.
		const batch = await deliverDue({ ...RETRY, timeoutMs: 200, limit: 4 });
		expect(batch.claimed).toBe(4);
		expect(healthy.accepted()).toHaveLength(1);
		expect(healthy.rejected).toEqual([]);
		const slowDeliveries = await deliveriesOf(slowSub.subscription.id);
		expect(slowDeliveries.filter((d) => d.delivery.attempts > 0)).toHaveLength(3);
	});

	it('a disabled subscription gets nothing more', async () => {
		const r = await receiver(() => sub.secret);
		const sub = await subscribe(r.url);
		await refer();
		expect(await disableSubscription(sub.subscription.id, null)).toBe(true);
		expect(await disableSubscription(sub.subscription.id, null)).toBe(false);
		await refer();
		await drain();
		expect(r.received).toEqual([]);
		expect(await replaySince(sub.subscription.id, new Date(0), null)).toBeNull();
		expect(await replayDelivery(sub.subscription.id, 1, null)).toBe('not-found');
		expect(await replayDelivery('not-a-uuid', 1, null)).toBe('not-found');
	});
});

describe('backoff and times', () => {
	it('doubles the ceiling from the base up to the cap, with jitter between the base and the ceiling', () => {
		expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1000, 10_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
		expect(retryDelayMs(5, 1000, 10_000, () => 0)).toBe(1000);
		for (let i = 0; i < 100; i++) {
			const d = retryDelayMs(4, 1000, 60_000);
			expect(d).toBeGreaterThanOrEqual(1000);
			expect(d).toBeLessThanOrEqual(8000);
		}
		expect(retryDelayMs(500, 5000, 3_600_000, () => 1)).toBe(3_600_000);
	});

	it('reads the replay time as UK time', () => {
		expect(parseUkDateTime('2026-07-05T14:05')?.toISOString()).toBe('2026-07-05T13:05:00.000Z');
		expect(parseUkDateTime('2026-12-05T14:05:09')?.toISOString()).toBe('2026-12-05T14:05:09.000Z');
		expect(parseUkDateTime('2026-02-30T10:00')).toBeNull();
		expect(parseUkDateTime('yesterday')).toBeNull();
	});
});

describe('secrets and the delivery view for case systems', () => {
	it('minimises per receiver: a core-only subscription and key get no health or equality field; each retry the same bytes', async () => {
		// The first try fails, so the retry shows the same bytes again.
		let tries = 0;
		// Health and equality answers from "Tell us more" before the subscriptions exist; then one more page
		// (job goals, in the person's own words), whose event carries them all.
		const r = await refer();
		await addDetails(r.id, { conditionDescription: 'Back pain and anxiety make long shifts hard.', conditionCategories: ['mental-health'], dailyImpact: 'a-little', nhsNumber: null, gender: 'woman', ethnicity: 'white' });
		const core = await receiver(() => coreSub.secret, { mode: () => (++tries === 1 ? 500 : 204) });
		const coreSub = await subscribe(core.url, ['referral.details_added'], [PRIMARY], []);
		expect(coreSub.subscription.dataScopes).toEqual([]);
		const full = await receiver(() => fullSub.secret);
		const fullSub = await subscribe(full.url, ['referral.details_added']);
		await addDetails(r.id, { jobGoals: 'Part-time work in a shop or office.' });
		await drain();
		await drain({ now: new Date(Date.now() + 10_000) });
		const coreBodies = core.received.filter((x) => x.body.data.reference === r.reference);
		const fullBody = full.received.find((x) => x.body.data.reference === r.reference)!;
		expect(coreBodies).toHaveLength(2);
		expect(coreBodies[0].raw).toBe(coreBodies[1].raw);
		// Health details, and answers in the person's own words beyond name and contact details (they may hold health details).
		// The ticks on "Do any of these apply to you?" say whether the person has secondary mental health care.
		const health = ['conditionDescription', 'conditionCategories', 'dailyImpact', 'healthCondition', 'secondaryCare', 'circumstances', 'notSureAbout', 'communicationNeeds', 'nhsNumber', 'employerName', 'jobTitle', 'jobGoals', 'interpreterLanguage', 'heardFromDetail'];
		const equality = ['gender', 'ethnicity'];
		const fullAnswers = fullBody.body.data.answers as Record<string, unknown>;
		expect(Object.keys(fullAnswers)).toEqual(expect.arrayContaining(['conditionDescription', 'dailyImpact', 'circumstances', 'jobGoals', 'gender', 'ethnicity']));
		// What the page answered is minimised the same way: job goals are the person's own words.
		expect(fullBody.body.data.change).toMatchObject({ page: 'job-goals', answers: { jobGoals: 'Part-time work in a shop or office.' } });
		expect(coreBodies[0].body.data.change).toMatchObject({ page: 'job-goals', questions: ['jobGoals'], answers: {} });
		expect(coreBodies[0].raw).not.toContain('Part-time work');
		const coreAnswers = coreBodies[0].body.data.answers as Record<string, unknown>;
		for (const key of [...health, ...equality]) expect(coreAnswers, key).not.toHaveProperty(key);
		expect(coreBodies[0].raw).not.toContain(String(fullAnswers.conditionDescription));
		// Everything else is the same as the full body.
		const rest = (a: Record<string, unknown>) => Object.fromEntries(Object.entries(a).filter(([k]) => !health.includes(k) && !equality.includes(k)));
		expect(coreAnswers).toEqual(rest(fullAnswers));
		expect(eventPayloadSchema.safeParse(coreBodies[0].body).success).toBe(true);
		// The pull API: a core-only key gets the same minimised body, a key with both the full one.
		const coreKey = await createApiKey({ name: 'core only', programmeIds: [PRIMARY] });
		if (!coreKey.ok) throw new Error('key');
		expect(coreKey.apiKey.dataScopes).toEqual([]);
		const db = await getDb();
		const jobGoals = (await db.select().from(event).where(and(eq(event.referralId, r.id), eq(event.type, 'referral.details_added'))).orderBy(asc(event.id))).at(-1)!;
		const page = await readEventPage({ ...coreKey.apiKey }, jobGoals.id - 1, 1);
		expect(JSON.stringify(page.data[0])).toBe(coreBodies[0].raw);
	});

	it('emails the administrators once when a subscription has been failing for a day, and again only after it recovered', async () => {
		const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
		const { staff: admin } = await createStaff({ email: `alert-admin-${suffix}@example.org`, name: 'Alert Admin', role: 'admin', programmeIds: [PRIMARY], practices: [], password: 'a long enough password' });
		const r = await receiver(() => sub.secret, { mode: 'fail' });
		const sub = await subscribe(r.url, ['referral.submitted']);
		const referred = await refer();
		await drain();
		const db = await getDb();
		// Only this subscription's alerts (on a shared PostgreSQL database other files' subscriptions may fail too).
		const mails = async () =>
			(await queuedEmails(and(eq(emailJob.kind, 'webhook.failing'), eq(emailJob.to, admin.email.toLowerCase())))).filter((m) =>
				m.body.includes(`/staff/admin/webhooks/${sub.subscription.id}`)
			);
		// Not yet a day: nothing.
		await sendFailureAlerts(new Date(Date.now() + 3_600_000));
		expect(await mails()).toHaveLength(0);
		// A day on: one email to the admin, naming the address, without the event.
		const dayLater = new Date(Date.now() + 25 * 3_600_000);
		await sendFailureAlerts(dayLater);
		const sent = await mails();
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toContain(r.url);
		expect(sent[0].body).toContain(`/staff/admin/webhooks/${sub.subscription.id}`);
		expect(sent[0].body).not.toContain(referred.reference);
		expect(sent[0].body).not.toContain(referred.givenName);
		// Still failing: not again.
		await sendFailureAlerts(new Date(dayLater.getTime() + 3_600_000));
		expect(await mails()).toHaveLength(1);
		// Recovered (delivered): the flag clears, so a later failing spell is told again.
		await db.update(webhookDelivery).set({ status: 'delivered', deliveredAt: new Date() }).where(eq(webhookDelivery.subscriptionId, sub.subscription.id));
		await sendFailureAlerts(dayLater);
		const [row] = await db.select().from(webhookSubscription).where(eq(webhookSubscription.id, sub.subscription.id));
		expect(row.failureAlertedAt).toBeNull();
	});

	it('sends a signed webhook.test event on request, outside the event log, and says what the receiver answered', async () => {
		const r = await receiver(() => sub.secret);
		const sub = await subscribe(r.url, ['referral.submitted']);
		const db = await getDb();
		const before = await db.select({ n: sql<number>`count(*)::int` }).from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.subscription.id));
		const result = await sendTestEvent(sub.subscription, null);
		expect(result).toMatchObject({ statusCode: 204, error: null });
		expect(r.rejected).toEqual([]);
		expect(r.received.map((x) => x.body.type)).toEqual(['webhook.test']);
		expect(r.received[0].id).toBe(result.eventId);
		const after = await db.select({ n: sql<number>`count(*)::int` }).from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.subscription.id));
		expect(after[0].n).toBe(before[0].n);
		const [audit] = await db.select().from(auditLog).where(sql`${auditLog.action} = 'webhook.test_sent' and ${auditLog.detail}->>'subscriptionId' = ${sub.subscription.id}`);
		expect(audit.detail).toMatchObject({ statusCode: 204, error: null });
		// A receiver that is gone: the answer says so.
		await r.close();
		const gone = await sendTestEvent(sub.subscription, null, { timeoutMs: 2000 });
		expect(gone.statusCode).toBeNull();
		expect(gone.error).toMatch(/ECONNREFUSED|ECONNRESET|refused|hang up/i);
	});

	it('GET /api/v1/webhook-deliveries shows a key its programme\'s deliveries and what failed; another programme\'s key sees none', async () => {
		const r = await receiver(() => sub.secret, { mode: 'fail' });
		const sub = await subscribe(r.url, ['referral.submitted']);
		const referred = await refer();
		await drain();
		const mine = await createApiKey({ name: 'Deliveries primary', programmeIds: [PRIMARY] });
		const other = await createApiKey({ name: 'Deliveries secondary', programmeIds: [SECONDARY] });
		if (!mine.ok || !other.ok) throw new Error('keys');
		const get = async (key: string, query = '') => {
			const url = new URL(`/api/v1/webhook-deliveries${query}`, 'http://portal.test');
			const res = await (deliveriesGET as (e: never) => Promise<Response>)({ request: new Request(url, { headers: { authorization: `Bearer ${key}` } }), url, params: {}, getClientAddress: () => '192.0.2.10' } as never);
			return { status: res.status, body: JSON.parse(await res.text()) };
		};
		const res = await get(mine.key, '?status=pending');
		expect(res.status).toBe(200);
		const row = res.body.data.find((d: { subscription: { id: string } }) => d.subscription.id === sub.subscription.id);
		expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, event: { type: 'referral.submitted', reference: referred.reference }, subscription: { url: r.url } });
		expect(row.nextAttemptAt).toEqual(expect.any(String));
		expect(JSON.stringify(res.body)).not.toContain(sub.secret.slice(6, 20));
		const theirs = await get(other.key);
		expect(theirs.body.data.some((d: { subscription: { id: string } }) => d.subscription.id === sub.subscription.id)).toBe(false);
		expect((await get(mine.key, '?status=exploded')).status).toBe(400);
		expect((await get(mine.key, '?limit=0')).status).toBe(400);
	});

	it('rolls the signing secret: during the overlap a receiver holding either secret verifies every delivery; after it, only the new one', async () => {
		let holding = '';
		const r = await receiver(() => holding);
		const sub = await subscribe(r.url, ['referral.submitted']);
		const oldSecret = sub.secret;
		const rotated = await rotateSecret(sub.subscription.id, 24, null);
		if (!rotated.ok) throw new Error(rotated.reason);
		expect(rotated.secret).not.toBe(oldSecret);
		expect(rotated.previousUntil!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);

		// In the overlap: the receiver with the old secret, then with the new one, verifies each delivery.
		holding = oldSecret;
		await refer();
		await drain();
		holding = rotated.secret;
		await refer();
		await drain();
		expect(r.rejected).toEqual([]);
		expect(r.accepted()).toHaveLength(2);

		// After the overlap (moved into the past): the old secret no longer verifies, the new one does.
		const db = await getDb();
		await db.update(webhookSubscription).set({ previousSecretUntil: new Date(Date.now() - 60_000) }).where(eq(webhookSubscription.id, sub.subscription.id));
		holding = oldSecret;
		await refer();
		await drain();
		expect(r.rejected.length).toBe(1);
		expect(r.accepted()).toHaveLength(2);
		holding = rotated.secret;
		await drain({ now: new Date(Date.now() + 2_000) });
		expect(r.accepted()).toHaveLength(3);

		// The audit row says it happened, never the secrets.
		const audits = await db.select().from(auditLog).where(sql`${auditLog.action} = 'webhook.secret_rotated' and ${auditLog.detail}->>'subscriptionId' = ${sub.subscription.id}`);
		expect(audits).toHaveLength(1);
		expect(JSON.stringify(audits[0])).not.toContain(rotated.secret.slice(6, 20));
		expect(JSON.stringify(audits[0])).not.toContain(oldSecret.slice(6, 20));
		// An overlap outside 0 to 168 hours is refused.
		expect(await rotateSecret(sub.subscription.id, 500, null)).toEqual({ ok: false, reason: 'bad-overlap' });
	});
});
