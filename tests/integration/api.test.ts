/**
 * The pull API through its route handlers (the functions SvelteKit calls), on PGlite and PostgreSQL:
 * API keys, the event cursor under concurrent writes, reading a referral, status updates with
 * Idempotency-Key, and the CSV export.
 */
import { and, asc, count, eq, gt, inArray, max } from 'drizzle-orm';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as eventsGET } from '../../src/routes/api/v1/events/+server';
import { GET as referralGET } from '../../src/routes/api/v1/referrals/[reference]/+server';
import { POST as statusPOST } from '../../src/routes/api/v1/referrals/[reference]/status/+server';
import { GET as openapiGET } from '../../src/routes/api/v1/openapi.json/+server';
import { fallback as unknownApi } from '../../src/routes/api/v1/[...rest]/+server';
import { cursorKeyFor, encodeCursor as encodeFor } from '../../src/lib/server/api/events';
import { rateLimited } from '../../src/lib/server/api/errors';
import { createApiKey, listApiKeys, revokeApiKey } from '../../src/lib/server/api/keys';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getReferralForStaff } from '../../src/lib/server/casework';
import { getDb } from '../../src/lib/server/db';
import { apiKey, auditLog, event, idempotencyRecord, referral } from '../../src/lib/server/db/schema';
import { appendEvent } from '../../src/lib/server/events/log';
import { eventPayloadSchema } from '../../src/lib/server/events/payload';
import { csvCell, exportReferrals, EXPORT_COLUMNS } from '../../src/lib/server/export';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { REFERRAL_EVENT_VERSION } from '../../src/lib/server/referrals';
import { hashToken } from '../../src/lib/server/tokens';
import { ukDate } from '../../src/lib/domain/uk-time';
import { aReferral } from '../support/factories';

const PRIMARY = 'gm-ips-primary-care';

/** A cursor as the API hands it to the primary key. */
async function encodeCursor(lastId: number): Promise<string> {
	return encodeFor(lastId, await cursorKeyFor(primaryKeyId));
}
const SECONDARY = 'gm-ips-secondary-care';
const ORIGIN = 'http://portal.test';

let primaryKey: string;
let primaryKeyId: string;
let secondaryKey: string;
let lead: StaffUser;

// ---- calling the route handlers as SvelteKit does ------------------------------------------------------

type Handler = (event: never) => Response | Promise<Response>;

async function call(handler: Handler, path: string, init: RequestInit & { key?: string | null; params?: Record<string, string> } = {}) {
	const url = new URL(path, ORIGIN);
	const headers = new Headers(init.headers);
	if (init.key) headers.set('authorization', `Bearer ${init.key}`);
	const request = new Request(url, { ...init, headers });
	const response = await handler({ request, url, params: init.params ?? {}, getClientAddress: () => '192.0.2.10' } as never);
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
}

const getEvents = (query: string, key: string | null = primaryKey) => call(eventsGET as Handler, `/api/v1/events${query}`, { key });
const getReferral = (reference: string, key: string | null = primaryKey) =>
	call(referralGET as Handler, `/api/v1/referrals/${reference}`, { key, params: { reference } });
const postStatus = (reference: string, body: unknown, idempotencyKey: string | null, key: string | null = primaryKey) =>
	call(statusPOST as Handler, `/api/v1/referrals/${reference}/status`, {
		method: 'POST',
		key,
		params: { reference },
		headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});

function expectApiHeaders(headers: Headers) {
	expect(headers.get('content-type')).toMatch(/^application\/json/);
	expect(headers.get('cache-control')).toBe('no-store');
	expect(headers.get('set-cookie')).toBeNull();
}

async function eventsOf(referralId: string, type?: string) {
	const db = await getDb();
	return db
		.select()
		.from(event)
		.where(type ? and(eq(event.referralId, referralId), eq(event.type, type)) : eq(event.referralId, referralId))
		.orderBy(asc(event.id));
}

async function auditOf(referralId: string, action: string) {
	const db = await getDb();
	return db.select().from(auditLog).where(and(eq(auditLog.referralId, referralId), eq(auditLog.action, action))).orderBy(asc(auditLog.id));
}

