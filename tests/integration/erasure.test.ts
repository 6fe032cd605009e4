/**
 * Data rights, erasure and retention (issue 24 items 4 to 6), on a clock of the test's own where it matters:
 * a person with every kind of record (answers after sending, a meeting, a check-in, a job, a contact note,
 * messages) asks for their data to be deleted; `npm run cli -- erasure carry-out` (its own process) erases it;
 * then every table of the database, event bodies included, is searched for their name, email, phone,
 * postcode and date of birth; the API answers 410; every remaining event validates; a signed webhook
 * receiver gets `referral.erased`; the outcomes report's counts are the same. A refusal is recorded and
 * emailed; retention erases exactly the referrals past the period.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { createApiKey } from '../../src/lib/server/api/keys';
import { referralFhirResponse, referralResponse } from '../../src/lib/server/api/referrals';
import { recordJobStart } from '../../src/lib/server/casework/jobs';
import { latestErasureRequest, openErasureRequests, requestErasure } from '../../src/lib/server/data-rights/requests';
import { pastRetention, runRetention } from '../../src/lib/server/data-rights/retention';
import { closeDb, getDb } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';
import { auditLog, contactAttempt, erasureRequest, event, meeting, programme, referral } from '../../src/lib/server/db/schema';
import { eventPayloadSchema } from '../../src/lib/server/events/payload';
import { runDueJobs } from '../../src/lib/server/jobs/kinds';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { yourDataFor } from '../../src/lib/server/participants/your-data';
import { startAddressChange } from '../../src/lib/server/participants/details';
import { outcomesReport } from '../../src/lib/server/reports/outcomes';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { aCompletedCheckIn, aParticipant, aReferral, aStaffMember, RUN } from '../support/factories';
import { startSmtp } from '../support/smtp';
import { disableOpenSubscriptions } from '../support/subscriptions';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
const exec = promisify(execFile);
const PRIMARY = 'gm-ips-primary-care';
const DAY = 24 * 3600_000;

/** The person to erase: details nobody else in this database has. */
const ZED = {
	givenName: 'Zebedee',
	familyName: `Quillfeather${RUN.replace(/[^a-z]/gi, '').slice(0, 6)}`,
	email: `zebedee.q.${RUN}@example.com`,
	phone: '07700900417',
	postcode: 'M13 9PL',
	dateOfBirth: '1979-02-03'
};

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Receiver;
let secret = '';

const cli = (...args: string[]) => exec(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } });

