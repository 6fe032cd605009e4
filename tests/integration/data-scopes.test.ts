/**
 * Minimisation by what is sent (issue 19 part 3). A webhook subscription and an API key without the health
 * scope get no check-in or wellbeing events at all (not sent, not served by the pull API, not listed by
 * the deliveries API) and no answers in the person's own words (job goals, interpreter language, a
 * withdrawal's reason); what they do get still validates against the published schema. Paging stays exact:
 * events left out never end a page early, never make an empty page that looks like the end, and every
 * next_cursor leads on. Real receivers (tests/support/webhook-receiver.ts), the real CLI, the real routes.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { and, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as eventsGET } from '../../src/routes/api/v1/events/+server';
import { GET as deliveriesGET } from '../../src/routes/api/v1/webhook-deliveries/+server';
import { GET as referralGET } from '../../src/routes/api/v1/referrals/[reference]/+server';
import { load as webhooksLoad } from '../../src/routes/staff/(app)/admin/webhooks/+page.server';
import { load as webhookLoad } from '../../src/routes/staff/(app)/admin/webhooks/[id]/+page.server';
import { withdrawOwnReferral } from '../../src/lib/server/casework/withdrawal';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { getDb } from '../../src/lib/server/db';
import { webhookSubscription } from '../../src/lib/server/db/schema';
import { HEALTH_EVENT_TYPES } from '../../src/lib/server/events/minimise';
import { eventPayloadJsonSchema, WEBHOOK_EVENT_TYPES, type EventPayload } from '../../src/lib/server/events/payload';
import { insertConcern } from '../../src/lib/server/measures/concerns';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription, disableSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { startReceiver, type Receiver } from '../support/webhook-receiver';
import { aCompletedCheckIn, aParticipant } from '../support/factories';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const run = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
const ORIGIN = 'http://portal.test';
const RETRY = { retryBaseMs: 1000, retryMaxMs: 8000, random: () => 1, timeoutMs: 3000 };
const SUFFIX = randomUUID().slice(0, 8);
const JOB_GOALS = `Gardening work, when my depression allows ${SUFFIX}`;
const LANGUAGE = `Polish ${SUFFIX}`;
const WITHDRAWAL_REASON = `My anxiety is too bad just now ${SUFFIX}`;
const FREE_TEXT = [JOB_GOALS, LANGUAGE, WITHDRAWAL_REASON];
/** ONS4 answers that raise no concern when given twice. */
const ONS4_ANSWERS = [7, 8, 6, 3];

let coreReceiver: Receiver;
let fullReceiver: Receiver;
let core: { id: string; secret: string };
let full: { id: string; secret: string };
let coreKey: string;
let fullKey: string;
let cliOutput: { webhook: string; coreKey: string; list: string };
let reference: string;
/** A cursor at the end of the log before this file's person: paging starts here. */
let startCore: string;
let startFull: string;

async function cli(...args: string[]): Promise<string> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } });
	return stdout;
}

type Handler = (event: never) => Response | Promise<Response>;
async function call(handler: Handler, path: string, key: string, params: Record<string, string> = {}) {
	const url = new URL(path, ORIGIN);
	const response = await handler({ request: new Request(url, { headers: { authorization: `Bearer ${key}` } }), url, params, getClientAddress: () => '192.0.2.12' } as never);
	return { status: response.status, body: await response.json() };
}

/** Pages to the end of the log for this key; returns the last next_cursor. */
async function endCursor(key: string): Promise<string> {
	let cursor = '';
	for (;;) {
		const page = await call(eventsGET as Handler, `/api/v1/events?limit=500&programme=${PRIMARY}${cursor ? `&after=${cursor}` : ''}`, key);
		expect(page.status).toBe(200);
		cursor = page.body.next_cursor;
		if (!page.body.has_more) return cursor;
	}
}