async function maxEventId(): Promise<number> {
	const db = await getDb();
	const [row] = await db.select({ id: max(event.id) }).from(event);
	return Number(row?.id ?? 0);
}

beforeAll(async () => {
	await seedProgrammes();
	const a = await createApiKey({ name: 'Primary case system', programmeIds: [PRIMARY] });
	const b = await createApiKey({ name: 'Secondary case system', programmeIds: [SECONDARY] });
	if (!a.ok || !b.ok) throw new Error('keys should be created');
	primaryKey = a.key;
	primaryKeyId = a.apiKey.id;
	secondaryKey = b.key;
	const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
	const { staff } = await createStaff({ email: `lead-${suffix}@example.org`, name: `Lead ${suffix}`, role: 'team-lead', programmeIds: [PRIMARY], practices: [], password: 'a long enough password' });
	lead = { id: staff.id, email: staff.email, name: staff.name, role: 'team-lead', programmeIds: [PRIMARY] };
});

describe('API keys', () => {
	it('are shown once and stored only as a hash with a short prefix', async () => {
		expect(primaryKey).toMatch(/^ips_[a-z2-7]{32}$/);
		const db = await getDb();
		const [row] = await db.select().from(apiKey).where(eq(apiKey.id, primaryKeyId));
		expect(row.keyHash).toBe(hashToken(primaryKey));
		expect(row.prefix).toBe(primaryKey.slice(0, 12));
		expect(JSON.stringify(row)).not.toContain(primaryKey);
		expect(row.programmeIds).toEqual([PRIMARY]);
		const listed = (await listApiKeys()).find((k) => k.id === primaryKeyId)!;
		expect(JSON.stringify(listed)).not.toContain(primaryKey.slice(12));
		const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'api_key.created'));
		expect(JSON.stringify(audit.detail)).not.toContain(primaryKey.slice(12));
	});

	it('are refused for unknown programmes and blank names', async () => {
		expect(await createApiKey({ name: ' ', programmeIds: ['no-such-programme'] })).toMatchObject({ ok: false, errors: { name: expect.any(String), programmeIds: expect.stringMatching(/no-such-programme/) } });
		expect(await createApiKey({ name: 'x', programmeIds: [] })).toMatchObject({ ok: false, errors: { programmeIds: expect.any(String) } });
	});

	it('refuse a missing, wrong or revoked key with 401 and a JSON code', async () => {
		const none = await getEvents('', null);
		expect(none.status).toBe(401);
		expect(none.body.error.code).toBe('unauthorized');
		expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expectApiHeaders(none.headers);

		const basic = await call(eventsGET as Handler, '/api/v1/events', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
		expect(basic.body.error.code).toBe('unauthorized');

		for (const wrong of ['nonsense', `ips_${'a'.repeat(32)}`, `${primaryKey}x`]) {
			const res = await getEvents('', wrong);
			expect(res.status).toBe(401);
			expect(res.body).toEqual({ error: { code: 'invalid_key', message: expect.any(String) } });
			expectApiHeaders(res.headers);
		}

		const made = await createApiKey({ name: 'Short-lived', programmeIds: [PRIMARY] });
		if (!made.ok) throw new Error('key');
		expect((await getEvents('?limit=1', made.key)).status).toBe(200);
		expect(await revokeApiKey(made.apiKey.prefix)).toMatchObject({ ok: true });
		expect(await revokeApiKey(made.apiKey.prefix)).toEqual({ ok: false, reason: 'already-revoked' });
		expect(await revokeApiKey('ips_nothing-like-this')).toEqual({ ok: false, reason: 'not-found' });
		// A shorter prefix is not enough, so a typo cannot revoke the wrong key.
		expect(await revokeApiKey(primaryKey.slice(0, 8))).toEqual({ ok: false, reason: 'not-found' });
		expect((await getEvents('?limit=1')).status).toBe(200);
		const revoked = await getEvents('?limit=1', made.key);
		expect(revoked.status).toBe(401);
		expect(revoked.body.error.code).toBe('revoked_key');
		const db = await getDb();
		expect((await db.select().from(auditLog).where(eq(auditLog.action, 'api_key.revoked'))).length).toBeGreaterThan(0);
	});

	it('record when a key was last used', async () => {
		const db = await getDb();
		await getEvents('?limit=1');
		const [row] = await db.select().from(apiKey).where(eq(apiKey.id, primaryKeyId));
		expect(row.lastUsedAt).toBeInstanceOf(Date);
	});

	it('answer another programme’s referral exactly as an unknown one (404), and refuse its programme filter with 403', async () => {
		const r = await aReferral();
		expect(r.programmeId).toBe(PRIMARY);
		const read = await getReferral(r.reference, secondaryKey);
		const unknown = await getReferral('XXXX-XXXX', secondaryKey);
		expect(read.status).toBe(404);
		expect(read.body.error.code).toBe('not_found');
		expect(read.text).toBe(unknown.text);
		expect(read.text).not.toContain(r.givenName);
		const change = await postStatus(r.reference, { status: 'contacted' }, crypto.randomUUID(), secondaryKey);
		const changeUnknown = await postStatus('XXXX-XXXX', { status: 'contacted' }, crypto.randomUUID(), secondaryKey);
		expect(change.status).toBe(404);
		expect(change.body.error.code).toBe('not_found');
		expect(change.text).toBe(changeUnknown.text);
		expect((await eventsOf(r.id, 'referral.status_changed')).length).toBe(0);
		const filtered = await getEvents(`?programme=${PRIMARY}`, secondaryKey);
		expect(filtered.status).toBe(403);
		expect(filtered.body.error.code).toBe('forbidden_programme');
		// And the secondary key's feed has none of the primary programme's events.
		const feed = await getEvents('?limit=500', secondaryKey);
		expect(feed.body.data.every((e: { data: { programme: { id: string } } }) => e.data.programme.id === SECONDARY)).toBe(true);
	});

	it('limit requests per key with 429 rate_limited', async () => {
		const key = `test-${crypto.randomUUID()}`;
		expect(await rateLimited(key, { limit: 1, windowSeconds: 60 })).toBeNull();
		const limited = (await rateLimited(key, { limit: 1, windowSeconds: 60 }))!;
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('60');
		expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
	});
});

