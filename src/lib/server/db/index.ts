/**
 * The database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR.
 * Connected lazily on first use, migrated on connect; closed on shutdown.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { getConfig } from '../config';
import { log } from '../log';
import { lockDataDir } from './data-dir-lock';
import { DatabaseUnavailableError } from './faults';
import { retryingClient, type PostgresJsClient } from './retry';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

interface Connection {
	db: Db;
	kind: 'pglite' | 'postgres';
	close: () => Promise<void>;
	/** Calls `onNotify` on every NOTIFY on `channel`, and (PostgreSQL) each time the listening connection is made again. */
	listen: (channel: string, onNotify: () => void) => Promise<void>;
	/** PGlite only: the embedded database itself (backups). */
	embedded?: import('@electric-sql/pglite').PGlite;
	/** PGlite only: runs a statement PREPAREd once by name (see readPrepared). */
	executePrepared?: (name: string, prepare: string, args: string[]) => Promise<Record<string, unknown>[]>;
}

let connecting: Promise<Connection> | undefined;

type Unsafe = (query: string, args?: unknown[], options?: Record<string, unknown>) => unknown;
interface PostgresJsScope {
	unsafe: Unsafe;
	begin?: (...args: unknown[]) => Promise<unknown>;
	savepoint?: (...args: unknown[]) => Promise<unknown>;
}

/**
 * drizzle runs each query through postgres.js's `unsafe` with `prepare: false`, and postgres.js then asks
 * the server for the parameter types before every run (Parse, Describe, Sync; wait; Bind, Execute, Sync):
 * two round trips and two socket writes for each query, which were a quarter of the portal's CPU in the
 * submit (bench/PROFILE.md). Prepared, postgres.js keeps each statement for its connection (until the
 * connection's `max_lifetime`, 30-60 minutes) and runs it again in one round trip. This turns it on for
 * the client and for the client of every transaction and savepoint begun from it.
 */
function preparing<T>(sql: T): T {
	const scope = sql as unknown as PostgresJsScope;
	const unsafe = scope.unsafe;
	scope.unsafe = (query, args, options) => unsafe(query, args, { ...options, prepare: true });
	for (const method of ['begin', 'savepoint'] as const) {
		const original = scope[method];
		if (!original) continue;
		scope[method] = (...args: unknown[]) => {
			const fn = args.pop() as (inner: unknown) => unknown;
			return original(...args, (inner: unknown) => fn(preparing(inner)));
		};
	}
	return sql;
}

/**
 * Seconds before postgres.js makes a connection again after one failed: 0.1 s doubling to 1 s (half random).
 * Its own default grows to 20 s after a few failures, and queries wait for it: after a 2-second restart,
 * pages then stayed unanswered for 15-20 s. db/retry.ts does the waiting between tries instead.
 */
const reconnectBackoff = (failures: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);

/** Shared buffers of the embedded database (PostgreSQL's default is 128MB). */
const PGLITE_SHARED_BUFFERS = '16MB';

