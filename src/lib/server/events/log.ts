/**
 * The durable event log. Writers append inside the transaction of the change they describe; readers
 * (the notifier, webhook delivery, the pull API) read in `id` order after a cursor.
 *
 * Gap-free reading: every writer takes one transaction-scoped advisory lock just before inserting, so
 * event ids are handed out in commit order. A reader that has seen id N can never later see an id below N
 * appear, so "id > cursor" skips nothing, on PGlite and with several app instances on one PostgreSQL.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../db';
import { event, eventConsumer } from '../db/schema';
import type { ContactChannel, ContactOutcome, Status } from '$lib/domain/casework';
import type { ConsentKind } from '$lib/domain/consents';
import type { ContactDetailName } from '$lib/domain/your-details';
import type { ConcernKind, ConcernResolution } from '$lib/domain/measures/concern-resolution';
import type { MeetingEventData } from '../meetings/events';
import { draftSnapshot, snapshotBody } from './payload';

const EVENT_ORDER_LOCK = 7215014;

/** Who caused a change, as writers store it (events/payload.ts reads it into `data.actor`). */
export type StoredActor = { type: 'api-key'; id: string; name: string } | { kind: 'participant' } | { kind: 'staff'; staffId: string } | { kind: 'system' };

interface ReferralChange {
	version: number;
	reference: string;
	programmeId: string;
	/** The staff member who made it; null for the person, a case system or the portal. */
	byStaffId: string | null;
	at: string;
	actor?: StoredActor;
}

/**
 * What each event type stores in event.payload: every writer builds it from these types, and appendEvent
 * then builds and checks its public body (events/payload.ts) before the transaction commits.
 */
export interface StoredEventPayloads {
	'referral.submitted': {
		version: number;
		reference: string;
		programmeId: string;
		eligibilityOutcome: string;
		source: { code: string; odsCode: string | null; linkCode: string | null; dwpCategory: string };
		contactTargetDate: string;
		assignedStaffId: string | null;
		submittedAt: string;
	};
	'referral.assigned': ReferralChange & { from: string | null; to: string | null; how: AssignmentHow };
	'referral.status_changed': ReferralChange & { from: Status; to: Status; closedReason: string | null };
	'referral.contact_attempted': ReferralChange & {
		attemptId: string;
		channel: ContactChannel;
		outcome: ContactOutcome;
		successful: boolean;
		firstContact: boolean;
	};
	'referral.withdrawn': Omit<ReferralChange, 'byStaffId'> & {
		byStaffId?: string;
		from: string;
		closedReason: string;
		reason: string | null;
		by: 'participant' | 'staff';
	};
	/** The person answered an optional page after sending (casework/details.ts). */
	'referral.details_added': ReferralChange & { page: string; questions: string[] };
	/** The person changed their contact details from their account (participants/details.ts); the new values are on the referral. */
	'referral.contact_details_changed': ReferralChange & { changed: ContactDetailName[]; confirmed: boolean };
	/** The person withdrew a consent (participants/consents.ts): its kind and wording version only. */
	'consent.withdrawn': ReferralChange & { kind: ConsentKind; textVersion: string };
	/** The person's personal data was erased (data-rights/erasure.ts): why, and by whom when staff did it. */
	'referral.erased': ReferralChange & { why: 'request' | 'retention'; byStaffId: string | null };
	/** A job start recorded or confirmed by staff (casework/jobs.ts). */
	'job.started': ReferralChange & { jobId: string; reportedBy: 'participant' | 'staff' };
	/** Sustainment recorded at a point, with the evidence seen. */
	'job.sustained': ReferralChange & { jobId: string; weeks: number; evidence: string };
	/** A job that ended, with a coded reason. */
	'job.ended': ReferralChange & { jobId: string; endedOn: string; endReason: string; confirmed: boolean };
	'meeting.booked': MeetingEventData;
	'meeting.rescheduled': MeetingEventData;
	'meeting.cancelled': MeetingEventData;
	'meeting.attended': MeetingEventData;
	'meeting.missed': MeetingEventData;
	'checkin.completed': { checkInId: string; instrument: string; completedAt: string };
	'wellbeing.concern_raised': { concernId: string; kind: ConcernKind; checkInId: string | null; raisedAt: string };
	'wellbeing.concern_resolved': {
		concernId: string;
		kind: ConcernKind;
		checkInId: string | null;
		raisedAt: string;
		resolvedAt: string;
		resolution: ConcernResolution;
		byStaffId: string;
	};
}

