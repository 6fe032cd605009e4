/**
 * Specialists' meetings: "My meetings" by day, marking attended and did not attend (status, event, audit),
 * the follow-up tasks a missed meeting opens (due times from followUpTasks, never made twice), programme
 * scoping (404), a meeting that has not started, and marking a task done.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readServiceSettings } from '../../src/lib/domain/service-hours';
import { ukDate } from '../../src/lib/domain/uk-time';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { getDb } from '../../src/lib/server/db';
import { auditLog, event, meeting, participant, programme, task, type MeetingRow, type Referral } from '../../src/lib/server/db/schema';
import { completeTask, meetingsForStaff, openTasksFor, recordOutcome, tasksForReferral } from '../../src/lib/server/meetings/staff-meetings';
import { forgetProgrammes, seedProgrammes } from '../../src/lib/server/programmes';
import { aReferral, aStaffMember } from '../support/factories';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
const HOUR = 3_600_000;
/** "Now" for these tests: Monday 1 March 2027, 12:00 UK time (GMT). */
const NOW = new Date('2027-03-01T12:00:00Z');
/** When the referrals were sent: ten days before NOW. */
const REFERRED = new Date(NOW.getTime() - 10 * 24 * HOUR);

let specialist: StaffUser;
let colleague: StaffUser;
let lead: StaffUser;
let secondary: StaffUser;

/** Minutes added to each meeting's start so no two rows share a specialist and a start time (a unique index). */
let nextMinute = 0;

/** A meeting row as the booking code would write it, `hoursFromNow` from NOW (negative: in the past). */
async function meetingFor(ref: Referral, staffId: string, hoursFromNow: number): Promise<MeetingRow> {
	const db = await getDb();
	const [p] = await db.select().from(participant).where(eq(participant.referralId, ref.id));
	const startsAt = new Date(NOW.getTime() + hoursFromNow * HOUR + nextMinute++ * 60_000);
	const [row] = await db
		.insert(meeting)
		.values({ referralId: ref.id, participantId: p.id, programmeId: ref.programmeId, staffId, startsAt, endsAt: new Date(startsAt.getTime() + 45 * 60_000), mode: 'phone' })
		.returning();
	return row;
}

async function eventsOf(referralId: string, type: string) {
	const db = await getDb();
	return db
		.select()
		.from(event)
		.where(and(eq(event.referralId, referralId), eq(event.type, type)))
		.orderBy(asc(event.id));
}

async function tasksOf(meetingId: string) {
	const db = await getDb();
	return db.select().from(task).where(eq(task.meetingId, meetingId)).orderBy(asc(task.dueAt));
}

async function current(id: string) {
	const db = await getDb();
	const [row] = await db.select().from(meeting).where(eq(meeting.id, id));
	return row;
}

beforeAll(async () => {
	await seedProgrammes();
	specialist = await aStaffMember('specialist', [PRIMARY]);
	colleague = await aStaffMember('specialist', [PRIMARY]);
	lead = await aStaffMember('team-lead', [PRIMARY]);
	secondary = await aStaffMember('specialist', [SECONDARY]);
});

describe('My meetings', () => {
	it('lists a specialist’s meetings by UK day, with the reference, the name and the time in words', async () => {
		const ref = await aReferral({ answers: { preferredName: 'Sammy' }, now: REFERRED });
		const past = await meetingFor(ref, specialist.id, -2);
		const later = await meetingFor(ref, specialist.id, 48);
		const list = await meetingsForStaff(specialist, { from: ukDate(NOW), days: 14 }, NOW);
		expect(list.owner).toMatchObject({ id: specialist.id, self: true });
		expect(list.days.map((d) => d.date)).toEqual(['2027-03-01', '2027-03-03']);
		expect(list.days[0].label).toBe('Monday 1 March');
		const first = list.days[0].meetings[0];
		expect(first).toMatchObject({ id: past.id, reference: ref.reference, personName: 'Sammy Taylor', place: 'by phone', status: 'booked', canRecordOutcome: true });
		expect(first.time).toMatch(/^\d{1,2}:\d{2}(am|pm) to \d{1,2}:\d{2}(am|pm)$/);
		expect(list.days[1].meetings[0]).toMatchObject({ id: later.id, canRecordOutcome: false });

		// From the next day on, the earlier meeting still waits for an outcome.
		const tomorrow = await meetingsForStaff(specialist, { from: '2027-03-02', days: 14 }, NOW);
		expect(tomorrow.waiting.map((m) => m.id)).toEqual([past.id]);

		// A team lead may look at the specialist's meetings; a specialist of another programme may not; a colleague sees only their own.
		const asLead = await meetingsForStaff(lead, { staffId: specialist.id, from: ukDate(NOW), days: 14 }, NOW);
		expect(asLead.days.flatMap((d) => d.meetings).map((m) => m.id)).toEqual([past.id, later.id]);
		expect(asLead.colleagues.map((c) => c.id)).toContain(specialist.id);
		await expect(meetingsForStaff(secondary, { staffId: specialist.id, from: ukDate(NOW), days: 14 }, NOW)).rejects.toMatchObject({ status: 404 });
		await expect(meetingsForStaff(colleague, { staffId: specialist.id, from: ukDate(NOW), days: 14 }, NOW)).rejects.toMatchObject({ status: 404 });
		expect((await meetingsForStaff(colleague, { from: ukDate(NOW), days: 14 }, NOW)).days).toEqual([]);
	});
});

