import { and, desc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawValues } from '../../src/lib/domain/fields';
import { bookingSettingsValues } from '../../src/lib/domain/meetings/availability-forms';
import { freeSlots } from '../../src/lib/domain/meetings/free-slots';
import { DEFAULT_BOOKING_SETTINGS } from '../../src/lib/domain/meetings/settings';
import { ukDate, ukTime } from '../../src/lib/domain/uk-time';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { auditLog, availabilityPattern, programme, programmeRevision, staff, venue } from '../../src/lib/server/db/schema';
import { DEMO_STAFF, seedDemoStaff } from '../../src/lib/server/demo-staff';
import {
	addLeave,
	addOneOffChange,
	addWeeklyPattern,
	availabilityOwner,
	availabilityView,
	bookingSettingsFor,
	colleaguesFor,
	createVenue,
	getVenue,
	listVenues,
	loadAvailability,
	removeLeave,
	removeOneOffChange,
	removeWeeklyPattern,
	saveBookingSettings,
	setVenueDisabled,
	setVideoLink,
	updateVenue
} from '../../src/lib/server/meetings/availability-store';
import { DEMO_EXTENDED_HOURS_EMAIL, DEMO_VENUES, seedDemoAvailability } from '../../src/lib/server/meetings/demo-availability';
import { seedProgrammes, updateProgramme, getEditableProgramme } from '../../src/lib/server/programmes';
import { aStaffMember } from '../support/factories';

// Unique names: on PostgreSQL the database is shared with other files and earlier runs.
const run = Math.random().toString(36).slice(2, 8);
const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
/** "Today" for these tests: a Monday, four weeks before the spring clock change. */
const NOW = new Date('2027-03-01T12:00:00Z');

let specialist: StaffUser;
let lead: StaffUser;
let other: StaffUser;
let admin: StaffUser;
let venueId: string;
let secondVenueId: string;

async function audits(action: string, staffId: string) {
	const db = await getDb();
	return db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.action, action), eq(auditLog.staffId, staffId)))
		.orderBy(desc(auditLog.id));
}

const pattern = (over: RawValues = {}): RawValues => ({ weekday: '1', start: '09:00', end: '17:00', modes: ['phone', 'video'], venueId: '', ...over });
const venueRaw = (over: RawValues = {}): RawValues => ({
	name: `Test library ${run}`,
	address: '1 Test Street\nManchester',
	postcode: 'm25pd',
	accessibilityNotes: 'Step-free',
	privateRoom: 'yes',
	...over
});

function expectFailure(result: { ok: boolean; errors?: Record<string, string> }, errors: Record<string, string | RegExp>) {
	expect(result.ok).toBe(false);
	const got = (result as { errors: Record<string, string> }).errors;
	expect(Object.keys(got)).toEqual(Object.keys(errors));
	for (const [k, v] of Object.entries(errors)) expect(got[k]).toMatch(v);
}

beforeAll(async () => {
	await seedProgrammes();
	// The demo staff first, while there are none (on an empty database); the tests' own people after.
	await seedDemoStaff();
	specialist = await aStaffMember('specialist', [PRIMARY]);
	lead = await aStaffMember('team-lead', [PRIMARY]);
	other = await aStaffMember('specialist', [SECONDARY]);
	admin = await aStaffMember('admin', [PRIMARY, SECONDARY]);
});

