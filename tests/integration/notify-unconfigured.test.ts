import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { event } from '../../src/lib/server/db/schema';
import { runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { emailJob, queuedEmails } from '../support/jobs';
import { aReferral } from '../support/factories';

beforeAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.NOTIFY_API_KEY;
	await seedProgrammes();
});

describe('staff notifications with no mail configured', () => {
	it('queues the email and keeps it pending, untried, so nothing is lost', async () => {
		const referral = await aReferral({ source: null });

		const result = await runNotifierOnce();
		expect(result.notConfigured).toBe(true);
		const db = await getDb();
		const [submitted] = await db.select().from(event).where(eq(event.referralId, referral.id));
		const rows = await queuedEmails(eq(emailJob.eventId, submitted.eventId));
		// No specialist is linked to a referral without a GP practice: the team only.
		expect(rows.map((r) => [r.to, r.status, r.attempts])).toEqual([['primary-care-team@ips.example', 'pending', 0]]);
	});
});
