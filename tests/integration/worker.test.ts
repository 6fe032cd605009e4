/**
 * The one worker (jobs/worker.ts) on the real job table, with kinds of this test's own: it claims only due
 * jobs of kinds that can run, settles each as its handler says (done, dropped, retried after the kind's
 * backoff, failed once the kind gives up), keeps the payload the kind keeps once settled, and gives back
 * what it claimed but did not run when asked to stop.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/lib/server/db';
import { job, type Job } from '../../src/lib/server/db/schema';
import { runJobs, type JobHandler, type Outcome } from '../../src/lib/server/jobs/worker';

const MINUTE = 60_000;

function handler(run: (row: Job) => Outcome, extra: Partial<JobHandler> = {}): JobHandler {
	return {
		leaseMs: 5 * MINUTE,
		retry: { baseMs: 10_000, maxMs: 60_000, jitter: 0 },
		givesUp: (row, now) => now.getTime() - row.dueAt.getTime() >= 60 * MINUTE,
		runnable: async () => true,
		run: async (row) => run(row),
		logFields: (row) => ({ jobId: row.id }),
		logs: { done: 'test job done', dropped: 'test job dropped', retry: 'test job failed: will try again', failed: 'test job given up' },
		...extra
	};
}

async function add(kind: string, dueAt: Date, payload: Record<string, string> = {}): Promise<string> {
	const db = await getDb();
	const [row] = await db.insert(job).values({ kind, key: `${kind}:${randomUUID()}`, dueAt, nextAttemptAt: dueAt, payload }).returning({ id: job.id });
	return row.id;
}

async function read(id: string): Promise<Job> {
	const db = await getDb();
	return (await db.select().from(job).where(eq(job.id, id)))[0];
}

describe('the job worker', () => {
	it('runs due jobs only, settles done and dropped, and keeps what the kind keeps once settled', async () => {
		const kind = `test-${randomUUID()}`;
		const now = new Date('2031-01-01T10:00:00Z');
		const due = await add(kind, now, { body: 'secret', outcome: 'done' });
		const gone = await add(kind, now, { body: 'secret', outcome: 'dropped' });
		const later = await add(kind, new Date(now.getTime() + MINUTE), { outcome: 'done' });
		const ran: string[] = [];
		const h = handler(
			(row) => {
				ran.push(row.id);
				return (row.payload as { outcome?: string }).outcome === 'dropped' ? { status: 'dropped', reason: 'not needed' } : { status: 'done' };
			},
			{ finalPayload: (row) => ({ ...row.payload, body: '(removed)' }) }
		);
		const result = await runJobs({ [kind]: h }, { now, limit: 10 });
		expect(ran.sort()).toEqual([due, gone].sort());
		expect(result.byKind[kind]).toEqual({ done: 1, retrying: 0, failed: 0, dropped: 1 });
		expect(await read(due)).toMatchObject({ status: 'done', attempts: 1, doneAt: now, lockedUntil: null, payload: { body: '(removed)' } });
		expect(await read(gone)).toMatchObject({ status: 'dropped', lastError: 'not needed', payload: { body: '(removed)' } });
		expect(await read(later)).toMatchObject({ status: 'pending', attempts: 0 });
		// Settled jobs are not run again.
		await runJobs({ [kind]: h }, { now: new Date(now.getTime() + 2 * MINUTE), limit: 10 });
		expect(ran.filter((id) => id === due)).toHaveLength(1);
	});

	it("retries a failed try after the kind's backoff, then gives up as failed", async () => {
		const kind = `test-${randomUUID()}`;
		const now = new Date('2031-01-01T10:00:00Z');
		const id = await add(kind, now);
		const h = handler(() => ({ status: 'retry', error: new Error('receiver down') }));
		expect((await runJobs({ [kind]: h }, { now })).byKind[kind]).toEqual({ done: 0, retrying: 1, failed: 0, dropped: 0 });
		let row = await read(id);
		expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'receiver down', lockedUntil: null });
		expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(10_000);
		// Not due again yet.
		await runJobs({ [kind]: h }, { now: new Date(now.getTime() + 5_000) });
		expect((await read(id)).attempts).toBe(1);
		await runJobs({ [kind]: h }, { now: row.nextAttemptAt });
		row = await read(id);
		expect(row.nextAttemptAt.getTime() - (now.getTime() + 10_000)).toBe(20_000);
		await runJobs({ [kind]: h }, { now: new Date(now.getTime() + 60 * MINUTE) });
		expect(await read(id)).toMatchObject({ status: 'failed', attempts: 3 });
	});

	it('leaves a kind that cannot run waiting, and gives back what it claimed when asked to stop', async () => {
		const kind = `test-${randomUUID()}`;
		const now = new Date('2031-01-01T10:00:00Z');
		const ids = [await add(kind, now), await add(kind, now), await add(kind, now)];
		const waiting = await runJobs({ [kind]: handler(() => ({ status: 'done' }), { runnable: async () => false }) }, { now });
		expect(waiting).toMatchObject({ waiting: [kind], claimed: 0 });
		let runs = 0;
		const result = await runJobs({ [kind]: handler(() => (runs++, { status: 'done' })) }, { now, shouldStop: () => runs >= 1 });
		expect(result.claimed).toBe(3);
		const db = await getDb();
		const rows = await db.select().from(job).where(inArray(job.id, ids));
		expect(rows.map((r) => r.status).sort()).toEqual(['done', 'pending', 'pending']);
		for (const r of rows.filter((r) => r.status === 'pending')) expect(r).toMatchObject({ attempts: 0, lockedUntil: null });
	});
});
