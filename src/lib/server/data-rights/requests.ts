/**
 * Deletion requests (issue 24 item 4): the person asks from their account (an optional reason), staff of the
 * programme see open requests in the inbox and decide: carry it out (erasure.ts, at once) or refuse with a
 * lawful reason and a note. A refusal is emailed to the person (the reason in plain words, never the note)
 * (in the language of their referral) and shown on their home page. The command line does the same (`npm run cli -- erasure ...`).
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { erasureDueBy, refusalReason, type ErasureRefusalReason } from '$lib/domain/data-rights';
import { normaliseReference } from '$lib/domain/reference';
import { ukDate } from '$lib/domain/uk-time';
import { m } from '$lib/paraglide/messages';
import { recordAudit } from '../audit';
import type { ParticipantUser, StaffUser } from '../auth/sessions';
import { siteOrigin } from '../config';
import { getDb, type Tx } from '../db';
import { erasureRequest, participant, programme, referral } from '../db/schema';
import { enqueueEmails } from '../notify/outbox';
import { inLocale, languageOf, longDateIn, type Locale } from '../notify/words';
import { assertProgramme, notFound } from '../refusal';
import { eraseInTransaction } from './erasure';

export type ErasureRequestRow = typeof erasureRequest.$inferSelect;

/** The person's latest request, if any (for their home page and the request page). */
export async function latestErasureRequest(referralId: string): Promise<ErasureRequestRow | null> {
	const db = await getDb();
	const [row] = await db.select().from(erasureRequest).where(eq(erasureRequest.referralId, referralId)).orderBy(desc(erasureRequest.requestedAt)).limit(1);
	return row ?? null;
}

/** The person asks for their data to be deleted; a request already waiting is kept (and returned). */
export async function requestErasure(user: Pick<ParticipantUser, 'referralId' | 'programmeId' | 'reference'>, reason: string | null, now = new Date()): Promise<ErasureRequestRow> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [ref] = await tx.select({ id: referral.id }).from(referral).where(eq(referral.id, user.referralId)).for('update');
		if (!ref) notFound();
		const [open] = await tx
			.select()
			.from(erasureRequest)
			.where(and(eq(erasureRequest.referralId, user.referralId), eq(erasureRequest.status, 'requested')));
		if (open) return open;
		const [row] = await tx
			.insert(erasureRequest)
			.values({ referralId: user.referralId, programmeId: user.programmeId, requestedAt: now, reason, dueBy: erasureDueBy(ukDate(now)) })
			.returning();
		await recordAudit(
			{ staffId: null, action: 'erasure.requested', referralId: user.referralId, programmeId: user.programmeId, detail: { reference: user.reference, reasonGiven: reason !== null } },
			tx
		);
		return row;
	});
}

export interface OpenErasureRequest {
	reference: string;
	requestedAt: Date;
	dueBy: string;
	reason: string | null;
}

/** Requests waiting for a decision in the user's programmes (the inbox), oldest first; `programmeIds` for the command line. */
export async function openErasureRequests(programmeIds: string[]): Promise<OpenErasureRequest[]> {
	if (!programmeIds.length) return [];
	const db = await getDb();
	return db
		.select({ reference: referral.reference, requestedAt: erasureRequest.requestedAt, dueBy: erasureRequest.dueBy, reason: erasureRequest.reason })
		.from(erasureRequest)
		.innerJoin(referral, eq(referral.id, erasureRequest.referralId))
		.where(and(eq(erasureRequest.status, 'requested'), inArray(erasureRequest.programmeId, programmeIds)))
		.orderBy(asc(erasureRequest.requestedAt));
}

/** Every programme's id (the command line decides for any). */
export async function allProgrammeIds(): Promise<string[]> {
	const db = await getDb();
	return (await db.select({ id: programme.id }).from(programme)).map((p) => p.id);
}

type Decider = { kind: 'staff'; user: StaffUser } | { kind: 'command-line' };

export type DecisionResult = { ok: true; reference: string } | { ok: false; message: string };

async function lockedReferral(tx: Tx, decider: Decider, reference: string) {
	const ref = normaliseReference(reference);
	if (!ref) notFound();
	const [row] = await tx.select().from(referral).where(eq(referral.reference, ref)).for('update');
	if (!row) notFound();
	if (decider.kind === 'staff') assertProgramme(decider.user, row.programmeId);
	return row;
}

