import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Builds one migrated database per run, which each test file copies (see setup-file.ts), so files can run
 * at the same time: on PGlite a migrated data folder; with DATABASE_URL set, a migrated PostgreSQL database
 * on that server (named after DATABASE_URL's), which each file clones with `create database … template`.
 */
export default async function setup(project: TestProject) {
	const migrationsFolder = path.resolve('drizzle');
	if (process.env.DATABASE_URL) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate } = await import('drizzle-orm/postgres-js/migrator');
		const base = new URL(process.env.DATABASE_URL);
		const name = `${base.pathname.slice(1) || 'postgres'}_tpl_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
		const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.unsafe(`create database "${name}"`);
		const templateUrl = new URL(base);
		templateUrl.pathname = `/${name}`;
		const client = postgres(templateUrl.href, { max: 1, onnotice: () => {} });
		try {
			await migrate(drizzle(client), { migrationsFolder });
		} finally {
			await client.end();
		}
		project.provide('templateDir', '');
		project.provide('templateDatabase', name);
		return async () => {
			// Files drop their own copies; this drops the template and any copy a crashed file left behind.
			const left = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${name}%`}`;
			for (const { datname } of left) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
			await admin.end();
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	const dir = mkdtempSync(path.join(tmpdir(), 'ips-template-'));
	const client = await PGlite.create({ dataDir: dir });
	await migrate(drizzle({ client }), { migrationsFolder });
	await client.close();
	project.provide('templateDir', dir);
	project.provide('templateDatabase', '');
	return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
	export interface ProvidedContext {
		templateDir: string;
		templateDatabase: string;
	}
}
