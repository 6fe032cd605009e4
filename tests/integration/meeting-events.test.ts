/**
 * The five meeting.* events reach case systems: by signed webhook (a real receiver verifying with the
 * standardwebhooks library) and through the pull API, each once, in order, each valid against the
 * published payload schema. Events are appended as booking and the specialists' pages do, through
 * appendMeetingEvent.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as eventsGET } from '../../src/routes/api/v1/events/+server';
import { GET as openapiGET } from '../../src/routes/api/v1/openapi.json/+server';
import { createApiKey } from '../../src/lib/server/api/keys';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { event, meeting, participant, venue, webhookSubscription, type MeetingRow, type Referral } from '../../src/lib/server/db/schema';
import { eventPayloadJsonSchema, eventPayloadSchema, MEETING_WEBHOOK_EVENT_TYPES, type EventPayload } from '../../src/lib/server/events/payload';
import { appendMeetingEvent, type MeetingActor, type MeetingEventType } from '../../src/lib/server/meetings/events';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription, disableSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { countById, orderViolations, startReceiver, type Receiver } from '../support/webhook-receiver';
import { aReferral } from '../support/factories';

// The receiver listens on 127.0.0.1 over plain http: allowed for local testing only. Set before getConfig().
process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const PRIMARY = 'gm-ips-primary-care';
const ORIGIN = 'http://portal.test';
const MINUTE = 60_000;
const RETRY = { retryBaseMs: 1000, retryMaxMs: 8000, random: () => 1, timeoutMs: 3000 };

let receiver: Receiver;
let subscription: { id: string; secret: string };
let apiKey: string;
let specialist: { id: string; name: string; email: string };
let place: { id: string; name: string; address: string; postcode: string };
let r: Referral;
/** What the test appended, in order: [type, meeting id, status, version]. */
const appended: { type: MeetingEventType; eventId: string; meetingId: string; status: string; version: number }[] = [];

/** Changes the meeting and appends its event in one transaction, as the booking code does. */
async function change(
	id: string,
	type: MeetingEventType,
	set: Partial<typeof meeting.$inferInsert>,
	extra: { first: boolean; actor: MeetingActor; previous?: { startsAt: string; endsAt: string; staffId: string } | null; reason?: string | null }
): Promise<MeetingRow> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.update(meeting).set({ ...set, updatedAt: new Date() }).where(eq(meeting.id, id)).returning();
		const ev = await appendMeetingEvent(tx, type, row, extra);
		appended.push({ type, eventId: ev.eventId, meetingId: row.id, status: row.status, version: row.version });
		return row;
	});
}

async function book(start: Date, fields: Partial<typeof meeting.$inferInsert>, first: boolean): Promise<MeetingRow> {
	const db = await getDb();
	const [p] = await db.select().from(participant).where(eq(participant.referralId, r.id));
	const [row] = await db
		.insert(meeting)
		.values({ referralId: r.id, participantId: p.id, programmeId: r.programmeId, staffId: specialist.id, startsAt: start, endsAt: new Date(start.getTime() + 45 * MINUTE), mode: 'phone', ...fields })
		.returning();
	return change(row.id, 'meeting.booked', {}, { first, actor: { kind: 'participant' } });
}

