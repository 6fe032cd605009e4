import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	CLOSE_REASONS,
	STATUSES,
	STATUS_FOR_PERSON,
	STATUS_LABELS,
	assignSchema,
	buildHistory,
	eventTypeWords,
	canChangeStatus,
	closeReasonLabel,
	compareInbox,
	contactAttemptSchema,
	contactConflict,
	contactDaysLeft,
	contactPreferences,
	describeCaseload,
	describeDaysLeft,
	isSuccessfulOutcome,
	inboxFilterFields,
	inboxFilterForm,
	parseInboxFilters,
	statusChangeSchema,
	statusChoices,
	statusForPerson,
	workingDaysLeft
} from '../../src/lib/domain/casework';
import { formatUkDateTime } from '../../src/lib/domain/uk-time';
import { bankHolidays } from '../../src/lib/server/bank-holidays';

const NONE: ReadonlySet<string> = new Set();
const HOLIDAYS = bankHolidays(2026, 2027);

describe('statuses', () => {
	it('run received -> first meeting booked -> contacted -> eligibility confirmed -> started -> in work -> closed', () => {
		expect(STATUSES).toEqual(['received', 'meeting-booked', 'contacted', 'eligibility-confirmed', 'started', 'in-work', 'closed']);
	});
	it('have words for staff and for the person', () => {
		for (const s of STATUSES) {
			expect(STATUS_LABELS[s]).toMatch(/^[A-Z]/);
			expect(STATUS_FOR_PERSON[s].title).toMatch(/^[A-Z]/);
			expect(STATUS_FOR_PERSON[s].next).toMatch(/\.$/);
		}
	});
	it('move forward or to closed, never back to received, and never by hand to "first meeting booked" (booking sets it)', () => {
		expect(statusChoices('received', 'specialist')).toEqual(['contacted', 'eligibility-confirmed', 'started', 'in-work', 'closed']);
		expect(statusChoices('meeting-booked', 'specialist')).toEqual(['contacted', 'eligibility-confirmed', 'started', 'in-work', 'closed']);
		expect(statusChoices('closed', 'team-lead')).not.toContain('meeting-booked');
		expect(canChangeStatus('contacted', 'received', 'team-lead')).toBe(false);
		expect(canChangeStatus('started', 'contacted', 'specialist')).toBe(true); // correcting a mistake
		expect(canChangeStatus('contacted', 'contacted', 'specialist')).toBe(false);
	});
	it('lets only team leads and administrators reopen a closed referral', () => {
		expect(statusChoices('closed', 'specialist')).toEqual([]);
		expect(canChangeStatus('closed', 'contacted', 'team-lead')).toBe(true);
		expect(canChangeStatus('closed', 'contacted', 'admin')).toBe(true);
		expect(canChangeStatus('closed', 'received', 'admin')).toBe(false);
	});
});

describe('close reasons', () => {
	it('are coded, unique, and cover the reasons in DOMAIN.md section 4', () => {
		const codes = CLOSE_REASONS.map((r) => r.code);
		expect(new Set(codes).size).toBe(codes.length);
		for (const code of codes) expect(code).toMatch(/^\d{3}$/);
		const keys = CLOSE_REASONS.map((r) => r.key);
		for (const k of ['not-eligible', 'other-programme', 'could-not-contact', 'chose-not-to-start', 'better-suited-elsewhere']) expect(keys).toContain(k);
	});
	it('read as code and words', () => {
		expect(closeReasonLabel('003')).toBe('003 Could not be contacted');
		expect(closeReasonLabel('nope')).toBe('nope');
	});
});