/** Every row of every table in the database, as text (PGlite and postgres.js return rows differently). */
async function everyRowAsText(): Promise<{ table: string; text: string }[]> {
	const db = await getDb();
	const out: { table: string; text: string }[] = [];
	for (const value of Object.values(schema)) {
		if (!value || typeof value !== 'object' || !(Symbol.for('drizzle:IsDrizzleTable') in value)) continue;
		const table = value as PgTable;
		const rows = await db.select(getTableColumns(table)).from(table);
		const name = (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')];
		for (const row of rows) out.push({ table: name, text: JSON.stringify(row).toLowerCase() });
	}
	return out;
}

beforeAll(async () => {
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	await seedProgrammes();
	await disableOpenSubscriptions();
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
	receiver = await startReceiver(() => secret);
	const sub = await createSubscription({ url: receiver.url, eventTypes: ['referral.erased', 'referral.withdrawn'], programmeIds: [PRIMARY], dataScopes: ['health', 'equality'] }, COMMAND_LINE);
	if (!sub.ok) throw new Error(JSON.stringify(sub.errors));
	secret = sub.secret;
}, 120_000);

afterAll(async () => {
	await disableOpenSubscriptions();
	await receiver?.close();
	await smtp?.close();
});

describe('erasure at the person\'s request', () => {
	it('leaves nothing of the person in any table, answers 410, keeps events valid, tells case systems and keeps the report\'s counts', async () => {
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const person = await aParticipant({
			answers: {
				givenName: ZED.givenName,
				familyName: ZED.familyName,
				email: ZED.email,
				phone: ZED.phone,
				postcode: ZED.postcode,
				dateOfBirth: ZED.dateOfBirth,
				contactChannels: ['phone', 'text', 'email'],
				gender: 'man',
				ethnicity: 'white',
				pronouns: 'he/him',
				conditionDescription: `Zebedee's own words about his back ${RUN}`
			}
		});
		let db = await getDb();
		const [row] = await db.select().from(referral).where(eq(referral.id, person.referralId));
		expect(row.email).toBe(ZED.email);
		// A meeting held, a check-in, a job, a contact attempt with a note.
		await db.insert(meeting).values({
			referralId: row.id,
			participantId: person.id,
			programmeId: PRIMARY,
			staffId: specialist.id,
			startsAt: new Date(Date.now() - 3 * DAY),
			endsAt: new Date(Date.now() - 3 * DAY + 45 * 60_000),
			mode: 'phone',
			status: 'attended'
		});
		await aCompletedCheckIn(person, 'swemwbs', [3, 3, 3, 3, 3, 3, 3]);
		const start = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
		const [y, m, d] = start.split('-');
		expect(
			await recordJobStart(specialist, row.reference, {
				startDate: { day: String(Number(d)), month: String(Number(m)), year: y },
				hoursPerWeek: '20',
				jobTitle: `Quillfeather's Bakery assistant`,
				employer: `${ZED.familyName} and Sons`,
				jobKind: 'new'
			})
		).toEqual({ ok: true });
		await db.insert(contactAttempt).values({ referralId: row.id, staffId: specialist.id, channel: 'phone', outcome: 'spoke', note: `Spoke to Zebedee on ${ZED.phone}` });
		await runDueJobs({ now: new Date() });
		// A change of email address started and never confirmed: its code waits for the new address.
		expect(await startAddressChange(person, 'email', `zeb.new.${RUN}@example.com`)).toMatchObject({ ok: true });

		const before = await outcomesReport({ programmeIds: [PRIMARY], from: '2020-01-01', to: '2040-12-31' });
		const found = (await everyRowAsText()).filter((r) => r.text.includes(ZED.email));
		expect(found.length).toBeGreaterThan(2);

		// The person asks; staff see it waiting, answer due within a month.
		const asked = await requestErasure(person, 'I have moved on');
		expect(asked).toMatchObject({ status: 'requested', reason: 'I have moved on' });
		expect(await requestErasure(person, null)).toMatchObject({ id: asked.id });
		expect((await openErasureRequests([PRIMARY])).map((r) => r.reference)).toContain(row.reference);
		// Their download holds the request, with their reason.
		const theirs = await yourDataFor(person, 'json');
		expect(theirs.deletionRequests).toEqual([expect.objectContaining({ reason: 'I have moved on', status: 'requested' })]);

		// Carried out from the command line, in its own process (the embedded database serves one at a time).
		await closeDb();
		const listed = await cli('erasure', 'list');
		expect(listed.stdout).toContain(row.reference);
		const done = await cli('erasure', 'carry-out', row.reference);
		expect(done.stdout).toContain(`The personal data of referral ${row.reference} was erased.`);
		const again = await cli('erasure', 'carry-out', row.reference).catch((e: { code: number; stderr: string }) => e);
		expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already erased') });
		db = await getDb();

		// Nothing of the person in any table, event bodies included.
		const needles = [ZED.givenName, ZED.familyName, ZED.email, ZED.phone, ZED.postcode, ZED.postcode.replace(' ', ''), ZED.dateOfBirth, 'Quillfeather', 'I have moved on', `zeb.new.${RUN}`].map((n) =>
			n.toLowerCase()
		);
		const left = (await everyRowAsText()).flatMap((r) => needles.filter((n) => r.text.includes(n)).map((n) => `${r.table}: ${n}`));
		expect(left).toEqual([]);

		// The request is recorded as carried out; the audit log keeps that it happened.
		expect(await latestErasureRequest(row.id)).toMatchObject({ status: 'carried-out', reason: null });
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.referralId, row.id), eq(auditLog.action, 'referral.erased')));
		expect(audits).toHaveLength(1);
		expect(audits[0].detail).toMatchObject({ reference: row.reference, why: 'request' });

		// The API answers 410 for the referral and its FHIR view.
		const made = await createApiKey({ name: `Erasure key ${RUN}`, programmeIds: [PRIMARY] });
		if (!made.ok) throw new Error('key');
		for (const response of [await referralResponse(made.apiKey, row.reference), await referralFhirResponse(made.apiKey, row.reference)]) {
			expect(response.status).toBe(410);
			expect(await response.json()).toMatchObject({ error: { code: 'erased' } });
		}

		// Every event of the referral still validates; the last is referral.erased, with no person.
		const events = await db.select().from(event).where(eq(event.referralId, row.id)).orderBy(event.id);
		expect(events.length).toBeGreaterThan(3);
		for (const e of events) expect(eventPayloadSchema.safeParse(JSON.parse(e.body!)).success, e.type).toBe(true);
		const erasedEvent = JSON.parse(events.at(-1)!.body!);
		expect(erasedEvent).toMatchObject({ type: 'referral.erased', data: { reference: row.reference, person: null, answers: {}, change: { why: 'request', byStaffId: null } } });

		// A signed webhook receiver gets it.
		for (let i = 0; i < 20 && !receiver.accepted().some((r) => r.body.type === 'referral.erased' && r.body.data.reference === row.reference); i++)
			await runWebhooksOnce({ timeoutMs: 3000 });
		const delivered = receiver.accepted().find((r) => r.body.type === 'referral.erased' && r.body.data.reference === row.reference);
		expect(delivered?.body.data.person).toBeNull();

		// The outcomes report counts the same: the meeting, the job and the equality bands stay, with nothing personal.
		const after = await outcomesReport({ programmeIds: [PRIMARY], from: '2020-01-01', to: '2040-12-31' });
		expect(after).toEqual(before);
		const [kept] = await db.select().from(referral).where(eq(referral.id, row.id));
		expect(kept).toMatchObject({ givenName: '', dateOfBirth: null, email: null, answers: {}, reportFacts: { gender: 'man', ethnicity: 'white', 'age-band': '35-49' } });
	});
});

