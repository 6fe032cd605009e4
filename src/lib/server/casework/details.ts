/**
 * "Tell us more": the optional questions a person can answer after sending their referral (MORE_PAGES in
 * domain/refer-pages.ts). Each page saved adds its answers to the referral, records any consent on it,
 * and appends a `referral.details_added` event naming the questions answered, in one transaction.
 */
import { eq } from 'drizzle-orm';
import { CONSENT_FIELDS, type ConsentAnswer } from '$lib/domain/consents';
import type { DraftAnswers } from '$lib/domain/draft-answers';
import { morePath, type QuestionPage } from '$lib/domain/journey';
import { getDb } from '../db';
import { consent, referral, type Referral } from '../db/schema';
import { appendEvent } from '../events/log';
import { notFound } from '../refusal';

export const DETAILS_EVENT_VERSION = 1;

/** The optional pages that apply to this referral, in order. */
export function morePagesFor(row: Pick<Referral, 'answers' | 'sourceCode'>): QuestionPage[] {
	return morePath({ answers: row.answers, hasSource: true });
}

export async function referralForParticipant(referralId: string): Promise<Referral> {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.id, referralId));
	if (!row) notFound();
	return row;
}

/**
 * Saves one optional page's answers on the referral. A page answered again replaces its answers (and
 * appends another event). Refused (404) for a referral that is closed: the person has withdrawn, or the
 * service closed it.
 */
export async function addReferralDetails(referralId: string, page: QuestionPage, values: Record<string, unknown>, now = new Date()): Promise<Referral> {
	if (page.flow !== 'more') throw new Error(`Page ${page.id} is not an optional page after sending`);
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(referral).where(eq(referral.id, referralId)).for('update');
		if (!row || row.status === 'closed') notFound();
		// JSON drops a key set to undefined, as the draft does.
		const answers = JSON.parse(JSON.stringify({ ...row.answers, ...values })) as DraftAnswers;
		const [updated] = await tx.update(referral).set({ answers }).where(eq(referral.id, referralId)).returning();
		const consents = CONSENT_FIELDS.filter(([name]) => page.fields.some((f) => f.name === name) && values[name]);
		for (const [name, kind] of consents) {
			const c = values[name] as ConsentAnswer;
			await tx.insert(consent).values({ referralId, kind, given: c.given, textVersion: c.version, recordedAt: new Date(c.at) });
		}
		const questions = page.fields.filter((f) => f.kind !== 'consent').map((f) => f.name);
		await appendEvent(tx, {
			type: 'referral.details_added',
			referralId,
			programmeId: row.programmeId,
			payload: {
				version: DETAILS_EVENT_VERSION,
				reference: row.reference,
				programmeId: row.programmeId,
				byStaffId: null,
				at: now.toISOString(),
				page: page.id,
				questions,
				actor: { kind: 'participant' }
			}
		});
		return updated;
	});
}
