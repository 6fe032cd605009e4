import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Builds one migrated PGlite database per run; each test file copies it (see setup-file.ts).
 * With DATABASE_URL set, the tests use that PostgreSQL database instead.
 */
export default async function setup(project: TestProject) {
	const migrationsFolder = path.resolve('drizzle');
	if (process.env.DATABASE_URL) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate } = await import('drizzle-orm/postgres-js/migrator');
		const client = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		await migrate(drizzle(client), { migrationsFolder });
		await client.end();
		project.provide('templateDir', '');
		return;
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	const dir = mkdtempSync(path.join(tmpdir(), 'ips-template-'));
	const client = await PGlite.create({ dataDir: dir });
	await migrate(drizzle({ client }), { migrationsFolder });
	await client.close();
	project.provide('templateDir', dir);
	return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
	export interface ProvidedContext {
		templateDir: string;
	}
}
