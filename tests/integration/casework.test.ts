import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareInbox, parseInboxFilters, statusChangeSchema } from '../../src/lib/domain/casework';
import type { StaffUser } from '../../src/lib/server/auth/sessions';
import {
	assignReferral,
	changeStatus,
	claimReferral,
	getReferralForStaff,
	listCaseloads,
	listInbox,
	logContactAttempt,
	lookUpStatus
} from '../../src/lib/server/casework';
import { getDb } from '../../src/lib/server/db';
import { auditLog, event, referral, type Referral } from '../../src/lib/server/db/schema';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aReferral, aStaffMember } from '../support/factories';

const PRIMARY = 'gm-ips-primary-care';
const SECONDARY = 'gm-ips-secondary-care';
/** A practice only this file's specialist is linked to (the PostgreSQL database is shared by the test files). */
const PRACTICE = 'P88001';
const DAY = 24 * 60 * 60 * 1000;
const HEALTH_WORDS = 'Back pain and anxiety';

let specialist: StaffUser;
let colleague: StaffUser;
let lead: StaffUser;
let secondary: StaffUser;

async function eventsOf(referralId: string) {
	const db = await getDb();
	return db.select().from(event).where(eq(event.referralId, referralId)).orderBy(asc(event.id));
}

async function auditOf(referralId: string, action?: string) {
	const db = await getDb();
	return db
		.select()
		.from(auditLog)
		.where(action ? and(eq(auditLog.referralId, referralId), eq(auditLog.action, action)) : eq(auditLog.referralId, referralId))
		.orderBy(asc(auditLog.id));
}

async function current(id: string) {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, id));
	return row;
}

/** Every page of the inbox, walked in order, with the counts the first page gave. */
async function wholeInbox(user: StaffUser, query = '', now = new Date()) {
	const filters = parseInboxFilters(new URLSearchParams(query));
	const first = await listInbox(user, filters, now, 1);
	const rows = [...first.rows];
	for (let page = 2; page <= first.pageCount; page++) {
		const next = await listInbox(user, filters, now, page);
		expect(next.page).toBe(page);
		rows.push(...next.rows);
	}
	return { rows, total: first.total, overdue: first.overdue, pageCount: first.pageCount };
}

/** Form values, as a browser sends them. */
const attempt = (overrides: Record<string, string> = {}) => ({ channel: 'phone', outcome: 'no-answer', note: '', ...overrides });

beforeAll(async () => {
	await seedProgrammes();
	specialist = await aStaffMember('specialist', [PRIMARY], { practices: [PRACTICE] });
	colleague = await aStaffMember('specialist', [PRIMARY]);
	lead = await aStaffMember('team-lead', [PRIMARY]);
	secondary = await aStaffMember('specialist', [SECONDARY]);
});

describe('routing', () => {
	it('sends a referral from a linked GP practice to its specialist, and others to the queue', async () => {
		const fromPractice = await aReferral({ source: { code: 'fit-note', odsCode: PRACTICE, linkCode: 'gp-p88001' } });
		expect(fromPractice.assignedStaffId).toBe(specialist.id);
		const fromLeaflet = await aReferral();
		expect(fromLeaflet.assignedStaffId).toBeNull();
	});
});

