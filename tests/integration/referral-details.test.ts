/**
 * "Tell us more" after sending (issue 22): each optional page saved adds its answers to the referral, records
 * its consent, and appends a referral.details_added event that validates against the published schema,
 * reaches a signed webhook receiver (minimised for a receiver without the health scope), and shows on the
 * staff referral page with when it was added.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { addReferralDetails } from '../../src/lib/server/casework/details';
import { getReferralForStaff } from '../../src/lib/server/casework/referral-view';
import { siteOrigin } from '../../src/lib/server/config';
import { getDb } from '../../src/lib/server/db';
import { consent, event, referral as referralTable } from '../../src/lib/server/db/schema';
import { eventPayloadJsonSchema, eventPayloadSchema } from '../../src/lib/server/events/payload';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';
import { CONSENTS } from '../../src/lib/domain/consents';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { Refusal } from '../../src/lib/server/refusal';
import { runWebhooksOnce } from '../../src/lib/server/webhooks/loop';
import { createSubscription } from '../../src/lib/server/webhooks/subscriptions';
import { aReferral, aStaffMember } from '../support/factories';
import { disableOpenSubscriptions } from '../support/subscriptions';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
const PRIMARY = 'gm-ips-primary-care';
const receivers: Receiver[] = [];
const page = (id: string) => MORE_PAGES.find((p) => p.id === id)!;

async function subscribe(url: string, dataScopes: string[]) {
	const result = await createSubscription({ url, eventTypes: ['referral.details_added'], programmeIds: [PRIMARY], dataScopes }, COMMAND_LINE);
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result;
}

beforeAll(async () => {
	await seedProgrammes();
	await disableOpenSubscriptions();
	// Nothing older than this file is of interest: queue it (for no one) now.
	while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
}, 120_000);

afterEach(disableOpenSubscriptions);
afterAll(async () => {
	for (const r of receivers) await r.close().catch(() => {});
});

describe('telling us more after sending', () => {
	it('saves each page on the referral, sends a valid referral.details_added to a receiver, minimised without the health scope', async () => {
		const full = await startReceiver(() => fullSub.secret);
		const core = await startReceiver(() => coreSub.secret);
		receivers.push(full, core);
		const fullSub = await subscribe(full.url, ['health', 'equality']);
		const coreSub = await subscribe(core.url, []);

		const referral = await aReferral();
		expect(referral.answers).not.toHaveProperty('conditionDescription');
		const at = new Date().toISOString();
		await addReferralDetails(referral.id, page('condition'), { conditionDescription: 'Anxiety makes busy places hard.' });
		await addReferralDetails(referral.id, page('nhs-number'), { nhsNumber: '9434765919', consentNhsNumber: { given: true, version: CONSENTS.nhsNumber.version, at } });
		await addReferralDetails(referral.id, page('job-goals'), { jobGoals: 'Gardening, part time' });

		const db = await getDb();
		const [row] = await db.select().from(referralTable).where(eq(referralTable.id, referral.id));
		expect(row.answers).toMatchObject({ conditionDescription: 'Anxiety makes busy places hard.', nhsNumber: '9434765919', jobGoals: 'Gardening, part time', givenName: 'Sam' });
		const consents = await db.select().from(consent).where(and(eq(consent.referralId, referral.id), eq(consent.kind, 'nhsNumber')));
		expect(consents.map((c) => [c.given, c.textVersion])).toEqual([[true, CONSENTS.nhsNumber.version]]);
		const events = await db.select().from(event).where(and(eq(event.referralId, referral.id), eq(event.type, 'referral.details_added')));
		expect(events.map((e) => e.payload.page)).toEqual(['condition', 'nhs-number', 'job-goals']);

		while ((await runWebhooksOnce({ timeoutMs: 3000 })).events > 0);
		const mine = (r: Receiver) => r.received.filter((x) => x.body.data.reference === referral.reference);
		expect(full.rejected).toEqual([]);
		expect(mine(full).map((x) => x.body.type)).toEqual(['referral.details_added', 'referral.details_added', 'referral.details_added']);
		const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(eventPayloadJsonSchema(siteOrigin()));
		for (const x of [...mine(full), ...mine(core)]) {
			expect(eventPayloadSchema.safeParse(x.body).success).toBe(true);
			expect(validate(x.body), JSON.stringify(validate.errors)).toBe(true);
		}
		const first = mine(full)[0].body.data as Record<string, any>;
		expect(first.change).toMatchObject({ page: 'condition', questions: ['conditionDescription'], answers: { conditionDescription: 'Anxiety makes busy places hard.' } });
		expect(first.actor).toEqual({ type: 'participant', id: null, name: null });
		// The snapshot is the referral as that save left it: the later pages' answers are not in it yet.
		expect(first.answers).not.toHaveProperty('jobGoals');
		const nhs = mine(full)[1].body.data as Record<string, any>;
		expect(nhs.change.answers).toEqual({ nhsNumber: '9434765919' });
		expect(nhs.consents.map((c: { kind: string }) => c.kind)).toContain('nhsNumber');

		// Without the health scope: the event arrives, its health answers and words in the person's own words do not.
		expect(mine(core).map((x) => (x.body.data as Record<string, any>).change.page)).toEqual(['condition', 'nhs-number', 'job-goals']);
		for (const x of mine(core)) {
			const data = x.body.data as Record<string, any>;
			expect(data.change.answers).toEqual({});
			expect(data.answers).not.toHaveProperty('conditionDescription');
			expect(data.answers).not.toHaveProperty('nhsNumber');
			expect(data.answers).not.toHaveProperty('jobGoals');
		}

		// Staff see what was added, and when.
		const specialist = await aStaffMember('specialist', [PRIMARY]);
		const view = await getReferralForStaff(specialist, referral.reference);
		const added = Object.fromEntries(view.moreAnswers.map((r) => [r.id, r]));
		expect(added.condition.lines).toEqual(['Anxiety makes busy places hard.']);
		expect(added['job-goals'].lines).toEqual(['Gardening, part time']);
		expect(added.condition.addedAt).toBeInstanceOf(Date);
		expect(view.history.some((h) => h.title === 'The person told us more after sending their referral' && h.lines.includes('Answered: Their health'))).toBe(true);
	});

	it('refuses a referral that is closed, and a page that is not a "Tell us more" page', async () => {
		const referral = await aReferral();
		const db = await getDb();
		await db.update(referralTable).set({ status: 'closed', closedReason: '004' }).where(eq(referralTable.id, referral.id));
		await expect(addReferralDetails(referral.id, page('job-goals'), { jobGoals: 'Anything' })).rejects.toBeInstanceOf(Refusal);
		const [row] = await db.select().from(referralTable).where(eq(referralTable.id, referral.id));
		expect(row.answers).not.toHaveProperty('jobGoals');
		const notMore = { ...page('job-goals'), flow: 'refer' as const };
		await expect(addReferralDetails(referral.id, notMore, { jobGoals: 'x' })).rejects.toThrow(/not an optional page/);
	});
});