/** Every page of `limit` events from `after` to the end, as the case system would read them. */
async function pages(key: string, after: string, limit: number): Promise<{ data: EventPayload[]; has_more: boolean; next_cursor: string }[]> {
	const out = [];
	let cursor = after;
	for (let i = 0; i < 200; i++) {
		const page = await call(eventsGET as Handler, `/api/v1/events?limit=${limit}&programme=${PRIMARY}&after=${cursor}`, key);
		expect(page.status).toBe(200);
		out.push(page.body);
		cursor = page.body.next_cursor;
		if (!page.body.has_more) return out;
	}
	throw new Error('paging did not end');
}

beforeAll(async () => {
	// The commands run in their own processes before this file opens the database (PGlite allows one process).
	coreReceiver = await startReceiver(() => core.secret);
	fullReceiver = await startReceiver(() => full.secret);
	const webhook = await cli('webhook', 'add', '--url', coreReceiver.url, '--events', 'all', '--programme', PRIMARY, '--description', `core ${SUFFIX}`);
	const id = /Created webhook subscription ([0-9a-f-]{36})/.exec(webhook)?.[1];
	const secret = /^(whsec_\S+)$/m.exec(webhook)?.[1];
	if (!id || !secret) throw new Error(`unexpected output from webhook add:\n${webhook}`);
	core = { id, secret };
	const keyOut = await cli('api-key', 'create', '--name', `Core ${SUFFIX}`, '--programme', PRIMARY);
	const key = /^(ips_[a-z2-7]{32})$/m.exec(keyOut)?.[1];
	if (!key) throw new Error(`unexpected output from api-key create:\n${keyOut}`);
	coreKey = key;
	const fullOut = await cli('api-key', 'create', '--name', `Full ${SUFFIX}`, '--programme', PRIMARY, '--data', 'health,equality');
	fullKey = /^(ips_[a-z2-7]{32})$/m.exec(fullOut)?.[1] ?? '';
	cliOutput = { webhook, coreKey: keyOut, list: await cli('api-key', 'list') };

	await seedProgrammes();
	const db = await getDb();
	// On a shared PostgreSQL database, subscriptions left by earlier runs must not take deliveries' turns.
	await db
		.update(webhookSubscription)
		.set({ disabledAt: new Date() })
		.where(and(isNull(webhookSubscription.disabledAt), sql`${webhookSubscription.id} <> ${core.id}`));
	const made = await createSubscription({ url: fullReceiver.url, eventTypes: [...WEBHOOK_EVENT_TYPES], programmeIds: [PRIMARY], dataScopes: ['health', 'equality'] }, COMMAND_LINE);
	if (!made.ok) throw new Error(JSON.stringify(made.errors));
	full = { id: made.subscription.id, secret: made.secret };
	startCore = await endCursor(coreKey);
	startFull = await endCursor(fullKey);

	// One person: referral (with answers in their own words: the interpreter language before sending, job goals
	// after, on "Tell us more"), a check-in, a concern, another check-in, withdrawal.
	const owner = await aParticipant({ answers: { email: `data-scopes-${SUFFIX}@example.com`, jobGoals: JOB_GOALS, communicationNeeds: ['interpreter'], interpreterLanguage: LANGUAGE } });
	expect(owner.programmeId).toBe(PRIMARY);
	reference = owner.reference;
	const first = await aCompletedCheckIn(owner, 'ons4', ONS4_ANSWERS);
	await db.transaction((tx) => insertConcern(tx, { key: `${first.id}:steep-fall`, kind: 'steep-fall', owner, checkInId: first.id, reasons: ['fell'] }));
	await aCompletedCheckIn(owner, 'ons4', ONS4_ANSWERS);
	const withdrawn = await withdrawOwnReferral({ referralId: owner.referralId }, WITHDRAWAL_REASON);
	expect(withdrawn.ok).toBe(true);
	while ((await runWebhooksOnce(RETRY)).events > 0);
	await runWebhooksOnce(RETRY);
}, 400_000);