describe('the inbox', () => {
	it('lists overdue referrals first, most overdue first, then by working days left, and says how many', async () => {
		const now = new Date();
		const veryLate = await aReferral({ now: new Date(now.getTime() - 40 * DAY) });
		const late = await aReferral({ now: new Date(now.getTime() - 14 * DAY) });
		const fresh = await aReferral({ now });
		const contacted = await aReferral({ now: new Date(now.getTime() - 60 * DAY) });
		await changeStatus(lead, contacted.reference, { status: 'contacted', closeReason: '' });

		const { rows, total, overdue } = await wholeInbox(lead, '', now);
		expect(rows.length).toBe(total);
		expect(new Set(rows.map((r) => r.reference)).size).toBe(total);
		expect(overdue).toBe(rows.filter((r) => r.daysLeft !== null && r.daysLeft < 0).length);
		// The database's order, page after page, is the inbox order.
		expect(rows.map((r) => r.reference)).toEqual([...rows].sort(compareInbox).map((r) => r.reference));
		const mine = rows.filter((r) => [veryLate, late, fresh, contacted].some((x) => x.reference === r.reference));
		expect(mine.map((r) => r.reference)).toEqual([veryLate.reference, late.reference, fresh.reference, contacted.reference]);
		expect(mine[0].daysLeft!).toBeLessThan(mine[1].daysLeft!);
		expect(mine[1].daysLeft!).toBeLessThan(0);
		expect(mine[2].daysLeft!).toBeGreaterThanOrEqual(3); // 5 working days from today
		expect(mine[3].daysLeft).toBeNull();
		// Every overdue row in the whole list comes before every row that is not.
		const firstNotOverdue = rows.findIndex((r) => r.daysLeft === null || r.daysLeft >= 0);
		expect(rows.slice(firstNotOverdue).some((r) => r.daysLeft !== null && r.daysLeft < 0)).toBe(false);
	});

	it('shows fifty a page, in the same order across pages, and the last page for a page past the end', async () => {
		const now = new Date();
		for (let i = 0; i < 55; i++) await aReferral({ now: new Date(now.getTime() - (i % 20) * DAY - i * 60_000) });
		const filters = parseInboxFilters(new URLSearchParams());
		const first = await listInbox(lead, filters, now, 1);
		expect(first.rows).toHaveLength(50);
		expect(first.pageSize).toBe(50);
		expect(first.total).toBeGreaterThanOrEqual(55);
		expect(first.pageCount).toBe(Math.ceil(first.total / 50));
		const whole = await wholeInbox(lead, '', now);
		expect(whole.rows).toHaveLength(first.total);
		expect(new Set(whole.rows.map((r) => r.reference)).size).toBe(first.total);
		expect(whole.rows.map((r) => r.reference)).toEqual([...whole.rows].sort(compareInbox).map((r) => r.reference));
		expect(first.overdue).toBe(whole.rows.filter((r) => r.daysLeft !== null && r.daysLeft < 0).length);
		expect(first.overdue).toBeGreaterThan(0);
		const pastTheEnd = await listInbox(lead, filters, now, 9999);
		expect(pastTheEnd.page).toBe(first.pageCount);
		expect(pastTheEnd.rows.map((r) => r.reference)).toEqual(whole.rows.slice((first.pageCount - 1) * 50).map((r) => r.reference));
	});

	it('filters by programme, status, source and specialist', async () => {
		const queued = await aReferral({ source: { code: 'jobcentre-plus' } });
		const held = await aReferral({ source: { code: 'fit-note', odsCode: PRACTICE, linkCode: 'gp-p88001' } });
		const refs = (rows: { reference: string }[]) => rows.map((r) => r.reference);

		const unassigned = await wholeInbox(lead, 'specialist=unassigned');
		expect(refs(unassigned.rows)).toContain(queued.reference);
		expect(refs(unassigned.rows)).not.toContain(held.reference);

		const bySpecialist = await wholeInbox(lead, `specialist=${specialist.id}`);
		expect(refs(bySpecialist.rows)).toContain(held.reference);
		expect(bySpecialist.rows.every((r) => r.assignedStaffId === specialist.id)).toBe(true);
		const mine = await wholeInbox(specialist, 'specialist=mine');
		expect(refs(mine.rows)).toEqual(refs(bySpecialist.rows));

		const bySource = await wholeInbox(lead, 'source=jobcentre-plus');
		expect(refs(bySource.rows)).toContain(queued.reference);
		expect(bySource.rows.every((r) => r.sourceCode === 'jobcentre-plus')).toBe(true);

		await changeStatus(lead, queued.reference, { status: 'closed', closeReason: '004' });
		expect(refs((await wholeInbox(lead)).rows)).not.toContain(queued.reference);
		const closed = await wholeInbox(lead, 'status=closed');
		expect(closed.rows.find((r) => r.reference === queued.reference)).toMatchObject({ status: 'closed', closedReason: '004', daysLeft: null });

		// A programme the user is not in gives nothing, whatever the filter says.
		expect((await listInbox(lead, parseInboxFilters(new URLSearchParams(`programme=${SECONDARY}`)))).rows).toEqual([]);
	});

	it('shows caseloads per specialist against the programme cap, and the queue', async () => {
		const loads = await listCaseloads(lead);
		expect(loads.map((l) => l.programmeId)).toEqual([PRIMARY]);
		const primary = loads[0];
		expect(primary.cap).toBe(25);
		expect(primary.queue).toBeGreaterThan(0);
		const sam = primary.staff.find((s) => s.id === specialist.id);
		expect(sam?.open).toBeGreaterThanOrEqual(2);
		expect(primary.staff.some((s) => s.id === secondary.id)).toBe(false);
	});
});