describe('refusal', () => {
	it('records the lawful reason and the note, emails the person the reason (never the note), and keeps the data', async () => {
		const person = await aParticipant();
		let db = await getDb();
		const [row] = await db.select().from(referral).where(eq(referral.id, person.referralId));
		await requestErasure(person, null);
		await closeDb();
		const bad = await cli('erasure', 'refuse', row.reference, '--reason', 'because', '--note', 'x').catch((e: { code: number; stderr: string }) => e);
		expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason: one of legal-obligation, safeguarding, legal-claim') });
		const refused = await cli('erasure', 'refuse', row.reference, '--reason', 'safeguarding', '--note', 'Open safeguarding referral to the council');
		expect(refused.stdout).toContain('was refused (safeguarding)');
		db = await getDb();
		expect(await latestErasureRequest(row.id)).toMatchObject({ status: 'refused', refusalReason: 'safeguarding', refusalNote: 'Open safeguarding referral to the council', decidedBy: null });
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.referralId, row.id), eq(auditLog.action, 'erasure.refused')));
		expect(audits.map((a) => a.detail)).toEqual([{ reference: row.reference, reason: 'safeguarding' }]);
		await runDueJobs({ now: new Date() });
		const mails = smtp.messages.filter((msg) => (Array.isArray(msg.to) ? msg.to : [msg.to]).some((a) => a?.value.some((v) => v.address === person.email)));
		const told = mails.find((msg) => msg.subject === 'Your request to delete your data');
		expect(told?.text).toContain('We need it to keep you or someone else safe.');
		expect(told?.text).not.toContain('council');
		const [still] = await db.select().from(referral).where(eq(referral.id, row.id));
		expect(still.erasedAt).toBeNull();
		expect(still.email).toBe(person.email);
		expect(await openErasureRequests([PRIMARY])).not.toContainEqual(expect.objectContaining({ reference: row.reference }));
	});
});

describe('retention', () => {
	it('erases exactly the closed referrals past their programme\'s period, with a dry run first', async () => {
		const db = await getDb();
		const now = new Date('2034-06-15T12:00:00Z');
		const closedAt = (iso: string) => new Date(iso);
		const make = async (status: string, changed: string) => {
			const r = await aReferral();
			await db.update(referral).set({ status, closedReason: status === 'closed' ? '008' : null, statusChangedAt: closedAt(changed) }).where(eq(referral.id, r.id));
			return r;
		};
		// The programme keeps 3 years (the default): closed on 15 June 2031 is erasable from 15 June 2034.
		const [{ retentionYears }] = await db.select({ retentionYears: programme.retentionYears }).from(programme).where(eq(programme.id, PRIMARY));
		expect(retentionYears).toBe(3);
		const past = await make('closed', '2031-06-14T22:30:00Z'); // 11:30pm BST on the 14th
		const onTheDay = await make('closed', '2031-06-15T09:00:00Z');
		const notYet = await make('closed', '2031-06-15T23:30:00Z'); // 12:30am BST on the 16th
		const open = await make('started', '2020-01-01T09:00:00Z');
		const ours = [past.id, onTheDay.id, notYet.id, open.id];

		const listed = (await pastRetention(now)).filter((r) => ours.includes(r.id));
		expect(listed.map((r) => [r.reference, r.closedOn, r.erasableFrom])).toEqual([
			[past.reference, '2031-06-14', '2034-06-14'],
			[onTheDay.reference, '2031-06-15', '2034-06-15']
		]);
		const dry = await runRetention({ now, dryRun: true });
		expect(dry.erased).toEqual([]);
		const stillThere = await db.select({ id: referral.id }).from(referral).where(and(inArray(referral.id, ours), eq(referral.givenName, 'Sam')));
		expect(stillThere).toHaveLength(4);

		const run = await runRetention({ now });
		expect(run.erased.filter((ref) => [past.reference, onTheDay.reference, notYet.reference, open.reference].includes(ref)).sort()).toEqual([past.reference, onTheDay.reference].sort());
		const rows = await db.select({ id: referral.id, erasedAt: referral.erasedAt }).from(referral).where(inArray(referral.id, ours));
		const erased = new Map(rows.map((r) => [r.id, r.erasedAt !== null]));
		expect([erased.get(past.id), erased.get(onTheDay.id), erased.get(notYet.id), erased.get(open.id)]).toEqual([true, true, false, false]);
		const [why] = await db.select().from(event).where(and(eq(event.referralId, past.id), eq(event.type, 'referral.erased')));
		expect(JSON.parse(why.body!).data.change.why).toBe('retention');
		// A day later the third one goes too; nothing is erased twice.
		const next = await runRetention({ now: new Date('2034-06-16T12:00:00Z') });
		expect(next.erased.filter((ref) => [past.reference, onTheDay.reference, notYet.reference].includes(ref))).toEqual([notYet.reference]);
		expect(await db.select().from(erasureRequest).where(inArray(erasureRequest.referralId, ours))).toEqual([]);
	});
});
