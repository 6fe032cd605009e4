/**
 * The joins of issue 18, on a real database (PGlite, and PostgreSQL when DATABASE_URL is set):
 * - a booking moves the referral on: the first meeting sets "First meeting booked", counts as first contact
 *   (unless the programme turns that off), assigns an unassigned referral with a `referral.assigned` event
 *   that validates, and the specialist is emailed; cancelling it puts the referral back, coming to it makes
 *   it "Contacted"; the inbox shows the next meeting and the person's pages say the meeting;
 * - closed days: bank holidays of the programme's nation and closures give no free times, and a meeting
 *   already booked on a day that becomes closed opens a task;
 * - a crisis answer reaches someone who acts: the specialist and the safety contacts at once, again to the
 *   safety contacts and administrators at the right opening hour when nobody acknowledges it, and what was
 *   done is recorded with a `wellbeing.concern_resolved` event;
 * - an event whose body would fail the published schema is never written; one that fails at send time is
 *   dead-lettered and the administrators are told.
 * Every event body left in the database is checked against the published schema after the file
 * (setup-file.ts).
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { phq9 } from '../../src/lib/domain/measures';
import { DEFAULT_SERVICE_SETTINGS, serviceSettingsValues, type ServiceSettings } from '../../src/lib/domain/service-hours';
import { ukDate } from '../../src/lib/domain/uk-time';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { getReferralForStaff, listInbox, lookUpStatus } from '../../src/lib/server/casework';
import { getDb } from '../../src/lib/server/db';
import { event, programme, referral, task, webhookDelivery, wellbeingConcern } from '../../src/lib/server/db/schema';
import { appendEvent } from '../../src/lib/server/events/log';
import { minimiseBody } from '../../src/lib/server/events/minimise';
import { eventPayloadSchema, PayloadError, WEBHOOK_EVENT_TYPES } from '../../src/lib/server/events/payload';
import { bookMeeting, cancelMeeting, freeSlotsForParticipant, type BookingParticipant } from '../../src/lib/server/meetings/booking';
import { recordOutcome } from '../../src/lib/server/meetings/staff-meetings';
import { saveQuestionAnswer } from '../../src/lib/server/measures/check-ins';
import { acknowledgeConcern, openConcernsFor, resolveConcern } from '../../src/lib/server/measures/concerns';
import { escalateCrisisConcerns } from '../../src/lib/server/measures/crisis';
import { getServiceSettings, seedProgrammes } from '../../src/lib/server/programmes';
import { REFERRAL_EVENT_VERSION } from '../../src/lib/server/referrals';
import { saveServiceSettings } from '../../src/lib/server/service-calendar';
import { deliverDue, queueDeliveryJobs } from '../../src/lib/server/webhooks/deliver';
import { createSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { startReceiver } from '../support/webhook-receiver';
import { emailJob, queuedEmails } from '../support/jobs';
import { aParticipant, aProgramme, aStaffMember } from '../support/factories';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';

const SUFFIX = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let count = 0;

/** Thursday 3 December 2026, 10am: the first free times (24 hours' notice) are on Friday 4 December. */
const THURSDAY = new Date('2026-12-03T10:00:00Z');

/** A programme of its own whose safety contact is duty-<name>-<SUFFIX>@ips.example. */
function makeProgramme(name: string, service: Partial<ServiceSettings> = {}): Promise<string> {
	return aProgramme(name, { service: { safetyContacts: [`duty-${name}-${SUFFIX}@ips.example`], ...service } });
}

async function referralRow(id: string) {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, id));
	return row;
}

async function eventsOf(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(asc(event.id));
}

async function firstFreeTime(p: BookingParticipant, now = THURSDAY) {
	const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now });
	if (!slots.length) throw new Error('no free times');
	return slots[0].start;
}

beforeAll(async () => {
	await seedProgrammes();
});

