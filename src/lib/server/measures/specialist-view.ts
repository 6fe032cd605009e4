/**
 * The specialist's view of a participant's check-ins (issue 10 item 8): the same progress sections as the
 * participant's own page, the DIALOG+ check-ins with the areas chosen to talk about, and the agreed
 * actions. Only for staff of the referral's programme (404 otherwise, as the referral page), and every
 * view and change is in the audit log by reference only: never a score, rating or action text.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { agreedActionsForm, dialogArea, formatScore, REVIEW_OUTCOME_STAFF_WORDS, isReviewOutcome, theirSentence, type DialogResult } from '$lib/domain/measures';
import { validateRaw, type RawValues } from '$lib/domain/fields';
import { formatDate, ukDate } from '$lib/domain/uk-time';
import { recordAudit } from '../audit';
import { findInProgramme } from '../casework/referral-view';
import type { StaffUser } from '../auth/sessions';
import { getDb } from '../db';
import { dialogAction, participant, type Referral } from '../db/schema';
import { listAllCheckIns, programmeMeasures, type CheckInOwner } from './check-ins';
import { openConcernsForReferral } from './concerns';
import { actionsForCheckIns } from './dialog-actions';
import { progressCsv, progressViews, type MeasureView } from './progress-view';
import { notFound } from '../refusal';

/** The referral's participant account (people referred by others may have none yet). */
async function ownerOf(row: Referral): Promise<CheckInOwner | null> {
	const db = await getDb();
	const [p] = await db.select({ id: participant.id }).from(participant).where(eq(participant.referralId, row.id));
	return p ? { id: p.id, referralId: row.id, programmeId: row.programmeId } : null;
}

/** The participant's sentences said about them: "Their overall score went up ...". */
export { theirSentence };

/** The progress view in staff words: sentences, line names and the hint say "their", never "your". */
function forSpecialist(view: MeasureView): MeasureView {
	return {
		...view,
		title: theirSentence(view.title),
		note: theirSentence(view.note),
		sentences: view.sentences.map(theirSentence),
		hint: theirSentence(view.hint),
		table: { ...view.table, caption: theirSentence(view.table.caption), columns: view.table.columns.map(theirSentence) },
		chart: {
			...view.chart,
			datasets: view.chart.datasets.map((d) => ({ ...d, label: theirSentence(d.label) })),
			panels: view.chart.panels.map((p) => ({ ...p, title: p.title === null ? null : theirSentence(p.title) }))
		},
		areas: view.areas && {
			...view.areas,
			sentences: view.areas.sentences.map(theirSentence),
			table: { ...view.areas.table, rows: view.areas.table.rows.map((r) => ({ ...r, area: theirSentence(r.area) })) }
		}
	};
}

export interface StaffDialogCheckIn {
	id: string;
	date: string;
	overall: string;
	care: string;
	talkAbout: string[];
	actions: { area: string; action: string; review: string }[];
}

export interface StaffCheckInsView {
	reference: string;
	name: string;
	hasAccount: boolean;
	views: MeasureView[];
	dialogs: StaffDialogCheckIn[];
	/** The latest DIALOG+ check-in's areas to talk about, and what was agreed so far (the form's values). */
	latest: { id: string; date: string; areas: string[]; values: RawValues } | null;
	concerns: Awaited<ReturnType<typeof openConcernsForReferral>>;
}

const actionField = (area: string) => `action-${area}`;

