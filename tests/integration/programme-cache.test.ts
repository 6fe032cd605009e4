/**
 * The programmes kept in memory (src/lib/server/programmes.ts) on a real database (PGlite, and PostgreSQL
 * when DATABASE_URL is set): read once, shared and frozen, dropped at once when the portal saves one, and
 * dropped when anything else writes the table (the trigger's NOTIFY, heard over the listening connection).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { programme } from '../../src/lib/server/db/schema';
import { getEditableProgramme, getProgramme, listProgrammes, seedProgrammes, updateProgramme } from '../../src/lib/server/programmes';
import { createStaff } from '../../src/lib/server/auth/staff';

const SUFFIX = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const ID = `cache-${SUFFIX}`;

async function insertProgramme(id: string, name: string) {
	const db = await getDb();
	const [base] = await db.select().from(programme).where(eq(programme.id, 'gm-ips-primary-care'));
	// Covers no postcode or practice, so no other test file's referral is routed here (PostgreSQL is shared).
	await db.insert(programme).values({ ...base, id, name, seedVersion: null, booking: null, measures: null, version: 1, area: { postcodes: [], gpPractices: [] } });
}

describe('programmes kept in memory', () => {
	beforeAll(async () => {
		await seedProgrammes();
		await insertProgramme(ID, `Cache test ${SUFFIX}`);
	});

	it('reads the table once and hands out the same frozen objects', async () => {
		await expect.poll(async () => (await listProgrammes()).some((p) => p.id === ID)).toBe(true);
		const first = await listProgrammes();
		const second = await listProgrammes();
		expect(second).toBe(first);
		const mine = first.find((p) => p.id === ID)!;
		expect(await getProgramme(ID)).toBe(mine);
		expect(Object.isFrozen(mine)).toBe(true);
		expect(Object.isFrozen(mine.area.postcodes)).toBe(true);
		expect(() => {
			(mine as { name: string }).name = 'changed in memory';
		}).toThrow(TypeError);
	});

	it('finds a programme written since the copy was taken, before the notification arrives', async () => {
		await listProgrammes();
		const id = `cache-new-${SUFFIX}`;
		await insertProgramme(id, `Cache test new ${SUFFIX}`);
		expect((await getProgramme(id))?.name).toBe(`Cache test new ${SUFFIX}`);
		expect(await getProgramme(`cache-never-${SUFFIX}`)).toBeNull();
	});

	it('shows an admin’s save on the very next read', async () => {
		const before = await listProgrammes();
		const { staff } = await createStaff({ email: `cache-${SUFFIX}@example.org`, name: 'Cache Admin', role: 'admin', programmeIds: [ID], password: 'a long enough password for tests' });
		const editable = (await getEditableProgramme(ID))!;
		const saved = await updateProgramme(ID, { ...editable.programme, helpline: { phone: '0161 496 0999', hours: 'Monday to Friday, 9am to 5pm' } }, staff.id, editable.version);
		expect(saved.ok).toBe(true);
		const after = await listProgrammes();
		expect(after).not.toBe(before);
		expect(after.find((p) => p.id === ID)?.helpline.phone).toBe('0161 496 0999');
		expect((await getProgramme(ID))?.helpline.phone).toBe('0161 496 0999');
	});

	it('drops its copy when the table is written directly (a command, another instance, by hand)', async () => {
		const kept = await listProgrammes();
		const db = await getDb();
		await db.update(programme).set({ summary: `Changed by hand ${SUFFIX}` }).where(eq(programme.id, ID));
		await expect.poll(async () => (await getProgramme(ID))?.summary).toBe(`Changed by hand ${SUFFIX}`);
		expect(await listProgrammes()).not.toBe(kept);
	});
});
