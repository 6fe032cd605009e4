import { error, fail, redirect } from '@sveltejs/kit';
import { formatUkTimestamp, parseUkDateTime } from '$lib/domain/uk-time';
import { ADMINS, requireStaff } from '$lib/server/auth/guard';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import { DELIVERY_STATUSES, deliveryLog, type DeliveryStatus } from '$lib/server/webhooks/delivery-log';
import { replayDelivery, replaySince } from '$lib/server/webhooks/replay';
import { disableSubscription, getSubscription } from '$lib/server/webhooks/subscriptions';
import type { Actions, PageServerLoad } from './$types';

const when = (d: Date | null) => (d ? formatUkTimestamp(d) : '');

export const load: PageServerLoad = async (event) => {
	requireStaff(event, ADMINS);
	const sub = await getSubscription(event.params.id);
	if (!sub) error(404, 'Not found');
	const statusParam = event.url.searchParams.get('status');
	const status = (DELIVERY_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as DeliveryStatus) : null;
	const [logged, programmes] = await Promise.all([deliveryLog(sub.id, { status, limit: 100 }), listProgrammesForAdmin()]);
	const names = new Map(programmes.map((p) => [p.id, p.name]));
	const q = event.url.searchParams;
	const num = (k: string) => (/^\d{1,9}$/.test(q.get(k) ?? '') ? Number(q.get(k)) : 0);
	return {
		subscription: {
			id: sub.id,
			url: sub.url,
			description: sub.description,
			eventTypes: sub.eventTypes,
			programmes: sub.programmeIds.map((id) => names.get(id) ?? id),
			createdAt: when(sub.createdAt),
			disabledAt: when(sub.disabledAt)
		},
		status,
		counts: logged.counts,
		latency: logged.latency,
		deliveries: logged.deliveries.map((d) => ({
			id: d.id,
			eventId: d.eventId,
			type: d.type,
			reference: d.reference,
			status: d.status,
			attempts: d.attempts,
			lastStatusCode: d.lastStatusCode,
			lastError: d.lastError,
			eventAt: when(d.eventAt),
			deliveredAt: when(d.deliveredAt),
			nextAttemptAt: d.status === 'pending' ? when(d.nextAttemptAt) : ''
		})),
		attempts: logged.attempts.map((a) => ({ ...a, at: when(a.at) })),
		done: q.get('done'),
		replayed: { requeued: num('requeued'), added: num('added'), inFlight: num('inFlight') }
	};
};

export const actions: Actions = {
	replay: async (event) => {
		const user = requireStaff(event, ADMINS);
		const form = await event.request.formData();
		const deliveryId = Number(String(form.get('deliveryId') ?? ''));
		if (!Number.isSafeInteger(deliveryId) || deliveryId <= 0) error(400, 'Bad request');
		const result = await replayDelivery(event.params.id, deliveryId, user.id);
		if (result === 'not-found') error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=${result === 'queued' ? 'replayed' : 'in-flight'}`);
	},
	since: async (event) => {
		const user = requireStaff(event, ADMINS);
		const form = await event.request.formData();
		const sinceValue = String(form.get('since') ?? '').slice(0, 40);
		const since = parseUkDateTime(sinceValue);
		const now = new Date();
		let message: string | null = null;
		if (!sinceValue.trim()) message = 'Enter the date and time to replay from';
		else if (!since) message = 'Enter a real date and time, like 5 December 2026 at 14:05';
		else if (since > now) message = 'The date and time must be in the past';
		if (message || !since) return fail(400, { sinceValue, errors: { since: message ?? 'Enter the date and time to replay from' } });
		const result = await replaySince(event.params.id, since, user.id, now);
		if (!result) error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=replayed-since&requeued=${result.requeued}&added=${result.added}&inFlight=${result.inFlight}`);
	},
	disable: async (event) => {
		const user = requireStaff(event, ADMINS);
		const done = await disableSubscription(event.params.id, user.id);
		if (!done && !(await getSubscription(event.params.id))) error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=disabled`);
	}
};
