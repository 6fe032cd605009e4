/**
 * Stopping: once the server closes the database for shutdown, nothing opens it again. A request still
 * running then fails instead of making a new pool of connections that would keep the process alive
 * (seen in the benchmark: a PostgreSQL server that never exited after SIGTERM). On PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../src/lib/server/db';
import { programme } from '../../src/lib/server/db/schema';
import { listProgrammes, seedProgrammes } from '../../src/lib/server/programmes';

describe('closing the database for shutdown', () => {
	it('refuses every later use instead of connecting again', async () => {
		await seedProgrammes();
		const db = await getDb();
		expect((await db.select({ id: programme.id }).from(programme)).length).toBeGreaterThan(0);
		await closeDb();
		// An ordinary close (tests, commands) may open it again.
		expect((await listProgrammes()).length).toBeGreaterThan(0);
		await closeDb({ forGood: true });
		await expect(getDb()).rejects.toThrow('The database is closed: the server is stopping');
		await expect(listProgrammes()).rejects.toThrow('the server is stopping');
	});
});