/**
 * Carries out the person's request: the erasure and the request's decision in one transaction. From the
 * command line a referral with no request waiting can be erased too (a request made by phone or letter):
 * a request is recorded for it, already carried out.
 */
export async function carryOutErasure(decider: Decider, reference: string, now = new Date()): Promise<DecisionResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockedReferral(tx, decider, reference);
		if (row.erasedAt) return { ok: false, message: `The data of referral ${row.reference} was already erased` };
		const [open] = await tx.select().from(erasureRequest).where(and(eq(erasureRequest.referralId, row.id), eq(erasureRequest.status, 'requested')));
		if (!open && decider.kind === 'staff') return { ok: false, message: 'There is no deletion request waiting for this referral' };
		const decidedBy = decider.kind === 'staff' ? decider.user.id : null;
		if (open) await tx.update(erasureRequest).set({ status: 'carried-out', decidedAt: now, decidedBy }).where(eq(erasureRequest.id, open.id));
		else
			await tx
				.insert(erasureRequest)
				.values({ referralId: row.id, programmeId: row.programmeId, requestedAt: now, dueBy: erasureDueBy(ukDate(now)), status: 'carried-out', decidedAt: now, decidedBy });
		const erased = await eraseInTransaction(tx, row.id, 'request', decidedBy, now);
		if (!erased.ok) return { ok: false, message: `The data of referral ${row.reference} could not be erased (${erased.reason})` };
		return { ok: true, reference: row.reference };
	});
}

/** Each lawful reason in the person's words, in their language. */
const REFUSAL_FOR_PERSON: Record<ErasureRefusalReason, (locale: Locale) => string> = {
	'legal-obligation': (locale) => m.n_erasure_why_legal_obligation({}, inLocale(locale)),
	safeguarding: (locale) => m.n_erasure_why_safeguarding({}, inLocale(locale)),
	'legal-claim': (locale) => m.n_erasure_why_legal_claim({}, inLocale(locale))
};

/** The email telling the person their request was refused, and why in plain words (never the note), in their language. */
function refusalEmail(reason: ErasureRefusalReason, english: string, requestedAt: Date, locale: Locale): { subject: string; body: string } {
	const o = inLocale(locale);
	// English as the person's home page words it (domain/data-rights.ts); the messages hold the same words to translate.
	const why = locale === 'en' ? english : (REFUSAL_FOR_PERSON[reason]?.(locale) ?? english);
	return {
		subject: m.n_erasure_subject({}, o),
		body: [
			m.n_hello({}, o),
			'',
			m.n_erasure_cannot({ date: longDateIn(ukDate(requestedAt), locale), why }, o),
			'',
			m.n_erasure_read_more({ link: `${siteOrigin()}/account` }, o),
			'',
			m.n_erasure_complain({}, o),
			'',
			m.n_service({}, o)
		].join('\n')
	};
}

/**
 * Refuses the person's request with a lawful reason and a note for the record; the person is emailed the
 * reason in plain words (never the note) and sees it on their home page. Audited with the reason's code.
 */
export async function refuseErasure(decider: Decider, reference: string, reason: ErasureRefusalReason, note: string, now = new Date()): Promise<DecisionResult> {
	const why = refusalReason(reason);
	if (!why) return { ok: false, message: 'Choose why the data cannot be deleted' };
	const db = await getDb();
	return db.transaction(async (tx) => {
		const row = await lockedReferral(tx, decider, reference);
		const [open] = await tx.select().from(erasureRequest).where(and(eq(erasureRequest.referralId, row.id), eq(erasureRequest.status, 'requested')));
		if (!open) return { ok: false, message: 'There is no deletion request waiting for this referral' };
		const decidedBy = decider.kind === 'staff' ? decider.user.id : null;
		await tx
			.update(erasureRequest)
			.set({ status: 'refused', decidedAt: now, decidedBy, refusalReason: reason, refusalNote: note })
			.where(eq(erasureRequest.id, open.id));
		await recordAudit(
			{ staffId: decidedBy, action: 'erasure.refused', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, reason } },
			tx
		);
		const [person] = await tx.select({ email: participant.email }).from(participant).where(eq(participant.referralId, row.id));
		if (person?.email)
			await enqueueEmails(
				tx,
				[
					{
						eventId: open.id,
						kind: 'participant.erasure_refused',
						to: person.email,
						...refusalEmail(reason, why.forPerson, open.requestedAt, languageOf(row.preferredLanguage))
					}
				],
				now
			);
		return { ok: true, reference: row.reference };
	});
}