export type EventType = keyof StoredEventPayloads;

/** How a referral came to be held: claimed, assigned by a team lead, returned to the queue, or by booking its first meeting. */
export type AssignmentHow = 'claimed' | 'assigned' | 'returned' | 'first-meeting';

export type NewEvent = {
	[T in EventType]: { type: T; referralId?: string | null; programmeId?: string | null; payload: StoredEventPayloads[T] };
}[EventType];

/**
 * Appends an event inside `tx`. Call it last in the transaction: it holds the event-order lock to commit.
 * Events sent to case systems get their public body here, from the state inside this transaction (a
 * snapshot: later changes never alter it). A body that does not validate against the published schema
 * throws (a PayloadError), so the whole change is rolled back rather than an invalid event written. The
 * body is built before the lock, so the lock is held only for the insert and the one update that writes
 * the event's position into the body.
 */
export async function appendEvent(tx: Tx | Db, input: NewEvent) {
	const values = {
		eventId: crypto.randomUUID(),
		type: input.type,
		referralId: input.referralId ?? null,
		programmeId: input.programmeId ?? null,
		payload: input.payload as unknown as Record<string, unknown>,
		createdAt: new Date()
	};
	const draft = await draftSnapshot(tx, values);
	await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
	const [row] = await tx.insert(event).values(values).returning();
	const [withBody] = await tx
		.update(event)
		.set({ body: snapshotBody(draft, row.id) })
		.where(eq(event.id, row.id))
		.returning();
	return withBody;
}

/** Events after `afterId`, oldest first. */
export async function readEvents(afterId: number, limit: number, filter: { types?: string[]; programmeIds?: string[] } = {}, db?: Db | Tx) {
	const conn = db ?? (await getDb());
	const conditions = [gt(event.id, afterId)];
	if (filter.types?.length) conditions.push(inArray(event.type, filter.types));
	if (filter.programmeIds) conditions.push(inArray(event.programmeId, filter.programmeIds.length ? filter.programmeIds : ['']));
	return conn
		.select()
		.from(event)
		.where(and(...conditions))
		.orderBy(asc(event.id))
		.limit(limit);
}

/** The events of one referral, oldest first (its history). */
export async function eventsForReferral(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(asc(event.id));
}

/**
 * Runs `fn` over the next batch of events for the named consumer and moves its cursor, in one
 * transaction. Only one instance at a time holds a consumer (FOR UPDATE SKIP LOCKED); another instance
 * finds it busy and returns 0. `fn` writes its own work rows (e.g. emails to send) in the same transaction,
 * so a crash either keeps both or neither.
 */
export async function consumeEvents(name: string, limit: number, fn: (tx: Tx, events: (typeof event.$inferSelect)[]) => Promise<void>): Promise<number> {
	const db = await getDb();
	await db.insert(eventConsumer).values({ name }).onConflictDoNothing();
	return db.transaction(async (tx) => {
		const [consumer] = await tx.select().from(eventConsumer).where(eq(eventConsumer.name, name)).for('update', { skipLocked: true });
		if (!consumer) return 0;
		const batch = await readEvents(consumer.lastEventId, limit, {}, tx);
		if (!batch.length) return 0;
		await fn(tx, batch);
		await tx
			.update(eventConsumer)
			.set({ lastEventId: batch[batch.length - 1].id, updatedAt: new Date() })
			.where(eq(eventConsumer.name, name));
		return batch.length;
	});
}
