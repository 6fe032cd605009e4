/**
 * Run before the server starts (the embedded database allows one process): the demo programmes, staff and
 * availability, then the primary care programme books up to 400 days ahead and Sam Specialist works
 * Sunday mornings, so people can book on both Sundays and Mondays of the 2027 clock changes.
 * Usage: DATA_DIR=... SEED=demo node --import tsx tests/e2e/support/seed-clock-change.ts
 */
import { eq } from 'drizzle-orm';
import { DEFAULT_BOOKING_SETTINGS } from '../../../src/lib/domain/meetings/settings';
import { closeDb, getDb } from '../../../src/lib/server/db';
import { availabilityPattern, programme, staff } from '../../../src/lib/server/db/schema';
import { seedDemoStaff } from '../../../src/lib/server/demo-staff';
import { seedDemoAvailability } from '../../../src/lib/server/meetings/demo-availability';
import { seedProgrammes } from '../../../src/lib/server/programmes';

await seedProgrammes();
await seedDemoStaff();
await seedDemoAvailability();
const db = await getDb();
await db
	.update(programme)
	.set({ booking: { ...DEFAULT_BOOKING_SETTINGS, bookAheadDays: 400 } })
	.where(eq(programme.id, 'gm-ips-primary-care'));
const [sam] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, 'sam.specialist@ips.example'));
await db.insert(availabilityPattern).values({ staffId: sam.id, weekday: 7, start: '09:00', end: '12:00', modes: ['phone'] });
await closeDb();
