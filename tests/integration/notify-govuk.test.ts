import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { RETRY_MAX_MS } from '../../src/lib/server/notify/outbox';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { eq } from 'drizzle-orm';
import { emailJob, queuedEmails } from '../support/jobs';
import { startNotifyStandIn, type NotifyStandIn } from '../support/notify-stand-in';
import { aReferral } from '../support/factories';

/** GOV.UK Notify as the sender (no SMTP_URL), against a local HTTP receiver that checks what Notify checks. */
const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const TEMPLATE_ID = randomUUID();
const received: { templateId: string; to: string; subject: string; body: string; reference: string }[] = [];
let notify: NotifyStandIn;

beforeAll(async () => {
	notify = await startNotifyStandIn({
		serviceId: SERVICE_ID,
		secret: SECRET,
		paths: ['/v2/notifications/email'],
		onSent: (_path, body) => received.push({ templateId: body.template_id, to: body.email_address!, subject: body.personalisation.subject!, body: body.personalisation.body, reference: body.reference! })
	});
	delete process.env.SMTP_URL;
	process.env.NOTIFY_API_KEY = notify.apiKey;
	process.env.NOTIFY_TEMPLATE_ID = TEMPLATE_ID;
	process.env.NOTIFY_BASE_URL = notify.url;
	process.env.ORIGIN = 'https://ips.test';
	await seedProgrammes();
});

afterAll(async () => {
	await notify.close();
});

describe('staff notifications through GOV.UK Notify', () => {
	it('posts the email to Notify with the template, retries when Notify fails, and sends once', async () => {
		const referral = await aReferral({ source: { code: 'fit-note', odsCode: 'P84002', linkCode: null } });
		const mine = () => received.filter((r) => r.subject.includes(referral.reference));

		notify.status = 500;
		const now = new Date();
		await runNotifierOnce({ now });
		expect(mine()).toHaveLength(0);
		const db = await getDb();
		const [row] = (await queuedEmails(eq(emailJob.to, 'primary-care-team@ips.example'))).filter((r) => r.subject.includes(referral.reference));
		expect(row).toMatchObject({ status: 'pending', attempts: 1 });
		expect(row.lastError).toContain('HTTP 500');
		expect(row.lastError).not.toContain(SECRET);

		notify.status = 201;
		await runNotifierOnce({ now: new Date(now.getTime() + RETRY_MAX_MS) });
		await runNotifierOnce({ now: new Date(now.getTime() + 2 * RETRY_MAX_MS) });
		expect(mine()).toHaveLength(1);
		const [sent] = mine();
		expect(sent).toMatchObject({ templateId: TEMPLATE_ID, to: 'primary-care-team@ips.example', reference: row.id });
		expect(sent.body).toContain(`https://ips.test/staff/referrals/${referral.reference}`);
		expect(sent.body).not.toContain('Sam');
		expect(sent.body).not.toContain('Back pain');
		const [after] = await queuedEmails(eq(emailJob.id, row.id));
		expect(after).toMatchObject({ status: 'done', attempts: 2 });
	});
});
