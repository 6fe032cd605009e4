/**
 * checkin.completed and wellbeing.concern_raised reach case systems: by signed webhook (a real receiver
 * verifying with the standardwebhooks library) and through the pull API, each once and valid against the
 * published payload schema. Scores travel in the event only when the programme allowed health data in
 * events at the moment the event was appended; otherwise the event links to GET /api/v1/check-ins/{id},
 * which gives the scores to a key of that programme and 404 to any other. Never answers, never PHQ-9 item 9.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as checkInGET } from '../../src/routes/api/v1/check-ins/[id]/+server';
import { GET as concernGET } from '../../src/routes/api/v1/concerns/[id]/+server';
import { GET as eventsGET } from '../../src/routes/api/v1/events/+server';
import { GET as openapiGET } from '../../src/routes/api/v1/openapi.json/+server';
import { GET as schemaGET } from '../../src/routes/api/v1/schema/events.json/+server';
import { DIALOG_AREAS, INSTRUMENTS, type AreaAnswer } from '../../src/lib/domain/measures';
import { createApiKey } from '../../src/lib/server/api/keys';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { getDb } from '../../src/lib/server/db';
import { auditLog, checkIn, event, participant, programme, webhookSubscription, type CheckInRow } from '../../src/lib/server/db/schema';
import { appendEvent } from '../../src/lib/server/events/log';
import { eventPayloadJsonSchema, eventPayloadSchema, MEASURE_WEBHOOK_EVENT_TYPES, type EventPayload } from '../../src/lib/server/events/payload';
import { completeDialog, saveAreaAnswer, type CheckInOwner } from '../../src/lib/server/measures/check-ins';
import { insertConcern } from '../../src/lib/server/measures/concerns';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription, disableSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { countById, startReceiver, type Receiver } from '../support/webhook-receiver';
import { aParticipant } from '../support/factories';

// The receiver listens on 127.0.0.1 over plain http: allowed for local testing only. Set before getConfig().
process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const ORIGIN = 'http://portal.test';
const RETRY = { retryBaseMs: 1000, retryMaxMs: 8000, random: () => 1, timeoutMs: 3000 };
const SUFFIX = randomUUID().slice(0, 8);
const REASON = 'DIALOG overall score fell by 2.0 since 3 March';
// PHQ-9 answers with item 9 above 0: total 14, band moderate, item 9 alert in the stored result.
const PHQ9_ANSWERS = [2, 2, 1, 2, 1, 2, 1, 1, 2];

let receiver: Receiver;
let subscription: { id: string; secret: string };
let primaryKey: string;
let secondaryKey: string;
let owner: CheckInOwner;
let reference: string;
let savedMeasures: unknown;
/** The check-ins made, and whether the programme allowed health data in events when each was appended. */
const made: { row: CheckInRow; healthData: boolean }[] = [];
let concernId: string;

async function allowHealthData(allowed: boolean) {
	const db = await getDb();
	const [row] = await db.select({ measures: programme.measures }).from(programme).where(eq(programme.id, PRIMARY));
	await db
		.update(programme)
		.set({ measures: { ...(row.measures ?? {}), healthDataInEvents: allowed } })
		.where(eq(programme.id, PRIMARY));
}

/** A DIALOG+ check-in as the participant pages make one: every area rated, then completed. */
async function dialogCheckIn(ratings: (number | null)[], at: Date): Promise<CheckInRow> {
	for (const area of DIALOG_AREAS) {
		const rating = ratings[area.index];
		const answer: AreaAnswer = rating === null ? { rating: null, moreHelp: null } : { rating, moreHelp: false };
		await saveAreaAnswer(owner, area.key, answer);
	}
	const row = await completeDialog(owner, at);
	if (!row) throw new Error('the check-in should complete');
	return row;
}

