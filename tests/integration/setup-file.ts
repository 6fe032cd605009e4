import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject } from 'vitest';

// Each test file gets its own copy of the migrated template database: a copy of the PGlite data folder or,
// with DATABASE_URL set, a PostgreSQL database cloned from the template on that server (global-setup.ts).
// Files therefore share nothing and can run at the same time.
const template = inject('templateDir');
const templateDatabase = inject('templateDatabase');
let dir: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
if (template) {
	dir = mkdtempSync(path.join(tmpdir(), 'ips-test-'));
	cpSync(template, dir, { recursive: true });
	process.env.DATA_DIR = dir;
} else if (templateDatabase && process.env.DATABASE_URL) {
	const { default: postgres } = await import('postgres');
	const serverUrl = process.env.DATABASE_URL;
	const name = `${templateDatabase}_${randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database "${name}" template "${templateDatabase}"`);
	} finally {
		await admin.end();
	}
	const own = new URL(serverUrl);
	own.pathname = `/${name}`;
	process.env.DATABASE_URL = own.href;
	dropDatabase = async () => {
		const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
		try {
			await sql.unsafe(`drop database if exists "${name}" with (force)`);
		} finally {
			await sql.end();
		}
	};
}
process.env.MIGRATIONS_DIR = path.resolve('drizzle');
process.env.LOG_LEVEL ??= 'warn';

afterAll(async () => {
	const { closeDb, isDbOpen } = await import('../../src/lib/server/db');
	try {
		// One shared check for every file: each event it wrote has a body that validates against the
		// published schema. A file that never opened the database has none.
		if (isDbOpen()) {
			const { invalidEventBodies } = await import('../support/event-bodies');
			expect(await invalidEventBodies(), 'every event body in the database validates against the published schema').toEqual([]);
		}
	} finally {
		await closeDb();
		if (dir) rmSync(dir, { recursive: true, force: true });
		await dropDatabase?.();
	}
});
