import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { job } from '../../src/lib/server/db/schema';
import { claimDue, release } from '../../src/lib/server/jobs/lease';

/** The leased claim, on the job table; each test looks only at jobs of its own kind. */
async function queue(kind: string, rows: { due?: Date; status?: 'pending' | 'done' }[]) {
	const db = await getDb();
	const inserted = await db
		.insert(job)
		.values(rows.map((r) => ({ kind, key: `${kind}:${randomUUID()}`, recipient: 'team@ips.example', nextAttemptAt: r.due ?? new Date(0), status: r.status ?? 'pending' })))
		.returning({ id: job.id });
	return inserted.map((r) => r.id);
}

function claim(kind: string, limit: number, now: Date, leaseMs = 60_000) {
	return getDb().then((db) => claimDue(db, job, { where: eq(job.kind, kind), orderBy: asc(job.nextAttemptAt), limit, now, leaseMs }));
}

describe('leased claims', () => {
	it('never gives one row to two claims at once, counts the attempt and takes a lease', async () => {
		const kind = `lease-${randomUUID()}`;
		const ids = await queue(kind, [{}, {}, {}, {}, {}]);
		const now = new Date();
		const [a, b] = await Promise.all([claim(kind, 3, now), claim(kind, 3, now)]);
		const got = [...a, ...b].map((r) => r.id);
		expect(new Set(got).size).toBe(got.length);
		expect(got.sort()).toEqual([...ids].sort());
		for (const row of [...a, ...b]) {
			expect(row.attempts).toBe(1);
			expect(row.lockedUntil?.getTime()).toBe(now.getTime() + 60_000);
		}
		expect(await claim(kind, 10, new Date(now.getTime() + 59_000))).toEqual([]);
		const again = await claim(kind, 10, new Date(now.getTime() + 61_000));
		expect(again.map((r) => r.attempts)).toEqual([2, 2, 2, 2, 2]);
	});

	it('leaves rows not yet due, and rows no longer pending', async () => {
		const kind = `lease-${randomUUID()}`;
		const now = new Date();
		const [dueId] = await queue(kind, [{}, { due: new Date(now.getTime() + 1000) }, { status: 'done' }]);
		expect((await claim(kind, 10, now)).map((r) => r.id)).toEqual([dueId]);
	});

	it('gives released rows back at once, with the attempt uncounted', async () => {
		const kind = `lease-${randomUUID()}`;
		const ids = await queue(kind, [{}, {}]);
		const now = new Date();
		await claim(kind, 10, now);
		const db = await getDb();
		await release(db, job, ids);
		const rows = await db.select().from(job).where(and(inArray(job.id, ids)));
		expect(rows.map((r) => [r.attempts, r.lockedUntil])).toEqual([
			[0, null],
			[0, null]
		]);
		expect(await claim(kind, 10, now)).toHaveLength(2);
	});
});
