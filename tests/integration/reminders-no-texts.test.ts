/**
 * Mail by SMTP but no GOV.UK Notify text template: email reminders go, text reminders wait, pending and
 * untried, so none is lost once texts are configured; the warning is logged once per process.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reminderKey } from '../../src/lib/domain/meetings/reminders';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { job, meeting, participant } from '../../src/lib/server/db/schema';
import { createDraft, saveDraftAnswers } from '../../src/lib/server/drafts';
import { assess } from '../../src/lib/server/journey';
import { log } from '../../src/lib/server/log';
import { sendDueReminders } from '../../src/lib/server/meetings/reminder-sender';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import { completeAnswers } from '../support/answers';
import { startSmtp } from '../support/smtp';

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
		const { draft } = await createDraft({ code: 'leaflet' });
		const answers = completeAnswers({ consentTextReminders: { given: true, version: 'text-reminders-2026-11-v1', at: new Date().toISOString() } });
		const assessment = await assess({ answers, source: draft.source });
		if (assessment.status !== 'done') throw new Error('answers should be complete');
		await saveDraftAnswers(draft, 'refer/more-consents', answers, assessment.result);
		const { referral } = await submitReferral(draft.id);
		const db = await getDb();
		const [p] = await db.select().from(participant).where(eq(participant.referralId, referral.id));
		const { staff } = await createStaff({ email: `s-${randomUUID().slice(0, 8)}@example.org`, name: 'S', role: 'specialist', programmeIds: [referral.programmeId], practices: [], password: 'a long enough password for tests' });
		const start = new Date(Date.now() + 3 * 86_400_000);
		const [m] = await db
			.insert(meeting)
			.values({ referralId: referral.id, participantId: p.id, programmeId: referral.programmeId, staffId: staff.id, startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000), mode: 'phone' })
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
