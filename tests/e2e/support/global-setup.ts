/**
 * One migrated and seeded (SEED=demo) data folder for the whole Playwright run: the built server is started
 * once on an empty folder and stopped. startServer (support/server.ts) copies it into each new, empty data
 * folder, so a spec's server opens a ready database instead of running every migration and hashing the demo
 * staff passwords again (the slowest part of a start). Servers on a moved clock, on PostgreSQL, or started
 * with `fresh: true` still start on an empty folder.
 */
import { removeDir, startServer } from './server';

export default async function globalSetup(): Promise<() => void> {
	// A first start does the most work of any: it may take minutes on a busy machine, and happens once.
	const server = await startServer({}, undefined, { fresh: true, startTimeoutMs: 300_000 });
	const code = await server.stop();
	if (code !== 0) throw new Error(`the template server stopped with ${code}:\n${server.output()}`);
	process.env.E2E_TEMPLATE_DIR = server.dataDir;
	return () => removeDir(server.dataDir);
}
