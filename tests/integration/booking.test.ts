/**
 * Booking, moving and cancelling meetings on a real database (PGlite, and PostgreSQL when DATABASE_URL is
 * set): the rows, events, emails with their .ics and reminder rows each change writes; twenty people racing
 * for one time; another person's meeting id; and the 2027 clock changes.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, asc, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { slotLabel } from '../../src/lib/domain/meetings/labels';
import { ukDate, ukInstant } from '../../src/lib/domain/uk-time';
import { getDb } from '../../src/lib/server/db';
import { availabilityPattern, event, meeting, referral, job, staff as staffTable, venue } from '../../src/lib/server/db/schema';
import { bookMeeting, cancelMeeting, freeSlotsForChange, freeSlotsForParticipant, meetingForParticipant, rescheduleMeeting } from '../../src/lib/server/meetings/booking';
import { meetingLabel } from '../../src/lib/server/meetings/messages';
import { getReferralForStaff } from '../../src/lib/server/casework';
import { eventPayloadSchema } from '../../src/lib/server/events/payload';
import { seedProgrammes } from '../../src/lib/server/programmes';
import type { ModeKind } from '../../src/lib/domain/meetings/modes';
import { asEmail, emailJob, queuedEmails } from '../support/jobs';
import { aParticipant, aProgramme, aStaffMember, textRemindersConsent } from '../support/factories';

const HOUR = 3_600_000;
/** A Monday, so the first free times (24 hours' notice) fall on Tuesday 2 March 2027. */
const NOW = new Date('2027-03-01T10:00:00Z');
const HEALTH_WORDS = ['Back pain', 'anxiety'];


async function specialist(programmeId: string, patterns: { weekdays: number[]; start: string; end: string; modes: ModeKind[]; venueId?: string }[], videoLink?: string) {
	const staff = await aStaffMember('specialist', [programmeId]);
	const db = await getDb();
	const rows = patterns.flatMap((p) => p.weekdays.map((weekday) => ({ staffId: staff.id, weekday, start: p.start, end: p.end, modes: p.modes, venueId: p.venueId ?? null })));
	await db.insert(availabilityPattern).values(rows);
	if (videoLink) await db.update(staffTable).set({ videoLink }).where(eq(staffTable.id, staff.id));
	return staff.id;
}

async function emailsFor(meetingId: string) {
	const db = await getDb();
	const rows = (
		await db
			.select({ job, type: event.type, payload: event.payload })
			.from(job)
			.innerJoin(event, eq(event.eventId, job.eventId))
			.where(eq(job.kind, 'email'))
			.orderBy(asc(event.id))
	).map((r) => ({ email: asEmail(r.job), type: r.type, payload: r.payload }));
	// Per event, the person's own email (it links to /account) before an invitee's: rows written in one
	// statement have no order of their own. The specialist's email about the same event is checked apart.
	const mine = rows.filter((r) => (r.payload as { meetingId?: string }).meetingId === meetingId && !r.email.kind.endsWith('.staff'));
	const eventOrder = [...new Set(mine.map((r) => r.email.eventId))];
	const rank = (r: (typeof rows)[number]) => eventOrder.indexOf(r.email.eventId) * 2 + Number(!r.email.body.includes('/account'));
	return [...mine].sort((a, b) => rank(a) - rank(b));
}

async function remindersFor(meetingId: string) {
	const db = await getDb();
	return db
		.select()
		.from(job)
		.where(and(eq(job.kind, 'meeting.reminder'), eq(job.meetingId, meetingId)))
		.orderBy(asc(job.dueAt), asc(job.channel));
}

async function meetingEvents(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(asc(event.id));
}

function parseIcs(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const vevent = calendar.getFirstSubcomponent('vevent')!;
	return { method: calendar.getFirstPropertyValue('method'), event: new ICAL.Event(vevent), status: vevent.getFirstPropertyValue('status') };
}

const ukWall = (date: Date) => format(new TZDate(date.getTime(), 'Europe/London'), 'yyyy-MM-dd HH:mm');

beforeAll(async () => {
	await seedProgrammes();
});