describe('a booking moves the referral on', () => {
	let programmeId: string;
	let specialist: StaffUser;
	let lead: StaffUser;

	beforeAll(async () => {
		programmeId = await makeProgramme('booking');
		specialist = await aStaffMember('specialist', [programmeId], { weekdays: [1, 2, 3, 4, 5] });
		lead = await aStaffMember('team-lead', [programmeId]);
	});

	it('counts the first meeting as first contact, moves the status, assigns the specialist with a valid event, and tells them', async () => {
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const before = await referralRow(p.referralId);
		expect(before).toMatchObject({ status: 'received', assignedStaffId: null, firstContactAt: null });
		const start = await firstFreeTime(p);
		const booked = await bookMeeting(p, { start, mode: 'phone' }, THURSDAY);
		if (!booked.ok) throw new Error(booked.reason);

		expect(await referralRow(p.referralId)).toMatchObject({ status: 'meeting-booked', assignedStaffId: specialist.id, firstContactAt: THURSDAY, statusChangedAt: THURSDAY });
		const events = await eventsOf(p.referralId);
		expect(events.map((e) => e.type)).toEqual(['referral.submitted', 'referral.assigned', 'referral.status_changed', 'meeting.booked']);
		// Each body is a valid snapshot: the assignment says how it happened, who did it and the new status.
		const assigned = JSON.parse(events[1].body!);
		expect(eventPayloadSchema.safeParse(assigned).success).toBe(true);
		expect(assigned.data).toMatchObject({
			status: 'meeting-booked',
			actor: { type: 'participant', id: null, name: null },
			assignedTo: { id: specialist.id },
			change: { from: null, to: specialist.id, how: 'first-meeting', byStaffId: null }
		});
		expect(JSON.parse(events[2].body!).data.change).toMatchObject({ from: 'received', to: 'meeting-booked' });

		// The contact clock has stopped: the referral page and the inbox say contact was made, and show the meeting.
		const view = await getReferralForStaff(lead, p.reference, THURSDAY);
		expect(view.daysLeft).toBeNull();
		expect(view.statusLabel).toBe('First meeting booked');
		const inbox = await listInbox(lead, { status: 'open', programme: programmeId, source: null, specialist: null } as never, THURSDAY);
		const row = inbox.rows.find((r) => r.reference === p.reference)!;
		expect(row).toMatchObject({ daysLeft: null, statusLabel: 'First meeting booked' });
		expect(row.nextMeeting).toMatch(/^Friday 4 December at \d+:\d\d[ap]m$/);

		// The person's status look-up says the meeting, not "we will contact you by".
		const status = await lookUpStatus(p.reference, '1985-06-15', THURSDAY);
		expect(status?.title).toBe('Your first meeting is booked');
		expect(status?.lines[0]).toMatch(/^Your first meeting is on Friday 4 December 2026, .* \(UK time\), by phone\.$/);
		expect(status?.lines.join(' ')).not.toContain('will contact you by');

		// The specialist is emailed: the reference and the time, nothing about the person.
		const db = await getDb();
		const toStaff = await queuedEmails(and(eq(emailJob.eventId, events[3].eventId), eq(emailJob.to, specialist.email)));
		expect(toStaff).toHaveLength(1);
		expect(toStaff[0].body).toContain(`Participant ${p.reference} has booked a first meeting with you.`);
		expect(toStaff[0].body).toMatch(/When: Friday 4 December 2026/);
		for (const word of ['Sam', 'Taylor', 'Back pain', '07700900982']) expect(`${toStaff[0].subject}${toStaff[0].body}`).not.toContain(word);
	});

	it('puts the referral back when the first meeting is cancelled, and makes it "Contacted" when the person comes', async () => {
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const booked = await bookMeeting(p, { start: await firstFreeTime(p), mode: 'phone' }, THURSDAY);
		if (!booked.ok) throw new Error(booked.reason);
		const cancelled = await cancelMeeting(p, booked.meeting.id, null, THURSDAY);
		expect(cancelled.ok).toBe(true);
		// Back to "New": no contact was made after all, and whoever was told of the booking hears of the cancel.
		expect(await referralRow(p.referralId)).toMatchObject({ status: 'received', firstContactAt: null, assignedStaffId: specialist.id });
		const db = await getDb();
		const cancelledEvent = (await eventsOf(p.referralId)).find((e) => e.type === 'meeting.cancelled')!;
		const [mail] = await queuedEmails(and(eq(emailJob.eventId, cancelledEvent.eventId), eq(emailJob.to, specialist.email)));
		expect(mail.subject).toMatch(new RegExp(`^Meeting cancelled: ${p.reference}, `));

		// Booked again, then held: the specialist marks it attended once it has started.
		const again = await bookMeeting(p, { start: await firstFreeTime(p), mode: 'phone' }, THURSDAY);
		if (!again.ok) throw new Error(again.reason);
		expect((await referralRow(p.referralId)).status).toBe('meeting-booked');
		const after = new Date(again.meeting.startsAt.getTime() + 60 * 60_000);
		expect(await recordOutcome(specialist, again.meeting.id, 'attended', after)).toMatchObject({ ok: true });
		expect(await referralRow(p.referralId)).toMatchObject({ status: 'contacted' });
		expect((await eventsOf(p.referralId)).map((e) => e.type).slice(-2)).toEqual(['referral.status_changed', 'meeting.attended']);
	});

	it('keeps the contact clock running when the programme says booking does not count as contact', async () => {
		const strict = await makeProgramme('strict', { bookingCountsAsContact: false });
		await aStaffMember('specialist', [strict], { weekdays: [1, 2, 3, 4, 5] });
		const strictLead = await aStaffMember('team-lead', [strict]);
		const p = await aParticipant({ programmeId: strict, now: THURSDAY });
		const booked = await bookMeeting(p, { start: await firstFreeTime(p), mode: 'phone' }, THURSDAY);
		if (!booked.ok) throw new Error(booked.reason);
		const row = await referralRow(p.referralId);
		expect(row).toMatchObject({ status: 'meeting-booked', firstContactAt: null });
		const view = await getReferralForStaff(strictLead, p.reference, THURSDAY);
		expect(view.daysLeft).not.toBeNull();
		const inbox = await listInbox(strictLead, { status: 'open', programme: strict, source: null, specialist: null } as never, THURSDAY);
		expect(inbox.rows.find((r) => r.reference === p.reference)?.daysLeft).not.toBeNull();
	});
});