describe('programme scoping', () => {
	it('hides another programme’s referrals from listing, viewing and every action', async () => {
		const primaryReferral = await aReferral();
		const before = { events: (await eventsOf(primaryReferral.id)).length, audit: (await auditOf(primaryReferral.id)).length };

		const { rows } = await wholeInbox(secondary, 'status=all');
		expect(rows.some((r) => r.programmeId === PRIMARY)).toBe(false);
		const filtered = await listInbox(secondary, parseInboxFilters(new URLSearchParams(`programme=${PRIMARY}`)));
		expect(filtered.rows).toEqual([]);

		const notFound = { status: 404 };
		await expect(getReferralForStaff(secondary, primaryReferral.reference)).rejects.toMatchObject(notFound);
		await expect(claimReferral(secondary, primaryReferral.reference)).rejects.toMatchObject(notFound);
		await expect(assignReferral(secondary, primaryReferral.reference, { staffId: secondary.id })).rejects.toMatchObject(notFound);
		await expect(assignReferral(secondary, primaryReferral.reference, { staffId: lead.id })).rejects.toMatchObject(notFound);
		await expect(logContactAttempt(secondary, primaryReferral.reference, attempt())).rejects.toMatchObject(notFound);
		await expect(changeStatus(secondary, primaryReferral.reference, { status: 'contacted', closeReason: '' })).rejects.toMatchObject(notFound);
		// Found-or-not comes before validation: nonsense sent to another programme's referral is still "not found".
		await expect(assignReferral(secondary, primaryReferral.reference, { staffId: '' })).rejects.toMatchObject(notFound);
		await expect(logContactAttempt(secondary, primaryReferral.reference, {})).rejects.toMatchObject(notFound);
		await expect(changeStatus(secondary, primaryReferral.reference, { status: 'closed', reason: '099' })).rejects.toMatchObject(notFound);

		expect(await current(primaryReferral.id)).toMatchObject({ status: 'received', assignedStaffId: null });
		expect((await eventsOf(primaryReferral.id)).length).toBe(before.events);
		expect((await auditOf(primaryReferral.id)).length).toBe(before.audit);
	});

	it('lets secondary care staff work on a secondary care referral', async () => {
		const secondaryReferral = await aReferral({ answers: { circumstances: ['secondary-care'] } });
		expect(secondaryReferral.programmeId).toBe(SECONDARY);
		expect(await claimReferral(secondary, secondaryReferral.reference)).toEqual({ ok: true });
		await expect(getReferralForStaff(specialist, secondaryReferral.reference)).rejects.toMatchObject({ status: 404 });
	});

	it('answers a malformed or unknown reference with 404', async () => {
		await expect(getReferralForStaff(lead, 'not-a-reference')).rejects.toMatchObject({ status: 404 });
		await expect(getReferralForStaff(lead, 'AAAA-AAAA')).rejects.toMatchObject({ status: 404 });
	});
});