describe('marking meetings', () => {
	it('marks a meeting attended: status, who and when, the event last, and the audit row', async () => {
		const ref = await aReferral({ now: REFERRED });
		const m = await meetingFor(ref, specialist.id, -3);
		expect(await recordOutcome(specialist, m.id, 'attended', NOW)).toEqual({ ok: true, meetingId: m.id, startsAt: m.startsAt, tasks: 0 });
		const row = await current(m.id);
		expect(row).toMatchObject({ status: 'attended', outcomeStaffId: specialist.id });
		expect(row.outcomeAt?.toISOString()).toBe(NOW.toISOString());
		const events = await eventsOf(ref.id, 'meeting.attended');
		expect(events).toHaveLength(1);
		expect(events[0].payload).toMatchObject({ meetingId: m.id, status: 'attended', first: true, actor: { kind: 'staff', staffId: specialist.id } });
		expect(await tasksOf(m.id)).toEqual([]);
		const db = await getDb();
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.referralId, ref.id), eq(auditLog.action, 'meeting.attended')));
		expect(audits).toHaveLength(1);
		expect(audits[0].staffId).toBe(specialist.id);

		// A second meeting is not the first; and a meeting already marked is refused with a message.
		const second = await meetingFor(ref, specialist.id, -1.5);
		expect((await recordOutcome(specialist, second.id, 'attended', NOW)).ok).toBe(true);
		expect((await eventsOf(ref.id, 'meeting.attended'))[1].payload).toMatchObject({ meetingId: second.id, first: false });
		expect(await recordOutcome(specialist, m.id, 'missed', NOW)).toEqual({ ok: false, message: 'This meeting is already marked as attended' });
		expect((await current(m.id)).status).toBe('attended');
	});

	it('marks a meeting did not attend and opens four follow-up tasks with due times, once', async () => {
		const ref = await aReferral({ answers: { contactChannels: ['phone', 'text', 'email'] }, now: REFERRED });
		const m = await meetingFor(ref, specialist.id, -2);
		const result = await recordOutcome(colleague, m.id, 'missed', NOW);
		expect(result).toEqual({ ok: true, meetingId: m.id, startsAt: m.startsAt, tasks: 4 });
		expect(await current(m.id)).toMatchObject({ status: 'missed', outcomeStaffId: colleague.id });
		const events = await eventsOf(ref.id, 'meeting.missed');
		expect(events).toHaveLength(1);
		expect(events[0].payload).toMatchObject({ meetingId: m.id, status: 'missed', first: true, actor: { kind: 'staff', staffId: colleague.id } });

		const tasks = await tasksOf(m.id);
		expect(tasks).toHaveLength(4);
		// The tasks go to the meeting's specialist, in its programme, each with its own due time.
		for (const t of tasks) expect(t).toMatchObject({ kind: 'missed-meeting', referralId: ref.id, programmeId: PRIMARY, staffId: specialist.id, doneAt: null });
		expect(tasks[0].dueAt.getTime()).toBeGreaterThan(NOW.getTime());
		expect(tasks[0].dueAt.getTime()).toBeLessThanOrEqual(NOW.getTime() + 24 * HOUR);
		const days = tasks.map((t) => ukDate(t.dueAt));
		expect(new Set(days).size).toBe(4);
		expect(new Set(tasks.map((t) => t.channel))).toEqual(new Set(['phone', 'text', 'email']));
		expect(tasks[0].title).toMatch(/attempt 1 of 4/);

		// Marked again: refused, and no task is made twice.
		expect(await recordOutcome(specialist, m.id, 'missed', NOW)).toEqual({ ok: false, message: 'This meeting is already marked as did not attend' });
		expect(await tasksOf(m.id)).toHaveLength(4);
		expect(await eventsOf(ref.id, 'meeting.missed')).toHaveLength(1);

		// Nothing closes the referral.
		const inbox = await openTasksFor(specialist, NOW);
		expect(inbox.filter((t) => t.reference === ref.reference)).toHaveLength(4);
		expect(inbox[0].due).toMatch(/^\w+day \d{1,2} \w+ at \d{1,2}:\d{2}(am|pm)$/);
	});

	it('counts follow-up days in the programme’s own calendar: a Scottish programme skips St Andrew’s Day, and a closure is skipped', async () => {
		const db = await getDb();
		const [{ service }] = await db.select({ service: programme.service }).from(programme).where(eq(programme.id, PRIMARY));
		// Monday 29 November 2027, 10:30; Tuesday 30th is St Andrew's Day (a bank holiday in Scotland only).
		const monday = new Date('2027-11-29T10:30:00Z');
		const hoursBefore = (monday.getTime() - NOW.getTime()) / HOUR - 2;
		try {
			await db.update(programme).set({ service: { ...readServiceSettings(service), nation: 'scotland', closures: [{ from: '2027-12-06', to: '2027-12-06', label: 'Staff training' }] } }).where(eq(programme.id, PRIMARY));
			forgetProgrammes();
			const m = await meetingFor(await aReferral({ answers: { contactChannels: ['phone'] }, now: REFERRED }), specialist.id, hoursBefore);
			expect(await recordOutcome(specialist, m.id, 'missed', monday)).toMatchObject({ ok: true, tasks: 4 });
			const days = (await tasksOf(m.id)).map((t) => ukDate(t.dueAt));
			expect(days).toHaveLength(4);
			expect(days).not.toContain('2027-11-30');
			expect(days).not.toContain('2027-12-06');
			expect(days[0]).toBe('2027-11-29');

			// The same miss in England and Wales: Tuesday the 30th is a working day.
			await db.update(programme).set({ service }).where(eq(programme.id, PRIMARY));
			forgetProgrammes();
			const e = await meetingFor(await aReferral({ answers: { contactChannels: ['phone'] }, now: REFERRED }), specialist.id, hoursBefore);
			await recordOutcome(specialist, e.id, 'missed', monday);
			expect((await tasksOf(e.id)).map((t) => ukDate(t.dueAt))[0]).toBe('2027-11-30');
		} finally {
			await db.update(programme).set({ service }).where(eq(programme.id, PRIMARY));
			forgetProgrammes();
		}
	});

	it('uses only the channels the person allows', async () => {
		const ref = await aReferral({ answers: { contactChannels: ['email'] }, now: REFERRED });
		const m = await meetingFor(ref, specialist.id, -3);
		await recordOutcome(specialist, m.id, 'missed', NOW);
		const tasks = await tasksOf(m.id);
		expect(tasks.map((t) => t.channel)).toEqual(['email', 'email', 'email', 'email']);
		expect(tasks[0].note).toMatch(/only by email/);
	});

	it('answers not found for a meeting in another programme, or no meeting at all', async () => {
		const ref = await aReferral({ answers: { circumstances: ['secondary-care'] }, now: REFERRED });
		expect(ref.programmeId).toBe(SECONDARY);
		const m = await meetingFor(ref, secondary.id, -2);
		await expect(recordOutcome(specialist, m.id, 'attended', NOW)).rejects.toMatchObject({ status: 404 });
		await expect(recordOutcome(lead, m.id, 'missed', NOW)).rejects.toMatchObject({ status: 404 });
		await expect(recordOutcome(specialist, '00000000-0000-4000-8000-000000000000', 'missed', NOW)).rejects.toMatchObject({ status: 404 });
		await expect(recordOutcome(specialist, 'not-an-id', 'missed', NOW)).rejects.toMatchObject({ status: 404 });
		expect((await current(m.id)).status).toBe('booked');
		expect(await tasksOf(m.id)).toEqual([]);
		// Its tasks and meetings are not in this programme's lists.
		await recordOutcome(secondary, m.id, 'missed', NOW);
		expect((await openTasksFor(lead, NOW)).some((t) => t.reference === ref.reference)).toBe(false);
		expect((await openTasksFor(secondary, NOW)).filter((t) => t.reference === ref.reference)).toHaveLength(4);
	});

	it('refuses a meeting that has not started yet, and a cancelled one', async () => {
		const ref = await aReferral({ now: REFERRED });
		const m = await meetingFor(ref, specialist.id, 3);
		const result = await recordOutcome(specialist, m.id, 'missed', NOW);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toMatch(/^This meeting has not started yet\. You can mark it from \d{1,2}:\d{2}(am|pm) on Monday 1 March$/);
		expect((await current(m.id)).status).toBe('booked');
		expect(await tasksOf(m.id)).toEqual([]);
		expect(await eventsOf(ref.id, 'meeting.missed')).toEqual([]);

		const db = await getDb();
		const cancelled = await meetingFor(ref, specialist.id, -5);
		await db.update(meeting).set({ status: 'cancelled' }).where(eq(meeting.id, cancelled.id));
		expect(await recordOutcome(specialist, cancelled.id, 'attended', NOW)).toEqual({ ok: false, message: 'This meeting was cancelled, so it cannot be marked' });
	});
});