type Handler = (event: never) => Response | Promise<Response>;
async function call(handler: Handler, path: string, key: string | null) {
	const url = new URL(path, ORIGIN);
	const headers = new Headers(key ? { authorization: `Bearer ${key}` } : {});
	const response = await handler({ request: new Request(url, { headers }), url, params: {}, getClientAddress: () => '192.0.2.10' } as never);
	return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
	await seedProgrammes();
	const db = await getDb();
	const suffix = randomUUID().slice(0, 8);
	const { staff: made } = await createStaff({ email: `meet-${suffix}@example.org`, name: `Morgan Meetings ${suffix}`, role: 'specialist', programmeIds: [PRIMARY], practices: [], password: 'a long enough password for tests' });
	specialist = { id: made.id, name: made.name, email: made.email };
	[place] = await db.insert(venue).values({ name: `Town Hall ${suffix}`, address: '2 Albert Square, Manchester', postcode: 'M2 5DB' }).returning({ id: venue.id, name: venue.name, address: venue.address, postcode: venue.postcode });
	// A cancellation's reason is free text, so it travels only with the health scope (events/minimise.ts).
	const key = await createApiKey({ name: `Meetings ${suffix}`, programmeIds: [PRIMARY], dataScopes: ['health'] });
	if (!key.ok) throw new Error('key should be made');
	apiKey = key.key;
	// On a shared PostgreSQL database, subscriptions left by earlier runs must not take deliveries' turns.
	await db.update(webhookSubscription).set({ disabledAt: new Date() }).where(isNull(webhookSubscription.disabledAt));
	receiver = await startReceiver(() => subscription.secret);
	const created = await createSubscription({ url: receiver.url, eventTypes: [...MEETING_WEBHOOK_EVENT_TYPES], programmeIds: [PRIMARY], dataScopes: ['health'] }, COMMAND_LINE);
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	subscription = { id: created.subscription.id, secret: created.secret };

	r = await aReferral();
	const start = new Date(Date.UTC(2027, 2, 29, 9)); // Monday 29 March 2027, 10:00am BST
	// The first meeting: booked in person, moved to the next day by phone, then cancelled by staff.
	const a = await book(start, { mode: 'in-person', venueId: place.id }, true);
	const moved = new Date(start.getTime() + 24 * 60 * MINUTE);
	await change(a.id, 'meeting.rescheduled', { version: 2, startsAt: moved, endsAt: new Date(moved.getTime() + 45 * MINUTE), mode: 'phone', venueId: null }, {
		first: true,
		actor: { kind: 'participant' },
		previous: { startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), staffId: a.staffId }
	});
	await change(a.id, 'meeting.cancelled', { status: 'cancelled', cancelledAt: new Date(), cancelledBy: 'staff', cancelReason: 'Specialist ill' }, {
		first: true,
		actor: { kind: 'staff', staffId: specialist.id },
		reason: 'Specialist ill'
	});
	// Two later meetings: one attended, one missed (marked by the specialist).
	const b = await book(new Date(start.getTime() + 7 * 24 * 60 * MINUTE), { mode: 'video' }, false);
	await change(b.id, 'meeting.attended', { status: 'attended', outcomeAt: new Date(), outcomeStaffId: specialist.id }, { first: false, actor: { kind: 'staff', staffId: specialist.id } });
	const c = await book(new Date(start.getTime() + 14 * 24 * 60 * MINUTE), {}, false);
	await change(c.id, 'meeting.missed', { status: 'missed', outcomeAt: new Date(), outcomeStaffId: specialist.id }, { first: false, actor: { kind: 'staff', staffId: specialist.id } });
}, 60_000);

afterAll(async () => {
	if (subscription) await disableSubscription(subscription.id, null);
	await receiver?.close();
});

const EXPECTED_TYPES = ['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled', 'meeting.booked', 'meeting.attended', 'meeting.booked', 'meeting.missed'];