describe('closed days', () => {
	let programmeId: string;

	beforeAll(async () => {
		programmeId = await makeProgramme('closed');
		// Every day of the week, so only the calendar closes any.
		await aStaffMember('specialist', [programmeId], { weekdays: [1, 2, 3, 4, 5, 6, 7] });
	});

	const freeDates = async (p: BookingParticipant, now: Date) => new Set((await freeSlotsForParticipant(p, { mode: 'phone', now })).slots.map((s) => ukDate(s.start)));

	it('offers no times on 25, 26 and 28 December 2026 or 1 January 2027 in England, nor on a closure an admin adds', async () => {
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const dates = await freeDates(p, new Date('2026-12-20T10:00:00Z'));
		for (const closed of ['2026-12-25', '2026-12-26', '2026-12-28', '2027-01-01']) expect(dates.has(closed), closed).toBe(false);
		for (const open of ['2026-12-24', '2026-12-27', '2026-12-29', '2026-12-31', '2027-01-02']) expect(dates.has(open), open).toBe(true);

		const admin = await aStaffMember('admin', [programmeId]);
		const db = await getDb();
		const [{ version }] = await db.select({ version: programme.version }).from(programme).where(eq(programme.id, programmeId));
		const stored = await getServiceSettings(programmeId);
		const values = serviceSettingsValues({ ...stored, closures: [{ from: '2026-12-30', to: '2026-12-30', label: 'Office move' }] }, version);
		const saved = await saveServiceSettings(programmeId, values, admin.id, new Date('2026-12-20T10:00:00Z'));
		expect(saved).toMatchObject({ ok: true, changed: ['service.closures'] });
		expect((await freeDates(p, new Date('2026-12-20T10:00:00Z'))).has('2026-12-30')).toBe(false);
	});

	it('opens a task for the specialist when a day with a meeting already booked becomes closed', async () => {
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const now = new Date('2027-01-04T10:00:00Z');
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now });
		const onFriday = slots.find((s) => ukDate(s.start) === '2027-01-08')!;
		const booked = await bookMeeting(p, { start: onFriday.start, mode: 'phone' }, now);
		if (!booked.ok) throw new Error(booked.reason);
		const admin = await aStaffMember('admin', [programmeId]);
		const db = await getDb();
		const [{ version }] = await db.select({ version: programme.version }).from(programme).where(eq(programme.id, programmeId));
		const values = serviceSettingsValues({ ...DEFAULT_SERVICE_SETTINGS, closures: [{ from: '2027-01-08', to: '2027-01-08', label: 'Staff training' }] }, version);
		expect((await saveServiceSettings(programmeId, values, admin.id, now)).ok).toBe(true);
		const tasks = await db.select().from(task).where(eq(task.meetingId, booked.meeting.id));
		expect(tasks).toHaveLength(1);
		expect(tasks[0]).toMatchObject({ kind: 'closed-day', staffId: booked.meeting.staffId, dueAt: now });
		expect(tasks[0].title).toMatch(/^Rearrange the meeting on Friday 8 January at \d+:\d\d[ap]m: the service is closed that day$/);
		expect(tasks[0].note).toContain('Staff training');
		// Saving again makes no second task.
		const [{ version: next }] = await db.select({ version: programme.version }).from(programme).where(eq(programme.id, programmeId));
		await saveServiceSettings(programmeId, { ...values, version: String(next), crisisAcknowledgeHours: '5' }, admin.id, now);
		expect(await db.select().from(task).where(eq(task.meetingId, booked.meeting.id))).toHaveLength(1);
	});

	it('follows Scotland’s and Northern Ireland’s bank holidays', async () => {
		const scotland = await makeProgramme('scotland', { nation: 'scotland' });
		await aStaffMember('specialist', [scotland], { weekdays: [1, 2, 3, 4, 5, 6, 7] });
		const s = await aParticipant({ programmeId: scotland, now: THURSDAY });
		const scottish = await freeDates(s, new Date('2026-11-26T10:00:00Z'));
		expect(scottish.has('2026-11-30')).toBe(false); // St Andrew's Day
		expect(scottish.has('2026-12-01')).toBe(true);
		const newYear = await freeDates(s, new Date('2026-12-30T10:00:00Z'));
		expect(newYear.has('2027-01-04')).toBe(false); // 2 January's substitute day
		expect(newYear.has('2027-01-05')).toBe(true);

		const ni = await makeProgramme('ni', { nation: 'northern-ireland' });
		await aStaffMember('specialist', [ni], { weekdays: [1, 2, 3, 4, 5, 6, 7] });
		const n = await aParticipant({ programmeId: ni, now: THURSDAY });
		const march = await freeDates(n, new Date('2027-03-10T10:00:00Z'));
		expect(march.has('2027-03-17')).toBe(false); // St Patrick's Day
		expect(march.has('2027-03-18')).toBe(true);
		// An England programme is open that day.
		const england = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		expect((await freeDates(england, new Date('2027-03-10T10:00:00Z'))).has('2027-03-17')).toBe(true);
	});
});

