import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';

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
	const { closeDb } = await import('../../src/lib/server/db');
	await closeDb();
	if (dir) rmSync(dir, { recursive: true, force: true });
});
