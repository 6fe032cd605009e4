/**
 * Erasure (issue 24): removes a person's personal data from every table in one transaction, and says so to
 * case systems with `referral.erased`. What stays is what the outcomes report counts, with nothing personal:
 * the referral row (reference, programme, source, dates, status, the bands and codes it counted under in
 * `report_facts`), meetings (times, status, the specialist), jobs (dates, hours, kind, sustainment) and the
 * anonymous checker counts. The audit log keeps that an erasure happened (reference, who, when).
 *
 * Table by table (tests/integration/erasure.test.ts searches every table for the person afterwards):
 * - referral: names, date of birth, postcode, email, phone, every answer and the "somewhere else" words go;
 * - participant: email and phone go (the row stays, as meetings point at it); sessions and sign-ins go;
 * - the draft the referral was sent from, check-in drafts, job report drafts: deleted;
 * - consents, check-ins (scores), wellbeing concerns, DIALOG+ actions, tasks: deleted;
 * - contact attempts: their notes go; meetings: the invitee's address and the cancel reason go;
 * - jobs: the title and the employer go; deletion requests: the person's reason goes;
 * - queued and sent messages to the person, or about this referral: deleted (webhook deliveries stay);
 * - events: the stored payload loses the person's words, and each stored body is rewritten without the
 *   person, their answers, consents and words, and checked against the published schema again.
 */
import { and, eq, inArray, isNotNull, ne, or } from 'drizzle-orm';
import { EQUALITY_GROUPINGS, equalityKey } from '$lib/domain/outcomes-report';
import { ukDate } from '$lib/domain/uk-time';
import { recordAudit } from '../audit';
import { getDb, type Tx } from '../db';
import {
	checkIn,
	checkInDraft,
	consent,
	contactAttempt,
	dialogAction,
	draft,
	erasureRequest,
	event,
	job,
	jobOutcome,
	jobReportDraft,
	meeting,
	participant,
	participantSession,
	participantSignIn,
	referral,
	task,
	wellbeingConcern,
	type Referral
} from '../db/schema';
import { appendEvent } from '../events/log';
import { checkInHref } from '../events/measures-payload';
import { eventPayloadSchema } from '../events/payload';
import { log } from '../log';
import { REFERRAL_EVENT_VERSION } from '../referrals';

export type ErasureWhy = 'request' | 'retention';
export type ErasureResult = { ok: true; reference: string } | { ok: false; reason: 'not-found' | 'already-erased' };

/** The bands and codes an erased referral keeps for the outcomes report's equality tables. */
export function reportFactsOf(row: Pick<Referral, 'answers' | 'dateOfBirth' | 'submittedAt'>): Record<string, string> {
	const sentOn = ukDate(row.submittedAt);
	return Object.fromEntries(EQUALITY_GROUPINGS.map((g) => [g.id, equalityKey(g.id, (row.answers ?? {}) as Record<string, unknown>, row.dateOfBirth, sentOn)]));
}

/** Keys of an event's stored payload that can hold the person's own words or details. */
const PERSONAL_PAYLOAD_KEYS = ['reason', 'note', 'answers', 'detail', 'email', 'phone', 'name', 'givenName', 'familyName', 'postcode', 'dateOfBirth'];

function scrubPayload(payload: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...payload };
	for (const key of PERSONAL_PAYLOAD_KEYS) if (key in out) out[key] = null;
	if (out.previous && typeof out.previous === 'object') out.previous = { ...(out.previous as Record<string, unknown>), reason: null };
	return out;
}

/**
 * An event's stored body without the person: no `person`, contact preferences, consents, answers or
 * words; jobs without title and employer; a check-in without scores (its address only). Still a valid
 * body of the published schema (checked: a body that is not valid stops the erasure).
 */
export function erasedBody(body: string): string {
	const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
	const d = parsed.data;
	d.person = null;
	d.contactPreferences = { channels: [], bestTimes: [], messagesMayNameService: null, postAllowed: null, contactReferrer: null };
	d.consents = [];
	d.answers = {};
	if (d.source && typeof d.source === 'object' && 'detail' in d.source) (d.source as Record<string, unknown>).detail = null;
	const job = (j: Record<string, unknown>) => ({ ...j, title: '', employer: null });
	if (Array.isArray(d.jobs)) d.jobs = d.jobs.map(job);
	if (d.change && typeof d.change === 'object') {
		const change = d.change as Record<string, unknown>;
		if ('answers' in change) change.answers = {};
		if ('reason' in change) change.reason = null;
		if (change.job && typeof change.job === 'object') change.job = job(change.job as Record<string, unknown>);
	}
	if (d.meeting && typeof d.meeting === 'object') (d.meeting as Record<string, unknown>).reason = null;
	if (d.checkIn && typeof d.checkIn === 'object') {
		const c = d.checkIn as Record<string, unknown>;
		d.checkIn = { id: c.id, instrument: c.instrument, pointId: c.pointId ?? null, completedAt: c.completedAt, href: checkInHref(String(c.id)) };
	}
	const checked = eventPayloadSchema.safeParse(parsed);
	if (!checked.success) throw new Error(`an erased event body does not match the schema: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}`);
	return JSON.stringify(parsed);
}

