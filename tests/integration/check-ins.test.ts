/**
 * DIALOG+ check-ins on a real database: each page's answer is kept in the draft, completion stores exactly
 * what the registry's scorer gives and deletes the draft, one person's check-ins are never read for
 * another, and the `checkin.completed` event carries ids and a time, never a score or an answer.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALOG_AREAS, dialog, measureProgress, type AreaAnswer } from '../../src/lib/domain/measures';
import { getDb } from '../../src/lib/server/db';
import { checkIn, checkInDraft, event, programme } from '../../src/lib/server/db/schema';
import {
	completeDialog,
	dialogDraft,
	latestDialog,
	listCheckIns,
	programmeMeasures,
	saveAreaAnswer,
	saveTalkAbout,
	scoredDialog,
	type CheckInOwner
} from '../../src/lib/server/measures/check-ins';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { aParticipant } from '../support/factories';


/** Rates every area: `ratings[i]` for area i (null: does not apply), more help on odd areas. */
async function rateAll(owner: CheckInOwner, ratings: (number | null)[]) {
	for (const area of DIALOG_AREAS) {
		const rating = ratings[area.index];
		const answer: AreaAnswer = rating === null ? { rating: null, moreHelp: null } : { rating, moreHelp: area.index % 2 === 1 };
		await saveAreaAnswer(owner, area.key, answer);
	}
}

beforeAll(async () => {
	await seedProgrammes();
});

describe('DIALOG+ check-ins', () => {
	it('keeps each page’s answer in the draft, so nothing is lost between pages', async () => {
		const owner = await aParticipant();
		expect(await dialogDraft(owner)).toEqual({ ratings: {}, talkAbout: [] });
		await saveAreaAnswer(owner, 'mental-health', { rating: 3, moreHelp: true });
		await saveAreaAnswer(owner, 'physical-health', { rating: null, moreHelp: null });
		expect((await dialogDraft(owner)).ratings).toEqual({
			'mental-health': { rating: 3, moreHelp: true },
			'physical-health': { rating: null, moreHelp: null }
		});
		// Changing an answer replaces it; an area no longer rated drops out of the areas to talk about.
		await saveTalkAbout(owner, ['mental-health']);
		await saveAreaAnswer(owner, 'mental-health', { rating: null, moreHelp: null });
		const draft = await dialogDraft(owner);
		expect(draft.ratings['mental-health']).toEqual({ rating: null, moreHelp: null });
		expect(draft.talkAbout).toEqual([]);
		// Not finished: nothing to complete.
		expect(await completeDialog(owner)).toBeNull();
		const db = await getDb();
		expect(await db.select().from(checkInDraft).where(eq(checkInDraft.participantId, owner.id))).toHaveLength(1);
	});

	it('scores a completed check-in exactly as the registry does, stores it and deletes the draft', async () => {
		const owner = await aParticipant();
		const ratings = [4, 3, 5, 6, 2, 7, 3, 4, null, 5, 2];
		await rateAll(owner, ratings);
		await saveTalkAbout(owner, ['mental-health', 'leisure-activities']);
		const at = new Date('2027-03-12T10:00:00Z');
		const row = await completeDialog(owner, at);
		expect(row).not.toBeNull();
		expect(row!.result).toEqual(dialog.score(ratings));
		expect(row!.result).toMatchObject({ lifeMean: 4.25, treatmentMean: 3.5, lifeAnswered: 8, treatmentAnswered: 2 });
		expect(row!.talkAbout).toEqual(['mental-health', 'leisure-activities']);
		expect(row!.completedAt.toISOString()).toBe(at.toISOString());
		expect(row!.referralId).toBe(owner.referralId);
		const db = await getDb();
		expect(await db.select().from(checkInDraft).where(eq(checkInDraft.participantId, owner.id))).toHaveLength(0);
		// Sent twice (a double click): the second finds no draft and stores nothing.
		expect(await completeDialog(owner)).toBeNull();
		expect(await listCheckIns(owner)).toHaveLength(1);

		// A second check-in: the progress numbers come from the stored results.
		await rateAll(owner, [5, 4, 5, 6, 3, 7, 4, 5, null, 6, 3]);
		await completeDialog(owner, new Date('2027-06-12T10:00:00Z'));
		const progress = measureProgress('dialog', scoredDialog(await listCheckIns(owner)));
		expect(progress.chart.datasets.map((d) => d.data)).toEqual([
			[4.25, 4.88],
			[3.5, 4.5]
		]);
		expect(progress.sentences[0]).toBe('Your overall score went up from 4.25 to 4.88 since 12 March 2027.');
	});

	it('never reads one participant’s check-ins or draft for another', async () => {
		const a = await aParticipant();
		const b = await aParticipant();
		await rateAll(a, Array(11).fill(6));
		await completeDialog(a);
		await saveAreaAnswer(a, 'mental-health', { rating: 2, moreHelp: true });
		expect(await listCheckIns(a)).toHaveLength(1);
		expect(await listCheckIns(b)).toEqual([]);
		expect(await latestDialog(b)).toBeNull();
		expect(await dialogDraft(b)).toEqual({ ratings: {}, talkAbout: [] });
		// B completing uses only B's draft (none).
		expect(await completeDialog(b)).toBeNull();
		expect(await listCheckIns(a)).toHaveLength(1);
	});

	it('appends checkin.completed with ids and the time, without any score or answer', async () => {
		const owner = await aParticipant();
		await rateAll(owner, [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4]);
		const at = new Date('2027-04-01T09:30:00Z');
		const row = (await completeDialog(owner, at))!;
		const db = await getDb();
		const events = await db
			.select()
			.from(event)
			.where(and(eq(event.type, 'checkin.completed'), eq(event.referralId, owner.referralId)));
		expect(events).toHaveLength(1);
		expect(events[0].programmeId).toBe(owner.programmeId);
		expect(events[0].payload).toEqual({ checkInId: row.id, instrument: 'dialog', completedAt: at.toISOString() });
		const text = JSON.stringify(events[0].payload);
		for (const word of ['lifeMean', 'treatmentMean', 'rating', 'moreHelp', 'answers', 'result']) expect(text).not.toContain(word);
		expect((await db.select().from(checkIn).where(eq(checkIn.id, row.id)))[0].participantId).toBe(owner.id);
	});

	it('hides previous ratings while rating unless the programme says otherwise', async () => {
		const owner = await aParticipant();
		expect(await programmeMeasures(owner.programmeId)).toMatchObject({ hidePreviousRatings: true });
		const db = await getDb();
		await db.update(programme).set({ measures: { hidePreviousRatings: false } }).where(eq(programme.id, owner.programmeId));
		expect(await programmeMeasures(owner.programmeId)).toMatchObject({ hidePreviousRatings: false });
		await db.update(programme).set({ measures: null }).where(eq(programme.id, owner.programmeId));
	});
});