describe('GET /api/v1/events', () => {
	it('returns the webhook payload of each event with a cursor', async () => {
		const start = await encodeCursor(await maxEventId());
		const r = await aReferral();
		const page = await getEvents(`?after=${start}`);
		expect(page.status).toBe(200);
		expectApiHeaders(page.headers);
		expect(page.body.has_more).toBe(false);
		expect(page.body.data).toHaveLength(1);
		const [first] = page.body.data;
		expect(eventPayloadSchema.safeParse(first).success).toBe(true);
		expect(first).toMatchObject({ type: 'referral.submitted', data: { reference: r.reference, programme: { id: PRIMARY } } });
		expect(page.body.next_cursor).toBe(await encodeCursor(first.data.sequence));
		// Nothing new: the same cursor comes back, to ask again later.
		const again = await getEvents(`?after=${page.body.next_cursor}`);
		expect(again.body).toEqual({ data: [], next_cursor: page.body.next_cursor, has_more: false });
		// Filter by type.
		const typed = await getEvents(`?after=${start}&type=referral.status_changed`);
		expect(typed.body.data).toEqual([]);
	});

	it('refuses a bad cursor and a bad limit or type', async () => {
		for (const bad of ['nonsense', '12', (await encodeCursor(1)).slice(0, -1) + '!']) {
			const res = await getEvents(`?after=${encodeURIComponent(bad)}`);
			expect(res.status).toBe(400);
			expect(res.body.error.code).toBe('invalid_cursor');
		}
		// Forged: correctly signed but beyond the newest event; and a real cursor used with another key.
		const beyond = await getEvents(`?after=${await encodeCursor((await maxEventId()) + 1000)}`);
		expect(beyond.status).toBe(400);
		expect(beyond.body.error.code).toBe('invalid_cursor');
		const handedOut = (await getEvents('?limit=1')).body.next_cursor;
		expect((await getEvents(`?after=${handedOut}`)).status).toBe(200);
		const otherKey = await getEvents(`?after=${handedOut}`, secondaryKey);
		expect(otherKey.status).toBe(400);
		expect(otherKey.body.error.code).toBe('invalid_cursor');
		for (const q of ['?limit=0', '?limit=501', '?limit=ten', '?type=referral.deleted']) {
			const res = await getEvents(q);
			expect(res.status, q).toBe(400);
			expect(res.body.error.code).toBe('invalid_request');
			expect(res.body.error.details[0]).toMatchObject({ field: expect.any(String), message: expect.any(String) });
		}
	});

	it('returns every event exactly once across pages while new events are being written', async () => {
		const primaryReferral = await aReferral();
		const secondaryReferral = await aReferral({ answers: { circumstances: ['secondary-care'] } });
		expect(secondaryReferral.programmeId).toBe(SECONDARY);
		const startId = await maxEventId();
		const db = await getDb();

		// Writers: several at once, each appending in its own transaction with a little work before the event.
		let writing = true;
		const WRITERS = 4;
		const PER_WRITER = 40;
		const writers = Array.from({ length: WRITERS }, async (_, w) => {
			for (let i = 0; i < PER_WRITER; i++) {
				const target = (i + w) % 3 === 0 ? secondaryReferral : primaryReferral;
				await db.transaction(async (tx) => {
					await tx.select({ id: referral.id }).from(referral).where(eq(referral.id, target.id));
					await appendEvent(tx, {
						type: 'referral.assigned',
						referralId: target.id,
						programmeId: target.programmeId,
						payload: { version: REFERRAL_EVENT_VERSION, reference: target.reference, programmeId: target.programmeId, from: null, to: null, how: 'returned', byStaffId: null, at: new Date().toISOString() }
					});
					// A commit that takes a moment: without the event-order lock, a later id could commit first and a page skip this one.
					await new Promise((r) => setTimeout(r, Math.random() * 3));
				});
				if (i % 5 === 0) await new Promise((r) => setTimeout(r, 1));
			}
		});
		const done = Promise.all(writers).finally(() => (writing = false));

		// Reader: pages of 7 from the start while the writers run, then until nothing is left.
		const seen: number[] = [];
		const seenIds: string[] = [];
		let cursor = await encodeCursor(startId);
		let pages = 0;
		for (;;) {
			const stillWriting = writing;
			const page = await getEvents(`?after=${cursor}&limit=7`);
			expect(page.status).toBe(200);
			pages++;
			for (const e of page.body.data) {
				seen.push(e.data.sequence);
				seenIds.push(e.id);
				expect(e.data.programme.id).toBe(PRIMARY);
			}
			cursor = page.body.next_cursor;
			if (!page.body.has_more && !stillWriting) break;
			if (!page.body.has_more) await new Promise((r) => setTimeout(r, 2));
		}
		await done;

		const expected = await db
			.select({ id: event.id, eventId: event.eventId })
			.from(event)
			.where(and(gt(event.id, startId), inArray(event.programmeId, [PRIMARY])))
			.orderBy(asc(event.id));
		const primaryWrites = Array.from({ length: WRITERS }, (_, w) => Array.from({ length: PER_WRITER }, (_, i) => (i + w) % 3 !== 0).filter(Boolean).length).reduce((a, b) => a + b, 0);
		expect(expected.length).toBe(primaryWrites);
		expect(pages).toBeGreaterThan(3);
		expect(new Set(seen).size).toBe(seen.length); // no duplicates
		expect(seen).toEqual(expected.map((e) => e.id)); // no gaps, in order
		expect(seenIds).toEqual(expected.map((e) => e.eventId));
	});
});

