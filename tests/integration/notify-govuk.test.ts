import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { createDraft, saveDraftAnswers } from '../../src/lib/server/drafts';
import { assess } from '../../src/lib/server/journey';
import { runNotifierOnce } from '../../src/lib/server/notify/dispatcher';
import { RETRY_MAX_MS } from '../../src/lib/server/notify/outbox';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import { completeAnswers } from '../support/answers';
import { eq } from 'drizzle-orm';
import { emailJob, queuedEmails } from '../support/jobs';

/** GOV.UK Notify as the sender (no SMTP_URL), against a local HTTP receiver that checks what Notify checks. */
const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const TEMPLATE_ID = randomUUID();
const received: { templateId: string; to: string; subject: string; body: string; reference: string }[] = [];
let answer = 201;
let server: Server;

function validToken(header: string | undefined): boolean {
	const token = header?.replace(/^Bearer /, '') ?? '';
	const [head, payload, signature] = token.split('.');
	if (!head || !payload || !signature) return false;
	const expected = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url');
	if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return false;
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
	return claims.iss === SERVICE_ID && Math.abs(claims.iat - Date.now() / 1000) < 30;
}

beforeAll(async () => {
	server = createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			if (req.method !== 'POST' || req.url !== '/v2/notifications/email' || !validToken(req.headers.authorization)) {
				res.statusCode = 403;
				res.end(JSON.stringify({ status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token' }] }));
				return;
			}
			if (answer !== 201) {
				res.statusCode = answer;
				res.end(JSON.stringify({ status_code: answer, errors: [{ error: 'Exception', message: 'Internal server error' }] }));
				return;
			}
			const body = JSON.parse(data);
			received.push({ templateId: body.template_id, to: body.email_address, subject: body.personalisation.subject, body: body.personalisation.body, reference: body.reference });
			res.statusCode = 201;
			res.end(JSON.stringify({ id: randomUUID(), reference: body.reference, content: { subject: body.personalisation.subject, body: body.personalisation.body, from_email: 'ips@notifications.service.gov.uk' }, uri: '', template: { id: TEMPLATE_ID, version: 1, uri: '' } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	delete process.env.SMTP_URL;
	process.env.NOTIFY_API_KEY = `ips_test-${SERVICE_ID}-${SECRET}`;
	process.env.NOTIFY_TEMPLATE_ID = TEMPLATE_ID;
	process.env.NOTIFY_BASE_URL = `http://127.0.0.1:${port}`;
	process.env.ORIGIN = 'https://ips.test';
	await seedProgrammes();
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

describe('staff notifications through GOV.UK Notify', () => {
	it('posts the email to Notify with the template, retries when Notify fails, and sends once', async () => {
		const { draft } = await createDraft({ code: 'fit-note', odsCode: 'P84002', linkCode: null });
		const answers = completeAnswers();
		const assessment = await assess({ answers, source: draft.source });
		if (assessment.status !== 'done') throw new Error('answers should be complete');
		await saveDraftAnswers(draft, 'refer/more-consents', answers, assessment.result);
		const { referral } = await submitReferral(draft.id);
		const mine = () => received.filter((r) => r.subject.includes(referral.reference));

		answer = 500;
		const now = new Date();
		await runNotifierOnce({ now });
		expect(mine()).toHaveLength(0);
		const db = await getDb();
		const [row] = (await queuedEmails(eq(emailJob.to, 'primary-care-team@ips.example'))).filter((r) => r.subject.includes(referral.reference));
		expect(row).toMatchObject({ status: 'pending', attempts: 1 });
		expect(row.lastError).toContain('HTTP 500');
		expect(row.lastError).not.toContain(SECRET);

		answer = 201;
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
