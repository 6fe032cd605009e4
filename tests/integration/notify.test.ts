import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/lib/server/auth/staff';
import { closeDb, getDb } from '../../src/lib/server/db';
import { event, programme, staff, type Referral } from '../../src/lib/server/db/schema';
import { queueNotifications, runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { RETRY_MAX_MS, retryDelayMs, sendDueEmails } from '../../src/lib/server/notify/outbox';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { startSmtp } from '../support/smtp';
import { emailJob, queuedEmails } from '../support/jobs';
import { FIT_NOTE_FROM_GP, aReferral } from '../support/factories';

/**
 * Staff notifications from the event log, through a real SMTP listener. On PostgreSQL the database is
 * shared with earlier runs, so every check looks only at this run's references.
 */
const TEAM = 'primary-care-team@ips.example';
const ORIGIN = 'https://ips.test';
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let programmeName: string;

function recipients(mail: ParsedMail): string[] {
	return (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
}

/** Messages the listener has received about one referral, by recipient. */
function mailsAbout(reference: string): ParsedMail[] {
	return smtp.messages.filter((m) => m.subject?.includes(reference));
}

function countByRecipient(mails: ParsedMail[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const m of mails) for (const to of recipients(m)) out[to] = (out[to] ?? 0) + 1;
	return out;
}

/** One email each to the team and the specialist the referral was routed to (on a shared database, maybe an earlier run's). */
async function expectedOnce(referral: Referral): Promise<Record<string, number>> {
	expect(referral.assignedStaffId).not.toBeNull();
	const db = await getDb();
	const [holder] = await db.select({ email: staff.email }).from(staff).where(eq(staff.id, referral.assignedStaffId!));
	return { [TEAM]: 1, [holder.email]: 1 };
}

async function outboxFor(referral: Referral) {
	const db = await getDb();
	const [submitted] = await db
		.select()
		.from(event)
		.where(and(eq(event.referralId, referral.id), eq(event.type, 'referral.submitted')));
	return queuedEmails(eq(emailJob.eventId, submitted.eventId), emailJob.to);
}

beforeAll(async () => {
	// Read once, on first use: set before anything touches the configuration.
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	process.env.ORIGIN = ORIGIN;
	await seedProgrammes();
	const db = await getDb();
	[{ name: programmeName }] = await db.select({ name: programme.name }).from(programme).where(eq(programme.id, 'gm-ips-primary-care'));
	// A specialist linked to the GP practice of the Fit Note link: referrals from it are routed to them.
	await createStaff({
		email: `specialist-${randomUUID().slice(0, 8)}@ips.example`,
		name: 'Pat Practice',
		role: 'specialist',
		programmeIds: ['gm-ips-primary-care'],
		practices: ['P84001'],
		password: 'a long enough password for tests'
	});
});

afterAll(async () => {
	await smtp?.close();
});

describe('staff notifications', () => {
	it('emails the team and the routed specialist the reference, programme, contact target and link, and nothing about the person', async () => {
		const referral = await aReferral({ source: FIT_NOTE_FROM_GP });
		expect(referral.assignedStaffId).not.toBeNull();
		await runNotifierOnce();

		const mails = mailsAbout(referral.reference);
		expect(countByRecipient(mails)).toEqual(await expectedOnce(referral));
		for (const mail of mails) {
			const text = mail.text ?? '';
			expect(mail.subject).toBe(`New referral ${referral.reference} for ${programmeName}`);
			expect(text).toContain(`Reference: ${referral.reference}`);
			expect(text).toContain(`${ORIGIN}/staff/referrals/${referral.reference}`);
			expect(text).toMatch(/Contact the person by \w+day \d{1,2} \w+ \d{4} \(\d working days? left on /);
			const everything = `${mail.subject}\n${text}\n${mail.html || ''}`;
			// Nothing about the person: name, date of birth, condition, contact details, postcode.
			for (const personal of ['Sam', 'Taylor', '1985', '15 June', '06-15', 'Back pain', 'anxiety', 'sam@example.com', '07700', 'M1 1AE'])
				expect(everything, `email mentions "${personal}"`).not.toContain(personal);
		}
		const rows = await outboxFor(referral);
		expect(rows.map((r) => [r.status, r.attempts])).toEqual([
			['done', 1],
			['done', 1]
		]);

		// A second pass finds nothing new to send.
		await runNotifierOnce();
		expect(mailsAbout(referral.reference)).toHaveLength(2);
	});

	it('keeps retrying with growing waits while the mail server is away, survives a restart, and sends once when it is back', async () => {
		const port = smtp.port;
		await smtp.close();
		const referral = await aReferral({ source: FIT_NOTE_FROM_GP });

		let now = new Date();
		await runNotifierOnce({ now });
		let rows = await outboxFor(referral);
		expect(rows).toHaveLength(2);
		for (const row of rows) {
			expect(row).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
			expect(row.lastError).toBeTruthy();
			expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
		}

		// Not due yet: nothing is tried.
		await runNotifierOnce({ now });
		expect((await outboxFor(referral)).map((r) => r.attempts)).toEqual([1, 1]);

		// Each later try waits longer than the one before.
		let previousWait = rows[0].nextAttemptAt.getTime() - now.getTime();
		for (const attempts of [2, 3, 4]) {
			now = new Date(Math.max(...rows.map((r) => r.nextAttemptAt.getTime())) + 1);
			await runNotifierOnce({ now });
			rows = await outboxFor(referral);
			for (const row of rows) {
				expect(row).toMatchObject({ status: 'pending', attempts });
				expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
			}
			const wait = rows[0].nextAttemptAt.getTime() - now.getTime();
			expect(wait).toBeGreaterThan(previousWait);
			previousWait = wait;
		}
		expect(mailsAbout(referral.reference)).toHaveLength(0);

		// The app restarts (the database is closed and opened again): the outbox is still there.
		await closeDb();
		smtp = await startSmtp(port);
		await runNotifierOnce({ now: new Date(now.getTime() + RETRY_MAX_MS) });
		expect(countByRecipient(mailsAbout(referral.reference))).toEqual(await expectedOnce(referral));
		rows = await outboxFor(referral);
		expect(rows.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
			['done', 5, null],
			['done', 5, null]
		]);

		await runNotifierOnce({ now: new Date(now.getTime() + 2 * RETRY_MAX_MS) });
		expect(mailsAbout(referral.reference)).toHaveLength(2);
	});

	it('sends each email exactly once when several notifiers run at the same time', async () => {
		const referrals: Referral[] = [];
		for (let i = 0; i < 6; i++) referrals.push(await aReferral({ source: FIT_NOTE_FROM_GP }));
		// Four workers take small steps side by side, so their claims overlap; then whole passes race too.
		const worker = async () => {
			for (;;) {
				await queueNotifications({ limit: 2 });
				const { sent, retrying, failed } = await sendDueEmails({ limit: 1 });
				if (sent + retrying + failed === 0) return;
			}
		};
		await Promise.all([worker(), worker(), worker(), worker()]);
		referrals.push(await aReferral({ source: FIT_NOTE_FROM_GP }), await aReferral({ source: FIT_NOTE_FROM_GP }));
		await Promise.all([runNotifierOnce(), runNotifierOnce(), runNotifierOnce()]);
		for (const referral of referrals) {
			expect(countByRecipient(mailsAbout(referral.reference)), referral.reference).toEqual(await expectedOnce(referral));
			expect((await outboxFor(referral)).map((r) => [r.status, r.attempts])).toEqual([
				['done', 1],
				['done', 1]
			]);
		}
	});

	it('waits between tries exponentially, with jitter, up to an hour', () => {
		expect(retryDelayMs(1, () => 0)).toBe(5_000);
		expect(retryDelayMs(1, () => 1)).toBe(10_000);
		expect(retryDelayMs(2, () => 1)).toBe(20_000);
		expect(retryDelayMs(5, () => 0.5)).toBe(120_000);
		expect(retryDelayMs(40, () => 1)).toBe(RETRY_MAX_MS);
		expect(retryDelayMs(40, () => 0)).toBe(RETRY_MAX_MS / 2);
	});
});
