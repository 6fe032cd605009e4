/**
 * Mail by SMTP but no GOV.UK Notify text template: email reminders go, text reminders wait, pending and
 * untried, so none is lost once texts are configured; the warning is logged once per process.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reminderKey } from '../../src/lib/domain/meetings/reminders';
import { getDb } from '../../src/lib/server/db';
import { job, meeting } from '../../src/lib/server/db/schema';
import { log } from '../../src/lib/server/log';
import { sendDueReminders } from '../../src/lib/server/meetings/reminder-sender';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { startSmtp } from '../support/smtp';
import { aParticipant, aStaffMember, textRemindersConsent } from '../support/factories';

let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	delete process.env.NOTIFY_API_KEY;
	delete process.env.NOTIFY_SMS_TEMPLATE_ID;
	await seedProgrammes();
});

afterAll(async () => {
	await smtp?.close();
});

describe('text reminders with texts not configured', () => {
	it('keeps them pending and untried, warns once, and still sends the emails', async () => {
		const p = await aParticipant({ answers: textRemindersConsent(true) });
		const db = await getDb();
		const staff = await aStaffMember('specialist', [p.programmeId]);
		const start = new Date(Date.now() + 3 * 86_400_000);
		const [m] = await db
			.insert(meeting)
			.values({ referralId: p.referralId, participantId: p.id, programmeId: p.programmeId, staffId: staff.id, startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000), mode: 'phone' })
			.returning();
		const due = new Date(start.getTime() - 120 * 60_000);
		const key = reminderKey(m.id, m.version, 120);
		const to = `p-${randomUUID().slice(0, 8)}@example.org`;
		await db.insert(job).values([
			{ kind: 'meeting.reminder', key: `${key}:email`, meetingId: m.id, channel: 'email', recipient: to, dueAt: due, nextAttemptAt: due },
			{ kind: 'meeting.reminder', key: `${key}:text`, meetingId: m.id, channel: 'text', recipient: p.phone!, dueAt: due, nextAttemptAt: due }
		]);

		const warn = vi.spyOn(log, 'warn');
		await sendDueReminders({ now: due });
		await sendDueReminders({ now: new Date(due.getTime() + 60_000) });
		const textWarnings = warn.mock.calls.filter(([message]) => String(message).startsWith('text reminders are due'));
		expect(textWarnings).toHaveLength(1);
		warn.mockRestore();

		const rows = await db.select().from(job).where(eq(job.meetingId, m.id)).orderBy(job.channel);
		expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
			['email', 'done', 1],
			['text', 'pending', 0]
		]);
		await smtp.waitFor(to);
	});
});