describe('a crisis answer reaches someone who acts', () => {
	let programmeId: string;
	let specialist: StaffUser;
	let admin: StaffUser;
	const duty = () => `duty-crisis-${SUFFIX}@ips.example`;

	beforeAll(async () => {
		programmeId = await makeProgramme('crisis');
		specialist = await aStaffMember('specialist', [programmeId]);
		admin = await aStaffMember('admin', [programmeId]);
	});

	async function crisisAt(at: Date) {
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const db = await getDb();
		await db.update(referral).set({ assignedStaffId: specialist.id }).where(eq(referral.id, p.referralId));
		expect((await saveQuestionAnswer(p, phq9, 8, 2, at)).crisis).toBe(true);
		const [concern] = await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.referralId, p.referralId));
		return { p, concern };
	}

	const emailsTo = async (kind: string, address: string) => {
		return queuedEmails(and(eq(emailJob.kind, kind), eq(emailJob.to, address)));
	};

	it('on Sunday 6 December at 07:16: the specialist and safety contacts at once; nobody acknowledges; again at 1pm on Monday', async () => {
		const sunday = new Date('2026-12-06T07:16:00Z');
		const { p, concern } = await crisisAt(sunday);
		expect(concern.acknowledgeBy?.toISOString()).toBe('2026-12-07T13:00:00.000Z');
		const db = await getDb();
		const [raised] = (await eventsOf(p.referralId)).filter((e) => e.type === 'wellbeing.concern_raised');
		const first = await queuedEmails(eq(emailJob.eventId, raised.eventId));
		expect(first.map((e) => e.to).sort()).toEqual([specialist.email, duty()].sort());
		expect(first[0].body).toContain('If nobody has by 7 December 2026 at 1:00pm (UK time)');

		// Not before 1pm on Monday (counted in opening hours: Monday 9am + 4 hours).
		expect(await escalateCrisisConcerns(new Date('2026-12-07T12:59:00Z'))).toBe(0);
		expect((await openConcernsFor(specialist, new Date('2026-12-07T12:59:00Z'))).find((c) => c.id === concern.id)?.overdue).toBe(false);
		const monday = new Date('2026-12-07T13:00:00Z');
		expect(await escalateCrisisConcerns(monday)).toBeGreaterThanOrEqual(1);
		expect(await escalateCrisisConcerns(monday)).toBe(0); // once
		const [again] = await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.id, concern.id));
		expect(again.escalatedAt).toEqual(monday);
		for (const address of [duty(), admin.email, specialist.email]) {
			const mails = (await emailsTo('wellbeing.crisis_escalated', address)).filter((m) => m.body.includes(p.reference));
			expect(mails, address).toHaveLength(1);
			expect(mails[0].subject).toBe(`Not yet acknowledged: call participant ${p.reference} today`);
			expect(mails[0].body).toContain('It was to be acknowledged by 7 December 2026 at 1:00pm.');
			for (const word of ['PHQ', 'self-harm', 'score', 'Sam', 'Taylor']) expect(mails[0].body).not.toContain(word);
		}
		expect((await openConcernsFor(specialist, monday)).find((c) => c.id === concern.id)).toMatchObject({ overdue: true, kind: 'crisis' });

		// The specialist records what was done: who, when, the code and the note; the event carries the code only.
		const result = await resolveConcern(specialist, concern.id, { resolution: 'spoke-to-them', note: 'Called; they are safe and seeing their GP today.' }, monday, p.reference);
		expect(result).toEqual({ changed: true, reference: p.reference });
		const [resolvedEvent] = (await eventsOf(p.referralId)).filter((e) => e.type === 'wellbeing.concern_resolved');
		const body = JSON.parse(resolvedEvent.body!);
		expect(eventPayloadSchema.safeParse(body).success).toBe(true);
		expect(body.data.concern).toEqual({
			id: concern.id,
			kind: 'crisis',
			checkInId: null,
			raisedAt: sunday.toISOString(),
			resolvedAt: monday.toISOString(),
			resolution: 'spoke-to-them',
			href: `/api/v1/concerns/${concern.id}`
		});
		expect(body.data.actor).toMatchObject({ type: 'staff', id: specialist.id });
		expect(resolvedEvent.body).not.toContain('seeing their GP');
		// A receiver without health details gets the event without the kind of concern.
		expect(JSON.parse(minimiseBody(resolvedEvent.body!, [])).data.concern).not.toHaveProperty('kind');
	});

	it('is not sent again once someone acknowledges it in time, and acknowledging is recorded once', async () => {
		const friday = new Date('2026-12-04T15:00:00Z');
		const { concern } = await crisisAt(friday);
		// Friday 3pm + 4 opening hours: 2 on Friday, 2 on Monday, so 11am on Monday.
		expect(concern.acknowledgeBy?.toISOString()).toBe('2026-12-07T11:00:00.000Z');
		expect(await acknowledgeConcern(specialist, concern.id, new Date('2026-12-04T15:05:00Z'))).toMatchObject({ changed: true });
		expect(await acknowledgeConcern(specialist, concern.id, new Date('2026-12-04T15:06:00Z'))).toMatchObject({ changed: false });
		expect(await escalateCrisisConcerns(new Date('2026-12-08T10:00:00Z'))).toBe(0);
		const db = await getDb();
		const [row] = await db.select().from(wellbeingConcern).where(eq(wellbeingConcern.id, concern.id));
		expect(row).toMatchObject({ acknowledgedStaffId: specialist.id, escalatedAt: null });
		// Staff of another programme cannot see or touch it.
		const elsewhere = await aStaffMember('specialist', [await makeProgramme('elsewhere')]);
		await expect(acknowledgeConcern(elsewhere, concern.id)).rejects.toMatchObject({ status: 404 });
		await expect(resolveConcern(elsewhere, concern.id, { resolution: 'other', note: null })).rejects.toMatchObject({ status: 404 });
	});
});

