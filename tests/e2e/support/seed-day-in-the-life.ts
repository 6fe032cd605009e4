/**
 * Run before the server starts (the embedded database allows one process), through the portal's own
 * functions: the demo programmes, staff and availability; the programmes ask for PHQ-9 at the start; and a
 * webhook subscription to the test's receiver (RECEIVER_URL), whose secret is printed as JSON.
 * Usage: DATA_DIR=... SEED=demo WEBHOOK_ALLOW_PRIVATE=true RECEIVER_URL=... node --import tsx tests/e2e/support/seed-day-in-the-life.ts
 */
import { COMMAND_LINE } from '../../../src/lib/server/audit';
import { closeDb, getDb } from '../../../src/lib/server/db';
import { programme } from '../../../src/lib/server/db/schema';
import { seedDemoStaff } from '../../../src/lib/server/demo-staff';
import { WEBHOOK_EVENT_TYPES } from '../../../src/lib/server/events/payload';
import { seedDemoAvailability } from '../../../src/lib/server/meetings/demo-availability';
import { seedProgrammes } from '../../../src/lib/server/programmes';
import { createSubscription } from '../../../src/lib/server/webhooks/subscriptions';

await seedProgrammes();
await seedDemoStaff();
await seedDemoAvailability();
const db = await getDb();
await db.update(programme).set({
	measures: { schedule: { points: [{ id: 'start', label: 'Start', offset: { amount: 0, unit: 'days' }, windowDays: 14, instruments: ['dialog', 'phq9'] }] } } as never
});
const created = await createSubscription(
	{ url: process.env.RECEIVER_URL!, eventTypes: [...WEBHOOK_EVENT_TYPES], programmeIds: ['gm-ips-primary-care'], dataScopes: ['health', 'equality'] },
	COMMAND_LINE
);
if (!created.ok) throw new Error(JSON.stringify(created.errors));
process.stdout.write(`${JSON.stringify({ secret: created.secret })}\n`);
await closeDb();
