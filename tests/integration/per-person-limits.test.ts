/**
 * Limits that hold per person (issue 19, part 2), through the route code as SvelteKit calls it:
 * - save-and-return emails to one address are capped whoever asks (twelve client addresses, a real SMTP
 *   listener), and the page answers the same whether the email went or not; they are jobs, queued with
 *   the link and sent by the worker, which then keeps no link;
 * - rate limits count an IPv6 client by its /64: twelve addresses in one /64 share one limit;
 * - opening /r/<code> links and posting to the checker without an answer make no draft rows; the first
 *   saved answer makes one, with the link's source.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieJar, outcome, routeEvent } from '../support/route-outcome';
import { getDb } from '../../src/lib/server/db';
import { draft, job } from '../../src/lib/server/db/schema';
import { onWake } from '../../src/lib/server/jobs/worker';
import { sendDueEmails } from '../../src/lib/server/notify/outbox';
import { createDraft, getDraftByToken } from '../../src/lib/server/drafts';
import { DRAFT_COOKIE, LINK_COOKIE } from '../../src/lib/server/journey';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { RESUME_LINK_EMAIL_KIND, SAVE_EMAILS_PER_RECIPIENT } from '../../src/lib/server/save-return';
import * as checkPage from '../../src/routes/check/[step]/+page.server';
import * as linkRoute from '../../src/routes/r/[code]/+server';
import * as savePage from '../../src/routes/save/+page.server';
import * as statusPage from '../../src/routes/status/+page.server';
import { startSmtp } from '../support/smtp';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
const run = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
	// Before anything reads the settings (they are read once).
	smtp = await startSmtp();
	process.env.SMTP_URL = smtp.url;
	await seedProgrammes();
});

afterAll(async () => {
	delete process.env.SMTP_URL;
	await smtp?.close();
});


async function draftRows(): Promise<number> {
	const db = await getDb();
	const [row] = await db.select({ n: count() }).from(draft);
	return Number(row.n);
}

const hex = () => Math.floor(Math.random() * 0xffff).toString(16);

describe('save-and-return emails to one address', () => {
	it(`are capped at ${SAVE_EMAILS_PER_RECIPIENT} a day from twelve client addresses, with the same answer every time`, async () => {
		const to = `capped-${run}@example.org`;
		const answers: unknown[] = [];
		let woken = 0;
		const stopWaking = onWake(() => woken++);
		try {
			for (let i = 0; i < 12; i++) {
				const { token } = await createDraft();
				const { cookies } = cookieJar({ [DRAFT_COOKIE]: token });
				answers.push(await outcome(() => savePage.actions.default(routeEvent('/save', { cookies, form: { email: to, website: '' }, client: `198.51.100.${i + 1}` }))));
			}
		} finally {
			stopWaking();
		}
		for (const a of answers) expect(a).toEqual({ data: { sent: to } });
		// Queued as jobs in the request (the worker woken for each), none past the cap; sent by the worker.
		expect(woken).toBe(SAVE_EMAILS_PER_RECIPIENT);
		const db = await getDb();
		const resumeJobs = (address: string) =>
			db
				.select()
				.from(job)
				.where(and(eq(job.recipient, address), sql`${job.payload}->>'kind' = ${RESUME_LINK_EMAIL_KIND}`));
		const queued = await resumeJobs(to);
		expect(queued).toHaveLength(SAVE_EMAILS_PER_RECIPIENT);
		for (const row of queued) expect(row.payload.body).toMatch(/\/resume\/[a-z2-7]{32}/);
		// The listener has had time for every email that was sent: wait for one more address after them.
		const { token } = await createDraft();
		const other = `after-${run}@example.org`;
		await savePage.actions.default(routeEvent('/save', { cookies: cookieJar({ [DRAFT_COOKIE]: token }).cookies, form: { email: other, website: '' }, client: '198.51.100.99' }));
		await sendDueEmails({ limit: 500 });
		await smtp.waitFor(other);
		expect(smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(to)))).toHaveLength(SAVE_EMAILS_PER_RECIPIENT);
		// Another address is not held back by the first one's cap.
		expect(smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(other)))).toHaveLength(1);
		// The email is the one the route always sent: the link to the draft, nothing about the answers.
		const message = smtp.messages.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(other)))!;
		expect(message.subject).toBe('Your link to carry on with your IPS Employment Support referral');
		expect(message.text).toMatch(/Carry on where you left off: \S+\/resume\/[a-z2-7]{32}/);
		// Once sent, the job keeps no link.
		for (const row of [...(await resumeJobs(to)), ...(await resumeJobs(other))]) {
			expect(row.status).toBe('done');
			expect(row.payload.body).not.toMatch(/\/resume\//);
		}
	});
});

describe('rate limits by client address', () => {
	/** One /status look-up with a reference nobody has; the answer is 404 (not found) or 429 (limited). */
	const lookUp = (client: string) =>
		outcome(() =>
			statusPage.actions.default(
				routeEvent('/status', { form: { reference: 'ACDE-FGHJ', 'dateOfBirth-day': '1', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990' }, client })
			)
		);

	it('count twelve addresses in one IPv6 /64 as one client', async () => {
		const prefix = `2001:db8:${hex()}:${hex()}`;
		const statuses: (number | undefined)[] = [];
		for (let i = 0; i < 12; i++) statuses.push((await lookUp(`${prefix}:${hex()}:${hex()}:${hex()}:${i + 1}`)).status);
		// 10 look-ups per client in 15 minutes (src/routes/status/+page.server.ts).
		expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
	});

	it('count twelve addresses in different /64s apart', async () => {
		const statuses: (number | undefined)[] = [];
		for (let i = 0; i < 12; i++) statuses.push((await lookUp(`2001:db8:${hex()}:${(i + 1).toString(16)}::1`)).status);
		expect(statuses).toEqual(Array(12).fill(404));
	});
});

describe('drafts', () => {
	it('are not made by a burst of cookie-less link opens and checker posts without a saved answer', async () => {
		const before = await draftRows();
		for (let i = 0; i < 30; i++) {
			const opened = await outcome(() => linkRoute.GET(routeEvent(`/r/gp-p84001`, { params: { code: 'gp-p84001' }, client: `203.0.113.${i + 1}` })));
			expect(opened).toMatchObject({ status: 303, location: '/' });
			// A page that is not the first question, and a first question answered wrongly.
			expect(await outcome(() => checkPage.actions.default(routeEvent('/check/employment', { params: { step: 'employment' }, form: { employment: 'out-of-work' }, client: `203.0.113.${i + 1}` })))).toMatchObject({ status: 303 });
			expect(await outcome(() => checkPage.actions.default(routeEvent('/check/postcode', { params: { step: 'postcode' }, form: { postcode: '' }, client: `203.0.113.${i + 1}` })))).toMatchObject({ status: 400 });
		}
		expect(await draftRows()).toBe(before);
	});

	it('are made by the first saved answer, with the source of the link opened before', async () => {
		const { values, cookies } = cookieJar();
		await outcome(() => linkRoute.GET(routeEvent(`/r/gp-p84001`, { cookies, params: { code: 'gp-p84001' }, client: '203.0.113.200' })));
		expect(values.get(LINK_COOKIE)).toBe('gp-p84001');
		expect(values.get(DRAFT_COOKIE)).toBeUndefined();
		const before = await draftRows();
		const saved = await outcome(() => checkPage.actions.default(routeEvent('/check/postcode', { cookies, params: { step: 'postcode' }, form: { postcode: 'M1 1AE' }, client: '203.0.113.200' })));
		expect(saved.status).toBe(303);
		expect(saved.location).toMatch(/^\/check\//);
		expect(await draftRows()).toBe(before + 1);
		const made = await getDraftByToken(values.get(DRAFT_COOKIE)!);
		expect(made).toMatchObject({ answered: ['check/postcode'], answers: { postcode: 'M1 1AE' }, source: { linkCode: 'gp-p84001' } });
		expect(values.has(LINK_COOKIE)).toBe(false);
		// The next answer goes into the same draft.
		const next = saved.location!.split('/').pop()!;
		expect(next).not.toBe('postcode');
		expect(await draftRows()).toBe(before + 1);
	});
});
