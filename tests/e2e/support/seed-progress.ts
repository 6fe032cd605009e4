/**
 * Run before the server starts (the embedded database allows one process): migrates DATA_DIR, writes the
 * demo programmes and one participant (referred from the GP practice link, so Sam Specialist's programme)
 * with check-ins made by the portal's own functions at weeks 0, 2 and 12: DIALOG+ and SWEMWBS three times,
 * ONS4 twice and GAD-7 once (one point: a statement and a table, not a chart). Prints the participant's
 * session token and referral reference as JSON on the last line, for the spec to sign in with.
 * Usage: DATA_DIR=... SEED=demo node --import tsx tests/e2e/support/seed-progress.ts
 */
import { DIALOG_AREAS } from '../../../src/lib/domain/measures';
import { createParticipantSession } from '../../../src/lib/server/auth/sessions';
import { closeDb } from '../../../src/lib/server/db';
import { completeDialog, saveAreaAnswer } from '../../../src/lib/server/measures/check-ins';
import { seedProgrammes } from '../../../src/lib/server/programmes';
import { aCompletedCheckIn, aParticipant, FIT_NOTE_FROM_GP } from '../../support/factories';

const WEEK = 7 * 24 * 60 * 60 * 1000;
const now = Date.now();
/** Week 0 is 12 weeks ago; week 12 an hour ago. */
const week = (n: number) => new Date(now - (12 - n) * WEEK - 60 * 60 * 1000);

/** DIALOG+ ratings by week, in questionnaire order (null: does not apply), and the areas wanting more help. */
const DIALOG_BY_WEEK: Record<number, { ratings: (number | null)[]; moreHelp: string[] }> = {
	0: { ratings: [3, 4, 2, 5, 4, 4, 4, null, 5, 5, 6], moreHelp: ['mental-health', 'job-situation'] },
	2: { ratings: [4, 4, 3, 5, 4, 4, 4, null, 5, 5, 6], moreHelp: ['job-situation'] },
	12: { ratings: [5, 4, 4, 5, 3, null, 4, 6, 5, 5, 7], moreHelp: ['job-situation'] }
};

await seedProgrammes();
const person = await aParticipant({ source: FIT_NOTE_FROM_GP, now: new Date(now - 13 * WEEK) });
for (const [n, { ratings, moreHelp }] of Object.entries(DIALOG_BY_WEEK)) {
	for (const [i, area] of DIALOG_AREAS.entries()) {
		const rating = ratings[i];
		await saveAreaAnswer(person, area.key, { rating, moreHelp: rating === null ? null : moreHelp.includes(area.key) });
	}
	if (!(await completeDialog(person, week(Number(n))))) throw new Error('the DIALOG+ check-in should complete');
}
await aCompletedCheckIn(person, 'swemwbs', [3, 3, 3, 3, 3, 3, 3], week(0));
await aCompletedCheckIn(person, 'swemwbs', [3, 4, 3, 3, 4, 3, 3], week(2));
await aCompletedCheckIn(person, 'swemwbs', [4, 4, 4, 4, 4, 4, 4], week(12));
await aCompletedCheckIn(person, 'ons4', [5, 6, 5, 7], week(0));
await aCompletedCheckIn(person, 'ons4', [7, 7, 6, 3], week(12));
await aCompletedCheckIn(person, 'gad7', [1, 1, 2, 1, 0, 1, 1], week(12));
const { token } = await createParticipantSession(person.id);
await closeDb();
console.log(JSON.stringify({ token, reference: person.reference }));