describe('claiming and assigning', () => {
	it('lets a specialist claim an unassigned referral, writing the event and the audit row', async () => {
		const r = await aReferral();
		expect(await claimReferral(colleague, r.reference)).toEqual({ ok: true });
		expect((await current(r.id)).assignedStaffId).toBe(colleague.id);

		const [, assigned] = await eventsOf(r.id);
		expect(assigned.type).toBe('referral.assigned');
		expect(assigned.programmeId).toBe(PRIMARY);
		expect(assigned.payload).toMatchObject({ reference: r.reference, programmeId: PRIMARY, from: null, to: colleague.id, how: 'claimed', byStaffId: colleague.id });
		expect(typeof assigned.payload.at).toBe('string');
		const audit = await auditOf(r.id, 'referral.assigned');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ staffId: colleague.id, programmeId: PRIMARY, detail: { from: null, to: colleague.id, how: 'claimed' } });
	});

	it('does not let a specialist take a referral someone holds, or give one to someone else', async () => {
		const r = await aReferral();
		await claimReferral(colleague, r.reference);
		expect(await claimReferral(specialist, r.reference)).toMatchObject({ ok: false, errors: { claim: expect.stringMatching(/already holds/) } });
		expect(await claimReferral(colleague, r.reference)).toMatchObject({ ok: false, errors: { claim: 'This referral is already yours' } });
		await expect(assignReferral(specialist, r.reference, { staffId: specialist.id })).resolves.toMatchObject({ ok: false });
		await expect(assignReferral(colleague, r.reference, { staffId: specialist.id })).rejects.toMatchObject({ status: 403 });
		expect((await current(r.id)).assignedStaffId).toBe(colleague.id);
		expect((await eventsOf(r.id)).map((e) => e.type)).toEqual(['referral.submitted', 'referral.assigned']);
	});

	it('lets a team lead assign to anyone in the programme, and return it to the queue', async () => {
		const r = await aReferral();
		expect(await assignReferral(lead, r.reference, { staffId: specialist.id })).toEqual({ ok: true });
		expect(await assignReferral(lead, r.reference, { staffId: secondary.id })).toMatchObject({ ok: false, errors: { staffId: 'Select someone who works in this programme' } });
		expect(await assignReferral(lead, r.reference, { staffId: 'queue' })).toEqual({ ok: true });
		expect((await current(r.id)).assignedStaffId).toBeNull();
		const payloads = (await eventsOf(r.id)).filter((e) => e.type === 'referral.assigned').map((e) => e.payload);
		expect(payloads).toEqual([
			expect.objectContaining({ from: null, to: specialist.id, how: 'assigned', byStaffId: lead.id }),
			expect.objectContaining({ from: specialist.id, to: null, how: 'returned', byStaffId: lead.id })
		]);
		expect(await auditOf(r.id, 'referral.assigned')).toHaveLength(2);
	});
});