/** A questionnaire check-in as the wellbeing pages store one: the registry's result, then the event, in one transaction. */
async function questionnaireCheckIn(instrument: 'phq9' | 'ons4' | 'swemwbs', answers: number[], at: Date, pointId: string | null): Promise<CheckInRow> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(checkIn)
			.values({
				participantId: owner.id,
				referralId: owner.referralId,
				programmeId: owner.programmeId,
				instrument,
				answers: { answers },
				result: INSTRUMENTS[instrument].score(answers) as unknown as Record<string, unknown>,
				pointId,
				completedAt: at
			})
			.returning();
		await appendEvent(tx, {
			type: 'checkin.completed',
			referralId: owner.referralId,
			programmeId: owner.programmeId,
			payload: { checkInId: row.id, instrument, completedAt: at.toISOString() }
		});
		return row;
	});
}

type Handler = (event: never) => Response | Promise<Response>;
async function call(handler: Handler, path: string, key: string | null, params: Record<string, string> = {}) {
	const url = new URL(path, ORIGIN);
	const headers = new Headers(key ? { authorization: `Bearer ${key}` } : {});
	const response = await handler({ request: new Request(url, { headers }), url, params, getClientAddress: () => '192.0.2.11' } as never);
	return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
	await seedProgrammes();
	const db = await getDb();
	const [row] = await db.select({ measures: programme.measures }).from(programme).where(eq(programme.id, PRIMARY));
	savedMeasures = row.measures;
	const a = await createApiKey({ name: `Wellbeing ${SUFFIX}`, programmeIds: [PRIMARY], dataScopes: ['health', 'equality'] });
	const b = await createApiKey({ name: `Other programme ${SUFFIX}`, programmeIds: [SECONDARY], dataScopes: ['health'] });
	if (!a.ok || !b.ok) throw new Error('keys should be made');
	primaryKey = a.key;
	secondaryKey = b.key;
	// On a shared PostgreSQL database, subscriptions left by earlier runs must not take deliveries' turns.
	await db.update(webhookSubscription).set({ disabledAt: new Date() }).where(isNull(webhookSubscription.disabledAt));
	receiver = await startReceiver(() => subscription.secret);
	const created = await createSubscription({ url: receiver.url, eventTypes: [...MEASURE_WEBHOOK_EVENT_TYPES], programmeIds: [PRIMARY], dataScopes: ['health', 'equality'] }, COMMAND_LINE);
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	subscription = { id: created.subscription.id, secret: created.secret };

	const p = await aParticipant({ answers: { email: `wellbeing-events-${SUFFIX}@example.com` } });
	owner = p;
	reference = p.reference;
	expect(owner.programmeId).toBe(PRIMARY);
	// Health data kept out of events: DIALOG+ and PHQ-9 are sent with a link.
	await allowHealthData(false);
	made.push({ row: await dialogCheckIn([3, 4, 5, 2, null, 6, 4, 5, 6, 6, 7], new Date('2027-03-29T10:12:00Z')), healthData: false });
	made.push({ row: await questionnaireCheckIn('phq9', PHQ9_ANSWERS, new Date('2027-03-29T10:20:00Z'), 'start'), healthData: false });
	// Allowed: the scores travel in the event.
	await allowHealthData(true);
	made.push({ row: await dialogCheckIn([5, 5, 5, 5, 5, 5, 5, 5, null, 4, 4], new Date('2027-06-29T10:12:00Z')), healthData: true });
	made.push({ row: await questionnaireCheckIn('phq9', PHQ9_ANSWERS, new Date('2027-06-29T10:20:00Z'), 'end'), healthData: true });
	made.push({ row: await questionnaireCheckIn('ons4', [7, 8, 6, 3], new Date('2027-06-29T10:25:00Z'), 'end'), healthData: true });
	made.push({ row: await questionnaireCheckIn('swemwbs', [3, 3, 3, 3, 3, 3, 3], new Date('2027-06-29T10:30:00Z'), 'end'), healthData: true });
	// A concern, raised as the concern rules do: with reasons for the specialist, none in the event.
	const concern = await db.transaction((tx) =>
		insertConcern(tx, { key: `${made[3].row.id}:crisis`, kind: 'crisis', owner, checkInId: made[3].row.id, reasons: [REASON] }, new Date('2027-06-29T10:21:00Z'))
	);
	if (!concern) throw new Error('the concern should be raised');
	concernId = concern.id;
	// Later changes to the setting do not alter what was sent: the bodies were fixed when appended.
	await allowHealthData(false);
}, 60_000);

