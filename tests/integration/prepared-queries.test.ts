/**
 * The queries built once per connection (`preparedQuery` in src/lib/server/db/index.ts) on a real database
 * (PGlite, and PostgreSQL when DATABASE_URL is set): they read the same rows as before, their placeholders
 * take new values on every call, and they are built again on a new connection (after closeDb).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, getDbKind } from '../../src/lib/server/db';
import { draft } from '../../src/lib/server/db/schema';
import { createDraft, getDraftByToken, saveDraftAnswers } from '../../src/lib/server/drafts';
import { createSession, invalidateSession, validateSessionToken } from '../../src/lib/server/auth/sessions';
import { createStaff } from '../../src/lib/server/auth/staff';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { eq, sql } from 'drizzle-orm';

const PASSWORD = 'a long enough passphrase';

describe('prepared queries', () => {
	beforeAll(async () => {
		await seedProgrammes();
	});

	it('finds each draft by its own token, not an expired or unknown one, and again on a new connection', async () => {
		const a = await createDraft();
		const b = await createDraft();
		expect((await getDraftByToken(a.token))?.id).toBe(a.draft.id);
		expect((await getDraftByToken(b.token))?.id).toBe(b.draft.id);
		expect(await getDraftByToken('a'.repeat(32))).toBeNull();

		const db = await getDb();
		await db.update(draft).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(draft.id, b.draft.id));
		expect(await getDraftByToken(b.token)).toBeNull();

		await closeDb();
		const again = await getDraftByToken(a.token);
		expect(again?.id).toBe(a.draft.id);
		expect(again?.expiresAt).toBeInstanceOf(Date);
		expect(again?.answers).toEqual({});
	});

	it('reads a draft with every column as the query builder reads it (on PGlite it is read another way)', async () => {
		const { token, draft: made } = await createDraft({ code: 'fit-note', odsCode: 'P84001', linkCode: 'gp-p84001' });
		const saved = await saveDraftAnswers(made, 'check/postcode', { postcode: 'M1 1AE', conditions: ['mental-health'] }, null);
		const db = await getDb();
		await db.update(draft).set({ resumeTokenHash: `resume-${made.id}`, resumeTokenExpiresAt: new Date('2030-01-02T03:04:05.678Z') }).where(eq(draft.id, made.id));
		const [expected] = await db.select().from(draft).where(eq(draft.id, made.id));
		const read = await getDraftByToken(token);
		expect(read).toEqual(expected);
		expect(read!.answers).toEqual({ postcode: 'M1 1AE', conditions: ['mental-health'] });
		expect(read!.answered).toEqual(['check/postcode']);
		expect(read!.updatedAt).toBeInstanceOf(Date);
		expect(read!.resumeTokenExpiresAt).toEqual(new Date('2030-01-02T03:04:05.678Z'));
		expect(saved.id).toBe(made.id);
		// A token with a quote cannot reach the statement (tokens are checked first), but the literal is quoted anyway.
		expect(await getDraftByToken("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'a")).toBeNull();
	});

	it('reads a staff session with its user and all of the user programmes in one query', async () => {
		const stamp = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
		const both = await createStaff({
			email: `prepared-${stamp}@example.org`,
			name: 'Prepared Both',
			role: 'specialist',
			programmeIds: ['gm-ips-secondary-care', 'gm-ips-primary-care'],
			password: PASSWORD
		});
		const one = await createStaff({ email: `prepared-one-${stamp}@example.org`, name: 'Prepared One', role: 'team-lead', programmeIds: ['gm-ips-primary-care'], password: PASSWORD });
		const s1 = await createSession(both.staff.id, true);
		const s2 = await createSession(one.staff.id, true);

		const first = await validateSessionToken(s1.token);
		expect(first?.user).toMatchObject({ id: both.staff.id, role: 'specialist', name: 'Prepared Both' });
		expect(first?.user.programmeIds).toEqual(['gm-ips-primary-care', 'gm-ips-secondary-care']);
		expect(first?.session.expiresAt).toBeInstanceOf(Date);

		const second = await validateSessionToken(s2.token);
		expect(second?.user).toMatchObject({ id: one.staff.id, role: 'team-lead', programmeIds: ['gm-ips-primary-care'] });

		// `now` is a placeholder too: a time after the expiry finds nothing.
		expect(await validateSessionToken(s2.token, new Date(s2.session.expiresAt.getTime() + 1000))).toBeNull();

		await invalidateSession(s2.session.id);
		expect(await validateSessionToken(s2.token)).toBeNull();
		await closeDb();
		expect((await validateSessionToken(s1.token))?.user.id).toBe(both.staff.id);
	});

	it('on PostgreSQL, prepares the queries it sends (one round trip each), in transactions and savepoints too', async () => {
		const db = await getDb();
		const rowsOf = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as { n: number }[];
		const ours = '%from "draft" where "draft"."token_hash" = $1%';
		const count = async (tx: Pick<typeof db, 'execute'>) =>
			rowsOf(await tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${ours}`))[0].n;
		const seen = await db.transaction(async (tx) => {
			await tx.select({ id: draft.id }).from(draft).where(eq(draft.tokenHash, 'not a token'));
			const outer = await count(tx);
			const inner = await tx.transaction(async (savepoint) => {
				await savepoint.select({ tokenHash: draft.tokenHash }).from(draft).where(eq(draft.tokenHash, 'nor this'));
				return count(savepoint);
			});
			return { outer, inner };
		});
		const kind = await getDbKind();
		if (kind === 'postgres') {
			expect(seen.outer).toBeGreaterThan(0);
			expect(seen.inner).toBeGreaterThan(seen.outer);
		} else {
			// PGlite runs in this process: there is no round trip to save, and nothing is prepared.
			expect(kind).toBe('pglite');
			expect(seen).toEqual({ outer: 0, inner: 0 });
		}
	});
});
