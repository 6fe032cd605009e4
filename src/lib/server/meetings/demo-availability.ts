/**
 * Demo availability (SEED=demo only), so someone who runs `npm start` and refers themselves can book at
 * once: the demo specialists work Monday to Saturday 09:00-17:00 by phone and video, and on Tuesdays and
 * Thursdays also in person at one venue, Central Library. Written once, when there is no availability at
 * all (an instance that finds some leaves it alone). The staff availability pages may replace this.
 */
import { count, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '../db';
import { availabilityPattern, staff, venue } from '../db/schema';
import { log } from '../log';
import { DEMO_STAFF } from '../demo-staff';

export const DEMO_VENUE = {
	name: 'Central Library',
	address: "St Peter's Square, Manchester",
	postcode: 'M2 5PD',
	accessibilityNotes: 'Step-free entrance on Mount Street; accessible toilets on the ground floor.',
	privateRoom: true
};

const DEMO_LOCK = 7215021;

export async function seedDemoAvailability(): Promise<void> {
	const db = await getDb();
	const specialists = DEMO_STAFF.filter((s) => s.role === 'specialist').map((s) => s.email);
	const created = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
		const [{ n }] = await tx.select({ n: count() }).from(availabilityPattern);
		if (n > 0) return 0;
		const people = await tx.select({ id: staff.id, email: staff.email, videoLink: staff.videoLink }).from(staff).where(inArray(staff.email, specialists));
		if (!people.length) return 0;
		const [library] = await tx.insert(venue).values(DEMO_VENUE).returning({ id: venue.id });
		const rows: (typeof availabilityPattern.$inferInsert)[] = [];
		for (const person of people) {
			if (!person.videoLink)
				await tx
					.update(staff)
					.set({ videoLink: `https://meet.example.org/${person.email.split('@')[0].replace(/[^a-z0-9]+/g, '-')}` })
					.where(eq(staff.id, person.id));
			for (const weekday of [1, 2, 3, 4, 5, 6]) {
				const inPerson = weekday === 2 || weekday === 4;
				rows.push({
					staffId: person.id,
					weekday,
					start: '09:00',
					end: '17:00',
					modes: inPerson ? ['in-person', 'phone', 'video'] : ['phone', 'video'],
					venueId: inPerson ? library.id : null
				});
			}
		}
		await tx.insert(availabilityPattern).values(rows);
		return people.length;
	});
	if (created) log.info('demo availability created', { specialists: created });
}