describe('every event valid when it is written', () => {
	it('refuses to write an event whose body fails the published schema, and writes nothing of its change', async () => {
		const programmeId = await makeProgramme('events');
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const db = await getDb();
		const before = (await eventsOf(p.referralId)).length;
		await expect(
			db.transaction(async (tx) => {
				await tx.update(referral).set({ assignedStaffId: null, statusChangedAt: new Date() }).where(eq(referral.id, p.referralId));
				await appendEvent(tx, {
					type: 'referral.status_changed',
					referralId: p.referralId,
					programmeId,
					payload: {
						version: REFERRAL_EVENT_VERSION,
						reference: p.reference,
						programmeId,
						from: 'received',
						to: 'archived' as never,
						closedReason: null,
						byStaffId: null,
						at: new Date().toISOString()
					}
				});
			})
		).rejects.toBeInstanceOf(PayloadError);
		expect(await eventsOf(p.referralId)).toHaveLength(before);
	});

	it('dead-letters a body that fails its schema at send time and tells the programme’s administrators', async () => {
		const programmeId = await makeProgramme('send-time');
		const p = await aParticipant({ programmeId: programmeId, now: THURSDAY });
		const db = await getDb();
		const [submitted] = (await eventsOf(p.referralId)).filter((e) => e.type === 'referral.submitted');
		// The event belongs to the programme the referral was sent to: its administrators are told.
		const admin = await aStaffMember('admin', [submitted.programmeId!]);
		let secret = '';
		const r = await startReceiver(() => secret);
		const created = await createSubscription({ url: r.url, eventTypes: [...WEBHOOK_EVENT_TYPES], programmeIds: [submitted.programmeId!], dataScopes: ['health', 'equality'] }, COMMAND_LINE);
		if (!created.ok) throw new Error(JSON.stringify(created.errors));
		secret = created.secret;
		const sub = created.subscription;
		try {
			// A body broken after it was written (an edit in the database, or a schema changed under it).
			const broken = JSON.parse(submitted.body!);
			broken.data.status = 'archived';
			await db.update(event).set({ body: JSON.stringify(broken) }).where(eq(event.id, submitted.id));
			const queued = await db.insert(webhookDelivery).values({ subscriptionId: sub.id, eventId: submitted.id, referralId: p.referralId }).onConflictDoNothing().returning({ id: webhookDelivery.id });
			await queueDeliveryJobs(db, queued.map((d) => d.id), new Date());
			for (let i = 0; i < 5; i++) await deliverDue();
			const [delivery] = await db.select().from(webhookDelivery).where(and(eq(webhookDelivery.subscriptionId, sub.id), eq(webhookDelivery.eventId, submitted.id)));
			expect(delivery.status).toBe('dead');
			expect(delivery.lastError).toMatch(/^invalid_body: data\.status/);
			expect(r.received.filter((x) => x.id === submitted.eventId)).toHaveLength(0);
			const alerts = await queuedEmails(and(eq(emailJob.kind, 'webhook.invalid_body'), eq(emailJob.to, admin.email)));
			expect(alerts).toHaveLength(1);
			expect(alerts[0].body).toContain(submitted.eventId);
		} finally {
			// Put right, so the shared check of every body after this file passes.
			await db.update(event).set({ body: submitted.body }).where(eq(event.id, submitted.id));
			await r.close();
		}
	});
});