describe('venues', () => {
	it('creates, edits, disables and enables a venue, auditing each change', async () => {
		expectFailure(await createVenue(venueRaw({ name: '', postcode: 'nope', privateRoom: '' }), admin.id), {
			name: 'Enter the name of the venue',
			postcode: 'Enter a real postcode, like M2 5PD',
			privateRoom: 'Choose yes if the venue has a private room for meetings'
		});
		expectFailure(await createVenue(venueRaw({ name: 'Bad\u0000name' }), admin.id), { name: /hidden character/ });

		const created = await createVenue(venueRaw(), admin.id);
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		venueId = created.venue.id;
		expect(created.venue).toMatchObject({ name: `Test library ${run}`, postcode: 'M2 5PD', privateRoom: true, disabledAt: null });
		const second = await createVenue(venueRaw({ name: `Test hub ${run}`, privateRoom: 'no', accessibilityNotes: '' }), admin.id);
		if (!second.ok) throw new Error('second venue');
		secondVenueId = second.venue.id;

		const edited = await updateVenue(venueId, venueRaw({ accessibilityNotes: 'Step-free, hearing loop' }), admin.id);
		expect(edited).toMatchObject({ ok: true, changed: ['accessibilityNotes'] });
		expect(await updateVenue(venueId, venueRaw({ accessibilityNotes: 'Step-free, hearing loop' }), admin.id)).toMatchObject({ ok: true, changed: [] });
		expect(await updateVenue('not-a-uuid', venueRaw(), admin.id)).toEqual({ ok: false, notFound: true });
		expect(await updateVenue('00000000-0000-4000-8000-000000000000', venueRaw(), admin.id)).toEqual({ ok: false, notFound: true });

		const db = await getDb();
		expect(await setVenueDisabled(secondVenueId, true, admin.id)).toMatchObject({ ok: true, changed: ['disabled'] });
		expect((await listVenues(db)).map((v) => v.id)).not.toContain(secondVenueId);
		expect((await listVenues(db, { includeDisabled: true })).map((v) => v.id)).toContain(secondVenueId);
		expect((await getVenue(db, secondVenueId))?.disabledAt).toBeInstanceOf(Date);
		expect(await getVenue(db, 'junk')).toBeNull();

		expect((await audits('venue.created', admin.id)).map((a) => a.detail.venueId)).toEqual(expect.arrayContaining([venueId, secondVenueId]));
		expect((await audits('venue.updated', admin.id))[0].detail).toMatchObject({ venueId, changed: ['accessibilityNotes'] });
		expect((await audits('venue.disabled', admin.id))[0].detail).toMatchObject({ venueId: secondVenueId });
		expect(await setVenueDisabled(secondVenueId, false, admin.id)).toMatchObject({ ok: true, changed: ['enabled'] });
		expect((await audits('venue.enabled', admin.id))[0].detail).toMatchObject({ venueId: secondVenueId });
	});
});

