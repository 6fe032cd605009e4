import { isNull } from 'drizzle-orm';
import { getDb } from '../../src/lib/server/db';
import { webhookSubscription } from '../../src/lib/server/db/schema';
import { disableSubscription } from '../../src/lib/server/webhooks/subscriptions';

/** Disables every webhook subscription still on (as the admin pages do), so none outlives the test that made it. */
export async function disableOpenSubscriptions(): Promise<void> {
	const db = await getDb();
	const open = await db.select({ id: webhookSubscription.id }).from(webhookSubscription).where(isNull(webhookSubscription.disabledAt));
	for (const s of open) await disableSubscription(s.id, null);
}