/**
 * Erases one referral's personal data, in `tx` (the referral is locked first). `byStaffId` is the member of
 * staff who carried out a request (null from the command line or the retention job).
 */
export async function eraseInTransaction(tx: Tx, referralId: string, why: ErasureWhy, byStaffId: string | null, now: Date): Promise<ErasureResult> {
	const [row] = await tx.select().from(referral).where(eq(referral.id, referralId)).for('update');
	if (!row) return { ok: false, reason: 'not-found' };
	if (row.erasedAt) return { ok: false, reason: 'already-erased' };
	const people = await tx.select({ id: participant.id }).from(participant).where(eq(participant.referralId, row.id));
	const participantIds = people.map((p) => p.id);
	const eventRows = await tx.select({ id: event.id, eventId: event.eventId, payload: event.payload, body: event.body }).from(event).where(eq(event.referralId, row.id));
	const meetingIds = (await tx.select({ id: meeting.id }).from(meeting).where(eq(meeting.referralId, row.id))).map((m) => m.id);

	// Codes sent to sign in or to confirm a new address are queued under their sign-in's id.
	const signIns = participantIds.length
		? (await tx.select({ id: participantSignIn.id }).from(participantSignIn).where(inArray(participantSignIn.participantId, participantIds))).map((r) => r.id)
		: [];
	// Messages to the person, and about their referral or meetings (a webhook delivery is not a message: it stays).
	const messages = [
		signIns.length ? inArray(job.eventId, signIns) : undefined,
		participantIds.length ? inArray(job.participantId, participantIds) : undefined,
		eventRows.length ? inArray(job.eventId, eventRows.map((e) => e.eventId)) : undefined,
		meetingIds.length ? inArray(job.meetingId, meetingIds) : undefined,
		row.email ? eq(job.recipient, row.email) : undefined,
		row.phone ? eq(job.recipient, row.phone) : undefined
	].filter((c) => c !== undefined);
	if (messages.length) await tx.delete(job).where(and(ne(job.kind, 'webhook.delivery'), or(...messages)));

	if (participantIds.length) {
		await tx.delete(participantSession).where(inArray(participantSession.participantId, participantIds));
		await tx.delete(participantSignIn).where(inArray(participantSignIn.participantId, participantIds));
		await tx.delete(checkInDraft).where(inArray(checkInDraft.participantId, participantIds));
		await tx.delete(jobReportDraft).where(inArray(jobReportDraft.participantId, participantIds));
		await tx.update(participant).set({ email: null, phone: null, textConsent: false }).where(inArray(participant.id, participantIds));
	}
	await tx.delete(wellbeingConcern).where(eq(wellbeingConcern.referralId, row.id));
	await tx.delete(dialogAction).where(eq(dialogAction.referralId, row.id));
	await tx.delete(checkIn).where(eq(checkIn.referralId, row.id));
	await tx.delete(consent).where(eq(consent.referralId, row.id));
	await tx.delete(task).where(eq(task.referralId, row.id));
	await tx.update(contactAttempt).set({ note: null }).where(and(eq(contactAttempt.referralId, row.id), isNotNull(contactAttempt.note)));
	await tx.update(meeting).set({ inviteeEmail: null, cancelReason: null }).where(eq(meeting.referralId, row.id));
	await tx.update(jobOutcome).set({ jobTitle: '', employer: null }).where(eq(jobOutcome.referralId, row.id));
	await tx.update(erasureRequest).set({ reason: null }).where(eq(erasureRequest.referralId, row.id));
	await tx.delete(draft).where(eq(draft.id, row.draftId));

	await tx
		.update(referral)
		.set({
			givenName: '',
			familyName: '',
			dateOfBirth: null,
			postcode: '',
			email: null,
			phone: null,
			answers: {},
			sourceDetail: null,
			reportFacts: reportFactsOf(row),
			erasedAt: now
		})
		.where(eq(referral.id, row.id));

	for (const e of eventRows)
		await tx
			.update(event)
			.set({ payload: scrubPayload(e.payload), body: e.body ? erasedBody(e.body) : null })
			.where(eq(event.id, e.id));

	await recordAudit(
		{ staffId: byStaffId, action: 'referral.erased', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference, why } },
		tx
	);
	await appendEvent(tx, {
		type: 'referral.erased',
		referralId: row.id,
		programmeId: row.programmeId,
		payload: { version: REFERRAL_EVENT_VERSION, reference: row.reference, programmeId: row.programmeId, why, byStaffId, at: now.toISOString() }
	});
	log.info('personal data erased', { referralId: row.id, why });
	return { ok: true, reference: row.reference };
}

/** Erases one referral in its own transaction. */
export async function eraseReferral(referralId: string, why: ErasureWhy, byStaffId: string | null, now = new Date()): Promise<ErasureResult> {
	const db = await getDb();
	return db.transaction((tx) => eraseInTransaction(tx, referralId, why, byStaffId, now));
}
