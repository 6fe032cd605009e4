/**
 * The one worker of the job table (db/schema.ts `job`): claims due jobs with a lease (jobs/lease.ts, FOR
 * UPDATE SKIP LOCKED, so app instances share the work and a crashed one's lease runs out), runs the
 * handler of each job's kind, and settles the job: done, dropped (the reason kept in `last_error`), tried
 * again after the kind's backoff (jobs/backoff.ts), or failed once the kind gives up. A kind that cannot
 * run now (no sender configured) is not claimed: its jobs wait, pending. Delivery is at least once: a job
 * runs twice only if the process dies between the handler's work and the settling.
 */
import { and, asc, eq, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '../db';
import { job, type Job, type JobPayload, type JobStatus } from '../db/schema';
import { backoffMs, type Backoff } from './backoff';
import { claimDue, due, release } from './lease';
import { log } from '../log';

type LogLevel = 'info' | 'warn' | 'error';
interface LogLine {
	message: string;
	level: LogLevel;
}

/** What a handler made of a job. */
export type Outcome =
	| { status: 'done'; fields?: Record<string, unknown> }
	/** Not needed any more (a cancelled meeting): never tried again. */
	| { status: 'dropped'; reason: string; fields?: Record<string, unknown> }
	/** The try failed: tried again after the kind's backoff, or failed once the kind gives up. */
	| { status: 'retry'; error: unknown; fields?: Record<string, unknown> }
	/** Given up at once (a sign-in code that expired before it could go), with its own log line. */
	| { status: 'failed'; reason: string; log: LogLine; fields?: Record<string, unknown> };

export interface JobHandler {
	/** Longer than any one run can take, so a lease never ends mid-run. */
	leaseMs: number;
	retry: Backoff;
	/** Whether a failed try of this job is the last (it has been failing too long to matter). */
	givesUp: (row: Job, now: Date) => boolean;
	/**
	 * Which of this kind's jobs can run now: `true` for all, a condition (only the channels with a
	 * sender), or `false` when none can (they wait, pending).
	 */
	runnable: (now: Date) => Promise<SQL | boolean>;
	run: (row: Job, now: Date) => Promise<Outcome>;
	/** The payload kept once the job is settled for good (a sign-in code is wiped). */
	finalPayload?: (row: Job) => JobPayload;
	/** The fields every log line of this kind carries (ids and kinds only: never an address or what anyone typed). */
	logFields: (row: Job) => Record<string, unknown>;
	logs: { done: string; dropped: string; retry: string; failed: string };
}

export type Handlers = Readonly<Record<string, JobHandler>>;

export interface KindResult {
	done: number;
	retrying: number;
	failed: number;
	dropped: number;
}

export interface WorkerResult {
	/** Counts by kind, for every kind that ran. */
	byKind: Record<string, KindResult>;
	/** Kinds none of whose jobs could run (no sender). */
	waiting: string[];
	/** Jobs claimed this pass. */
	claimed: number;
}

/** What a failure was, for the log: codes only, since mail server and Notify replies can quote the address. */
export function errorCodes(error: unknown): Record<string, unknown> {
	const e = error as { code?: unknown; responseCode?: unknown };
	return { code: e?.code, responseCode: e?.responseCode };
}

function emptyCounts(): KindResult {
	return { done: 0, retrying: 0, failed: 0, dropped: 0 };
}

type Settlement = Partial<typeof job.$inferInsert>;

/**
 * Outcomes this process knows but could not write (the database went away between a job's work and its
 * settling, e.g. an email the mail server accepted). The next pass writes them first, so the job is not
 * run again when its lease runs out.
 */
const unsettled = new Map<string, Settlement>();

async function writeSettlement(id: string, set: Settlement): Promise<void> {
	const db = await getDb();
	await db
		.update(job)
		.set({ lockedUntil: null, ...set })
		.where(and(eq(job.id, id), eq(job.status, 'pending')));
}

/** Settles a claimed job (only while it is still pending: a job is settled once). */
async function settle(row: Job, set: Settlement): Promise<void> {
	try {
		await writeSettlement(row.id, set);
	} catch (error) {
		unsettled.set(row.id, set);
		throw error;
	}
}

async function writeUnsettled(): Promise<void> {
	for (const [id, set] of unsettled) {
		await writeSettlement(id, set);
		unsettled.delete(id);
	}
}

/**
 * Jobs this process claimed but never started, by id, with the lease it took: left behind by a pass that
 * failed part-way (the database went away between the claim and the next job). The next pass gives them
 * back first, so they run as soon as the database is back instead of when their lease runs out. Only while
 * the lease is still the one this process took: a job another instance has claimed since is left alone.
 * A pass that is still running never has its jobs here, so passes running side by side do not interfere.
 */
const unstarted = new Map<string, Date>();

async function releaseUnstarted(): Promise<void> {
	if (!unstarted.size) return;
	const db = await getDb();
	const byLease = new Map<number, string[]>();
	for (const [id, lease] of unstarted) byLease.set(lease.getTime(), [...(byLease.get(lease.getTime()) ?? []), id]);
	for (const [lease, ids] of byLease) {
		await db
			.update(job)
			.set({ lockedUntil: null, attempts: sql`greatest(${job.attempts} - 1, 0)` })
			.where(and(inArray(job.id, ids), eq(job.status, 'pending'), eq(job.lockedUntil, new Date(lease))));
		for (const id of ids) unstarted.delete(id);
	}
}

/**
 * Runs one batch of due jobs of the given kinds: claims up to `limit`, runs each, settles each.
 * `shouldStop` is asked between jobs (shutdown); jobs claimed but not run are given back at once.
 */
export async function runJobs(handlers: Handlers, options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<WorkerResult> {
	const now = options.now ?? new Date();
	const result: WorkerResult = { byKind: {}, waiting: [], claimed: 0 };
	const conditions: SQL[] = [];
	for (const [kind, handler] of Object.entries(handlers)) {
		result.byKind[kind] = emptyCounts();
		const runnable = await handler.runnable(now);
		if (runnable === false) {
			result.waiting.push(kind);
			continue;
		}
		conditions.push(runnable === true ? eq(job.kind, kind) : and(eq(job.kind, kind), runnable)!);
	}
	await writeUnsettled();
	await releaseUnstarted();
	if (!conditions.length) return result;

	const db = await getDb();
	const leaseMs = Math.max(...Object.values(handlers).map((h) => h.leaseMs));
	const claimed = await claimDue(db, job, {
		where: and(lte(job.dueAt, now), or(...conditions)),
		orderBy: asc(job.nextAttemptAt),
		limit: options.limit ?? 20,
		now,
		leaseMs
	});
	result.claimed = claimed.length;
	let next = 0;
	try {
		for (const [i, row] of claimed.entries()) {
			next = i;
			if (options.shouldStop?.()) {
				next = claimed.length;
				await release(db, job, claimed.slice(i).map((r) => r.id));
				break;
			}
			next = i + 1;
			await runOne(handlers, result, row, now);
		}
	} catch (error) {
		for (const row of claimed.slice(next)) if (row.lockedUntil) unstarted.set(row.id, row.lockedUntil);
		throw error;
	}
	return result;
}

/** Runs one claimed job and settles it. */
async function runOne(handlers: Handlers, result: WorkerResult, row: Job, now: Date): Promise<void> {
	const handler = handlers[row.kind];
	const counts = result.byKind[row.kind];
	const outcome = await handler.run(row, now);
	const fields = { ...handler.logFields(row), ...outcome.fields };
	const final = (status: JobStatus) => (status !== 'pending' && handler.finalPayload ? { payload: handler.finalPayload(row) } : {});
	switch (outcome.status) {
		case 'done':
			await settle(row, { status: 'done', doneAt: now, lastError: null, ...final('done') });
			counts.done++;
			log.info(handler.logs.done, { ...fields, attempts: row.attempts });
			break;
		case 'dropped':
			await settle(row, { status: 'dropped', lastError: outcome.reason, ...final('dropped') });
			counts.dropped++;
			log.info(handler.logs.dropped, { ...fields, reason: outcome.reason });
			break;
		case 'failed':
			await settle(row, { status: 'failed', lastError: outcome.reason, ...final('failed') });
			counts.failed++;
			log[outcome.log.level](outcome.log.message, { ...fields, attempts: row.attempts });
			break;
		case 'retry': {
			const giveUp = handler.givesUp(row, now);
			const status: JobStatus = giveUp ? 'failed' : 'pending';
			const error = outcome.error;
			await settle(row, {
				status,
				nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts, handler.retry)),
				lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
				...final(status)
			});
			if (giveUp) {
				counts.failed++;
				log.error(handler.logs.failed, { ...fields, attempts: row.attempts, ...errorCodes(error) });
			} else {
				counts.retrying++;
				log.warn(handler.logs.retry, { ...fields, attempts: row.attempts, ...errorCodes(error) });
			}
			break;
		}
	}
}

const wakers = new Set<() => void>();

/**
 * Asks the loop that runs the worker in this process (the notifier's, notify/dispatcher.ts) to run a pass
 * now rather than at its next tick. Called after the commit of a job someone is waiting for (a sign-in
 * code, a save-and-return link); does nothing when no loop runs here (another instance's picks it up).
 */
export function wakeWorker(): void {
	for (const wake of wakers) wake();
}

/** Registers the loop `wakeWorker` kicks; returns the function that unregisters it. */
export function onWake(wake: () => void): () => void {
	wakers.add(wake);
	return () => void wakers.delete(wake);
}

/** Whether any job of `kind` (on `channel`, if given) is due now: for the "waiting because not configured" warnings. */
export async function anyDue(kinds: string[], now: Date, channel?: 'email' | 'text'): Promise<boolean> {
	const db = await getDb();
	const [row] = await db
		.select({ id: job.id })
		.from(job)
		.where(and(due(job, now), inArray(job.kind, kinds), lte(job.dueAt, now), channel ? eq(job.channel, channel) : undefined))
		.limit(1);
	return !!row;
}