describe('GET /api/v1/referrals/<reference>', () => {
	it('returns the referral with answers, consents and their versions, contact preferences, source and status', async () => {
		const r = await aReferral({ answers: { givenName: 'Alex' } });
		const res = await getReferral(r.reference.toLowerCase().replace('-', ''));
		expect(res.status).toBe(200);
		expectApiHeaders(res.headers);
		const data = res.body.data;
		expect(data).toMatchObject({
			reference: r.reference,
			programme: { id: PRIMARY },
			status: 'received',
			source: { code: 'leaflet', dwpCategory: expect.any(String) },
			person: { givenName: 'Alex', familyName: 'Taylor', dateOfBirth: '1985-06-15' },
			contactPreferences: { channels: ['phone', 'email'], postAllowed: false, messagesMayNameService: true }
		});
		expect(data.answers.postcode).toBe('M1 1AE');
		expect(data.consents).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'processing', given: true, version: 'processing-2026-11-v1' })]));
		expect(data.sequence).toBeUndefined();
		expect(data.change).toBeUndefined();
		const [viewed] = await auditOf(r.id, 'referral.viewed');
		expect(viewed).toMatchObject({ staffId: null, detail: { via: 'api', apiKeyId: primaryKeyId, apiKeyName: 'Primary case system' } });
	});

	it('is 404 not_found for a reference that does not exist', async () => {
		for (const ref of ['AAAA-AAAA', 'not-a-reference']) {
			const res = await getReferral(ref);
			expect(res.status).toBe(404);
			expect(res.body.error.code).toBe('not_found');
		}
	});
});

