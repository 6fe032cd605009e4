import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { draft, rateLimit, session } from '../../src/lib/server/db/schema';
import { createDraft } from '../../src/lib/server/drafts';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createStaff } from '../../src/lib/server/auth/staff';
import { runHousekeeping } from '../../src/lib/server/housekeeping';
import { seedProgrammes } from '../../src/lib/server/programmes';

beforeAll(async () => {
	await seedProgrammes();
});

describe('housekeeping', () => {
	it('deletes expired drafts, expired sessions and old rate-limit windows, and keeps the rest', async () => {
		const db = await getDb();
		const old = await createDraft({ code: 'leaflet' });
		const fresh = await createDraft({ code: 'leaflet' });
		await db.update(draft).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(draft.id, old.draft.id));

		const { staff: person } = await createStaff({
			email: `keeper-${Date.now()}@example.org`,
			name: 'Keeper',
			role: 'specialist',
			programmeIds: ['gm-ips-primary-care'],
			password: 'a long enough password'
		});
		const ended = await createSession(person.id, true);
		const live = await createSession(person.id, true);
		await db.update(session).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(session.id, ended.session.id));

		const key = `hk-test-${Date.now()}`;
		await db.insert(rateLimit).values([
			{ key: `${key}-old`, windowStart: new Date(Date.now() - 2 * 24 * 3600_000), count: 3 },
			{ key: `${key}-new`, windowStart: new Date(), count: 1 }
		]);

		const result = await runHousekeeping();
		expect(result.drafts).toBeGreaterThanOrEqual(1);
		expect(result.sessions).toBeGreaterThanOrEqual(1);
		expect(result.rateLimits).toBeGreaterThanOrEqual(1);

		expect(await db.select().from(draft).where(eq(draft.id, old.draft.id))).toHaveLength(0);
		expect(await db.select().from(draft).where(eq(draft.id, fresh.draft.id))).toHaveLength(1);
		expect(await db.select().from(session).where(eq(session.id, ended.session.id))).toHaveLength(0);
		expect(await db.select().from(session).where(eq(session.id, live.session.id))).toHaveLength(1);
		expect(await db.select().from(rateLimit).where(eq(rateLimit.key, `${key}-old`))).toHaveLength(0);
		expect(await db.select().from(rateLimit).where(eq(rateLimit.key, `${key}-new`))).toHaveLength(1);
	});
});
