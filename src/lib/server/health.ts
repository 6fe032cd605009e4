import { count } from 'drizzle-orm';
import { getDb, getDbKind } from './db';
import { programme } from './db/schema';
import { log } from './log';

export async function checkDatabase(): Promise<{ ok: boolean; kind?: string; programmes?: number }> {
	try {
		const db = await getDb();
		const [row] = await db.select({ n: count() }).from(programme);
		return { ok: true, kind: await getDbKind(), programmes: row.n };
	} catch (error) {
		log.error('health check: database unavailable', { error });
		return { ok: false };
	}
}