afterAll(async () => {
	if (subscription) await disableSubscription(subscription.id, null);
	await receiver?.close();
	const db = await getDb();
	await db.update(programme).set({ measures: (savedMeasures ?? null) as never }).where(eq(programme.id, PRIMARY));
});

const EXPECTED_TYPES = [...Array(6).fill('checkin.completed'), 'wellbeing.concern_raised'];

/** Checks the person's wellbeing events, as a case system receives them. */
function checkPayloads(bodies: EventPayload[]) {
	expect(bodies.map((b) => b.type)).toEqual(EXPECTED_TYPES);
	for (const body of bodies) {
		const parsed = eventPayloadSchema.safeParse(body);
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
		expect(body.data.reference).toBe(reference);
		expect(body.data.programme.id).toBe(PRIMARY);
		const text = JSON.stringify(body);
		// Never an answer list, never the PHQ-9 item 9 alert, never the specialist's reasons.
		expect(text).not.toContain('item9');
		expect(text).not.toContain('ratings');
		expect(text).not.toContain(REASON);
		expect(text).not.toContain('reasons');
	}
	const checkIns = bodies.flatMap((b) => (b.type === 'checkin.completed' ? [b.data.checkIn] : []));
	expect(checkIns.map((c) => c.id)).toEqual(made.map((m) => m.row.id));
	const [dialogOff, phqOff, dialogOn, phqOn, onsOn, swemwbsOn] = checkIns;
	expect(dialogOff).toEqual({ id: made[0].row.id, instrument: 'dialog', pointId: made[0].row.pointId, completedAt: '2027-03-29T10:12:00.000Z', href: `/api/v1/check-ins/${made[0].row.id}` });
	expect(phqOff).toEqual({ id: made[1].row.id, instrument: 'phq9', pointId: 'start', completedAt: '2027-03-29T10:20:00.000Z', href: `/api/v1/check-ins/${made[1].row.id}` });
	for (const off of [dialogOff, phqOff]) expect(off).not.toHaveProperty('scores');
	// DIALOG: life areas all 5; treatment -,4,4.
	expect(dialogOn).toEqual({
		id: made[2].row.id,
		instrument: 'dialog',
		pointId: made[2].row.pointId,
		completedAt: '2027-06-29T10:12:00.000Z',
		scores: { instrument: 'dialog', lifeMean: 5, treatmentMean: 4, lifeAnswered: 8, treatmentAnswered: 2 }
	});
	expect(phqOn).toEqual({ id: made[3].row.id, instrument: 'phq9', pointId: 'end', completedAt: '2027-06-29T10:20:00.000Z', scores: { instrument: 'phq9', total: 14, band: 'moderate' } });
	expect(onsOn).toMatchObject({ scores: { instrument: 'ons4', values: [7, 8, 6, 3], bands: ['high', 'high', 'medium', 'low'] } });
	expect(swemwbsOn).toMatchObject({ scores: { instrument: 'swemwbs', raw: 21, metric: 19.25 } });
	for (const on of [dialogOn, phqOn, onsOn, swemwbsOn]) expect(on).not.toHaveProperty('href');
	const concern = bodies.find((b) => b.type === 'wellbeing.concern_raised');
	expect(concern?.type === 'wellbeing.concern_raised' && concern.data.concern).toEqual({
		id: concernId,
		kind: 'crisis',
		checkInId: made[3].row.id,
		raisedAt: '2027-06-29T10:21:00.000Z',
		href: `/api/v1/concerns/${concernId}`
	});
}

