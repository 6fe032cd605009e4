import { expect, test } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { startSmtp } from '../support/smtp';
import { freePort, removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { ELIGIBLE, MORE, REFERRAL } from './support/journey';
import { referOverHttp } from './support/http-journey';
import { notifierCaughtUp } from './support/people';

/**
 * Staff notifications end to end: a referral sent (as a browser without JavaScript sends it) reaches the team and the demo specialist
 * linked to the GP practice (Sam Specialist, P84001) at a real SMTP listener. Then the mail server goes
 * away, a referral is sent, the app is stopped with the email still waiting and started again on the same
 * database, the mail server comes back: the waiting email arrives, once per recipient.
 */
test.describe.configure({ mode: 'serial' });

const TEAM = 'primary-care-team@ips.example';
const SPECIALIST = 'sam.specialist@ips.example';
const FAST = { NOTIFY_POLL_MS: '200' };

let smtpPort: number;
let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
let server: RunningServer | undefined;
let dataDir: string | undefined;
const outputs: string[] = [];

/** A referral from the GP practice link (P84001, Sam Specialist's), sent as a browser without JavaScript sends it. */
// The person tells us more after sending too, so the referral holds health details the emails must not carry.
const referFromGpLink = async (url: string) => (await referOverHttp(url, { ...ELIGIBLE, ...REFERRAL }, 'gp-p84001', MORE)).reference;

function about(reference: string): ParsedMail[] {
	return smtp!.messages.filter((m) => m.subject?.includes(reference));
}

function recipientsOf(mails: ParsedMail[]): string[] {
	return mails.flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address ?? '') ?? [])).sort();
}

async function waitForMails(reference: string, count: number, ms = 30_000) {
	await expect.poll(() => about(reference).length, { timeout: ms, intervals: [100, 250, 500] }).toBeGreaterThanOrEqual(count);
	return about(reference);
}

test.beforeAll(async () => {
	smtpPort = await freePort();
	smtp = await startSmtp(smtpPort);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus) console.log([...outputs, server?.output() ?? ''].join('\n----- restart -----\n'));
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	await smtp?.close();
	if (dataDir) removeDir(dataDir);
});

test('a referral sent is emailed to the team and the linked specialist, without personal details', async () => {
	server = await startServer({ SMTP_URL: smtp!.url, ...FAST });
	dataDir = server.dataDir;
	const reference = await referFromGpLink(server.url);

	const mails = await waitForMails(reference, 2);
	expect(recipientsOf(mails)).toEqual([TEAM, SPECIALIST].sort());
	for (const mail of mails) {
		expect(mail.text).toContain(`Reference: ${reference}`);
		expect(mail.text).toContain(`${server.url}/staff/referrals/${reference}`);
		for (const personal of ['Sam Taylor', 'Taylor', '1985', 'Back pain', 'anxiety', 'sam.taylor@example.com', '07700 900982', 'M1 1AE'])
			expect(`${mail.subject}\n${mail.text}`, `email mentions "${personal}"`).not.toContain(personal);
	}
});

test('an email waiting for the mail server survives a restart of the app and arrives once', async () => {
	test.setTimeout(180_000);
	await smtp!.close();
	const reference = await referFromGpLink(server!.url);

	// The notifier has tried and failed at least once: the mail server is away.
	await expect.poll(() => server!.output().includes('"msg":"email not accepted: will try again"'), { timeout: 20_000 }).toBe(true);
	outputs.push(server!.output());
	expect(await server!.stop()).toBe(0);

	// Stopped with the emails still waiting in the outbox.
	const waiting = await withDatabase(dataDir!, (query) =>
		query(
			`select o.status, o.attempts, o.locked_until from job o join event e on e.event_id = o.event_id
			 where e.payload->>'reference' = $1`,
			[reference]
		)
	);
	expect(waiting).toHaveLength(2);
	for (const row of waiting) {
		expect(row.status).toBe('pending');
		expect(row.attempts as number).toBeGreaterThanOrEqual(1);
		expect(row.locked_until).toBeNull();
	}

	server = await startServer({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ...FAST }, dataDir);
	smtp = await startSmtp(smtpPort);
	const mails = await waitForMails(reference, 2, 60_000);
	expect(recipientsOf(mails)).toEqual([TEAM, SPECIALIST].sort());

	// Nothing more comes: one email per recipient per referral, and the first referral's emails are not sent
	// again, once the notifier has sent everything caused before a later referral (whose 2 emails are left out).
	const later = await notifierCaughtUp(server!.url, smtp!);
	await waitForMails(later, 2);
	expect(about(reference)).toHaveLength(2);
	expect(smtp!.messages.filter((m) => !m.subject?.includes(later))).toHaveLength(2);
	expect(await server!.stop()).toBe(0);
	const rows = await withDatabase(dataDir!, (query) => query(`select status, count(*)::int as n from job where kind = 'email' group by status`));
	expect(rows).toEqual([{ status: 'done', n: 6 }]);
});
