/**
 * Run before the server starts (the embedded database allows one process), through the portal's own
 * functions: the demo programmes, one referral with a check-in and a wellbeing concern, and three API keys
 * (one with every scope, one read-only without data scopes, one of another programme). Prints them as JSON.
 * Usage: DATA_DIR=... SEED=demo node --import tsx tests/e2e/support/seed-api-contract.ts
 */
import { eq } from 'drizzle-orm';
import { INSTRUMENTS } from '../../../src/lib/domain/measures';
import { createApiKey } from '../../../src/lib/server/api/keys';
import { closeDb, getDb } from '../../../src/lib/server/db';
import { checkIn, participant } from '../../../src/lib/server/db/schema';
import { createDraft, saveDraftAnswers } from '../../../src/lib/server/drafts';
import { appendEvent } from '../../../src/lib/server/events/log';
import { assess } from '../../../src/lib/server/journey';
import { insertConcern } from '../../../src/lib/server/measures/concerns';
import { seedProgrammes } from '../../../src/lib/server/programmes';
import { submitReferral } from '../../../src/lib/server/referrals';
import { completeAnswers } from '../../support/answers';

await seedProgrammes();
const db = await getDb();
const { draft } = await createDraft({ code: 'leaflet' });
const answers = completeAnswers({ email: 'contract@example.com' });
const assessment = await assess({ answers, source: draft.source });
if (assessment.status !== 'done') throw new Error('answers should be complete');
await saveDraftAnswers(draft, 'refer/consent', answers, assessment.result);
const { referral } = await submitReferral(draft.id);
const [p] = await db.select().from(participant).where(eq(participant.referralId, referral.id));
const owner = { id: p.id, referralId: referral.id, programmeId: referral.programmeId };
const at = new Date();
const scores = [7, 8, 6, 3];
const made = await db.transaction(async (tx) => {
	const [row] = await tx
		.insert(checkIn)
		.values({ ...{ participantId: owner.id, referralId: owner.referralId, programmeId: owner.programmeId }, instrument: 'ons4', answers: { answers: scores }, result: INSTRUMENTS.ons4.score(scores) as never, pointId: null, completedAt: at })
		.returning();
	await appendEvent(tx, { type: 'checkin.completed', referralId: owner.referralId, programmeId: owner.programmeId, payload: { checkInId: row.id, instrument: 'ons4', completedAt: at.toISOString() } });
	return row;
});
const concern = await db.transaction((tx) => insertConcern(tx, { key: `${made.id}:steep-fall`, kind: 'steep-fall', owner, checkInId: made.id, reasons: ['A steep fall'] }));
const full = await createApiKey({ name: 'Contract: every scope', programmeIds: [referral.programmeId], dataScopes: ['health', 'equality'] });
const limited = await createApiKey({ name: 'Contract: read-only, core', programmeIds: [referral.programmeId], access: 'read-only' });
const other = await createApiKey({ name: 'Contract: another programme', programmeIds: ['gm-ips-secondary-care'], dataScopes: ['health', 'equality'] });
if (!full.ok || !limited.ok || !other.ok || !concern) throw new Error('seeding failed');
process.stdout.write(`${JSON.stringify({ reference: referral.reference, checkInId: made.id, concernId: concern.id, keys: { full: full.key, limited: limited.key, other: other.key } })}\n`);
await closeDb();