describe('booking, moving and cancelling', () => {
	let programmeId: string;
	let day: string;
	let evening: string;
	let venueId: string;

	beforeAll(async () => {
		programmeId = await aProgramme('main');
		const db = await getDb();
		[{ id: venueId }] = await db
			.insert(venue)
			.values({ name: 'Central Library', address: "St Peter's Square, Manchester", postcode: 'M2 5PD', privateRoom: true })
			.returning({ id: venue.id });
		day = await specialist(programmeId, [{ weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', modes: ['in-person', 'phone', 'video'], venueId }], 'https://meet.example.org/day');
		evening = await specialist(programmeId, [{ weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '20:00', modes: ['phone'] }]);
	});

	it('books the first meeting with a free specialist: the row, the referral routed, the events, the emails with the .ics, the reminders', async () => {
		const p = await aParticipant({ programmeId: programmeId, answers: textRemindersConsent(true) });
		const { slots, routing } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		expect(routing.first).toBe(true);
		expect(new Set(slots.flatMap((s) => s.specialistIds))).toEqual(new Set([day, evening]));
		const slot = slots.find((s) => ukWall(s.start) === '2027-03-02 11:00')!;
		expect(slot).toBeDefined();

		const result = await bookMeeting(p, { start: slot.start, mode: 'phone', inviteeEmail: 'Worker@Example.org' }, NOW);
		if (!result.ok) throw new Error(result.reason);
		const m = result.meeting;
		expect(m).toMatchObject({ staffId: day, status: 'booked', version: 1, mode: 'phone', participantId: p.id, inviteeEmail: 'worker@example.org' });
		expect(m.endsAt.getTime() - m.startsAt.getTime()).toBe(45 * 60_000);

		const db = await getDb();
		const [ref] = await db.select().from(referral).where(eq(referral.id, p.referralId));
		expect(ref.assignedStaffId).toBe(day);
		// The first meeting moves the referral on: held by that specialist, "First meeting booked", contact made.
		expect(ref).toMatchObject({ status: 'meeting-booked', firstContactAt: NOW });
		const types = (await meetingEvents(p.referralId)).map((e) => e.type);
		expect(types).toEqual(['referral.submitted', 'referral.assigned', 'referral.status_changed', 'meeting.booked']);
		// The specialist is told: the reference, the time and how, never the person's name or health.
		const [bookedEvent] = (await meetingEvents(p.referralId)).filter((e) => e.type === 'meeting.booked');
		const toStaff = await queuedEmails(and(eq(emailJob.eventId, bookedEvent.eventId), eq(emailJob.kind, 'meeting.booked.staff')));
		const [dayStaff] = await db.select({ email: staffTable.email }).from(staffTable).where(eq(staffTable.id, day));
		expect(toStaff.map((e) => e.to)).toEqual([dayStaff.email]);
		expect(toStaff[0].subject).toBe(`Meeting booked: ${ref.reference}, Tuesday 2 March, 11:00am to 11:45am, by phone`);
		expect(toStaff[0].body).toContain(`Participant ${ref.reference} has booked a first meeting with you.`);
		for (const word of [...HEALTH_WORDS, 'Taylor', 'Sam', '07700900982']) expect(`${toStaff[0].subject}\n${toStaff[0].body}`).not.toContain(word);

		const emails = await emailsFor(m.id);
		expect(emails.map((e) => [e.type, e.email.to, e.email.kind])).toEqual([
			['meeting.booked', p.email, 'meeting.booked'],
			['meeting.booked', 'worker@example.org', 'meeting.booked']
		]);
		const [mine, theirs] = emails.map((e) => e.email);
		expect(mine.subject).toBe('Your meeting is booked');
		expect(mine.body).toContain('When: Tuesday 2 March 2027, 11:00am to 11:45am (UK time)');
		expect(mine.body).toContain('your specialist will call you on 07700900982');
		expect(mine.body).toContain('http://localhost:3000/account');
		expect(theirs.body).not.toContain('07700900982');
		expect(theirs.body).not.toContain('/account');
		for (const e of [mine, theirs]) {
			for (const word of [...HEALTH_WORDS, 'Taylor']) expect(`${e.subject}\n${e.body}\n${e.attachments?.[0].content}`).not.toContain(word);
			expect(e.attachments).toHaveLength(1);
			expect(e.attachments![0]).toMatchObject({ filename: 'meeting.ics', contentType: 'text/calendar; method=REQUEST; charset=utf-8' });
			const ics = parseIcs(e.attachments![0].content);
			expect(ics.method).toBe('REQUEST');
			expect(ics.event.uid).toBe(`${m.id}@localhost`);
			expect(ics.event.sequence).toBe(0);
			expect(ics.event.startDate.toJSDate().getTime()).toBe(m.startsAt.getTime());
		}

		// 24 hours and 2 hours before, by email and (with consent) by text, for version 1.
		const reminders = await remindersFor(m.id);
		expect(reminders.map((r) => [r.key, r.channel, r.recipient, r.dueAt.toISOString(), r.status])).toEqual([
			[`meeting-reminder:${m.id}:v1:1440m:email`, 'email', p.email, '2027-03-01T11:00:00.000Z', 'pending'],
			[`meeting-reminder:${m.id}:v1:1440m:text`, 'text', p.phone, '2027-03-01T11:00:00.000Z', 'pending'],
			[`meeting-reminder:${m.id}:v1:120m:email`, 'email', p.email, '2027-03-02T09:00:00.000Z', 'pending'],
			[`meeting-reminder:${m.id}:v1:120m:text`, 'text', p.phone, '2027-03-02T09:00:00.000Z', 'pending']
		]);

		// The same booking sent again (a double click) is the same meeting, with nothing sent twice.
		const again = await bookMeeting(p, { start: slot.start, mode: 'phone' }, NOW);
		expect(again).toMatchObject({ ok: true, meeting: { id: m.id } });
		expect(await emailsFor(m.id)).toHaveLength(2);

		// The time is gone for everyone; the person's later meetings are with the same specialist only.
		const after = await freeSlotsForParticipant(p, { now: NOW });
		expect(after.routing).toMatchObject({ first: false, specialistIds: [day] });
		expect(after.slots.some((s) => s.start.getTime() === slot.start.getTime())).toBe(false);
		const other = await aParticipant({ programmeId: programmeId });
		expect((await freeSlotsForParticipant(other, { mode: 'phone', now: NOW })).slots.some((s) => s.start.getTime() === slot.start.getTime())).toBe(false);
	});

	it('sends no text reminders without text consent', async () => {
		const p = await aParticipant({ programmeId: programmeId, answers: textRemindersConsent(false) });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'video', now: NOW });
		const result = await bookMeeting(p, { start: slots[3].start, mode: 'video' }, NOW);
		if (!result.ok) throw new Error(result.reason);
		expect((await remindersFor(result.meeting.id)).map((r) => r.channel)).toEqual(['email', 'email']);
		const [mail] = (await emailsFor(result.meeting.id)).map((e) => e.email);
		expect(mail.body).toContain('By video call: join at https://meet.example.org/day');
		expect(parseIcs(mail.attachments![0].content).event.location).toBe('https://meet.example.org/day');
	});

	it('routes a first meeting booked in the evening to the evening specialist, and later meetings to them only', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const eveningSlot = slots.find((s) => ukWall(s.start) === '2027-03-03 18:00')!;
		const result = await bookMeeting(p, { start: eveningSlot.start, mode: 'phone' }, NOW);
		if (!result.ok) throw new Error(result.reason);
		expect(result.meeting.staffId).toBe(evening);
		const later = await freeSlotsForParticipant(p, { now: NOW });
		expect(later.slots.length).toBeGreaterThan(0);
		for (const s of later.slots) expect(s.specialistIds).toEqual([evening]);
		// A daytime time is not the named specialist's: refused as gone.
		const daytime = slots.find((s) => ukWall(s.start) === '2027-03-04 11:00')!;
		expect(await bookMeeting(p, { start: daytime.start, mode: 'phone' }, NOW)).toEqual({ ok: false, reason: 'taken' });
	});

	it('books in person at a venue, with the address in the email and the .ics', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'in-person', venueId, now: NOW });
		expect(slots.length).toBeGreaterThan(0);
		const result = await bookMeeting(p, { start: slots[0].start, mode: 'in-person', venueId }, NOW);
		if (!result.ok) throw new Error(result.reason);
		expect(result.meeting.venueId).toBe(venueId);
		const [mail] = (await emailsFor(result.meeting.id)).map((e) => e.email);
		expect(mail.body).toContain("Where: In person at Central Library, St Peter's Square, Manchester, M2 5PD");
		expect(parseIcs(mail.attachments![0].content).event.location).toBe("Central Library, St Peter's Square, Manchester, M2 5PD");
		// In person needs the venue: without it nothing is booked.
		expect(await bookMeeting(p, { start: slots[1].start, mode: 'in-person' }, NOW)).toEqual({ ok: false, reason: 'taken' });
	});

	it('moves a meeting: same id and UID, version and SEQUENCE up, old reminders dropped, new ones made, one event with the times before', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(p, { start: slots.find((s) => ukWall(s.start) === '2027-03-09 09:00')!.start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
		const options = await freeSlotsForChange(p, booked.meeting, NOW);
		expect(options.some((s) => s.start.getTime() === booked.meeting.startsAt.getTime())).toBe(false);
		const target = options.find((s) => ukWall(s.start) === '2027-03-10 14:00')!;
		const later = new Date(NOW.getTime() + HOUR);

		const moved = await rescheduleMeeting(p, booked.meeting.id, target.start, later);
		if (!moved.ok) throw new Error(moved.reason);
		expect(moved.meeting).toMatchObject({ id: booked.meeting.id, version: 2, status: 'booked', staffId: booked.meeting.staffId });
		expect(moved.meeting.startsAt.toISOString()).toBe(target.start.toISOString());

		const reminders = await remindersFor(booked.meeting.id);
		expect(reminders.filter((r) => r.key.includes(':v1:')).map((r) => r.status)).toEqual(['dropped', 'dropped']);
		expect(reminders.filter((r) => r.key.includes(':v2:')).map((r) => [r.status, r.dueAt.toISOString()])).toEqual([
			['pending', '2027-03-09T14:00:00.000Z'],
			['pending', '2027-03-10T12:00:00.000Z']
		]);

		const events = (await meetingEvents(p.referralId)).filter((e) => e.type.startsWith('meeting.'));
		expect(events.map((e) => e.type)).toEqual(['meeting.booked', 'meeting.rescheduled']);
		expect(events[1].payload).toMatchObject({
			meetingId: booked.meeting.id,
			version: 2,
			first: true,
			previous: { startsAt: booked.meeting.startsAt.toISOString(), endsAt: booked.meeting.endsAt.toISOString(), staffId: booked.meeting.staffId },
			actor: { kind: 'participant' }
		});

		const [first, second] = (await emailsFor(booked.meeting.id)).map((e) => e.email);
		expect(second.subject).toBe('Your meeting has moved to a new time');
		expect(second.body).toContain('When: Wednesday 10 March 2027, 2:00pm to 2:45pm (UK time)');
		expect(second.body).toContain('(It was Tuesday 9 March 2027, 9:00am to 9:45am (UK time).)');
		const a = parseIcs(first.attachments![0].content).event;
		const b = parseIcs(second.attachments![0].content).event;
		expect(b.uid).toBe(a.uid);
		expect(b.sequence).toBeGreaterThan(a.sequence);
		expect(b.startDate.toJSDate().toISOString()).toBe(target.start.toISOString());

		// The old time is free again; the new one is not.
		const now = await freeSlotsForParticipant(p, { mode: 'phone', now: later });
		expect(now.slots.some((s) => s.start.getTime() === booked.meeting.startsAt.getTime())).toBe(true);
		expect(now.slots.some((s) => s.start.getTime() === target.start.getTime())).toBe(false);
		// The same move sent again changes nothing.
		expect(await rescheduleMeeting(p, booked.meeting.id, target.start, later)).toMatchObject({ ok: true, meeting: { version: 2 } });
		expect((await meetingEvents(p.referralId)).filter((e) => e.type === 'meeting.rescheduled')).toHaveLength(1);
		// Moving to a time that is not free is refused.
		expect(await rescheduleMeeting(p, booked.meeting.id, new Date('2027-03-10T03:00:00Z'), later)).toEqual({ ok: false, reason: 'taken' });
	});

	it('moves a meeting to another way the specialist offers: same id, version up, the new way stored, in the event, the emails, the .ics and the history', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(p, { start: slots.find((s) => ukWall(s.start) === '2027-03-15 10:00')!.start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
		expect(booked.meeting.staffId).toBe(day);
		const later = new Date(NOW.getTime() + HOUR);

		// The times offered follow the way chosen: in person at the venue, the same specialist only; the
		// meeting's own time is offered too, since only the way changes.
		const inPerson = await freeSlotsForChange(p, booked.meeting, later, { mode: 'in-person', venueId });
		expect(inPerson.length).toBeGreaterThan(0);
		for (const s of inPerson) {
			expect(s.specialistIds).toEqual([day]);
			expect(s.modes).toEqual([{ kind: 'in-person', venueId }]);
		}
		expect(inPerson.some((s) => s.start.getTime() === booked.meeting.startsAt.getTime())).toBe(true);
		// The evening specialist's times are not offered, whatever the way: the meeting stays with its specialist.
		expect((await freeSlotsForChange(p, booked.meeting, later, { mode: 'phone' })).some((s) => ukWall(s.start).endsWith('18:00'))).toBe(false);
		// No phone number, no phone meeting.
		const noPhone = { ...p, phone: null };
		expect(await freeSlotsForChange(noPhone, booked.meeting, later, { mode: 'phone' })).toEqual([]);

		const target = inPerson.find((s) => ukWall(s.start) === '2027-03-16 14:00')!;
		expect(await rescheduleMeeting(noPhone, booked.meeting.id, { start: target.start, mode: 'phone' }, later)).toEqual({ ok: false, reason: 'taken' });
		// In person needs its venue.
		expect(await rescheduleMeeting(p, booked.meeting.id, { start: target.start, mode: 'in-person' }, later)).toEqual({ ok: false, reason: 'taken' });
		const moved = await rescheduleMeeting(p, booked.meeting.id, { start: target.start, mode: 'in-person', venueId }, later);
		if (!moved.ok) throw new Error(moved.reason);
		expect(moved.meeting).toMatchObject({ id: booked.meeting.id, version: 2, status: 'booked', staffId: day, mode: 'in-person', venueId });
		const db = await getDb();
		const [stored] = await db.select().from(meeting).where(eq(meeting.id, booked.meeting.id));
		expect(stored).toMatchObject({ mode: 'in-person', venueId, version: 2, startsAt: target.start });
		// The same change sent again (a double click) changes nothing more.
		expect(await rescheduleMeeting(p, booked.meeting.id, { start: target.start, mode: 'in-person', venueId }, later)).toMatchObject({ ok: true, meeting: { version: 2 } });

		// The event carries the new way and the one before, and its public body (built and fixed when it was
		// written) validates against the published schema, with the venues named.
		const [rescheduled] = (await meetingEvents(p.referralId)).filter((e) => e.type === 'meeting.rescheduled');
		expect(rescheduled.payload).toMatchObject({
			mode: 'in-person',
			venueId,
			version: 2,
			previous: { startsAt: booked.meeting.startsAt.toISOString(), staffId: day, mode: 'phone', venueId: null }
		});
		const body = eventPayloadSchema.parse(JSON.parse(rescheduled.body!));
		if (body.type !== 'meeting.rescheduled') throw new Error(body.type);
		expect(body.data.meeting).toMatchObject({
			mode: 'in-person',
			venue: { id: venueId, name: 'Central Library' },
			previous: { startsAt: booked.meeting.startsAt.toISOString(), mode: 'phone', venue: null }
		});

		// The email and the .ics give the new place, and say where it was.
		const [, mail] = (await emailsFor(booked.meeting.id)).map((e) => e.email);
		expect(mail.subject).toBe('Your meeting has changed');
		expect(mail.body).toContain('has moved to a new time, and you will now meet in person at Central Library.');
		expect(mail.body).toContain("Where: In person at Central Library, St Peter's Square, Manchester, M2 5PD");
		expect(mail.body).toContain('(It was by phone.)');
		expect(mail.body).toContain('(It was Monday 15 March 2027, 10:00am to 10:45am (UK time).)');
		const ics = parseIcs(mail.attachments![0].content);
		expect(ics.event.location).toBe("Central Library, St Peter's Square, Manchester, M2 5PD");
		expect(ics.event.sequence).toBe(1);
		// Reminders for the new version only.
		const reminders = await remindersFor(booked.meeting.id);
		expect(reminders.filter((r) => r.key.includes(':v1:')).map((r) => r.status)).toEqual(['dropped', 'dropped']);
		expect(reminders.filter((r) => r.key.includes(':v2:')).map((r) => r.status)).toEqual(['pending', 'pending']);

		// Only the way changes, at the same time: video, with the link.
		const video = await rescheduleMeeting(p, booked.meeting.id, { start: target.start, mode: 'video' }, later);
		if (!video.ok) throw new Error(video.reason);
		expect(video.meeting).toMatchObject({ version: 3, mode: 'video', venueId: null, startsAt: target.start });
		const last = (await emailsFor(booked.meeting.id)).map((e) => e.email).at(-1)!;
		expect(last.subject).toBe('Your meeting has changed');
		expect(last.body).toContain('has changed: you will now meet by video call.');
		expect(last.body).toContain('Where: By video call: join at https://meet.example.org/day');
		expect(last.body).toContain('(It was in person at Central Library.)');
		expect(last.body).not.toContain('(It was Tuesday');
		// A plain move of time keeps the old subject.
		const times = await freeSlotsForChange(p, video.meeting, later);
		const plain = await rescheduleMeeting(p, booked.meeting.id, times.find((s) => ukWall(s.start) === '2027-03-17 11:00')!.start, later);
		if (!plain.ok) throw new Error(plain.reason);
		expect(plain.meeting).toMatchObject({ version: 4, mode: 'video' });
		expect((await emailsFor(booked.meeting.id)).map((e) => e.email).at(-1)!.subject).toBe('Your meeting has moved to a new time');

		// The specialist reads it in words on the referral page.
		const user = { id: day, email: 'day@example.org', name: 'Specialist', role: 'specialist' as const, programmeIds: [programmeId] };
		const { reference } = (await db.select({ reference: referral.reference }).from(referral).where(eq(referral.id, p.referralId)))[0];
		const titles = (await getReferralForStaff(user, reference)).history.map((h) => [h.title, ...h.lines].join(' | '));
		const [dayName] = (await db.select({ name: staffTable.name }).from(staffTable).where(eq(staffTable.id, day))).map((s) => s.name);
		expect(titles.slice(-4)).toEqual([
			`First meeting booked by the person for Monday 15 March at 10:00am, by phone | With ${dayName}`,
			`Meeting moved by the person from Monday 15 March at 10:00am to Tuesday 16 March at 2:00pm | Now in person at Central Library: it was by phone | With ${dayName}`,
			`Meeting moved by the person to Tuesday 16 March at 2:00pm | Now by video call: it was in person at Central Library | With ${dayName}`,
			`Meeting moved by the person from Tuesday 16 March at 2:00pm to Wednesday 17 March at 11:00am | Still by video call | With ${dayName}`
		]);
	});

	it('cancels a meeting: the time is free, reminders dropped, METHOD:CANCEL with a higher SEQUENCE, the reason in the event', async () => {
		const p = await aParticipant({ programmeId: programmeId, answers: textRemindersConsent(true) });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const slot = slots.find((s) => ukWall(s.start) === '2027-03-11 15:00')!;
		const booked = await bookMeeting(p, { start: slot.start, mode: 'phone', inviteeEmail: 'helper@example.org' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
		const cancelled = await cancelMeeting(p, booked.meeting.id, 'I have a job interview', NOW);
		if (!cancelled.ok) throw new Error(cancelled.reason);
		expect(cancelled.meeting).toMatchObject({ status: 'cancelled', cancelReason: 'I have a job interview', cancelledBy: 'participant', version: 1 });
		expect((await remindersFor(booked.meeting.id)).map((r) => r.status)).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);

		const events = (await meetingEvents(p.referralId)).filter((e) => e.type.startsWith('meeting.'));
		expect(events.map((e) => e.type)).toEqual(['meeting.booked', 'meeting.cancelled']);
		expect(events[1].payload).toMatchObject({ status: 'cancelled', reason: 'I have a job interview' });

		const emails = (await emailsFor(booked.meeting.id)).filter((e) => e.type === 'meeting.cancelled').map((e) => e.email);
		expect(emails.map((e) => e.to).sort()).toEqual([p.email, 'helper@example.org'].sort());
		for (const e of emails) {
			expect(e.attachments![0].contentType).toBe('text/calendar; method=CANCEL; charset=utf-8');
			const ics = parseIcs(e.attachments![0].content);
			expect(ics.method).toBe('CANCEL');
			expect(ics.status).toBe('CANCELLED');
			expect(ics.event.uid).toBe(`${booked.meeting.id}@localhost`);
			expect(ics.event.sequence).toBe(1);
		}
		expect((await freeSlotsForParticipant(p, { mode: 'phone', now: NOW })).slots.some((s) => s.start.getTime() === slot.start.getTime())).toBe(true);
		// Once cancelled it cannot be cancelled or moved again.
		expect(await cancelMeeting(p, booked.meeting.id, null, NOW)).toEqual({ ok: false, reason: 'cancelled' });
		expect(await rescheduleMeeting(p, booked.meeting.id, slots[5].start, NOW)).toEqual({ ok: false, reason: 'cancelled' });
	});

	it('refuses to move or cancel inside the notice window, and a meeting that has happened', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(p, { start: slots[0].start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
		const start = booked.meeting.startsAt.getTime();
		const lateNow = new Date(start - 23 * HOUR);
		expect(await cancelMeeting(p, booked.meeting.id, null, lateNow)).toEqual({ ok: false, reason: 'too-late' });
		expect(await rescheduleMeeting(p, booked.meeting.id, slots[10].start, lateNow)).toEqual({ ok: false, reason: 'too-late' });
		expect(await cancelMeeting(p, booked.meeting.id, null, new Date(start + HOUR))).toEqual({ ok: false, reason: 'past' });
		// Just outside the window it still can.
		expect((await cancelMeeting(p, booked.meeting.id, null, new Date(start - 25 * HOUR))).ok).toBe(true);
	});

	it("finds nothing for another person's meeting id, and changes nothing", async () => {
		const owner = await aParticipant({ programmeId: programmeId });
		const stranger = await aParticipant({ programmeId: programmeId });
		const { slots } = await freeSlotsForParticipant(owner, { mode: 'phone', now: NOW });
		const booked = await bookMeeting(owner, { start: slots[2].start, mode: 'phone' }, NOW);
		if (!booked.ok) throw new Error(booked.reason);
		expect(await meetingForParticipant(stranger, booked.meeting.id)).toBeNull();
		expect(await meetingForParticipant(owner, booked.meeting.id)).not.toBeNull();
		expect(await rescheduleMeeting(stranger, booked.meeting.id, slots[8].start, NOW)).toEqual({ ok: false, reason: 'not-found' });
		expect(await cancelMeeting(stranger, booked.meeting.id, 'not mine', NOW)).toEqual({ ok: false, reason: 'not-found' });
		for (const id of ['not-a-uuid', "' or 1=1 --", '00000000-0000-4000-8000-000000000000']) {
			expect(await meetingForParticipant(owner, id)).toBeNull();
			expect(await cancelMeeting(owner, id, null, NOW)).toEqual({ ok: false, reason: 'not-found' });
		}
		const db = await getDb();
		const [row] = await db.select().from(meeting).where(eq(meeting.id, booked.meeting.id));
		expect(row).toMatchObject({ status: 'booked', version: 1 });
	});

	it('refuses a booking for a closed referral', async () => {
		const p = await aParticipant({ programmeId: programmeId });
		const db = await getDb();
		await db.update(referral).set({ status: 'closed', closedReason: '099' }).where(eq(referral.id, p.referralId));
		const open = await freeSlotsForParticipant(p, { now: NOW });
		expect(open.slots).toEqual([]);
		expect(await bookMeeting(p, { start: ukInstant('2027-03-05', '10:00')!, mode: 'phone' }, NOW)).toEqual({ ok: false, reason: 'closed' });
	});
});

describe('twenty people booking one time at once', () => {
	it('makes exactly one meeting', async () => {
		const programmeId = await aProgramme('race');
		const staffId = await specialist(programmeId, [{ weekdays: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '17:00', modes: ['phone', 'video'] }]);
		const people = await Promise.all(Array.from({ length: 20 }, () => aParticipant({ programmeId: programmeId })));
		const start = ukInstant('2027-03-04', '11:00')!;
		const results = await Promise.all(people.map((p) => bookMeeting(p, { start, mode: 'phone' }, NOW)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok).map((r) => (r as { reason: string }).reason)).toEqual(Array(19).fill('taken'));
		const db = await getDb();
		const rows = await db
			.select()
			.from(meeting)
			.where(and(eq(meeting.staffId, staffId), eq(meeting.startsAt, start)));
		expect(rows).toHaveLength(1);
		const booked = await db.select().from(event).where(eq(event.programmeId, programmeId));
		expect(booked.filter((e) => e.type === 'meeting.booked')).toHaveLength(1);
		// A video booking of the same time by one who lost is refused too: the specialist is busy.
		const loser = people[results.findIndex((r) => !r.ok)];
		expect(await bookMeeting(loser, { start, mode: 'video' }, NOW)).toEqual({ ok: false, reason: 'taken' });
	});
});

describe('clock changes in 2027', () => {
	let programmeId: string;

	beforeAll(async () => {
		programmeId = await aProgramme('clock');
		// Every day, around the clock (so the missing and repeated hours are inside the hours offered).
		await specialist(programmeId, [{ weekdays: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', modes: ['phone'] }]);
	});

	const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${String(from + i).padStart(2, '0')}:00`);

	for (const [season, now, sunday, monday, sundayHours] of [
		// 01:00 does not happen on 28 March: clocks go from 01:00 GMT to 02:00 BST. Monday 29 March is Easter
		// Monday, a bank holiday with no free times, so the working day after is Tuesday 30 March.
		['spring', '2027-03-10T12:00:00Z', '2027-03-28', '2027-03-30', ['00:00', ...hours(2, 23)]],
		// 01:00 happens twice on 31 October: it is offered once, at its first occurrence (BST).
		['autumn', '2027-10-10T12:00:00Z', '2027-10-31', '2027-11-01', hours(0, 23)]
	] as const) {
		it(`${season}: free times have no missing or doubled hour, and 10:00 meetings read 10:00am on the page, in the email and in the .ics`, async () => {
			const p = await aParticipant({ programmeId: programmeId });
			const at = new Date(now);
			const { slots } = await freeSlotsForParticipant(p, { mode: 'phone', now: at });
			const wallOn = (date: string) => slots.filter((s) => ukDate(s.start) === date).map((s) => ukWall(s.start).slice(11));
			expect(wallOn(sunday)).toEqual(sundayHours);
			expect(wallOn(monday)).toEqual(hours(0, 23));
			if (season === 'spring') expect(wallOn('2027-03-29')).toEqual([]);
			for (const date of [sunday, monday]) {
				const day = slots.filter((s) => ukDate(s.start) === date);
				const labels = day.map((s) => slotLabel(s, { kind: 'phone' }));
				expect(new Set(labels).size).toBe(labels.length);
				for (const [i, s] of day.entries()) {
					expect(s.end.getTime() - s.start.getTime()).toBe(45 * 60_000);
					if (i > 0) expect(s.start.getTime() - day[i - 1].start.getTime()).toBeGreaterThanOrEqual(HOUR);
				}
			}
			if (season === 'autumn') expect(slotLabel(slots.find((s) => ukWall(s.start) === `${sunday} 01:00`)!, { kind: 'phone' })).toContain('1:00am BST');

			for (const date of [sunday, monday]) {
				const start = ukInstant(date, '10:00')!;
				const result = await bookMeeting(p, { start, mode: 'phone' }, at);
				if (!result.ok) throw new Error(`${date}: ${result.reason}`);
				const m = result.meeting;
				expect(meetingLabel(m, null)).toMatch(/, 10:00am to 10:45am, by phone$/);
				const [mail] = (await emailsFor(m.id)).map((e) => e.email);
				expect(mail.body).toMatch(new RegExp(`When: \\w+ \\d+ \\w+ 2027, 10:00am to 10:45am \\(UK time\\)`));
				const ics = parseIcs(mail.attachments![0].content);
				expect(ukWall(ics.event.startDate.toJSDate())).toBe(`${date} 10:00`);
				expect(ukWall(ics.event.endDate.toJSDate())).toBe(`${date} 10:45`);
			}
		});
	}
});