describe('POST /api/v1/referrals/<reference>/status', () => {
	it('is refused with 403 read_only_key for a read-only key, which can still read; nothing changes', async () => {
		const made = await createApiKey({ name: 'Read-only reporting', programmeIds: [PRIMARY], access: 'read-only' });
		if (!made.ok) throw new Error('key should be created');
		expect(made.apiKey.access).toBe('read-only');
		const r = await aReferral();
		expect((await getReferral(r.reference, made.key)).status).toBe(200);
		expect((await getEvents('?limit=1', made.key)).status).toBe(200);
		const res = await postStatus(r.reference, { status: 'contacted' }, `ro-${r.id}`, made.key);
		expect(res.status).toBe(403);
		expect(res.body.error.code).toBe('read_only_key');
		const db = await getDb();
		const [row] = await db.select().from(referral).where(eq(referral.id, r.id));
		expect(row.status).toBe('received');
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(0);
		// The same request with a read-write key of the programme is accepted (the refusal is about the key).
		expect((await postStatus(r.reference, { status: 'contacted' }, `rw-${r.id}`)).status).toBe(200);
	});

	it('changes the status with an audit row, one event and an entry in the staff history', async () => {
		const r = await aReferral();
		const key = crypto.randomUUID();
		const res = await postStatus(r.reference, { status: 'contacted', note: 'Spoke on the phone' }, key);
		expect(res.status).toBe(200);
		expectApiHeaders(res.headers);
		expect(res.headers.get('idempotent-replayed')).toBeNull();
		expect(res.body.data).toMatchObject({ reference: r.reference, status: 'contacted', previousStatus: 'received', closedReason: null });

		const db = await getDb();
		const [row] = await db.select().from(referral).where(eq(referral.id, r.id));
		expect(row.status).toBe('contacted');
		expect(row.firstContactAt).toBeInstanceOf(Date);
		const audits = await auditOf(r.id, 'referral.status_changed');
		expect(audits).toHaveLength(1);
		expect(audits[0]).toMatchObject({ staffId: null, detail: { from: 'received', to: 'contacted', apiKeyId: primaryKeyId, apiKeyName: 'Primary case system', note: 'Spoke on the phone' } });
		const events = await eventsOf(r.id, 'referral.status_changed');
		expect(events).toHaveLength(1);
		expect(events[0].payload).toMatchObject({ from: 'received', to: 'contacted', byStaffId: null, actor: { type: 'api-key', name: 'Primary case system' } });
		expect(JSON.stringify(events[0].payload)).not.toContain('Spoke on the phone');
		// The public body names the key as the actor, so the case system can recognise its own change.
		expect(JSON.parse(events[0].body!).data.actor).toEqual({ type: 'api-key', id: primaryKeyId, name: 'Primary case system' });
		// The event is the last one of the referral: appended last in the transaction.
		expect((await eventsOf(r.id)).at(-1)!.id).toBe(events[0].id);

		const view = await getReferralForStaff(lead, r.reference);
		expect(view.history.map((h) => h.title)).toContain('Status changed to Contacted');

		// The feed has it too.
		const feed = await getEvents(`?after=${await encodeCursor(events[0].id - 1)}&limit=1`);
		expect(feed.body.data[0]).toMatchObject({ type: 'referral.status_changed', data: { reference: r.reference, change: { from: 'received', to: 'contacted' } } });
	});

	it('refuses a note with a control character or a lone surrogate with 400 invalid_request, changing nothing', async () => {
		const r = await aReferral();
		for (const note of ['x\u0000', 'a\u0001b', 'bell\u0007', 'esc\u001b[0m', 'del\u007f', 'half \ud800 pair']) {
			const res = await postStatus(r.reference, { status: 'eligibility-confirmed', note }, crypto.randomUUID());
			expect(res.status, JSON.stringify(note)).toBe(400);
			expect(res.body.error.code).toBe('invalid_request');
			expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'note' })]);
		}
		// Sent as raw JSON escapes too (what a case system's JSON library writes).
		const raw = await postStatus(r.reference, '{"status":"eligibility-confirmed","note":"x\\u0000"}', crypto.randomUUID());
		expect(raw.status).toBe(400);
		expect(raw.body.error.code).toBe('invalid_request');
		const db = await getDb();
		const [row] = await db.select().from(referral).where(eq(referral.id, r.id));
		expect(row.status).toBe('received');
		expect(await auditOf(r.id, 'referral.status_changed')).toHaveLength(0);
		// Tab and line breaks are text, as in a form's textarea.
		expect((await postStatus(r.reference, { status: 'eligibility-confirmed', note: 'Line one\r\nLine\ttwo' }, crypto.randomUUID())).status).toBe(200);
	});

	it('refuses a programme filter with a control character with 400 invalid_request', async () => {
		const res = await getEvents(`?programme=${encodeURIComponent('x\u0000y')}`);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('invalid_request');
	});

	it('replays the same Idempotency-Key and body with the first response and changes nothing', async () => {
		const r = await aReferral();
		const key = crypto.randomUUID();
		const first = await postStatus(r.reference, { status: 'closed', reason: '003' }, key);
		expect(first.status).toBe(200);
		const db = await getDb();
		const [before] = await db.select().from(referral).where(eq(referral.id, r.id));
		const auditsBefore = (await auditOf(r.id, 'referral.status_changed')).length;

		const replay = await postStatus(r.reference, { reason: '003', status: 'closed' }, key);
		expect(replay.status).toBe(first.status);
		expect(replay.body).toEqual(first.body);
		expect(replay.text).toBe(first.text);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');

		const [after] = await db.select().from(referral).where(eq(referral.id, r.id));
		expect(after).toEqual(before);
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(1);
		expect(await auditOf(r.id, 'referral.status_changed')).toHaveLength(auditsBefore);
		const [{ n }] = await db.select({ n: count() }).from(idempotencyRecord).where(and(eq(idempotencyRecord.apiKeyId, primaryKeyId), eq(idempotencyRecord.key, key)));
		expect(Number(n)).toBe(1);
	});

	it('refuses the same Idempotency-Key with another body (422) and changes nothing', async () => {
		const r = await aReferral();
		const other = await aReferral();
		const key = crypto.randomUUID();
		expect((await postStatus(r.reference, { status: 'contacted' }, key)).status).toBe(200);
		const reused = await postStatus(r.reference, { status: 'started' }, key);
		expect(reused.status).toBe(422);
		expect(reused.body.error.code).toBe('idempotency_key_reused');
		const elsewhere = await postStatus(other.reference, { status: 'contacted' }, key);
		expect(elsewhere.status).toBe(422);
		const db = await getDb();
		expect((await db.select().from(referral).where(eq(referral.id, r.id)))[0].status).toBe('contacted');
		expect((await db.select().from(referral).where(eq(referral.id, other.id)))[0].status).toBe('received');
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(1);
		expect(await eventsOf(other.id, 'referral.status_changed')).toHaveLength(0);
	});

	it('makes one change when the same request arrives several times at once', async () => {
		const r = await aReferral();
		const key = crypto.randomUUID();
		const results = await Promise.all([1, 2, 3, 4].map(() => postStatus(r.reference, { status: 'eligibility-confirmed' }, key)));
		expect(results.map((x) => x.status)).toEqual([200, 200, 200, 200]);
		expect(new Set(results.map((x) => JSON.stringify(x.body))).size).toBe(1);
		expect(results.filter((x) => x.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(1);
	});

	it('needs an Idempotency-Key and a valid body', async () => {
		const r = await aReferral();
		const missing = await postStatus(r.reference, { status: 'contacted' }, null);
		expect(missing.status).toBe(400);
		expect(missing.body.error.code).toBe('idempotency_key_required');
		expectApiHeaders(missing.headers);

		const cases: [unknown, string][] = [
			[{ status: 'lost' }, 'status'],
			[{ status: 'closed' }, 'reason'],
			[{ status: 'closed', reason: '555' }, 'reason'],
			[{ status: 'contacted', reason: '003' }, 'reason'],
			[{ status: 'contacted', note: 'x'.repeat(1001) }, 'note'],
			[{ status: 'contacted', colour: 'blue' }, '']
		];
		for (const [body, field] of cases) {
			const res = await postStatus(r.reference, body, crypto.randomUUID());
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.error.code).toBe('invalid_request');
			if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
		}
		const notJson = await postStatus(r.reference, '{status: contacted', crypto.randomUUID());
		expect(notJson.body.error.code).toBe('invalid_request');
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(0);
		const unknown = await postStatus('AAAA-AAAA', { status: 'contacted' }, crypto.randomUUID());
		expect(unknown.status).toBe(404);
	});

	it('refuses a move the rules do not allow with 409, kept under its Idempotency-Key', async () => {
		const r = await aReferral();
		const key = crypto.randomUUID();
		const back = await postStatus(r.reference, { status: 'received' }, key);
		expect(back.status).toBe(409);
		expect(back.body).toMatchObject({ error: { code: 'invalid_transition' }, current: { status: 'received' } });
		const replay = await postStatus(r.reference, { status: 'received' }, key);
		expect(replay.status).toBe(409);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		expect(await eventsOf(r.id, 'referral.status_changed')).toHaveLength(0);
		// A closed referral can be reopened by the case system, as by a team lead.
		expect((await postStatus(r.reference, { status: 'closed', reason: '004' }, crypto.randomUUID())).status).toBe(200);
		expect((await postStatus(r.reference, { status: 'contacted' }, crypto.randomUUID())).status).toBe(200);
	});
});

