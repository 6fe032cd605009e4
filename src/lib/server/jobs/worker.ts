/**
 * The one worker of the job table (db/schema.ts `job`): claims due jobs with a lease (jobs/lease.ts, FOR
 * UPDATE SKIP LOCKED, so app instances share the work and a crashed one's lease runs out), runs the
 * handler of each job's kind, and settles the job: done, dropped (the reason kept in `last_error`), tried
 * again after the kind's backoff (jobs/backoff.ts), failed once the kind gives up, or deferred (given back
 * untried: the attempt is not counted). What a handler must write with the outcome (a webhook's attempt
 * and delivery record) is written in the transaction that settles the job. A kind that cannot run now (no
 * sender configured) is not claimed: its jobs wait, pending. A kind may claim its own jobs (a fair share
 * per receiver) and run them side by side (`concurrency`); the others run one at a time. Each caller runs
 * the worker for the kinds it is given, so a loop of its own can run a kind at its own pace (webhooks).
 * Delivery is at least once: a job runs twice only if the process dies between the handler's work and the
 * settling.
 */
import { and, asc, eq, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../db';
import { job, type Job, type JobPayload, type JobStatus } from '../db/schema';
import { backoffMs, type Backoff } from './backoff';
import { claimDue, due, release } from './lease';
import { log } from '../log';

type LogLevel = 'info' | 'warn' | 'error';
interface LogLine {
	message: string;
	level: LogLevel;
}

/** How a job was settled, for what a handler writes with it. */
export interface Settled {
	status: JobStatus;
	/** Tries so far, this one included. */
	attempts: number;
	/** When it is tried next (while pending). */
	nextAttemptAt: Date;
	lastError: string | null;
}

interface OutcomeBase {
	fields?: Record<string, unknown>;
	/** Written in the transaction that settles the job, and only if this process settled it. */
	write?: (tx: Tx, settled: Settled) => Promise<void>;
}

/** What a handler made of a job. */
export type Outcome = OutcomeBase &
	(
		| { status: 'done' }
		/** Not needed any more (a cancelled meeting): never tried again. */
		| { status: 'dropped'; reason: string }
		/** The try failed: tried again after the kind's backoff, or failed once the kind gives up. */
		| { status: 'retry'; error: unknown }
		/** Given up at once (a sign-in code that expired before it could go), with its own log line. */
		| { status: 'failed'; reason: string; log: LogLine }
		/**
		 * Not run now (a later event of a referral while an earlier one is undelivered; shutting down): given
		 * back untried, due as before, the attempt not counted. Nothing is written.
		 */
		| { status: 'defer'; reason: string }
	);

export interface ClaimRequest {
	limit: number;
	now: Date;
	leaseMs: number;
	/** The kind's runnable condition, when it is one. */
	where?: SQL;
}

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
	/** `signal` is aborted when the process shuts down: a handler cut short answers 'defer'. */
	run: (row: Job, now: Date, signal?: AbortSignal) => Promise<Outcome>;
	/**
	 * Claims this kind's due jobs itself (jobs/lease.ts claimPicked), instead of oldest first with the other
	 * kinds: up to `concurrency` (or the batch limit) at a time.
	 */
	claim?: (db: Db, request: ClaimRequest) => Promise<Job[]>;
	/** How many of this kind's claimed jobs run at the same time (1 when not given). */
	concurrency?: number;
	/** The randomness of the backoff's jitter (tests fix it). */
	random?: () => number;
	/** The level of the 'done' line ('info' when not given). */
	doneLevel?: 'debug' | 'info';
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
	/** Claimed jobs given back untried ('defer'). */
	deferred: number;
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
interface Pending {
	set: Settlement;
	settled?: Settled;
	write?: OutcomeBase['write'];
}

/**
 * Outcomes this process knows but could not write (the database went away between a job's work and its
 * settling, e.g. an email the mail server accepted). The next pass writes them first, so the job is not
 * run again when its lease runs out.
 */
const unsettled = new Map<string, Pending>();

async function writeSettlement(id: string, { set, settled, write }: Pending): Promise<void> {
	const db = await getDb();
	const update = (d: Db | Tx) =>
		d
			.update(job)
			.set({ lockedUntil: null, ...set })
			.where(and(eq(job.id, id), eq(job.status, 'pending')))
			.returning({ id: job.id });
	if (!write || !settled) {
		await update(db);
		return;
	}
	await db.transaction(async (tx) => {
		const [mine] = await update(tx);
		if (mine) await write(tx, settled);
	});
}

/** Settles a claimed job (only while it is still pending: a job is settled once). */
async function settle(row: Job, pending: Pending): Promise<void> {
	try {
		await writeSettlement(row.id, pending);
	} catch (error) {
		unsettled.set(row.id, pending);
		throw error;
	}
}

async function writeUnsettled(): Promise<void> {
	for (const [id, pending] of unsettled) {
		await writeSettlement(id, pending);
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
 * Runs one batch of due jobs of the given kinds: claims up to `limit` (a kind with its own claim, up to its
 * `concurrency`), runs each, settles each. Jobs of a kind with a `concurrency` run side by side, the rest
 * one at a time. `shouldStop` is asked and `signal` looked at before each job starts (shutdown); jobs
 * claimed but not started are given back at once, and `signal` is handed to the handlers.
 */
export async function runJobs(
	handlers: Handlers,
	options: { now?: Date; limit?: number; shouldStop?: () => boolean; signal?: AbortSignal } = {}
): Promise<WorkerResult> {
	const now = options.now ?? new Date();
	const result: WorkerResult = { byKind: {}, waiting: [], claimed: 0, deferred: 0 };
	const conditions: SQL[] = [];
	const ownClaims: [JobHandler, SQL | undefined][] = [];
	for (const [kind, handler] of Object.entries(handlers)) {
		result.byKind[kind] = emptyCounts();
		const runnable = await handler.runnable(now);
		if (runnable === false) {
			result.waiting.push(kind);
			continue;
		}
		if (handler.claim) ownClaims.push([handler, runnable === true ? undefined : runnable]);
		else conditions.push(runnable === true ? eq(job.kind, kind) : and(eq(job.kind, kind), runnable)!);
	}
	await writeUnsettled();
	await releaseUnstarted();
	const limit = options.limit ?? 20;
	const stopped = () => !!options.shouldStop?.() || !!options.signal?.aborted;
	if ((!conditions.length && !ownClaims.length) || stopped()) return result;

	const db = await getDb();
	const claimed: Job[] = [];
	if (conditions.length) {
		const leaseMs = Math.max(...Object.values(handlers).filter((h) => !h.claim).map((h) => h.leaseMs));
		claimed.push(
			...(await claimDue(db, job, {
				where: and(lte(job.dueAt, now), or(...conditions)),
				orderBy: asc(job.nextAttemptAt),
				limit,
				now,
				leaseMs
			}))
		);
	}
	for (const [handler, where] of ownClaims) claimed.push(...(await handler.claim!(db, { limit: handler.concurrency ?? limit, now, leaseMs: handler.leaseMs, where })));
	result.claimed = claimed.length;

	// One at a time for the kinds without a concurrency, then each kind that has one, side by side.
	const groups = new Map<string, { width: number; rows: Job[] }>([['', { width: 1, rows: [] }]]);
	for (const row of claimed) {
		const width = handlers[row.kind].concurrency ?? 1;
		const key = width > 1 ? row.kind : '';
		if (!groups.has(key)) groups.set(key, { width, rows: [] });
		groups.get(key)!.rows.push(row);
	}
	const notStarted = new Set(claimed.map((r) => r.id));
	let failure: { error: unknown } | undefined;
	let stopping = false;
	for (const { width, rows } of groups.values()) {
		let next = 0;
		const lane = async () => {
			while (next < rows.length && !failure && !stopping) {
				if (stopped()) {
					stopping = true;
					break;
				}
				const row = rows[next++];
				notStarted.delete(row.id);
				try {
					await runOne(handlers, result, row, now, options.signal);
				} catch (error) {
					failure ??= { error };
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(width, rows.length) }, lane));
	}
	const left = claimed.filter((r) => notStarted.has(r.id));
	if (failure) {
		for (const row of left) if (row.lockedUntil) unstarted.set(row.id, row.lockedUntil);
		throw failure.error;
	}
	if (left.length) await release(db, job, left.map((r) => r.id));
	return result;
}

/** Runs one claimed job and settles it. */
async function runOne(handlers: Handlers, result: WorkerResult, row: Job, now: Date, signal?: AbortSignal): Promise<void> {
	const handler = handlers[row.kind];
	const counts = result.byKind[row.kind];
	const outcome = await handler.run(row, now, signal);
	const fields = { ...handler.logFields(row), ...outcome.fields };
	const final = (status: JobStatus) => (status !== 'pending' && handler.finalPayload ? { payload: handler.finalPayload(row) } : {});
	const settled = (status: JobStatus, lastError: string | null, nextAttemptAt = row.nextAttemptAt): Settled => ({ status, attempts: row.attempts, nextAttemptAt, lastError });
	const write = outcome.write;
	switch (outcome.status) {
		case 'done':
			await settle(row, { set: { status: 'done', doneAt: now, lastError: null, ...final('done') }, settled: settled('done', null), write });
			counts.done++;
			log[handler.doneLevel ?? 'info'](handler.logs.done, { ...fields, attempts: row.attempts });
			break;
		case 'dropped':
			await settle(row, { set: { status: 'dropped', lastError: outcome.reason, ...final('dropped') }, settled: settled('dropped', outcome.reason), write });
			counts.dropped++;
			log.info(handler.logs.dropped, { ...fields, reason: outcome.reason });
			break;
		case 'failed':
			await settle(row, { set: { status: 'failed', lastError: outcome.reason, ...final('failed') }, settled: settled('failed', outcome.reason), write });
			counts.failed++;
			log[outcome.log.level](outcome.log.message, { ...fields, attempts: row.attempts });
			break;
		case 'defer':
			// Given back as it was claimed: the attempt the claim counted is taken off again.
			await settle(row, { set: { attempts: sql`greatest(${job.attempts} - 1, 0)` as never } });
			result.deferred++;
			log.debug('job deferred', { ...fields, kind: row.kind, reason: outcome.reason });
			break;
		case 'retry': {
			const giveUp = handler.givesUp(row, now);
			const status: JobStatus = giveUp ? 'failed' : 'pending';
			const error = outcome.error;
			const nextAttemptAt = new Date(now.getTime() + backoffMs(row.attempts, handler.retry, handler.random));
			const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
			await settle(row, { set: { status, nextAttemptAt, lastError, ...final(status) }, settled: settled(status, lastError, nextAttemptAt), write });
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