/** Everything the check-ins page shows; records "viewed check-ins" in the audit log first. */
export async function checkInsForStaff(user: StaffUser, reference: string): Promise<StaffCheckInsView> {
	const row = await findInProgramme(user, reference);
	await recordAudit({ staffId: user.id, action: 'check-ins.viewed', referralId: row.id, programmeId: row.programmeId, detail: { reference: row.reference } });
	const owner = await ownerOf(row);
	const concerns = await openConcernsForReferral(row.id);
	const base = { reference: row.reference, name: `${row.givenName} ${row.familyName}`, hasAccount: owner !== null, concerns };
	if (!owner) return { ...base, views: [], dialogs: [], latest: null };

	const [rows, measures] = await Promise.all([listAllCheckIns(owner), programmeMeasures(owner.programmeId)]);
	const views = progressViews(rows, measures.meaningfulChange).map(forSpecialist);
	const dialogRows = rows.filter((r) => r.instrument === 'dialog');
	const actions = await actionsForCheckIns(
		owner,
		dialogRows.map((r) => r.id)
	);
	const label = (key: string) => dialogArea(key)?.label ?? key;
	const dialogs = dialogRows
		.map((r): StaffDialogCheckIn => {
			const result = r.result as unknown as DialogResult;
			return {
				id: r.id,
				date: formatDate(ukDate(r.completedAt)),
				overall: result.lifeMean === null ? 'No score' : formatScore(result.lifeMean),
				care: result.treatmentMean === null ? 'No score' : formatScore(result.treatmentMean),
				talkAbout: r.talkAbout.map(label),
				actions: actions
					.filter((a) => a.checkInId === r.id)
					.map((a) => ({
						area: label(a.areaKey),
						action: a.action,
						review: isReviewOutcome(a.reviewOutcome) ? REVIEW_OUTCOME_STAFF_WORDS[a.reviewOutcome] : 'Not reviewed yet'
					}))
			};
		})
		.reverse();
	const last = dialogRows.at(-1);
	const latest = last
		? {
				id: last.id,
				date: formatDate(ukDate(last.completedAt)),
				areas: last.talkAbout,
				values: Object.fromEntries(last.talkAbout.map((k) => [actionField(k), actions.find((a) => a.checkInId === last.id && a.areaKey === k)?.action ?? '']))
			}
		: null;
	return { ...base, views, dialogs, latest };
}

/** One measure's scores as CSV for the specialist (the same numbers as the page); audited as a view. Null for an unknown measure. */
export async function checkInsCsvForStaff(user: StaffUser, reference: string, instrument: string) {
	const row = await findInProgramme(user, reference);
	const owner = await ownerOf(row);
	const [rows, measures] = owner ? await Promise.all([listAllCheckIns(owner), programmeMeasures(owner.programmeId)]) : [[], await programmeMeasures(row.programmeId)];
	const csv = progressCsv(rows, instrument, measures.meaningfulChange);
	if (!csv) return null;
	await recordAudit({
		staffId: user.id,
		action: 'check-ins.viewed',
		referralId: row.id,
		programmeId: row.programmeId,
		detail: { reference: row.reference, download: instrument }
	});
	return { reference: row.reference, csv };
}

export type SaveActionsResult = { ok: true } | { ok: false; values: RawValues; errors: Record<string, string> };

/**
 * Records what was agreed about each area the person chose at their latest DIALOG+ check-in: the actions
 * of that check-in not yet reviewed are replaced by the form's (an empty box removes one). Audited with
 * the number of actions only.
 */
export async function saveAgreedActions(user: StaffUser, reference: string, checkInId: string, raw: RawValues, now = new Date()): Promise<SaveActionsResult> {
	const row = await findInProgramme(user, reference);
	const owner = await ownerOf(row);
	if (!owner) notFound();
	const rows = (await listAllCheckIns(owner)).filter((r) => r.instrument === 'dialog');
	const last = rows.at(-1);
	// Only the latest check-in's actions can be recorded; a form from an older page is refused.
	if (!last) notFound();
	const form = agreedActionsForm(last.talkAbout);
	if (last.id !== checkInId) {
		return { ok: false, values: raw, errors: { [form.fields[0]?.name ?? 'actions']: 'A newer check-in has come in since this page was opened. Check the areas and try again.' } };
	}
	const parsed = validateRaw(form, raw);
	if (!parsed.ok) return { ok: false, values: parsed.raw, errors: parsed.errors };
	const db = await getDb();
	await db.transaction(async (tx) => {
		await tx.delete(dialogAction).where(and(eq(dialogAction.checkInId, last.id), eq(dialogAction.participantId, owner.id), isNull(dialogAction.reviewedAt)));
		if (parsed.values.length) {
			await tx.insert(dialogAction).values(
				parsed.values.map((a, i) => ({
					checkInId: last.id,
					participantId: owner.id,
					referralId: row.id,
					programmeId: row.programmeId,
					areaKey: a.area,
					action: a.action,
					createdStaffId: user.id,
					// One apart, so the review pages keep the questionnaire order.
					createdAt: new Date(now.getTime() + i)
				}))
			);
		}
		await recordAudit(
			{
				staffId: user.id,
				action: 'dialog-actions.recorded',
				referralId: row.id,
				programmeId: row.programmeId,
				detail: { reference: row.reference, checkInId: last.id, actions: parsed.values.length }
			},
			tx
		);
	});
	return { ok: true };
}
