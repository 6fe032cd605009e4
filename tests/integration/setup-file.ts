import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject } from 'vitest';

// Each test file gets its own copy of the migrated template database (PGlite),
// or shares the PostgreSQL database named by DATABASE_URL.
const template = inject('templateDir');
let dir: string | undefined;
if (template) {
	dir = mkdtempSync(path.join(tmpdir(), 'ips-test-'));
	cpSync(template, dir, { recursive: true });
	process.env.DATA_DIR = dir;
}
process.env.MIGRATIONS_DIR = path.resolve('drizzle');
process.env.LOG_LEVEL ??= 'warn';

afterAll(async () => {
	const { closeDb, isDbOpen } = await import('../../src/lib/server/db');
	try {
		// One shared check for every file: each event it (or, on PostgreSQL, any file before it) wrote has a
		// body that validates against the published schema. A file that never opened the database has none.
		if (isDbOpen()) {
			const { invalidEventBodies } = await import('../support/event-bodies');
			expect(await invalidEventBodies(), 'every event body in the database validates against the published schema').toEqual([]);
		}
	} finally {
		await closeDb();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}
});
