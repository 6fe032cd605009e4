/**
 * Keys this installation makes for itself: 32 random bytes per name, created on first use and kept in
 * the database (installation_secret), so every app instance on one database shares them and a restored
 * or different installation has its own. Cached in memory once read.
 */
import { eq } from 'drizzle-orm';
import { getDb } from './db';
import { installationSecret } from './db/schema';

const cache = new Map<string, Promise<Buffer>>();

async function load(name: string): Promise<Buffer> {
	const db = await getDb();
	const fresh = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
	await db.insert(installationSecret).values({ name, value: fresh }).onConflictDoNothing();
	const [row] = await db.select({ value: installationSecret.value }).from(installationSecret).where(eq(installationSecret.name, name));
	return Buffer.from(row.value, 'base64url');
}

export function installationKey(name: string): Promise<Buffer> {
	let pending = cache.get(name);
	if (!pending) {
		pending = load(name).catch((error) => {
			cache.delete(name);
			throw error;
		});
		cache.set(name, pending);
	}
	return pending;
}

/** For tests that swap databases within one process. */
export function forgetInstallationKeys(): void {
	cache.clear();
}
