/**
 * Run before the server starts (the embedded database allows one process): migrates DATA_DIR, writes the
 * demo programmes and gives the secondary care programme a 14-day notice to change or cancel, so a meeting
 * booked there is always inside the notice window (the page must then say to call).
 * Usage: DATA_DIR=... SEED=demo node --import tsx tests/e2e/support/seed-booking.ts
 */
import { eq } from 'drizzle-orm';
import { DEFAULT_BOOKING_SETTINGS } from '../../../src/lib/domain/meetings/settings';
import { closeDb, getDb } from '../../../src/lib/server/db';
import { programme } from '../../../src/lib/server/db/schema';
import { seedProgrammes } from '../../../src/lib/server/programmes';

await seedProgrammes();
const db = await getDb();
await db
	.update(programme)
	.set({ booking: { ...DEFAULT_BOOKING_SETTINGS, changeNoticeHours: 14 * 24 } })
	.where(eq(programme.id, 'gm-ips-secondary-care'));
await closeDb();
