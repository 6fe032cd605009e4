import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ALPHABET } from '../../src/lib/domain/reference';
import { getDb } from '../../src/lib/server/db';
import { consent, event, referral } from '../../src/lib/server/db/schema';
import { createDraft, getDraftByToken, saveDraftAnswers } from '../../src/lib/server/drafts';
import { assess } from '../../src/lib/server/journey';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import { completeAnswers } from '../support/answers';
import { FIT_NOTE_FROM_GP, aReadyDraft } from '../support/factories';

beforeAll(async () => {
	await seedProgrammes();
});

describe('submitting a referral', () => {
	it('writes the referral, its consents with versions, its source and one referral.submitted event', async () => {
		const { draftId, token } = await aReadyDraft({ source: FIT_NOTE_FROM_GP });
		const { referral: created, created: isNew } = await submitReferral(draftId, new Date('2026-12-24T10:00:00Z'));
		expect(isNew).toBe(true);
		expect(created.reference).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`));
		expect(created.programmeId).toBe('gm-ips-primary-care');
		expect(created.sourceCode).toBe('fit-note');
		expect(created.sourceOdsCode).toBe('P84001');
		expect(created.dwpCategory).toBe('primary-care');
		// 5 working days from Thursday 24 December 2026 skip Christmas, the Boxing Day substitute and New Year's Day.
		expect(created.contactTargetDate).toBe('2027-01-05');

		const db = await getDb();
		const consents = await db.select().from(consent).where(eq(consent.referralId, created.id));
		const byKind = Object.fromEntries(consents.map((c) => [c.kind, c]));
		expect(byKind.processing).toMatchObject({ given: true, textVersion: 'processing-2026-11-v1' });
		expect(byKind.evaluation).toMatchObject({ given: true, textVersion: 'evaluation-2026-11-v1' });
		expect(byKind.textReminders).toMatchObject({ given: false });
		expect(byKind.processing.recordedAt).toBeInstanceOf(Date);

		const events = await db.select().from(event).where(eq(event.referralId, created.id));
		expect(events).toHaveLength(1);
		expect(events[0].type).toBe('referral.submitted');
		expect(events[0].payload).toMatchObject({ reference: created.reference, programmeId: 'gm-ips-primary-care' });

		// The draft is closed and keeps no answers.
		expect(await getDraftByToken(token)).toBeNull();
		const closed = await getDraftByToken(token, true);
		expect(closed?.answers).toEqual({});
		expect(closed?.submittedAt).toBeInstanceOf(Date);
	});

	it('makes one referral when the same draft is submitted twice at the same time', async () => {
		const { draftId } = await aReadyDraft({ source: FIT_NOTE_FROM_GP });
		const results = await Promise.all([submitReferral(draftId), submitReferral(draftId), submitReferral(draftId)]);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(new Set(results.map((r) => r.referral.id)).size).toBe(1);
		const db = await getDb();
		const rows = await db.select().from(referral).where(eq(referral.draftId, draftId));
		expect(rows).toHaveLength(1);
		const events = await db.select().from(event).where(eq(event.referralId, rows[0].id));
		expect(events).toHaveLength(1);
	});

	it('a retried submit after success returns the same referral', async () => {
		const { draftId } = await aReadyDraft({ source: FIT_NOTE_FROM_GP });
		const first = await submitReferral(draftId);
		const again = await submitReferral(draftId);
		expect(again.created).toBe(false);
		expect(again.referral.reference).toBe(first.referral.reference);
	});

	it('refuses a draft without the required consent', async () => {
		const { draftId } = await aReadyDraft({ source: FIT_NOTE_FROM_GP, answers: { consentProcessing: { given: false, version: 'processing-2026-11-v1', at: new Date().toISOString() } } });
		await expect(submitReferral(draftId)).rejects.toThrow(/consentProcessing/);
		const db = await getDb();
		expect(await db.select().from(referral).where(eq(referral.draftId, draftId))).toHaveLength(0);
	});

	it('records the source a person told us about when there was no link', async () => {
		const { draft } = await createDraft(null);
		const answers = completeAnswers({ heardFrom: 'jobcentre-plus' });
		const assessment = await assess({ answers, source: null });
		if (assessment.status !== 'done') throw new Error('answers should be complete');
		await saveDraftAnswers(draft, 'refer/consent', answers, assessment.result);
		const { referral: created } = await submitReferral(draft.id);
		expect(created.sourceCode).toBe('jobcentre-plus');
		expect(created.dwpCategory).toBe('signposted-jcp');
	});
});