describe('the status change form', () => {
	it('needs a reason to close', () => {
		const r = statusChangeSchema.safeParse({ status: 'closed', closeReason: '' });
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]).toMatchObject({ path: ['closeReason'], message: 'Select why the referral is closed' });
	});
	it('accepts a coded reason, and drops a reason for other statuses', () => {
		expect(statusChangeSchema.parse({ status: 'closed', closeReason: '004' })).toEqual({ status: 'closed', closeReason: '004' });
		expect(statusChangeSchema.parse({ status: 'contacted', closeReason: '004' })).toEqual({ status: 'contacted', closeReason: null });
	});
	it('refuses unknown statuses and reasons', () => {
		expect(statusChangeSchema.safeParse({ status: 'lost', closeReason: '' }).success).toBe(false);
		expect(statusChangeSchema.safeParse({ status: 'closed', closeReason: '123' }).success).toBe(false);
	});
});

describe('contact attempts', () => {
	it('validate channel, outcome and note length', () => {
		expect(contactAttemptSchema.parse({ channel: 'phone', outcome: 'no-answer', note: '  ' })).toEqual({ channel: 'phone', outcome: 'no-answer', note: null });
		const bad = contactAttemptSchema.safeParse({ channel: 'pigeon', outcome: '', note: 'x'.repeat(1001) });
		expect(bad.error?.issues.map((i) => i.path[0])).toEqual(['channel', 'outcome', 'note']);
	});
	it('count speaking with the person or a reply as contact', () => {
		expect(isSuccessfulOutcome('spoke')).toBe(true);
		expect(isSuccessfulOutcome('replied')).toBe(true);
		expect(isSuccessfulOutcome('no-answer')).toBe(false);
		expect(isSuccessfulOutcome('message-left')).toBe(false);
	});
	it('refuse a letter to someone who asked for no post', () => {
		const prefs = contactPreferences({ postAllowed: 'no', messagesMayNameService: 'yes' });
		expect(prefs).toEqual({ postAllowed: false, messagesMayNameService: true });
		expect(contactConflict({ channel: 'letter' }, prefs)?.field).toBe('channel');
		expect(contactConflict({ channel: 'phone' }, prefs)).toBeNull();
		expect(contactConflict({ channel: 'letter' }, contactPreferences({ postAllowed: 'yes' }))).toBeNull();
	});
});

describe('assigning', () => {
	it('takes a staff id or the queue', () => {
		expect(assignSchema.parse({ staffId: 'queue' })).toEqual({ staffId: 'queue' });
		expect(assignSchema.safeParse({ staffId: '0b9a5c7e-2f7e-4f67-9a43-1d2c3b4a5e6f' }).success).toBe(true);
		expect(assignSchema.safeParse({ staffId: "x' or 1=1" }).success).toBe(false);
	});
});

describe('working days left to the contact target', () => {
	it('counts working days, 0 on the day, negative once passed', () => {
		expect(workingDaysLeft('2026-11-23', '2026-11-27', NONE)).toBe(4); // Monday to Friday
		expect(workingDaysLeft('2026-11-27', '2026-11-27', NONE)).toBe(0);
		expect(workingDaysLeft('2026-11-30', '2026-11-27', NONE)).toBe(-1); // Monday after a Friday target
		expect(workingDaysLeft('2026-12-02', '2026-11-27', NONE)).toBe(-3);
	});
	it('skips weekends and England and Wales bank holidays', () => {
		// Thursday 24 December 2026 to Tuesday 5 January 2027: Christmas, Boxing Day (substitute Monday 28) and New Year's Day are off.
		expect(workingDaysLeft('2026-12-24', '2027-01-05', HOLIDAYS)).toBe(5);
		expect(workingDaysLeft('2027-01-05', '2026-12-24', HOLIDAYS)).toBe(-5);
		expect(workingDaysLeft('2026-12-24', '2027-01-05', NONE)).toBe(8);
	});
	it('is overdue by at least one working day on the weekend after the target', () => {
		expect(workingDaysLeft('2026-11-28', '2026-11-27', NONE)).toBe(-1); // Saturday
		expect(workingDaysLeft('2026-11-29', '2026-11-27', NONE)).toBe(-1); // Sunday
	});
	it('stops counting once contact was made', () => {
		const waiting = { status: 'received', firstContactAt: null, contactTargetDate: '2026-11-27' };
		expect(contactDaysLeft(waiting, '2026-11-30', NONE)).toBe(-1);
		expect(contactDaysLeft({ ...waiting, firstContactAt: new Date() }, '2026-11-30', NONE)).toBeNull();
		expect(contactDaysLeft({ ...waiting, status: 'contacted' }, '2026-11-30', NONE)).toBeNull();
	});
	it('reads in words, with overdue said in words', () => {
		expect(describeDaysLeft(-2)).toBe('Overdue by 2 working days');
		expect(describeDaysLeft(-1)).toBe('Overdue by 1 working day');
		expect(describeDaysLeft(0)).toBe('Due today');
		expect(describeDaysLeft(1)).toBe('1 working day left');
		expect(describeDaysLeft(4)).toBe('4 working days left');
		expect(describeDaysLeft(null)).toBeNull();
	});
});