describe('tasks', () => {
	it('shows a specialist their own and the team’s tasks, leads all, soonest first, overdue flagged; Done records who and when', async () => {
		const ref = await aReferral({ now: REFERRED });
		const m = await meetingFor(ref, colleague.id, -2);
		await recordOutcome(colleague, m.id, 'missed', NOW);
		const theirs = (await openTasksFor(colleague, NOW)).filter((t) => t.reference === ref.reference);
		expect(theirs).toHaveLength(4);
		expect(theirs.map((t) => t.dueAt.getTime())).toEqual([...theirs.map((t) => t.dueAt.getTime())].sort((a, b) => a - b));
		expect(theirs.every((t) => !t.overdue)).toBe(true);
		// Another specialist does not see a colleague's tasks; the team lead does.
		expect((await openTasksFor(specialist, NOW)).some((t) => t.reference === ref.reference)).toBe(false);
		expect((await openTasksFor(lead, NOW)).filter((t) => t.reference === ref.reference)).toHaveLength(4);
		// Three days on, the first is overdue.
		const later = new Date(NOW.getTime() + 3 * 24 * HOUR);
		expect((await openTasksFor(colleague, later)).find((t) => t.id === theirs[0].id)?.overdue).toBe(true);

		// Another programme's staff cannot complete it.
		await expect(completeTask(secondary, theirs[0].id, NOW)).rejects.toMatchObject({ status: 404 });
		await expect(completeTask(secondary, 'x', NOW)).rejects.toMatchObject({ status: 404 });

		expect(await completeTask(colleague, theirs[0].id, NOW)).toEqual({ changed: true, reference: ref.reference });
		expect(await completeTask(colleague, theirs[0].id, NOW)).toEqual({ changed: false, reference: ref.reference });
		const db = await getDb();
		const [done] = await db.select().from(task).where(eq(task.id, theirs[0].id));
		expect(done.doneStaffId).toBe(colleague.id);
		expect(done.doneAt?.toISOString()).toBe(NOW.toISOString());
		expect((await openTasksFor(colleague, NOW)).filter((t) => t.reference === ref.reference)).toHaveLength(3);
		const all = await tasksForReferral(ref.id, NOW);
		expect(all).toHaveLength(4);
		expect(all.find((t) => t.id === theirs[0].id)?.doneByName).toBe(colleague.name);
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.referralId, ref.id), eq(auditLog.action, 'task.done')));
		expect(audits).toHaveLength(1);
	});

	it('shows team tasks (no one named) to every specialist in the programme', async () => {
		const ref = await aReferral({ now: REFERRED });
		const db = await getDb();
		const [row] = await db
			.insert(task)
			.values({ key: `test:${ref.id}`, kind: 'missed-meeting', referralId: ref.id, programmeId: PRIMARY, title: 'Phone the person', dueAt: new Date(NOW.getTime() - HOUR) })
			.returning();
		const seen = (await openTasksFor(specialist, NOW)).find((t) => t.id === row.id);
		expect(seen).toMatchObject({ overdue: true, staffName: null, reference: ref.reference });
		expect((await openTasksFor(secondary, NOW)).some((t) => t.id === row.id)).toBe(false);
	});
});