afterAll(async () => {
	for (const s of [core, full]) if (s) await disableSubscription(s.id, null);
	await coreReceiver?.close();
	await fullReceiver?.close();
});

const mine = (r: Receiver) => r.accepted().filter((x) => x.body.data.reference === reference);

describe('a receiver without the health scope', () => {
	it('the CLI shows each key\'s and subscription\'s data scope, and what a core subscription will not be sent', () => {
		expect(cliOutput.webhook).toMatch(/data:\s+core\n/);
		expect(cliOutput.webhook).toContain(`not sent:   ${HEALTH_EVENT_TYPES.join(', ')}`);
		expect(cliOutput.coreKey).toMatch(/, data core\n/);
		const lines = cliOutput.list.split('\n');
		expect(lines.find((l) => l.includes(`Core ${SUFFIX}`))).toContain('\tdata core\t');
		expect(lines.find((l) => l.includes(`Full ${SUFFIX}`))).toContain('\tdata core+health+equality\t');
	});

	it('the admin webhook pages show each subscription\'s data, and that a core one is not sent check-in and wellbeing events', async () => {
		const admin = { id: randomUUID(), role: 'admin', programmeIds: [PRIMARY], name: 'Admin', email: 'admin@example.org' };
		const page = (routeId: string, path: string, params: Record<string, string> = {}) => {
			const url = new URL(path, ORIGIN);
			return { locals: { staff: admin }, url, request: new Request(url), route: { id: routeId }, params } as never;
		};
		const list = (await webhooksLoad(page('/staff/(app)/admin/webhooks', '/staff/admin/webhooks'))) as { subscriptions: { id: string; data: string; withheld: boolean }[] };
		expect(list.subscriptions.find((x) => x.id === core.id)).toMatchObject({ data: 'Referral and contact details only', withheld: true });
		expect(list.subscriptions.find((x) => x.id === full.id)).toMatchObject({ data: 'Referral and contact details, health details and equality monitoring answers', withheld: false });
		const one = (await webhookLoad(page('/staff/(app)/admin/webhooks/[id]', `/staff/admin/webhooks/${core.id}`, { id: core.id }))) as { subscription: { data: string; withheld: boolean } };
		expect(one.subscription).toMatchObject({ data: 'Referral and contact details only', withheld: true });
	});

	it('a core webhook subscription gets no check-in or wellbeing event and no free text; a health one gets them all', async () => {
		expect(coreReceiver.rejected).toEqual([]);
		expect(fullReceiver.rejected).toEqual([]);
		const fullTypes = mine(fullReceiver).map((r) => r.body.type);
		expect(fullTypes).toEqual(['referral.submitted', 'referral.details_added', 'checkin.completed', 'wellbeing.concern_raised', 'checkin.completed', 'referral.withdrawn']);
		const coreTypes = mine(coreReceiver).map((r) => r.body.type);
		expect(coreTypes).toEqual(['referral.submitted', 'referral.details_added', 'referral.withdrawn']);
		const coreText = mine(coreReceiver).map((r) => r.raw).join('\n');
		for (const text of FREE_TEXT) expect(coreText).not.toContain(text);
		for (const r of mine(coreReceiver)) {
			expect(r.body.data.answers).not.toHaveProperty('jobGoals');
			expect(r.body.data.answers).not.toHaveProperty('interpreterLanguage');
			expect(r.body.data.answers).not.toHaveProperty('conditionDescription');
		}
		// The "Tell us more" page's own answers are minimised too; which page and questions it was stays.
		const details = mine(coreReceiver).find((r) => r.body.type === 'referral.details_added')!;
		expect(details.body.data.change).toMatchObject({ page: 'job-goals', questions: ['jobGoals'], answers: {} });
		const fullDetails = mine(fullReceiver).find((r) => r.body.type === 'referral.details_added')!;
		expect(fullDetails.body.data.change).toMatchObject({ page: 'job-goals', answers: { jobGoals: JOB_GOALS } });
		const withdrawal = mine(coreReceiver).find((r) => r.body.type === 'referral.withdrawn')!;
		expect(withdrawal.body.data.change).not.toHaveProperty('reason');
		const fullText = mine(fullReceiver).map((r) => r.raw).join('\n');
		for (const text of FREE_TEXT) expect(fullText).toContain(text);
	});

	it('what a core receiver gets still validates against the published JSON Schema', () => {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		const validate = ajv.compile(eventPayloadJsonSchema(ORIGIN));
		for (const r of mine(coreReceiver)) expect(validate(r.body), JSON.stringify(validate.errors)).toBe(true);
	});

	it('a core API key is served no check-in or wellbeing event and no free text, and asking for one is 403 forbidden_data', async () => {
		const read = (await pages(coreKey, startCore, 500)).flatMap((p) => p.data).filter((e) => e.data.reference === reference);
		expect(read.map((e) => e.type)).toEqual(['referral.submitted', 'referral.details_added', 'referral.withdrawn']);
		const text = JSON.stringify(read);
		for (const t of FREE_TEXT) expect(text).not.toContain(t);
		// Byte for byte what the core receiver was sent.
		const sent = new Map(mine(coreReceiver).map((r) => [r.id, r.raw]));
		for (const e of read) expect(JSON.stringify(e)).toBe(sent.get(e.id));
		const asked = await call(eventsGET as Handler, '/api/v1/events?type=checkin.completed', coreKey);
		expect(asked.status).toBe(403);
		expect(asked.body.error.code).toBe('forbidden_data');
		const referral = await call(referralGET as Handler, `/api/v1/referrals/${reference}`, coreKey, { reference });
		expect(referral.status).toBe(200);
		for (const t of FREE_TEXT) expect(JSON.stringify(referral.body)).not.toContain(t);
	});

	it('pages a core key exactly: one event a page, never an empty page before the end, every cursor leading on', async () => {
		const corePages = await pages(coreKey, startCore, 1);
		for (const page of corePages.slice(0, -1)) {
			expect(page.has_more).toBe(true);
			expect(page.data).toHaveLength(1);
		}
		const coreRead = corePages.flatMap((p) => p.data);
		const fullRead = (await pages(fullKey, startFull, 2)).flatMap((p) => p.data);
		// The core key reads exactly the full key's events that are not health events, in the same order.
		expect(coreRead.map((e) => e.id)).toEqual(fullRead.filter((e) => !(HEALTH_EVENT_TYPES as readonly string[]).includes(e.type)).map((e) => e.id));
		expect(fullRead.filter((e) => e.data.reference === reference).map((e) => e.type)).toContain('wellbeing.concern_raised');
		// From the last cursor: nothing more, and the cursor stays where it was.
		const last = corePages.at(-1)!;
		const after = await call(eventsGET as Handler, `/api/v1/events?limit=1&programme=${PRIMARY}&after=${last.next_cursor}`, coreKey);
		expect(after.body).toEqual({ data: [], next_cursor: last.next_cursor, has_more: false });
	});

	it('the deliveries API lists no check-in or wellbeing delivery to a core key, though it lists them to a health key', async () => {
		const coreList = await call(deliveriesGET as Handler, '/api/v1/webhook-deliveries?limit=200', coreKey);
		const fullList = await call(deliveriesGET as Handler, '/api/v1/webhook-deliveries?limit=200', fullKey);
		expect(coreList.status).toBe(200);
		const ofMine = (list: { data: { event: { type: string; reference: string } }[] }) => list.data.filter((d) => d.event.reference === reference).map((d) => d.event.type);
		expect(ofMine(coreList.body).filter((t) => (HEALTH_EVENT_TYPES as readonly string[]).includes(t))).toEqual([]);
		expect(ofMine(coreList.body)).toContain('referral.withdrawn');
		expect(ofMine(fullList.body)).toContain('checkin.completed');
		expect(ofMine(fullList.body)).toContain('wellbeing.concern_raised');
	});
});
