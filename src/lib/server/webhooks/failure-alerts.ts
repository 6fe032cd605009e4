/**
 * An email to the administrators when a subscription has been failing for a day (issue 12 item 7): well
 * before its deliveries are given up (3 days), so someone can fix the receiver. One email per failing
 * spell: `failure_alerted_at` is set when it goes, and cleared once the subscription has no failing
 * delivery left. Recipients: active admins whose programmes overlap the subscription's (every active admin
 * when none does). The email names the address and how many deliveries wait, never a body.
 */
import { and, eq, gt, isNotNull, isNull, min, sql } from 'drizzle-orm';
import { siteOrigin } from '../config';
import { getDb } from '../db';
import { staff, staffProgramme, webhookDelivery, webhookSubscription } from '../db/schema';
import { log } from '../log';
import { enqueueEmails } from '../notify/outbox';

/** How long a delivery must have been failing before the admins hear of it. */
export const FAILING_FOR_MS = 24 * 3_600_000;

export async function sendFailureAlerts(now = new Date()): Promise<{ alerted: number; cleared: number }> {
	const db = await getDb();
	// The oldest delivery still waiting after at least one failed try, per subscription.
	const failing = await db
		.select({ subscriptionId: webhookDelivery.subscriptionId, since: min(webhookDelivery.createdAt), waiting: sql<number>`count(*)::int` })
		.from(webhookDelivery)
		.where(and(eq(webhookDelivery.status, 'pending'), gt(webhookDelivery.attempts, 0), isNotNull(webhookDelivery.lastError)))
		.groupBy(webhookDelivery.subscriptionId);
	const failingIds = new Set(failing.map((f) => f.subscriptionId));
	let cleared = 0;
	for (const sub of await db.select().from(webhookSubscription).where(isNotNull(webhookSubscription.failureAlertedAt))) {
		if (failingIds.has(sub.id)) continue;
		await db.update(webhookSubscription).set({ failureAlertedAt: null }).where(eq(webhookSubscription.id, sub.id));
		cleared++;
	}
	let alerted = 0;
	for (const f of failing) {
		if (!f.since || now.getTime() - new Date(f.since).getTime() < FAILING_FOR_MS) continue;
		await db.transaction(async (tx) => {
			const [sub] = await tx
				.update(webhookSubscription)
				.set({ failureAlertedAt: now })
				.where(and(eq(webhookSubscription.id, f.subscriptionId), isNull(webhookSubscription.failureAlertedAt), isNull(webhookSubscription.disabledAt)))
				.returning();
			if (!sub) return; // already told (maybe by another instance), or disabled
			const admins = await tx
				.select({ id: staff.id, email: staff.email, programmeId: staffProgramme.programmeId })
				.from(staff)
				.leftJoin(staffProgramme, eq(staffProgramme.staffId, staff.id))
				.where(and(eq(staff.role, 'admin'), isNull(staff.disabledAt)));
			const overlapping = admins.filter((a) => a.programmeId && sub.programmeIds.includes(a.programmeId));
			const to = [...new Set((overlapping.length ? overlapping : admins).map((a) => a.email.toLowerCase()))];
			if (!to.length) {
				log.warn('webhook failing for a day and no administrator to tell', { subscriptionId: sub.id });
				return;
			}
			const link = `${siteOrigin()}/staff/admin/webhooks/${sub.id}`;
			const since = new Date(f.since!).toISOString().replace('T', ' ').slice(0, 16);
			const alertId = crypto.randomUUID();
			await enqueueEmails(
				tx,
				to.map((address) => ({
					eventId: alertId,
					kind: 'webhook.failing',
					to: address,
					subject: 'A case system is not receiving referrals',
					body: [
						`The webhook subscription to ${sub.url} has been failing since ${since} UTC.`,
						`${f.waiting} ${f.waiting === 1 ? 'delivery is' : 'deliveries are'} waiting. They are tried again for up to 3 days from each event, then given up (they can be replayed).`,
						'',
						`See what the receiver answered, and send a test event: ${link}`,
						'',
						'Ask the case system team to check their receiver and the signing secret.'
					].join('\n')
				})),
				now
			);
			alerted++;
		});
	}
	return { alerted, cleared };
}