describe('inbox order', () => {
	const at = (iso: string) => new Date(iso);
	it('puts overdue first (most overdue first), then the earliest contact date, then contacted ones, oldest first', () => {
		const rows = [
			{ reference: 'CONTACTED-NEW', daysLeft: null, contactTargetDate: '2026-11-27', submittedAt: at('2026-11-20T10:00:00Z') },
			{ reference: 'DUE-3', daysLeft: 3, contactTargetDate: '2026-11-26', submittedAt: at('2026-11-19T10:00:00Z') },
			{ reference: 'OVERDUE-1', daysLeft: -1, contactTargetDate: '2026-11-20', submittedAt: at('2026-11-10T10:00:00Z') },
			{ reference: 'DUE-0', daysLeft: 0, contactTargetDate: '2026-11-23', submittedAt: at('2026-11-18T10:00:00Z') },
			{ reference: 'OVERDUE-4', daysLeft: -4, contactTargetDate: '2026-11-17', submittedAt: at('2026-11-05T10:00:00Z') },
			{ reference: 'DUE-3-OLDER', daysLeft: 3, contactTargetDate: '2026-11-26', submittedAt: at('2026-11-19T09:00:00Z') },
			// Same working days left as DUE-3 (the weekend in between), but the later date comes after.
			{ reference: 'DUE-3-SATURDAY', daysLeft: 3, contactTargetDate: '2026-11-28', submittedAt: at('2026-11-01T09:00:00Z') },
			{ reference: 'CONTACTED-OLD', daysLeft: null, contactTargetDate: '2026-11-08', submittedAt: at('2026-11-01T10:00:00Z') }
		];
		expect([...rows].sort(compareInbox).map((r) => r.reference)).toEqual([
			'OVERDUE-4',
			'OVERDUE-1',
			'DUE-0',
			'DUE-3-OLDER',
			'DUE-3',
			'DUE-3-SATURDAY',
			'CONTACTED-OLD',
			'CONTACTED-NEW'
		]);
	});
});

describe('inbox filters', () => {
	it('default to open referrals in all the user’s programmes', () => {
		expect(parseInboxFilters(new URLSearchParams())).toEqual({ programme: null, status: 'open', source: null, specialist: null });
	});
	it('keep valid values and drop anything else', () => {
		const ok = parseInboxFilters(new URLSearchParams('programme=gm-ips-primary-care&status=closed&source=fit-note&specialist=unassigned'));
		expect(ok).toEqual({ programme: 'gm-ips-primary-care', status: 'closed', source: 'fit-note', specialist: 'unassigned' });
		const bad = parseInboxFilters(new URLSearchParams('status=deleted&source=../x&specialist=1;drop'));
		expect(bad).toEqual({ programme: null, status: 'open', source: null, specialist: null });
	});
});

