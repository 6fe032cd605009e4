import { and, eq, isNull, sql } from 'drizzle-orm';
import { buildReferral } from '$lib/domain/referral';
import { generateReference } from '$lib/domain/reference';
import { ukDate } from '$lib/domain/uk-time';
import { workingDaysOf } from '$lib/domain/service-hours';
import { addWorkingDays } from '$lib/domain/working-days';
import { getDb, type Tx } from './db';
import { idempotent } from './db/retry';
import { createParticipantForReferral } from './participants/participant';
import { consent, draft, referral, staff, staffProgramme, type Referral } from './db/schema';
import { appendEvent } from './events/log';
import { getProgramme } from './programmes';
import { calendarFor } from './service-calendar';
import { currentLocale } from './i18n';
import { LOCALE_INFO } from '$lib/i18n/locales';
import { secureRandom } from './tokens';

export const REFERRAL_EVENT_VERSION = 1;

function newReference(): string {
	return generateReference(secureRandom);
}

export interface SubmitResult {
	referral: Referral;
	/** False when this draft had already been submitted (a double click or a retried POST). */
	created: boolean;
	/** The participant made with a new referral (undefined when it was not made now). */
	participantId?: string;
}

/**
 * Submits a draft. One transaction writes the referral, its consents and a `referral.submitted` event,
 * and clears the draft's answers. Idempotent: the draft row is locked and the referral is unique per
 * draft, so concurrent or repeated submits of one draft make one referral. The referral keeps the language
 * the person used (the request's, as a BCP 47 tag): every email and text to them is written in it.
 */
export async function submitReferral(draftId: string, now = new Date()): Promise<SubmitResult> {
	const db = await getDb();
	const preferredLanguage = LOCALE_INFO[currentLocale()].tag;
	// Run again after a lost connection, it finds the referral it made (below), so it may be retried whole.
	return idempotent(() => db.transaction(async (tx) => {
		const [locked] = await tx.select().from(draft).where(eq(draft.id, draftId)).for('update');
		if (!locked) throw new Error(`Draft ${draftId} does not exist`);
		// The draft is marked submitted in the transaction that writes its referral, and the row lock above
		// makes a second submit of it wait for the first: unmarked, it has no referral yet.
		if (locked.submittedAt) {
			const [existing] = await tx.select().from(referral).where(eq(referral.draftId, draftId));
			if (existing) return { referral: existing, created: false };
		}

		const record = buildReferral(locked.answers, locked.source, locked.eligibility);
		const eligibility = locked.eligibility!;
		// From the programmes kept in memory (dropped whenever one is saved), as the checker read it.
		const prog = await getProgramme(eligibility.programmeId!);
		if (!prog) throw new Error(`Programme ${eligibility.programmeId} does not exist`);
		const submittedDay = ukDate(now);
		// Working days are the programme's open days: its opening hours, less its nation's bank holidays and closures.
		const contactTargetDate = addWorkingDays(submittedDay, prog.contactTargetWorkingDays, workingDaysOf(await calendarFor(prog.id, submittedDay, { conn: tx })));

		const routedTo = await routeReferral(tx, prog.id, record.source.odsCode ?? null);

		let created: Referral | undefined;
		for (let attempt = 0; !created && attempt < 5; attempt++) {
			[created] = await tx
				.insert(referral)
				.values({
					reference: newReference(),
					draftId,
					programmeId: prog.id,
					eligibilityOutcome: eligibility.outcome,
					eligibility,
					givenName: record.givenName,
					familyName: record.familyName,
					dateOfBirth: record.dateOfBirth,
					postcode: record.postcode,
					email: record.email,
					phone: record.phone,
					employmentStatus: record.employmentStatus,
					answers: locked.answers,
					sourceCode: record.source.code,
					sourceOdsCode: record.source.odsCode ?? null,
					sourceLinkCode: record.source.linkCode ?? null,
					sourceDetail: record.source.detail ?? null,
					dwpCategory: record.dwpCategory,
					contactTargetDate,
					submittedAt: now,
					assignedStaffId: routedTo,
					statusChangedAt: now,
					preferredLanguage
				})
				.onConflictDoNothing()
				.returning();
			if (!created) {
				// Another submit of this draft won the race, or (rarely) the reference was taken: look again.
				const [raced] = await tx.select().from(referral).where(eq(referral.draftId, draftId));
				if (raced) return { referral: raced, created: false };
			}
		}
		if (!created) throw new Error('Could not find a free reference number after 5 tries');

		if (record.consents.length)
			await tx.insert(consent).values(
				record.consents.map((c) => ({ referralId: created!.id, kind: c.kind, given: c.given, textVersion: c.version, recordedAt: new Date(c.at) }))
			);
		// The person can come back: a participant for this referral (signed in by one-time codes later).
		const participantId = await createParticipantForReferral(tx, created);
		// The referral now holds the answers; the draft keeps none. Nor its checker outcome's id: no referral can be traced to that anonymous row.
		await tx.update(draft).set({ answers: {}, answered: [], resumeTokenHash: null, checkerOutcomeId: null, submittedAt: now, updatedAt: now }).where(eq(draft.id, draftId));
		await appendEvent(tx, {
			type: 'referral.submitted',
			referralId: created.id,
			programmeId: prog.id,
			payload: {
				version: REFERRAL_EVENT_VERSION,
				reference: created.reference,
				programmeId: prog.id,
				eligibilityOutcome: eligibility.outcome,
				source: { code: record.source.code, odsCode: record.source.odsCode ?? null, linkCode: record.source.linkCode ?? null, dwpCategory: record.dwpCategory },
				contactTargetDate,
				assignedStaffId: routedTo,
				submittedAt: now.toISOString()
			}
		});
		return { referral: created, created: true, participantId };
	}));
}

/**
 * Routing: a referral from a GP practice goes to the specialist of that programme linked to the practice
 * (the one with the fewest open referrals when several are); otherwise to the programme's queue (null).
 */
export async function routeReferral(tx: Tx, programmeId: string, odsCode: string | null): Promise<string | null> {
	if (!odsCode) return null;
	const candidates = await tx
		.select({
			id: staff.id,
			open: sql<number>`(select count(*)::int from ${referral} r where r.assigned_staff_id = ${staff.id} and r.status <> 'closed')`
		})
		.from(staff)
		.innerJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
		.where(and(eq(staffProgramme.programmeId, programmeId), isNull(staff.disabledAt), sql`${staff.practices} @> ${JSON.stringify([odsCode])}::jsonb`));
	if (!candidates.length) return null;
	candidates.sort((a, b) => Number(a.open) - Number(b.open) || a.id.localeCompare(b.id));
	return candidates[0].id;
}

export async function getReferralByDraft(draftId: string): Promise<Referral | null> {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.draftId, draftId));
	return row ?? null;
}

export async function getReferralByReference(reference: string): Promise<Referral | null> {
	const db = await getDb();
	const [row] = await db.select().from(referral).where(eq(referral.reference, reference));
	return row ?? null;
}