describe('the rest of /api/v1', () => {
	it('publishes an OpenAPI 3.1 document', async () => {
		const res = await call(openapiGET as Handler, '/api/v1/openapi.json');
		expect(res.status).toBe(200);
		// A published document: public and cached for an hour, like the event schema (docs/api.md).
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.body.openapi).toBe('3.1.0');
		expect(Object.keys(res.body.paths)).toEqual(['/openapi.json', '/schema/events.json', '/events', '/referrals/{reference}', '/referrals/{reference}/fhir', '/referrals/{reference}/status', '/webhook-deliveries', '/check-ins/{id}', '/concerns/{id}']);
		expect(JSON.stringify(res.body)).toContain('/api/v1/schema/events.json');
		// Valid OpenAPI 3.1 with nothing fetched: no reference leaves the document.
		const refs = [...JSON.stringify(res.body).matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]);
		expect(refs.filter((r) => !r.startsWith('#/'))).toEqual([]);
		const validator = new Validator();
		const result = await validator.validate(res.body);
		expect(result.valid ? [] : result.errors).toEqual([]);
		expect(validator.version).toBe('3.1');
		// And it can fail: a document without its info block does not validate.
		const { info: _info, ...broken } = res.body;
		expect((await new Validator().validate(broken)).valid).toBe(false);
	});

	it('answers unknown addresses with a JSON 404', async () => {
		const res = await call(unknownApi as Handler, '/api/v1/nothing-here');
		expect(res.status).toBe(404);
		expect(res.body.error.code).toBe('not_found');
	});
});