describe('inbox filter form', () => {
	const form = inboxFilterForm(
		[
			{ id: 'p1', name: 'First' },
			{ id: 'p2', name: 'Second' }
		],
		[{ id: '7d1c7b7e-0000-4000-8000-000000000001', name: 'Sam' }]
	);
	it('offers the programmes and staff it is given, after the choices for everyone', () => {
		expect(form.fields.map((f) => f.label)).toEqual(['Programme', 'Status', 'Source', 'Specialist']);
		const options = (name: string) => (form.fields.find((f) => f.name === name) as { options: { value: string }[] }).options.map((o) => o.value);
		expect(options('programme')).toEqual(['', 'p1', 'p2']);
		expect(options('status')).toEqual(['open', ...STATUSES, 'all']);
		expect(options('specialist')).toEqual(['', 'mine', 'unassigned', '7d1c7b7e-0000-4000-8000-000000000001']);
	});
	it('draws the programme choice only for someone in more than one programme', () => {
		expect(inboxFilterFields(form, 2).map((f) => f.name)).toContain('programme');
		expect(inboxFilterFields(form, 1).map((f) => f.name)).toEqual(['status', 'source', 'specialist']);
	});
});

describe('caseload', () => {
	it('warns in words above the cap', () => {
		expect(describeCaseload(3, 25)).toEqual({ text: '3 open referrals (cap 25)', overCap: false });
		expect(describeCaseload(25, 25)).toEqual({ text: '25 open referrals: at the cap of 25', overCap: false });
		expect(describeCaseload(27, 25)).toEqual({ text: '27 open referrals: over the cap of 25 by 2', overCap: true });
		expect(describeCaseload(1, 25).text).toBe('1 open referral (cap 25)');
	});
});