describe('contact attempts', () => {
	it('are recorded with an event and an audit row; the first successful one sets the first contact time', async () => {
		const r = await aReferral({ answers: { conditionDescription: `${HEALTH_WORDS} make long shifts hard.` } });
		const t1 = new Date(Date.now() - 60_000);
		expect(await logContactAttempt(specialist, r.reference, attempt({ note: 'Try after 5pm' }), t1)).toEqual({ ok: true });
		expect((await current(r.id)).firstContactAt).toBeNull();

		const t2 = new Date();
		expect(await logContactAttempt(specialist, r.reference, attempt({ outcome: 'spoke' }), t2)).toEqual({ ok: true });
		expect((await current(r.id)).firstContactAt?.getTime()).toBe(t2.getTime());
		await logContactAttempt(specialist, r.reference, attempt({ channel: 'email', outcome: 'replied' }), new Date(t2.getTime() + 1000));
		expect((await current(r.id)).firstContactAt?.getTime()).toBe(t2.getTime());

		const events = (await eventsOf(r.id)).filter((e) => e.type === 'referral.contact_attempted');
		expect(events.map((e) => [e.payload.outcome, e.payload.firstContact])).toEqual([
			['no-answer', false],
			['spoke', true],
			['replied', false]
		]);
		expect(events[0].payload).toMatchObject({ reference: r.reference, programmeId: PRIMARY, channel: 'phone', byStaffId: specialist.id });
		// No notes or health details in the event log.
		for (const e of await eventsOf(r.id)) {
			expect(JSON.stringify(e.payload)).not.toContain('Try after 5pm');
			expect(JSON.stringify(e.payload)).not.toContain(HEALTH_WORDS);
		}
		expect(await auditOf(r.id, 'referral.contact_attempted')).toHaveLength(3);

		const view = await getReferralForStaff(specialist, r.reference);
		// The health words were given after sending, on "Tell us more": its event names the page, not the answer.
		expect(view.history.map((h) => h.title)).toEqual([
			'Referral received',
			'The person told us more after sending their referral',
			'Contact attempt: Phone call. No answer',
			'Contact attempt: Phone call. Spoke with the person',
			'Contact attempt: Email. The person replied'
		]);
		expect(view.history[2].lines).toContain('Note: Try after 5pm');
		expect(view.history[3].lines).toContain('First contact made');
		expect(view.daysLeft).toBeNull();
	});

	it('refuses a letter to someone who asked for no post', async () => {
		const r = await aReferral({ answers: { postAllowed: 'no' } });
		expect(await logContactAttempt(specialist, r.reference, attempt({ channel: 'letter', outcome: 'sent' }))).toMatchObject({ ok: false, errors: { channel: expect.stringMatching(/not to send letters/) } });
		expect((await eventsOf(r.id)).map((e) => e.type)).toEqual(['referral.submitted']);
	});
});

describe('status changes', () => {
	it('write the event and the audit row, and closing needs a coded reason', async () => {
		const r = await aReferral();
		expect(await changeStatus(specialist, r.reference, { status: 'contacted', closeReason: '' })).toEqual({ ok: true });
		let row = await current(r.id);
		expect(row.status).toBe('contacted');
		expect(row.firstContactAt).toBeInstanceOf(Date);

		// The form refuses "closed" without a reason, and so does the server function.
		expect(statusChangeSchema.safeParse({ status: 'closed', closeReason: '' }).success).toBe(false);
		expect(await changeStatus(specialist, r.reference, { status: 'closed', closeReason: '' })).toMatchObject({ ok: false, errors: { closeReason: 'Select why the referral is closed' } });
		expect((await current(r.id)).status).toBe('contacted');

		expect(await changeStatus(specialist, r.reference, { status: 'closed', closeReason: '003' })).toEqual({ ok: true });
		row = await current(r.id);
		expect(row).toMatchObject({ status: 'closed', closedReason: '003' });

		const changes = (await eventsOf(r.id)).filter((e) => e.type === 'referral.status_changed');
		expect(changes.map((e) => e.payload)).toEqual([
			expect.objectContaining({ reference: r.reference, programmeId: PRIMARY, from: 'received', to: 'contacted', closedReason: null, byStaffId: specialist.id }),
			expect.objectContaining({ from: 'contacted', to: 'closed', closedReason: '003' })
		]);
		const audit = await auditOf(r.id, 'referral.status_changed');
		expect(audit.map((a) => a.detail)).toEqual([
			expect.objectContaining({ from: 'received', to: 'contacted' }),
			expect.objectContaining({ from: 'contacted', to: 'closed', closedReason: '003' })
		]);
	});

	it('lets only a team lead reopen a closed referral, and never goes back to received', async () => {
		const r = await aReferral();
		await changeStatus(specialist, r.reference, { status: 'closed', closeReason: '006' });
		expect(await changeStatus(specialist, r.reference, { status: 'contacted', closeReason: '' })).toMatchObject({ ok: false, errors: { status: expect.any(String) } });
		expect(await logContactAttempt(specialist, r.reference, attempt())).toMatchObject({ ok: false });
		expect(await changeStatus(lead, r.reference, { status: 'received', closeReason: '' })).toMatchObject({ ok: false });
		expect(await changeStatus(lead, r.reference, { status: 'contacted', closeReason: '' })).toEqual({ ok: true });
		expect(await current(r.id)).toMatchObject({ status: 'contacted', closedReason: null });
	});
});