async function connect(): Promise<Connection> {
	const config = getConfig();
	const migrationsFolder = path.resolve(config.MIGRATIONS_DIR);
	if (config.DATABASE_URL) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate } = await import('drizzle-orm/postgres-js/migrator');
		// A connection not made within 2 s is tried again (db/retry.ts): during a restart an attempt can hang.
		const client = preparing(postgres(config.DATABASE_URL, { max: 10, connect_timeout: 2, backoff: reconnectBackoff, onnotice: () => {} }));
		// drizzle gets a stand-in whose statements and transactions are tried again after a lost connection.
		const db = drizzle({ client: retryingClient(client as unknown as PostgresJsClient) as never, schema });
		// One instance migrates at a time when several start together: the others wait here, then find
		// every migration applied.
		await client.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(7215013)`;
			await migrate(db, { migrationsFolder });
		});
		log.info('database ready', { kind: 'postgres' });
		return {
			db: db as unknown as Db,
			kind: 'postgres',
			close: () => client.end({ timeout: 5 }),
			// postgres.js keeps one more connection for listening and makes it again after a break; a
			// notification sent while it was down is lost, so `onlisten` (called on every (re)connect) counts as one.
			listen: async (channel, onNotify) => {
				await client.listen(channel, () => onNotify(), () => onNotify());
			}
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	const dataDir = path.resolve(config.DATA_DIR);
	mkdirSync(dataDir, { recursive: true });
	// One process per data folder: refused with a message saying what to do when another holds it.
	const unlock = lockDataDir(dataDir, databaseUser);
	// PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly heap and were most of the
	// embedded mode's memory; the portal's working set is far smaller (bench/PROFILE.md has the figures).
	const preparedOnPglite = new Map<string, Promise<void>>();
	let client: InstanceType<typeof PGlite>;
	try {
		client = await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
	} catch (error) {
		unlock();
		throw error;
	}
	const db = drizzle({ client, schema });
	await migrate(db, { migrationsFolder });
	log.info('database ready', { kind: 'pglite', dataDir });
	return {
		db: db as unknown as Db,
		kind: 'pglite',
		embedded: client,
		close: () => client.close().finally(unlock),
		executePrepared: async (name, prepare, args) => {
			let made = preparedOnPglite.get(name);
			if (!made) {
				// Kept as a promise so two first calls prepare once; a failed PREPARE is tried again next time.
				made = client.exec(prepare).then(() => undefined);
				made.catch(() => preparedOnPglite.delete(name));
				preparedOnPglite.set(name, made);
			}
			await made;
			// The simple protocol with quoted literals: one pass through PGlite, where the extended protocol
			// (parameters) takes two, and drizzle's own result handling on PGlite cost as much again.
			const [result] = await client.exec(`execute ${name}(${args.map((a) => `'${a.replaceAll("'", "''")}'`).join(', ')})`);
			return result.rows as Record<string, unknown>[];
		},
		listen: async (channel, onNotify) => {
			await client.listen(channel, () => onNotify());
		}
	};
}

const preparedQueries = new WeakMap<Db, Map<string, unknown>>();

/**
 * A query built once per connection (drizzle's `prepare`, run with `sql.placeholder` values), for the few
 * that run on nearly every request: building a query costs more than PGlite takes to run a small one.
 * `name` must be unique to the query.
 */
export async function preparedQuery<T>(name: string, build: (db: Db) => T): Promise<T> {
	const db = await getDb();
	let queries = preparedQueries.get(db);
	if (!queries) preparedQueries.set(db, (queries = new Map()));
	let query = queries.get(name) as T | undefined;
	if (!query) queries.set(name, (query = build(db)));
	return query;
}

/**
 * On PGlite, runs `execute name(args)` for a statement made by `prepare` (`prepare name(types) as ...`, run
 * once per database), and returns its rows with PGlite's own column names and types (timestamps as Date,
 * JSON parsed); on PostgreSQL, null (use the query builder: `preparedQuery`). A page that does one small
 * read spends most of its database time in the protocol on PGlite: this is for those reads only.
 * Arguments are sent as quoted literals, so they must be text that PostgreSQL casts to the declared types.
 */
export async function readPrepared(name: string, prepare: string, args: string[]): Promise<Record<string, unknown>[] | null> {
	await getDb();
	const connection = await connecting!;
	return connection.executePrepared ? connection.executePrepared(name, prepare, args) : null;
}

/** Set once the database is closed for shutdown: nothing may open it again (a new pool would keep the process alive). */
let closedForGood = false;

export async function getDb(): Promise<Db> {
	if (closedForGood) throw new DatabaseUnavailableError('The database is closed: the server is stopping');
	connecting ??= connect().catch((error) => {
		connecting = undefined;
		throw error;
	});
	return (await connecting).db;
}

/** Whether the database has been opened (and not closed since). */
export function isDbOpen(): boolean {
	return connecting !== undefined;
}

/** Who opens the embedded database in this process, for the message another process gets (data-dir-lock.ts). */
let databaseUser = 'the portal';

/** Called by the command line before it opens the database. */
export function setDatabaseUser(by: string): void {
	databaseUser = by;
}

/** The open embedded database (PGlite), or null on PostgreSQL: for backups made by the running portal. */
export async function embeddedDatabase(): Promise<import('@electric-sql/pglite').PGlite | null> {
	await getDb();
	return (await connecting!).embedded ?? null;
}

export async function getDbKind(): Promise<'pglite' | 'postgres'> {
	await getDb();
	return (await connecting!).kind;
}

/** Listens for NOTIFY on `channel` (see Connection.listen). */
export async function listenDb(channel: string, onNotify: () => void): Promise<void> {
	await getDb();
	await (await connecting!).listen(channel, onNotify);
}

const closeListeners = new Set<() => void>();

/** Calls `fn` whenever the database is closed (what was kept about the connection, LISTEN included, is gone). */
export function whenDbCloses(fn: () => void): void {
	closeListeners.add(fn);
}

export async function closeDb(options: { forGood?: boolean } = {}): Promise<void> {
	if (options.forGood) closedForGood = true;
	if (!connecting) return;
	for (const fn of closeListeners) fn();
	const pending = connecting;
	connecting = undefined;
	try {
		await (await pending).close();
	} catch (error) {
		log.error('closing the database failed', { error });
	}
}