describe('history', () => {
	const names: Record<string, string> = { s1: 'Sam Specialist', l1: 'Lee Lead' };
	const nameOf = (id: string | null) => (id ? (names[id] ?? null) : null);
	it('tells each event and contact attempt in words, oldest first, with notes from the attempt', () => {
		const t = (m: number) => new Date(Date.UTC(2026, 10, 23, 9, m));
		const history = buildHistory(
			[
				{ id: 1, type: 'referral.submitted', createdAt: t(0), payload: { source: { code: 'fit-note', odsCode: 'P84001' }, assignedStaffId: 's1' } },
				{ id: 2, type: 'referral.assigned', createdAt: t(1), payload: { to: 'l1', how: 'assigned', byStaffId: 'l1' } },
				{ id: 3, type: 'referral.contact_attempted', createdAt: t(2), payload: { attemptId: 'a1', channel: 'phone', outcome: 'no-answer', byStaffId: 'l1' } },
				{ id: 4, type: 'referral.status_changed', createdAt: t(3), payload: { from: 'received', to: 'contacted', byStaffId: 'l1' } },
				{ id: 5, type: 'referral.status_changed', createdAt: t(4), payload: { from: 'contacted', to: 'closed', closedReason: '004', byStaffId: 'l1' } }
			],
			[{ id: 'a1', staffId: 'l1', channel: 'phone', outcome: 'no-answer', note: 'Try after 5pm', at: t(2) }],
			nameOf
		);
		expect(history.map((h) => h.title)).toEqual([
			'Referral received',
			'Assigned to Lee Lead',
			'Contact attempt: Phone call. No answer',
			'Status changed to Contacted',
			'Closed: 004 Chose not to start'
		]);
		expect(history[0].lines).toEqual(['Source: Fit Note link or QR code (GP practice P84001)', 'Sent to Sam Specialist, who is linked to the source']);
		expect(history[2]).toMatchObject({ by: 'Lee Lead', lines: ['Note: Try after 5pm'] });
		expect(history[3].lines).toEqual(['Was: New, not yet contacted']);
	});
	it('tells meetings, check-ins and concerns in staff words, never by their codes', () => {
		const t = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m));
		// Tuesday 8 December 2026, 10:00am UK time (GMT); Wednesday 9 December, 2:00pm.
		const tue = { startsAt: '2026-12-08T10:00:00.000Z', endsAt: '2026-12-08T10:45:00.000Z' };
		const wed = { startsAt: '2026-12-09T14:00:00.000Z', endsAt: '2026-12-09T14:45:00.000Z' };
		const person = { kind: 'participant' };
		const meeting = { meetingId: 'm1', version: 1, staffId: 's1', status: 'booked', reason: null };
		const venueName = (id: string | null) => (id === 'v1' ? 'Central Library' : null);
		const history = buildHistory(
			[
				{ id: 1, type: 'referral.assigned', createdAt: t(0), payload: { to: 's1', from: null, how: 'first-meeting', byStaffId: null } },
				{ id: 2, type: 'meeting.booked', createdAt: t(0), payload: { ...meeting, ...tue, mode: 'phone', venueId: null, first: true, actor: person } },
				{
					id: 3,
					type: 'meeting.rescheduled',
					createdAt: t(1),
					payload: { ...meeting, ...wed, version: 2, mode: 'in-person', venueId: 'v1', first: true, previous: { ...tue, staffId: 's1', mode: 'phone', venueId: null }, actor: person }
				},
				{ id: 4, type: 'meeting.rescheduled', createdAt: t(2), payload: { ...meeting, ...tue, version: 3, mode: 'in-person', venueId: 'v1', first: true, previous: { ...wed, staffId: 's1' }, actor: person } },
				{ id: 5, type: 'meeting.cancelled', createdAt: t(3), payload: { ...meeting, ...tue, mode: 'video', venueId: null, first: false, status: 'cancelled', reason: 'I start a job that day', actor: person } },
				{ id: 6, type: 'meeting.cancelled', createdAt: t(4), payload: { ...meeting, ...tue, mode: 'video', venueId: null, first: false, status: 'cancelled', actor: { kind: 'staff', staffId: 'l1' } } },
				{ id: 7, type: 'meeting.attended', createdAt: t(5), payload: { ...meeting, ...tue, mode: 'phone', venueId: null, first: true, status: 'attended', actor: { kind: 'staff', staffId: 's1' } } },
				{ id: 8, type: 'meeting.missed', createdAt: t(6), payload: { ...meeting, ...wed, mode: 'in-person', venueId: 'v1', first: false, status: 'missed', actor: { kind: 'staff', staffId: 's1' } } },
				{ id: 9, type: 'checkin.completed', createdAt: t(7), payload: { checkInId: 'c1', instrument: 'dialog', completedAt: t(7).toISOString() } },
				{ id: 10, type: 'checkin.completed', createdAt: t(8), payload: { checkInId: 'c2', instrument: 'phq9', completedAt: t(8).toISOString() } },
				{ id: 11, type: 'wellbeing.concern_raised', createdAt: t(9), payload: { concernId: 'w1', kind: 'crisis', checkInId: null } },
				{ id: 12, type: 'wellbeing.concern_raised', createdAt: t(10), payload: { concernId: 'w2', kind: 'falling-trend', checkInId: 'c1' } },
				{ id: 13, type: 'wellbeing.concern_resolved', createdAt: t(11), payload: { concernId: 'w1', kind: 'crisis', resolution: 'passed-on', byStaffId: 'l1' } },
				{ id: 14, type: 'meeting.teleported', createdAt: t(12), payload: {} }
			],
			[],
			nameOf,
			{ venueName }
		);
		expect(history.map((h) => h.title)).toEqual([
			'Assigned to Sam Specialist when the person booked their first meeting',
			'First meeting booked by the person for Tuesday 8 December at 10:00am, by phone',
			'Meeting moved by the person from Tuesday 8 December at 10:00am to Wednesday 9 December at 2:00pm',
			'Meeting moved by the person from Wednesday 9 December at 2:00pm to Tuesday 8 December at 10:00am',
			'Meeting cancelled by the person',
			'Meeting cancelled',
			'Came to their first meeting on Tuesday 8 December at 10:00am',
			'Did not come to the meeting on Wednesday 9 December at 2:00pm',
			'Finished a check-in: DIALOG+',
			'Finished a check-in: PHQ-9',
			'Wellbeing concern raised: crisis answer',
			'Wellbeing concern raised: falling wellbeing and missed meetings',
			'Wellbeing concern dealt with: crisis answer',
			'Meeting: teleported'
		]);
		expect(history[1]).toMatchObject({ by: null, lines: ['With Sam Specialist'] });
		expect(history[2].lines).toEqual(['Now in person at Central Library: it was by phone', 'With Sam Specialist']);
		expect(history[3].lines).toEqual(['Still in person at Central Library', 'With Sam Specialist']);
		expect(history[4].lines).toEqual(['It was Tuesday 8 December at 10:00am, by video call', 'With Sam Specialist', 'Reason given: I start a job that day']);
		expect(history[5]).toMatchObject({ by: 'Lee Lead' });
		expect(history[6]).toMatchObject({ by: 'Sam Specialist', lines: ['Met by phone', 'With Sam Specialist'] });
		expect(history[7].lines).toEqual(['Was to meet in person at Central Library', 'With Sam Specialist']);
		expect(history[12]).toMatchObject({ by: 'Lee Lead', lines: ['What was done: Passed to their GP or crisis team'] });
		// No code and no score anywhere.
		for (const item of history) expect([item.title, ...item.lines].join(' ')).not.toMatch(/\b(meeting|checkin|wellbeing|referral)\.[a-z_]+|\bphq9\b|\bdialog\b/);
	});
	it('gives every event type the log writes a sentence of its own', () => {
		// The event types of the event log (the keys of StoredEventPayloads), read from its source so a new
		// type needs a sentence here too.
		const log = readFileSync(fileURLToPath(new URL('../../src/lib/server/events/log.ts', import.meta.url)), 'utf8');
		const union = /export interface StoredEventPayloads \{([\s\S]*?)\n\}/.exec(log)?.[1] ?? '';
		const types = [...union.matchAll(/^\t'([a-z_]+\.[a-z_]+)':/gm)].map((m) => m[1]);
		expect(types).toContain('meeting.rescheduled');
		expect(types.length).toBeGreaterThanOrEqual(12);
		const general = new Set(types.map(eventTypeWords));
		for (const [i, type] of types.entries()) {
			const [item] = buildHistory([{ id: i, type, createdAt: new Date(), payload: {} }], [], nameOf);
			expect(item.title, type).not.toContain(type);
			expect(general.has(item.title), `${type} falls back to the general sentence`).toBe(false);
		}
	});
	it('still shows a contact attempt that has no event', () => {
		const history = buildHistory([], [{ id: 'a9', staffId: 's1', channel: 'email', outcome: 'sent', note: null, at: new Date() }], nameOf);
		expect(history).toEqual([expect.objectContaining({ title: 'Contact attempt: Email. Sent a message, waiting for a reply', by: 'Sam Specialist' })]);
	});
});

describe('the status the person sees', () => {
	it('says when we will contact them, or sorry when the date passed', () => {
		const waiting = { status: 'received', closedReason: null, contactTargetDate: '2026-11-27' };
		expect(statusForPerson(waiting, '2026-11-23').lines[0]).toBe('An employment specialist will contact you by Friday 27 November 2026.');
		expect(statusForPerson(waiting, '2026-12-01').lines[0]).toMatch(/^We aimed to contact you by Friday 27 November 2026/);
	});
	it('gives the reason for closing in the person’s words', () => {
		const closed = statusForPerson({ status: 'closed', closedReason: '003', contactTargetDate: '2026-11-27' }, '2026-12-01');
		expect(closed.title).toBe('Your referral is closed');
		expect(closed.lines[0]).toMatch(/could not reach you/);
	});
});

describe('dates', () => {
	it('are shown in UK time', () => {
		expect(formatUkDateTime(new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026 at 2:05pm'); // BST
		expect(formatUkDateTime(new Date('2026-12-01T13:05:00Z'))).toBe('1 December 2026 at 1:05pm'); // GMT
	});
});
