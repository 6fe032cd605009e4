/**
 * Withdrawing a referral, on PGlite and PostgreSQL: by the person (closed 004 before starting, upcoming
 * meetings cancelled with their events, then one referral.withdrawn with their reason, schema-valid), by
 * staff on their behalf (006 after starting, the staff member as actor), never twice, and never for a
 * referral in another programme.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { recordWithdrawal, withdrawOwnReferral } from '../../src/lib/server/casework/withdrawal';
import { getDb } from '../../src/lib/server/db';
import { auditLog, availabilityPattern, event, meeting, programme, referral } from '../../src/lib/server/db/schema';
import { buildPayload, eventPayloadSchema } from '../../src/lib/server/events/payload';
import { bookMeeting, freeSlotsForParticipant } from '../../src/lib/server/meetings/booking';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aParticipant, aProgramme, aStaffMember } from '../support/factories';

/** A Monday: the first free times fall on Tuesday 2 March 2027. */
const NOW = new Date('2027-03-01T10:00:00Z');
const LATER = new Date('2027-03-01T12:00:00Z');

let programmeId: string;
let otherProgrammeId: string;
let specialistId: string;
let lead: StaffUser;
let outsider: StaffUser;

async function eventsOf(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(asc(event.id));
}

async function referralRow(id: string) {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, id));
	return row;
}

beforeAll(async () => {
	await seedProgrammes();
	programmeId = await aProgramme('main');
	otherProgrammeId = await aProgramme('other');
	const specialist = await aStaffMember('specialist', [programmeId]);
	specialistId = specialist.id;
	const db = await getDb();
	await db.insert(availabilityPattern).values([1, 2, 3, 4, 5].map((weekday) => ({ staffId: specialistId, weekday, start: '09:00', end: '17:00', modes: ['phone' as const], venueId: null })));
	lead = await aStaffMember('team-lead', [programmeId]);
	outsider = await aStaffMember('team-lead', [otherProgrammeId]);
});

describe('withdrawing a referral', () => {
	it('by the person: closed 004, upcoming meetings cancelled first, then referral.withdrawn with their reason', async () => {
		const p = await aParticipant({ programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(p, { start: slots[0].start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);

		const result = await withdrawOwnReferral(p, 'I found a job on my own', LATER);
		expect(result).toEqual({ ok: true, meetingsCancelled: 1 });
		const row = await referralRow(p.referralId);
		expect(row).toMatchObject({ status: 'closed', closedReason: '004' });
		const db = await getDb();
		const [m] = await db.select().from(meeting).where(eq(meeting.id, booked.meeting.id));
		expect(m).toMatchObject({ status: 'cancelled', cancelledBy: 'participant' });

		const events = await eventsOf(p.referralId);
		const types = events.map((e) => e.type);
		expect(types.slice(-2)).toEqual(['meeting.cancelled', 'referral.withdrawn']);
		const withdrawn = events.at(-1)!;
		expect(withdrawn.payload).toMatchObject({ reason: 'I found a job on my own', by: 'participant', closedReason: '004', from: 'meeting-booked' });
		// The public body validates and is a snapshot of the closed referral.
		const payload = await buildPayload(db, withdrawn);
		expect(eventPayloadSchema.safeParse(payload).success).toBe(true);
		expect(payload.data.status).toBe('closed');
		expect(payload.data.actor).toEqual({ type: 'participant', id: null, name: null });
		// The schema is strict about coded fields: an unknown status, closing code or source fails it.
		expect(eventPayloadSchema.safeParse({ ...payload, data: { ...payload.data, status: 'archived' } }).success).toBe(false);
		expect(eventPayloadSchema.safeParse({ ...payload, data: { ...payload.data, closedReason: '042' } }).success).toBe(false);
		expect(eventPayloadSchema.safeParse({ ...payload, data: { ...payload.data, source: { ...payload.data.source, code: 'carrier-pigeon' } } }).success).toBe(false);
		// The meeting's cancellation names the person too; the referral's first event does.
		const cancelledBody = JSON.parse(events.at(-2)!.body!);
		expect(cancelledBody.data.actor).toEqual({ type: 'participant', id: null, name: null });
		expect(JSON.parse(events[0].body!).data.actor).toEqual({ type: 'participant', id: null, name: null });
		expect(JSON.parse(withdrawn.body!).data.change).toMatchObject({ reason: 'I found a job on my own' });

		// The audit row says who, not what they wrote.
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.referralId, p.referralId), eq(auditLog.action, 'referral.withdrawn')));
		expect(audits).toHaveLength(1);
		expect(JSON.stringify(audits[0].detail)).not.toContain('found a job');
	});

	it('only once: a second withdrawal changes nothing and writes no event', async () => {
		const p = await aParticipant({ programmeId });
		expect((await withdrawOwnReferral(p, null, LATER)).ok).toBe(true);
		const before = (await eventsOf(p.referralId)).length;
		expect(await withdrawOwnReferral(p, null, LATER)).toEqual({ ok: false, reason: 'already-closed' });
		expect(await recordWithdrawal(lead, p.reference, null, LATER)).toEqual({ ok: false, reason: 'already-closed' });
		expect((await eventsOf(p.referralId)).length).toBe(before);
	});

	it('by staff for the person after they started: closed 006, the staff member is the actor', async () => {
		const p = await aParticipant({ programmeId });
		const db = await getDb();
		await db.update(referral).set({ status: 'started' }).where(eq(referral.id, p.referralId));
		const result = await recordWithdrawal(lead, p.reference, null, LATER);
		expect(result.ok).toBe(true);
		expect(await referralRow(p.referralId)).toMatchObject({ status: 'closed', closedReason: '006' });
		const withdrawn = (await eventsOf(p.referralId)).filter((e) => e.type === 'referral.withdrawn');
		expect(withdrawn).toHaveLength(1);
		expect(withdrawn[0].payload).toMatchObject({ by: 'staff', byStaffId: lead.id, reason: null, from: 'started' });
		const body = JSON.parse(withdrawn[0].body!);
		expect(body.data.actor).toEqual({ type: 'staff', id: lead.id, name: lead.name });
		expect(body.data.change).toMatchObject({ by: 'staff', byStaffId: lead.id, closedReason: '006', reason: null });
	});

	it('is not found for staff of another programme, and changes nothing', async () => {
		const p = await aParticipant({ programmeId });
		await expect(recordWithdrawal(outsider, p.reference, null, LATER)).rejects.toMatchObject({ status: 404 });
		expect(await referralRow(p.referralId)).toMatchObject({ status: 'received', closedReason: null });
		const db = await getDb();
		const withdrawn = await db.select().from(event).where(and(eq(event.referralId, p.referralId), inArray(event.type, ['referral.withdrawn'])));
		expect(withdrawn).toHaveLength(0);
	});
});