describe('viewing a referral', () => {
	it('records every view in the audit log, and shows answers, consents, source and history in words', async () => {
		// The health page answered after sending ("Tell us more").
		const r = await aReferral({ source: { code: 'fit-note', odsCode: PRACTICE, linkCode: 'gp-p88001' }, answers: { conditionDescription: 'Back pain and anxiety make long shifts hard.' } });
		const view = await getReferralForStaff(lead, r.reference);
		await getReferralForStaff(specialist, r.reference);
		const views = await auditOf(r.id, 'referral.viewed');
		expect(views.map((v) => v.staffId)).toEqual([lead.id, specialist.id]);
		expect(views[0]).toMatchObject({ programmeId: PRIMARY, detail: { reference: r.reference } });
		expect(views[0].at).toBeInstanceOf(Date);

		expect(view.referral).toMatchObject({ reference: r.reference, givenName: 'Sam' });
		expect(view.assignedStaffName).toBe(specialist.name);
		expect(view.moreAnswers.find((a) => a.id === 'condition')).toMatchObject({ lines: ['Back pain and anxiety make long shifts hard.'], addedAt: expect.any(Date) });
		expect(view.moreAnswers.map((a) => a.id)).toEqual(['condition']);
		expect(view.referAnswers.map((a) => a.id)).not.toContain('condition');
		expect(view.checkAnswers.find((a) => a.id === 'circumstances')?.lines).toEqual(['None of these']);
		expect(view.checkAnswers.find((a) => a.id === 'employment')?.lines).toEqual(['Not working at the moment']);
		expect(view.preferences).toMatchObject({ bestTimes: ['Weekday mornings'], messagesMayNameService: true, postAllowed: false });
		expect(view.consents.find((c) => c.kind === 'processing')).toMatchObject({ given: true, textVersion: 'processing-2026-11-v1' });
		expect(view.source).toMatchObject({ label: 'Fit Note link or QR code', odsCode: PRACTICE, dwpCategory: 'Primary care' });
		expect(view.history[0]).toMatchObject({ title: 'Referral received' });
		expect(view.history[0].lines[1]).toContain(specialist.name);
		expect(view.assignable.map((s) => s.id)).toEqual(expect.arrayContaining([specialist.id, colleague.id, lead.id]));
		expect((await getReferralForStaff(specialist, r.reference)).assignable).toEqual([]);
	});
});

describe('the person’s status look-up', () => {
	it('needs the right reference and date of birth, and says the status in words', async () => {
		const r = await aReferral();
		expect(await lookUpStatus(r.reference, '1985-06-15')).toMatchObject({ reference: r.reference, title: 'We have your referral' });
		expect(await lookUpStatus(r.reference.toLowerCase().replace('-', ' '), '1985-06-15')).not.toBeNull();
		expect(await lookUpStatus(r.reference, '1985-06-16')).toBeNull();
		expect(await lookUpStatus('AAAA-AAAA', '1985-06-15')).toBeNull();
		await changeStatus(lead, r.reference, { status: 'closed', closeReason: '003' });
		const closed = await lookUpStatus(r.reference, '1985-06-15');
		expect(closed?.title).toBe('Your referral is closed');
		expect(closed?.lines[0]).toMatch(/could not reach you/);
		expect(await auditOf(r.id, 'referral.status_looked_up')).toHaveLength(3);
	});
});