describe('check-in and wellbeing events to case systems', () => {
	it('are in the published JSON Schema, labelled, and in the OpenAPI document with the check-in and concern endpoints', async () => {
		const schema = JSON.stringify(eventPayloadJsonSchema(ORIGIN));
		for (const type of MEASURE_WEBHOOK_EVENT_TYPES) expect(schema).toContain(`"${type}"`);
		const served = await call(schemaGET as Handler, '/api/v1/schema/events.json', null);
		expect(served.status).toBe(200);
		const text = JSON.stringify(served.body);
		for (const needle of ['"checkIn"', '"scores"', '"href"', '"lifeMean"', '"metric"', '"bands"', '"concern"']) expect(text).toContain(needle);
		expect(text).not.toContain('item9');
		const openapi = await call(openapiGET as Handler, '/api/v1/openapi.json', null);
		expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/check-ins/{id}', '/concerns/{id}']));
		expect(openapi.body.paths['/events'].get.parameters[2].schema.items.enum).toEqual(expect.arrayContaining([...MEASURE_WEBHOOK_EVENT_TYPES]));
	});

	it('reach a webhook receiver once each, signed and valid, with scores only where the programme allowed them', async () => {
		await runWebhooksOnce(RETRY);
		expect(receiver.rejected).toEqual([]);
		const mine = receiver.accepted().filter((x) => x.body.data.reference === reference);
		expect(countById(mine).duplicates).toBe(0);
		checkPayloads(mine.map((x) => x.body as unknown as EventPayload));
		await runWebhooksOnce(RETRY);
		expect(receiver.accepted().filter((x) => x.body.data.reference === reference)).toHaveLength(EXPECTED_TYPES.length);
	});

	it('come through the pull API events page, byte for byte as sent', async () => {
		const page = await call(eventsGET as Handler, '/api/v1/events?limit=500&type=checkin.completed,wellbeing.concern_raised', primaryKey);
		expect(page.status).toBe(200);
		const seen = (page.body.data as EventPayload[]).filter((e) => e.data.reference === reference);
		checkPayloads(seen);
		const sent = new Map(receiver.accepted().map((x) => [x.body.id, x.raw]));
		for (const e of seen) expect(JSON.stringify(e)).toBe(sent.get(e.id));
		// Another programme's key sees none of them.
		const other = await call(eventsGET as Handler, '/api/v1/events?limit=500&type=checkin.completed,wellbeing.concern_raised', secondaryKey);
		expect(other.status).toBe(200);
		expect((other.body.data as EventPayload[]).filter((e) => e.data.reference === reference)).toEqual([]);
	});

	it('GET /api/v1/check-ins/{id} gives the scores to a key of the programme, whatever the setting, audited; 404 to another programme', async () => {
		// DIALOG: life areas 3,4,5,2,-,6,4,5 -> 29/7 = 4.14; treatment 6,6,7 -> 6.33.
		// The setting is off now; the key of the programme still gets the scores (it governs what is pushed).
		// A key of the programme not given health details: 403 forbidden_data, not the scores.
		const coreOnly = await createApiKey({ name: `Core only ${SUFFIX}`, programmeIds: [PRIMARY] });
		if (!coreOnly.ok) throw new Error('key');
		const refused = await call(checkInGET as Handler, `/api/v1/check-ins/${made[0].row.id}`, coreOnly.key, { id: made[0].row.id });
		expect(refused.status).toBe(403);
		expect(refused.body.error.code).toBe('forbidden_data');
		// The same for an id that does not exist: the answer does not tell which ids exist.
		const missingId = randomUUID();
		const refusedMissing = await call(checkInGET as Handler, `/api/v1/check-ins/${missingId}`, coreOnly.key, { id: missingId });
		expect(refusedMissing).toEqual(refused);
		const refusedConcern = await call(concernGET as Handler, `/api/v1/concerns/${missingId}`, coreOnly.key, { id: missingId });
		expect(refusedConcern.status).toBe(403);
		expect(refusedConcern.body.error.code).toBe('forbidden_data');
		const dialogRead = await call(checkInGET as Handler, `/api/v1/check-ins/${made[0].row.id}`, primaryKey, { id: made[0].row.id });
		expect(dialogRead.status).toBe(200);
		expect(dialogRead.body).toEqual({
			data: {
				id: made[0].row.id,
				instrument: 'dialog',
				pointId: made[0].row.pointId,
				completedAt: '2027-03-29T10:12:00.000Z',
				reference,
				programme: { id: PRIMARY, name: expect.any(String) },
				scores: { instrument: 'dialog', lifeMean: 4.14, treatmentMean: 6.33, lifeAnswered: 7, treatmentAnswered: 3 }
			}
		});
		const phq = await call(checkInGET as Handler, `/api/v1/check-ins/${made[1].row.id}`, primaryKey, { id: made[1].row.id });
		expect(phq.status).toBe(200);
		expect(phq.body.data.scores).toEqual({ instrument: 'phq9', total: 14, band: 'moderate' });
		expect(JSON.stringify(phq.body)).not.toContain('item9');

		const other = await call(checkInGET as Handler, `/api/v1/check-ins/${made[1].row.id}`, secondaryKey, { id: made[1].row.id });
		const missing = await call(checkInGET as Handler, `/api/v1/check-ins/${randomUUID()}`, secondaryKey, { id: randomUUID() });
		const malformed = await call(checkInGET as Handler, '/api/v1/check-ins/nope', primaryKey, { id: 'nope' });
		for (const r of [other, missing, malformed]) {
			expect(r.status).toBe(404);
			expect(r.body).toEqual({ error: { code: 'not_found', message: 'No check-in has this id' } });
		}
		const noKey = await call(checkInGET as Handler, `/api/v1/check-ins/${made[1].row.id}`, null, { id: made[1].row.id });
		expect(noKey.status).toBe(401);

		const db = await getDb();
		const audits = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'check_in.viewed'), eq(auditLog.referralId, owner.referralId)));
		expect(audits.map((a) => a.detail.checkInId).sort()).toEqual([made[0].row.id, made[1].row.id].sort());
		expect(JSON.stringify(audits)).not.toContain('moderate');
	});

	it('GET /api/v1/concerns/{id} gives the concern and its reasons to a key of the programme, audited; 404 to another programme', async () => {
		const read = await call(concernGET as Handler, `/api/v1/concerns/${concernId}`, primaryKey, { id: concernId });
		expect(read.status).toBe(200);
		expect(read.body.data).toEqual({
			id: concernId,
			kind: 'crisis',
			checkInId: made[3].row.id,
			checkInHref: `/api/v1/check-ins/${made[3].row.id}`,
			raisedAt: '2027-06-29T10:21:00.000Z',
			acknowledgedAt: null,
			resolvedAt: null,
			resolution: null,
			reasons: [REASON],
			reference,
			programme: { id: PRIMARY, name: expect.any(String) }
		});
		const other = await call(concernGET as Handler, `/api/v1/concerns/${concernId}`, secondaryKey, { id: concernId });
		expect(other.status).toBe(404);
		expect(other.body.error.code).toBe('not_found');
		const db = await getDb();
		const audits = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'wellbeing_concern.viewed'), eq(auditLog.referralId, owner.referralId)));
		expect(audits).toHaveLength(1);
		expect(JSON.stringify(audits)).not.toContain(REASON);
	});

	it('keeps the event log\'s own payloads free of scores', async () => {
		const db = await getDb();
		const rows = await db
			.select()
			.from(event)
			.where(and(eq(event.referralId, owner.referralId), inArray(event.type, [...MEASURE_WEBHOOK_EVENT_TYPES])));
		expect(rows).toHaveLength(EXPECTED_TYPES.length);
		for (const r of rows) {
			expect(JSON.stringify(r.payload)).not.toMatch(/lifeMean|total|scores|reasons/);
			expect(r.body, 'the body was fixed when appended').not.toBeNull();
		}
	});
});