/** Checks one person's meeting events, as a case system receives them. */
function checkPayloads(bodies: EventPayload[]) {
	expect(bodies.map((b) => b.type)).toEqual(EXPECTED_TYPES);
	expect(bodies.map((b) => b.id)).toEqual(appended.map((a) => a.eventId));
	const sequences = bodies.map((b) => b.data.sequence);
	expect([...sequences].sort((x, y) => x - y)).toEqual(sequences);
	for (const body of bodies) {
		const parsed = eventPayloadSchema.safeParse(body);
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
		expect(body.data.reference).toBe(r.reference);
		expect(body.data.person?.givenName).toBe('Sam');
	}
	const meetings = bodies.map((b) => ('meeting' in b.data ? b.data.meeting : null));
	const [booked, rescheduled, cancelled, , attended, , missed] = meetings;
	expect(booked).toEqual({
		id: appended[0].meetingId,
		version: 1,
		startsAt: '2027-03-29T09:00:00.000Z',
		endsAt: '2027-03-29T09:45:00.000Z',
		mode: 'in-person',
		venue: place,
		specialist,
		status: 'booked',
		previous: null,
		reason: null,
		first: true
	});
	expect(rescheduled).toMatchObject({
		id: appended[0].meetingId,
		version: 2,
		startsAt: '2027-03-30T09:00:00.000Z',
		mode: 'phone',
		venue: null,
		previous: { startsAt: '2027-03-29T09:00:00.000Z', endsAt: '2027-03-29T09:45:00.000Z' }
	});
	expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'Specialist ill', version: 2 });
	expect(attended).toMatchObject({ status: 'attended', mode: 'video', first: false });
	expect(missed).toMatchObject({ status: 'missed', mode: 'phone' });
	const changes = bodies.map((b) => ('change' in b.data ? b.data.change : null));
	expect(changes[0]).toMatchObject({ by: 'participant', byStaffId: null });
	expect(changes[2]).toMatchObject({ by: 'staff', byStaffId: specialist.id });
}

describe('meeting events to case systems', () => {
	it('are in the published JSON Schema and the OpenAPI document', async () => {
		const schema = JSON.stringify(eventPayloadJsonSchema(ORIGIN));
		for (const type of MEETING_WEBHOOK_EVENT_TYPES) expect(schema).toContain(`"${type}"`);
		const openapi = await call(openapiGET as Handler, '/api/v1/openapi.json', null);
		expect(JSON.stringify(openapi.body)).toContain('"meeting.missed"');
	});

	it('reach a webhook receiver once each, in order, signed and valid', async () => {
		await runWebhooksOnce(RETRY);
		expect(receiver.rejected).toEqual([]);
		const mine = receiver.accepted().filter((x) => x.body.data.reference === r.reference);
		expect(countById(mine).duplicates).toBe(0);
		expect(orderViolations(mine)).toEqual([]);
		checkPayloads(mine.map((x) => x.body as unknown as EventPayload));
		// Nothing more on a second pass.
		await runWebhooksOnce(RETRY);
		expect(receiver.accepted().filter((x) => x.body.data.reference === r.reference)).toHaveLength(EXPECTED_TYPES.length);
	});

	it('come through the pull API once each, in order, page by page', async () => {
		const types = MEETING_WEBHOOK_EVENT_TYPES.join(',');
		const seen: EventPayload[] = [];
		let cursor: string | null = null;
		for (let pages = 0; pages < 1000; pages++) {
			const page = await call(eventsGET as Handler, `/api/v1/events?limit=2&type=${types}${cursor ? `&after=${cursor}` : ''}`, apiKey);
			expect(page.status).toBe(200);
			seen.push(...(page.body.data as EventPayload[]));
			cursor = page.body.next_cursor;
			if (!page.body.has_more) break;
		}
		expect(seen.every((e) => e.type.startsWith('meeting.'))).toBe(true);
		checkPayloads(seen.filter((e) => e.data.reference === r.reference));
		// The cursor at the end gives nothing more.
		const after = await call(eventsGET as Handler, `/api/v1/events?type=${types}&after=${cursor}`, apiKey);
		expect(after.body.data.filter((e: EventPayload) => e.data.reference === r.reference)).toEqual([]);
		// And the event log holds exactly these meeting events for the person.
		const db = await getDb();
		const logged = await db.select({ type: event.type }).from(event).where(and(eq(event.referralId, r.id))).orderBy(event.id);
		expect(logged.map((e) => e.type).filter((t) => t.startsWith('meeting.'))).toEqual(EXPECTED_TYPES);
	});
});
