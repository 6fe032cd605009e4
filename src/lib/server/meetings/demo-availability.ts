/**
 * Demo availability (SEED=demo only), so someone who runs `npm start` and refers themselves can book at
 * once: two venues, and for each demo specialist Monday to Friday 09:00-17:00 by phone and video, in
 * person at a venue on two of those days, and a video link. One specialist also works a weekday evening
 * and Saturday morning (people in work need early, late and weekend times).
 *
 * Idempotent on restart: venues are added when none has the demo name, and a specialist's hours only
 * when they have no weekly hours yet (so hours an admin or the specialist changed are left alone).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ModeKind } from '$lib/domain/meetings/modes';
import { DEMO_STAFF } from '../demo-staff';
import { getDb } from '../db';
import { availabilityPattern, staff, venue } from '../db/schema';
import { log } from '../log';

export const DEMO_VENUES = [
	{
		name: 'Central Library, Manchester',
		address: "St Peter's Square\nManchester",
		postcode: 'M2 5PD',
		accessibilityNotes:
			"Step-free entrance from St Peter's Square. Lifts to every floor, accessible toilets on the ground floor and a hearing loop at the help desk. Ask at the desk for the IPS meeting room.",
		privateRoom: true
	},
	{
		name: 'Bolton Community Hub',
		address: '1 Example Street\nBolton',
		postcode: 'BL1 1AA',
		accessibilityNotes: 'Step-free access and an accessible toilet. Meetings are at a quiet table in the open café: there is no private room.',
		privateRoom: false
	}
] as const;

/** The demo specialist who also offers a weekday evening and Saturday morning. */
export const DEMO_EXTENDED_HOURS_EMAIL = 'sam.specialist@ips.example';

type PatternSeed = { weekday: number; start: string; end: string; modes: ModeKind[]; venue?: 0 | 1 };

const REMOTE: ModeKind[] = ['phone', 'video'];

function weekFor(email: string, index: number): PatternSeed[] {
	// In person on two days, at the first venue for the first specialist and the second for the next.
	const venueIndex = (index % 2) as 0 | 1;
	const inPersonDays = index % 2 === 0 ? [2, 4] : [1, 3];
	const week: PatternSeed[] = [1, 2, 3, 4, 5].map((weekday) =>
		inPersonDays.includes(weekday)
			? { weekday, start: '09:00', end: '17:00', modes: ['in-person', ...REMOTE], venue: venueIndex }
			: { weekday, start: '09:00', end: '17:00', modes: REMOTE }
	);
	if (email === DEMO_EXTENDED_HOURS_EMAIL) {
		week.push({ weekday: 3, start: '17:30', end: '19:30', modes: REMOTE });
		week.push({ weekday: 6, start: '09:00', end: '12:00', modes: REMOTE });
	}
	return week;
}

/** "sam-specialist" for "Sam Specialist" */
function slug(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

export async function seedDemoAvailability(): Promise<void> {
	const db = await getDb();
	const specialists = DEMO_STAFF.filter((s) => s.role === 'specialist').map((s) => s.email);
	const seeded = await db.transaction(async (tx) => {
		// Several instances may start together on one PostgreSQL: seed one at a time.
		await tx.execute(sql`select pg_advisory_xact_lock(7215016)`);
		const venueIds: string[] = [];
		for (const v of DEMO_VENUES) {
			const [existing] = await tx.select({ id: venue.id }).from(venue).where(eq(venue.name, v.name)).limit(1);
			venueIds.push(existing?.id ?? (await tx.insert(venue).values(v).returning({ id: venue.id }))[0].id);
		}
		const people = await tx
			.select({ id: staff.id, email: staff.email, name: staff.name, videoLink: staff.videoLink })
			.from(staff)
			.where(and(inArray(staff.email, specialists), isNull(staff.disabledAt)));
		let count = 0;
		for (const [index, email] of specialists.entries()) {
			const person = people.find((p) => p.email === email);
			if (!person) continue;
			const [any] = await tx.select({ id: availabilityPattern.id }).from(availabilityPattern).where(eq(availabilityPattern.staffId, person.id)).limit(1);
			if (any) continue;
			await tx.insert(availabilityPattern).values(
				weekFor(email, index).map((p) => ({
					staffId: person.id,
					weekday: p.weekday,
					start: p.start,
					end: p.end,
					modes: p.modes,
					venueId: p.venue === undefined ? null : venueIds[p.venue]
				}))
			);
			if (!person.videoLink) await tx.update(staff).set({ videoLink: `https://video.example.org/${slug(person.name)}` }).where(eq(staff.id, person.id));
			count++;
		}
		return count;
	});
	if (seeded) log.info('demo availability added', { specialists: seeded });
}