describe('a specialist’s availability', () => {
	it('adds weekly hours, refusing overlaps and in-person hours without a venue in use', async () => {
		expectFailure(await addWeeklyPattern(specialist.id, pattern({ weekday: '', start: '9am' }), specialist.id), {
			weekday: 'Choose a day of the week',
			start: 'Start time must be a time in 24-hour format, like 09:30 or 17:00'
		});
		expectFailure(await addWeeklyPattern(specialist.id, pattern({ modes: ['in-person'] }), specialist.id), { venueId: 'Choose a venue for meetings in person' });
		expectFailure(await addWeeklyPattern(specialist.id, pattern({ modes: ['in-person'], venueId: '00000000-0000-4000-8000-000000000000' }), specialist.id), {
			venueId: 'Choose a venue from the list'
		});

		expect(await addWeeklyPattern(specialist.id, pattern({ start: '9:00' }), specialist.id)).toEqual({ ok: true, changed: true });
		expect(await addWeeklyPattern(specialist.id, pattern({ weekday: '2', modes: ['in-person', 'phone'], venueId }), specialist.id)).toEqual({ ok: true, changed: true });
		// A venue given for hours not in person is not kept.
		expect(await addWeeklyPattern(specialist.id, pattern({ weekday: '6', start: '09:00', end: '12:00', modes: ['video'], venueId }), specialist.id)).toEqual({
			ok: true,
			changed: true
		});
		expectFailure(await addWeeklyPattern(specialist.id, pattern({ start: '16:30', end: '18:00' }), specialist.id), {
			start: 'These hours overlap your Monday hours, 9:00am to 5:00pm. Remove those first, or choose other times'
		});
		// Back to back is not an overlap.
		expect(await addWeeklyPattern(specialist.id, pattern({ start: '17:00', end: '19:30', modes: ['phone'] }), lead.id)).toEqual({ ok: true, changed: true });

		const view = await availabilityView(specialist.id, NOW);
		expect(view.patterns.map((p) => [p.weekday, p.start, p.end, p.modes, p.venueName])).toEqual([
			[1, '09:00', '17:00', ['phone', 'video'], null],
			[1, '17:00', '19:30', ['phone'], null],
			[2, '09:00', '17:00', ['in-person', 'phone'], `Test library ${run}`],
			[6, '09:00', '12:00', ['video'], null]
		]);
		const added = await audits('availability.pattern_added', specialist.id);
		expect(added).toHaveLength(3);
		expect(added.at(-1)!.detail).toMatchObject({ staffId: specialist.id, weekday: 1, start: '09:00', end: '17:00' });
		// The lead's change is audited as the lead's, for the specialist.
		expect((await audits('availability.pattern_added', lead.id))[0].detail).toMatchObject({ staffId: specialist.id, start: '17:00' });
	});

	it('adds extra hours and hours taken away on a date, and leave; not in the past', async () => {
		expectFailure(await addOneOffChange(specialist.id, 'extra', { date: '2027-02-28', start: '10:00', end: '12:00', modes: ['phone'], venueId: '' }, specialist.id, NOW), {
			date: 'Date must be today or in the future'
		});
		expectFailure(await addOneOffChange(specialist.id, 'extra', { date: '2027-02-30', start: '10:00', end: '12:00', modes: ['phone'], venueId: '' }, specialist.id, NOW), {
			date: 'Date must be a real date, like 2027-03-30'
		});
		expectFailure(await addOneOffChange(specialist.id, 'removed', { date: '2027-03-08', start: '12:00', end: '11:00' }, specialist.id, NOW), {
			end: 'End time must be after the start time'
		});
		expect(await addOneOffChange(specialist.id, 'extra', { date: '2027-03-06', start: '13:00', end: '15:00', modes: ['phone', 'in-person'], venueId }, specialist.id, NOW)).toEqual({
			ok: true,
			changed: true
		});
		expect(await addOneOffChange(specialist.id, 'removed', { date: '2027-03-08', start: '09:00', end: '12:00' }, specialist.id, NOW)).toEqual({ ok: true, changed: true });
		expectFailure(await addLeave(specialist.id, { from: '2027-03-20', to: '2027-03-19' }, specialist.id, NOW), { to: 'Last day must be the same as or after the first day' });
		expectFailure(await addLeave(specialist.id, { from: '2027-02-20', to: '2027-02-27' }, specialist.id, NOW), { to: 'Last day of leave must be today or in the future' });
		expect(await addLeave(specialist.id, { from: '2027-03-15', to: '2027-03-19' }, specialist.id, NOW)).toEqual({ ok: true, changed: true });

		const view = await availabilityView(specialist.id, NOW);
		expect(view.changes.map((c) => [c.kind, c.date, c.start, c.end, c.modes])).toEqual([
			['extra', '2027-03-06', '13:00', '15:00', ['phone', 'in-person']],
			['removed', '2027-03-08', '09:00', '12:00', []]
		]);
		expect(view.leave.map((l) => [l.from, l.to])).toEqual([['2027-03-15', '2027-03-19']]);
		// Seen from later on, what has passed is no longer listed.
		expect((await availabilityView(specialist.id, new Date('2027-03-10T12:00:00Z'))).changes).toEqual([]);
		expect((await audits('availability.change_added', specialist.id)).map((a) => a.detail.kind)).toEqual(['removed', 'extra']);
		expect((await audits('availability.leave_added', specialist.id))[0].detail).toMatchObject({ staffId: specialist.id, from: '2027-03-15', to: '2027-03-19' });
	});

	it('sets the video link (https only), and removes it when left empty', async () => {
		expectFailure(await setVideoLink(specialist.id, { videoLink: 'http://video.example.org/sam' }, specialist.id), { videoLink: /starts with https:\/\// });
		expectFailure(await setVideoLink(specialist.id, { videoLink: 'javascript:alert(1)' }, specialist.id), { videoLink: /starts with https:\/\// });
		expect(await setVideoLink(specialist.id, { videoLink: ' https://video.example.org/test ' }, specialist.id)).toEqual({ ok: true, changed: true });
		expect(await setVideoLink(specialist.id, { videoLink: 'https://video.example.org/test' }, specialist.id)).toEqual({ ok: true, changed: false });
		expect((await availabilityView(specialist.id, NOW)).videoLink).toBe('https://video.example.org/test');
		const audit = (await audits('availability.video_link_changed', specialist.id))[0];
		expect(audit.detail).toEqual({ staffId: specialist.id, set: true });
		expect(JSON.stringify(audit.detail)).not.toContain('video.example.org');
	});

	it('removes only the owner’s own items', async () => {
		const view = await availabilityView(specialist.id, NOW);
		const saturday = view.patterns.find((p) => p.weekday === 6)!;
		// Through another person's page, the id is not theirs: refused, nothing removed.
		expectFailure(await removeWeeklyPattern(other.id, { id: saturday.id }, other.id), { 'weekly-hours': /not found/ });
		expectFailure(await removeWeeklyPattern(specialist.id, { id: 'junk' }, specialist.id), { 'weekly-hours': /not found/ });
		expect(await removeWeeklyPattern(specialist.id, { id: saturday.id }, specialist.id)).toEqual({ ok: true, changed: true });
		expectFailure(await removeWeeklyPattern(specialist.id, { id: saturday.id }, specialist.id), { 'weekly-hours': /removed already/ });

		const removed = view.changes.find((c) => c.kind === 'removed')!;
		expectFailure(await removeOneOffChange(other.id, { id: removed.id }, other.id), { 'date-changes': /not found/ });
		expect(await removeOneOffChange(specialist.id, { id: removed.id }, specialist.id)).toEqual({ ok: true, changed: true });
		const leave = view.leave[0];
		expectFailure(await removeLeave(other.id, { id: leave.id }, other.id), { leave: /not found/ });
		expect(await removeLeave(specialist.id, { id: leave.id }, specialist.id)).toEqual({ ok: true, changed: true });

		const after = await availabilityView(specialist.id, NOW);
		expect(after.patterns.map((p) => p.weekday)).toEqual([1, 1, 2]);
		expect(after.changes.map((c) => c.kind)).toEqual(['extra']);
		expect(after.leave).toEqual([]);
		expect((await audits('availability.pattern_removed', specialist.id))[0].detail).toMatchObject({ patternId: saturday.id, weekday: 6 });
		expect((await audits('availability.change_removed', specialist.id))[0].detail).toMatchObject({ changeId: removed.id, kind: 'removed' });
		expect((await audits('availability.leave_removed', specialist.id))[0].detail).toMatchObject({ leaveId: leave.id });
	});
});

describe('who may change whose availability', () => {
	it('lets everyone change their own, and leads and admins people in their programmes only', async () => {
		expect(await availabilityOwner(specialist, specialist.id)).toMatchObject({ id: specialist.id, self: true });
		expect(await availabilityOwner(specialist, lead.id)).toBeNull();
		expect(await availabilityOwner(lead, specialist.id)).toMatchObject({ id: specialist.id, self: false });
		expect(await availabilityOwner(lead, other.id)).toBeNull();
		expect(await availabilityOwner(admin, other.id)).toMatchObject({ id: other.id });
		expect(await availabilityOwner(lead, 'junk')).toBeNull();
		expect(await availabilityOwner(lead, '00000000-0000-4000-8000-000000000000')).toBeNull();
		const team = (await colleaguesFor(lead)).map((c) => c.id);
		expect(team).toContain(specialist.id);
		expect(team).not.toContain(other.id);
		expect(team).not.toContain(lead.id);
		expect(await colleaguesFor(specialist)).toEqual([]);
	});
});

describe('loadAvailability', () => {
	it('returns the domain shapes, only for the dates asked, and free slots can be worked out from it', async () => {
		const db = await getDb();
		await addLeave(other.id, { from: '2027-03-10', to: '2027-03-12' }, other.id, NOW);
		await addLeave(other.id, { from: '2027-04-10', to: '2027-04-12' }, other.id, NOW);
		await addWeeklyPattern(other.id, pattern({ weekday: '3', modes: ['in-person'], venueId: secondVenueId }), other.id);
		await addOneOffChange(other.id, 'removed', { date: '2027-03-31', start: '09:00', end: '10:00' }, other.id, NOW);

		const loaded = await loadAvailability(db, [specialist.id, other.id, 'junk'], '2027-03-01', '2027-03-14');
		expect(loaded.patterns).toEqual([
			...[
				{ specialistId: specialist.id, weekday: 1, start: '09:00', end: '17:00', modes: ['phone', 'video'], venueId: null },
				{ specialistId: specialist.id, weekday: 1, start: '17:00', end: '19:30', modes: ['phone'], venueId: null },
				{ specialistId: specialist.id, weekday: 2, start: '09:00', end: '17:00', modes: ['in-person', 'phone'], venueId }
			],
			{ specialistId: other.id, weekday: 3, start: '09:00', end: '17:00', modes: ['in-person'], venueId: secondVenueId }
		].sort((a, b) => (a.specialistId < b.specialistId ? -1 : a.specialistId > b.specialistId ? 1 : 0)));
		expect(loaded.changes).toEqual([{ kind: 'extra', specialistId: specialist.id, date: '2027-03-06', start: '13:00', end: '15:00', modes: ['phone', 'in-person'], venueId }]);
		expect(loaded.leave).toEqual([{ kind: 'days', specialistId: other.id, from: '2027-03-10', to: '2027-03-12' }]);

		// Leave that only overlaps the range is included; changes outside it are not.
		const april = await loadAvailability(db, [other.id], '2027-03-31', '2027-04-10');
		expect(april.leave).toEqual([{ kind: 'days', specialistId: other.id, from: '2027-04-10', to: '2027-04-12' }]);
		expect(april.changes).toEqual([{ kind: 'removed', specialistId: other.id, date: '2027-03-31', start: '09:00', end: '10:00' }]);

		expect(await loadAvailability(db, [], '2027-03-01', '2027-03-14')).toEqual({ patterns: [], changes: [], leave: [] });

		const slots = freeSlots({ specialistIds: [specialist.id], ...loaded, bookings: [], settings: DEFAULT_BOOKING_SETTINGS, now: NOW });
		const tuesday = slots.filter((s) => ukDate(s.start) === '2027-03-09');
		expect(tuesday.map((s) => ukTime(s.start))).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
		expect(tuesday[0].modes).toEqual([{ kind: 'in-person', venueId }, { kind: 'phone' }]);
		// The extra Saturday hours are there too.
		expect(slots.filter((s) => ukDate(s.start) === '2027-03-06').map((s) => ukTime(s.start))).toEqual(['13:00', '14:00']);
	});

	it('leaves out in-person times at a disabled venue, and disabled staff altogether', async () => {
		const db = await getDb();
		await setVenueDisabled(secondVenueId, true, admin.id);
		const loaded = await loadAvailability(db, [other.id], '2027-03-01', '2027-03-14');
		// The only mode of that pattern was in person, so the pattern goes.
		expect(loaded.patterns).toEqual([]);
		await setVenueDisabled(secondVenueId, false, admin.id);
		expect((await loadAvailability(db, [other.id], '2027-03-01', '2027-03-14')).patterns).toHaveLength(1);

		const gone = await aStaffMember('specialist', [PRIMARY]);
		await addWeeklyPattern(gone.id, pattern(), gone.id);
		expect((await loadAvailability(db, [gone.id], '2027-03-01', '2027-03-14')).patterns).toHaveLength(1);
		await db.update(staff).set({ disabledAt: new Date() }).where(eq(staff.id, gone.id));
		expect(await loadAvailability(db, [gone.id], '2027-03-01', '2027-03-14')).toEqual({ patterns: [], changes: [], leave: [] });
	});

	it('can be read inside a transaction', async () => {
		const db = await getDb();
		const inside = await db.transaction((tx) => loadAvailability(tx, [specialist.id], '2027-03-01', '2027-03-14'));
		expect(inside.patterns).toHaveLength(3);
	});
});

describe('booking settings', () => {
	it('are the defaults until an admin saves some (a copy, not the frozen defaults)', async () => {
		const db = await getDb();
		await db.update(programme).set({ booking: null }).where(eq(programme.id, SECONDARY));
		const settings = await bookingSettingsFor(db, SECONDARY);
		expect(settings).toEqual(DEFAULT_BOOKING_SETTINGS);
		expect(Object.isFrozen(settings)).toBe(false);
		settings.reminderOffsets.push(1);
		expect(DEFAULT_BOOKING_SETTINGS.reminderOffsets).toEqual([1440, 120]);
	});

	it('saving raises the programme version, keeps the revision and audits the changed settings', async () => {
		const db = await getDb();
		const [before] = await db.select().from(programme).where(eq(programme.id, SECONDARY));
		const form = bookingSettingsValues(await bookingSettingsFor(db, SECONDARY), before.version);

		expectFailure(await saveBookingSettings(SECONDARY, { ...form, meetingMinutes: '5', bookAheadDays: '401' }, admin.id), {
			meetingMinutes: 'Meeting length must be between 15 and 180 minutes',
			bookAheadDays: 'How far ahead people can book must be between 1 and 400 days'
		});
		expect((await db.select().from(programme).where(eq(programme.id, SECONDARY)))[0].version).toBe(before.version);

		const saved = await saveBookingSettings(SECONDARY, { ...form, meetingMinutes: '60', bookAheadDays: '400', reminderOffsets: ['120', '2880'] }, admin.id);
		expect(saved).toEqual({ ok: true, version: before.version + 1, changed: ['booking.meetingMinutes', 'booking.bookAheadDays', 'booking.reminderOffsets'] });
		const expected = { ...DEFAULT_BOOKING_SETTINGS, meetingMinutes: 60, bookAheadDays: 400, reminderOffsets: [2880, 120] };
		expect(await bookingSettingsFor(db, SECONDARY)).toEqual(expected);
		const [after] = await db.select().from(programme).where(eq(programme.id, SECONDARY));
		expect(after.version).toBe(before.version + 1);
		expect(after.seedVersion).toBeNull();
		const revisions = await db
			.select()
			.from(programmeRevision)
			.where(and(eq(programmeRevision.programmeId, SECONDARY), inArray(programmeRevision.version, [before.version, after.version])))
			.orderBy(programmeRevision.version);
		expect(revisions.map((r) => r.version)).toEqual([before.version, after.version]);
		expect(revisions[1]).toMatchObject({ staffId: admin.id, data: { id: SECONDARY, booking: expected } });
		const [audit] = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'programme.updated'), eq(auditLog.programmeId, SECONDARY)))
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(audit).toMatchObject({ staffId: admin.id, detail: { version: after.version, changed: ['booking.meetingMinutes', 'booking.bookAheadDays', 'booking.reminderOffsets'] } });

		// The same values again change nothing; a form opened at an older version is refused.
		const again = bookingSettingsValues(expected, after.version);
		expect(await saveBookingSettings(SECONDARY, again, admin.id)).toEqual({ ok: true, version: after.version, changed: [] });
		const stale = await saveBookingSettings(SECONDARY, { ...again, version: String(before.version), meetingMinutes: '30' }, admin.id);
		expectFailure(stale, { version: new RegExp(`saved version ${after.version}`) });
		expect((stale as { raw: RawValues }).raw.version).toBe(String(after.version));
		expect(await saveBookingSettings('no-such-programme', again, admin.id)).toEqual({ ok: false, notFound: true });

		// A later programme edit keeps the booking settings in its revision.
		const editable = (await getEditableProgramme(SECONDARY))!;
		const edit = await updateProgramme(SECONDARY, { ...editable.programme, caseloadCap: editable.programme.caseloadCap + 1 }, admin.id, editable.version);
		expect(edit.ok).toBe(true);
		const [latest] = await db.select().from(programmeRevision).where(eq(programmeRevision.programmeId, SECONDARY)).orderBy(desc(programmeRevision.version)).limit(1);
		expect(latest.data).toMatchObject({ booking: expected });
		expect(await bookingSettingsFor(db, SECONDARY)).toEqual(expected);
		await db.update(programme).set({ booking: null }).where(eq(programme.id, SECONDARY));
	});
});

describe('demo availability (SEED=demo)', () => {
	it('adds venues and weekly hours for the demo specialists once, however often the server starts', async () => {
		const db = await getDb();
		const emails = DEMO_STAFF.filter((s) => s.role === 'specialist').map((s) => s.email);
		// On a shared PostgreSQL database other files may have made the staff first: make sure they are there.
		for (const demo of DEMO_STAFF.filter((s) => s.role === 'specialist')) {
			const [found] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, demo.email));
			if (!found) await createStaff({ ...demo, programmeIds: [...demo.programmeIds], practices: [...demo.practices], password: 'demo password 2026' });
		}
		await seedDemoAvailability();
		await seedDemoAvailability();
		await Promise.all([seedDemoAvailability(), seedDemoAvailability()]);

		for (const v of DEMO_VENUES) expect(await db.select({ id: venue.id }).from(venue).where(eq(venue.name, v.name)), v.name).toHaveLength(1);
		const people = await db.select().from(staff).where(inArray(staff.email, emails));
		expect(people).toHaveLength(emails.length);
		for (const p of people) {
			const rows = await db.select().from(availabilityPattern).where(eq(availabilityPattern.staffId, p.id));
			const extended = p.email === DEMO_EXTENDED_HOURS_EMAIL;
			expect(rows, p.email).toHaveLength(extended ? 7 : 5);
			const weekdays = rows.filter((r) => r.start === '09:00' && r.end === '17:00');
			expect(weekdays.map((r) => r.weekday).sort()).toEqual([1, 2, 3, 4, 5]);
			for (const r of weekdays) expect(r.modes).toEqual(expect.arrayContaining(['phone', 'video']));
			expect(weekdays.filter((r) => r.modes.includes('in-person') && r.venueId)).toHaveLength(2);
			if (extended) {
				expect(rows.some((r) => r.weekday === 6 && r.start === '09:00' && r.end === '12:00')).toBe(true);
				expect(rows.some((r) => r.weekday <= 5 && r.start === '17:30' && r.end === '19:30')).toBe(true);
			}
			expect(p.videoLink).toMatch(/^https:\/\/video\.example\.org\/[a-z-]+$/);
		}
		const sam = people.find((p) => p.email === DEMO_EXTENDED_HOURS_EMAIL)!;
		expect(sam.videoLink).toBe('https://video.example.org/sam-specialist');
	});
});
