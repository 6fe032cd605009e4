import { error, fail, redirect } from '@sveltejs/kit';
import { format } from 'date-fns';
import { UK_TIME_ZONE, formatUkTimestamp } from '$lib/domain/uk-time';
import { requireStaff } from '$lib/http/guard';
import { isHealthEventType, readScopes, scopesInWords } from '$lib/server/events/minimise';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import { DELIVERY_STATUS_LABELS, deliveryFilterForm, deliveryLog } from '$lib/server/webhooks/delivery-log';
import { parseForm } from '$lib/server/forms';
import { replayDelivery, replayOneForm, replaySince, replaySinceForm } from '$lib/server/webhooks/replay';
import { sendTestEvent } from '$lib/server/webhooks/deliver';
import { disableSubscription, getSubscription, rotateSecret, rotateSecretForm } from '$lib/server/webhooks/subscriptions';
import type { Actions, PageServerLoad } from './$types';

const when = (d: Date | null) => (d ? formatUkTimestamp(d) : '');

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const sub = await getSubscription(event.params.id);
	if (!sub) error(404, 'Not found');
	const filter = await parseForm(deliveryFilterForm, event.url.searchParams);
	const status = filter.ok ? filter.values.status : null;
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
			data: scopesInWords(sub.dataScopes),
			withheld: !readScopes(sub.dataScopes).includes('health') && (!sub.eventTypes.length || sub.eventTypes.some(isHealthEventType)),
			createdAt: when(sub.createdAt),
			disabledAt: when(sub.disabledAt),
			previousSecretUntil: sub.previousSecret && sub.previousSecretUntil && sub.previousSecretUntil > new Date() ? when(sub.previousSecretUntil) : ''
		},
		rotateFields: rotateSecretForm.fields,
		status,
		filterFields: deliveryFilterForm.fields,
		filterValues: { status: status ?? '' },
		counts: logged.counts,
		latency: logged.latency,
		deliveries: logged.deliveries.map((d) => ({
			id: d.id,
			eventId: d.eventId,
			type: d.type,
			reference: d.reference,
			status: d.status,
			statusLabel: DELIVERY_STATUS_LABELS[d.status],
			attempts: d.attempts,
			lastStatusCode: d.lastStatusCode,
			lastError: d.lastError,
			eventAt: when(d.eventAt),
			deliveredAt: when(d.deliveredAt),
			nextAttemptAt: d.status === 'pending' ? when(d.nextAttemptAt) : ''
		})),
		attempts: logged.attempts.map((a) => ({ ...a, at: when(a.at) })),
		sinceFields: replaySinceForm(new Date()).fields,
		done: q.get('done'),
		replayed: { requeued: num('requeued'), added: num('added'), inFlight: num('inFlight') }
	};
};

export const actions: Actions = {
	replay: async (event) => {
		const user = requireStaff(event);
		const form = await parseForm(replayOneForm, event.request);
		if (!form.ok) error(400, 'Bad request');
		const result = await replayDelivery(event.params.id, form.values.deliveryId, user.id);
		if (result === 'not-found') error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=${result === 'queued' ? 'replayed' : 'in-flight'}`);
	},
	since: async (event) => {
		const user = requireStaff(event);
		const now = new Date();
		const form = await parseForm(replaySinceForm(now), event.request);
		if (!form.ok) return fail(400, { values: form.raw, errors: form.errors });
		const result = await replaySince(event.params.id, form.values.since, user.id, now);
		if (!result) error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=replayed-since&requeued=${result.requeued}&added=${result.added}&inFlight=${result.inFlight}`);
	},
	/** Sends one signed webhook.test event now and shows what the receiver answered. */
	test: async (event) => {
		const user = requireStaff(event);
		const sub = await getSubscription(event.params.id);
		if (!sub) error(404, 'Not found');
		const result = await sendTestEvent(sub, user.id);
		return { tested: { ok: result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300, statusCode: result.statusCode, error: result.error, latencyMs: result.latencyMs } };
	},
	/** Rolls the signing secret; the new one is shown on the page once, never put in a link or the log. */
	rotate: async (event) => {
		const user = requireStaff(event);
		const form = await parseForm(rotateSecretForm, event.request);
		if (!form.ok) return fail(400, { rotateValues: form.raw, rotateErrors: form.errors });
		const result = await rotateSecret(event.params.id, form.values.overlapHours, user.id);
		if (!result.ok) error(404, 'Not found');
		return { rotated: { secret: result.secret, until: result.previousUntil ? when(result.previousUntil) : '' } };
	},
	disable: async (event) => {
		const user = requireStaff(event);
		const done = await disableSubscription(event.params.id, user.id);
		if (!done && !(await getSubscription(event.params.id))) error(404, 'Not found');
		redirect(303, `/staff/admin/webhooks/${event.params.id}?done=disabled`);
	}
};