/** One CSV record's fields (RFC 4180 quoting), independent of the exporter's code. */
function csvFields(line: string): string[] {
	const out: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
			else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') out.push(field), (field = '');
		else field += ch;
	}
	out.push(field);
	return out;
}

describe('CSV export', () => {
	it('has the expected columns, no health details, and neutralises formulas', async () => {
		const evil = '=HYPERLINK("http://evil","x")';
		const r = await aReferral({ answers: { givenName: evil, familyName: 'Smith, Jr' } });
		const today = ukDate(new Date());
		const yesterday = ukDate(new Date(Date.now() - 86_400_000));
		const result = await exportReferrals(lead, { programmeId: PRIMARY, from: yesterday, to: today });
		if (!result.ok) throw new Error('export');
		const lines = result.csv.replace(/^\uFEFF/, '').split('\r\n');
		expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
		const line = lines.find((l) => l.startsWith(`${r.reference},`))!;
		expect(line).toContain(csvCell(evil));
		expect(line).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
		expect(line).toContain('"Smith, Jr"');
		expect(result.csv).not.toContain('Back pain');
		expect(result.filename).toMatch(/\.csv$/);
		const db = await getDb();
		const exported = await db.select().from(auditLog).where(and(eq(auditLog.action, 'referrals.exported'), eq(auditLog.staffId, lead.id)));
		expect(exported.at(-1)!.detail).toMatchObject({ programmeIds: [PRIMARY], from: yesterday, to: today, rows: result.rows });
		expect(result.rows).toBe(lines.filter((l) => l).length - 1);
	});

	it('writes instants in UTC with Z, contact preferences, consents, and the NHS number only with its consent', async () => {
		const at = new Date().toISOString();
		const withConsent = await aReferral({ answers: { preferredName: 'Sam', nhsNumber: '9434765919', consentNhsNumber: { given: true, version: 'nhs-number-2026-11-v1', at } } });
		const without = await aReferral({ answers: { nhsNumber: '9434765870' } });
		const today = ukDate(new Date());
		const result = await exportReferrals(lead, { programmeId: PRIMARY, from: today, to: today });
		if (!result.ok) throw new Error('export');
		const [header, ...rows] = result.csv.replace(/^\uFEFF/, '').split('\r\n');
		const cols = header.split(',');
		const cell = (reference: string, name: string) => csvFields(rows.find((l) => l.startsWith(`${reference},`))!)[cols.indexOf(name)];
		expect(cell(withConsent.reference, 'submitted_at')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(new Date(cell(withConsent.reference, 'submitted_at')).getTime()).toBe(Math.floor(withConsent.submittedAt.getTime() / 1000) * 1000);
		expect(cell(withConsent.reference, 'status_changed_at')).toMatch(/Z$/);
		expect(cell(withConsent.reference, 'preferred_name')).toBe('Sam');
		expect(cell(withConsent.reference, 'contact_channels')).toBe('phone;email');
		expect(cell(withConsent.reference, 'consents')).toContain('nhsNumber=yes');
		expect(cell(withConsent.reference, 'nhs_number')).toBe('9434765919');
		expect(cell(without.reference, 'consents')).toContain('nhsNumber=no');
		expect(cell(without.reference, 'nhs_number')).toBe('');
		expect(result.csv).not.toContain('9434765870');
	});

	it('gives the closing reason as the bare code, as the API does, with its words in closed_reason_label', async () => {
		const r = await aReferral();
		expect((await postStatus(r.reference, { status: 'closed', reason: '003' }, crypto.randomUUID())).status).toBe(200);
		const api = await call(referralGET as Handler, `/api/v1/referrals/${r.reference}`, { key: primaryKey, params: { reference: r.reference } });
		expect(api.body.data.closedReason).toBe('003');
		const today = ukDate(new Date());
		const result = await exportReferrals(lead, { programmeId: PRIMARY, from: today, to: today });
		if (!result.ok) throw new Error('export');
		const [header, ...rows] = result.csv.replace(/^\uFEFF/, '').split('\r\n');
		const cols = header.split(',');
		const fields = csvFields(rows.find((l) => l.startsWith(`${r.reference},`))!);
		expect(fields[cols.indexOf('closed_reason')]).toBe('003');
		expect(fields[cols.indexOf('closed_reason_label')]).toBe('Could not be contacted');
	});
});
