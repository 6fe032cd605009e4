import { fail } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { EVENT_TYPE_LABELS, SCHEMA_PATH, WEBHOOK_EVENT_TYPES } from '$lib/server/events/payload';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import { SUBSCRIPTION_FIELD_ORDER, createSubscription, listSubscriptions, readSubscriptionForm } from '$lib/server/webhooks/subscriptions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const [subscriptions, programmes] = await Promise.all([listSubscriptions(), listProgrammesForAdmin()]);
	const names = new Map(programmes.map((p) => [p.id, p.name]));
	return {
		subscriptions: subscriptions.map((s) => ({
			id: s.id,
			url: s.url,
			description: s.description,
			eventTypes: s.eventTypes.length ? s.eventTypes : ['every event type'],
			programmes: s.programmeIds.map((id) => names.get(id) ?? id),
			disabled: !!s.disabledAt,
			pending: s.pending,
			delivered: s.delivered,
			dead: s.dead
		})),
		programmes: programmes.map((p) => ({ id: p.id, name: p.name })),
		eventTypes: WEBHOOK_EVENT_TYPES.map((type) => ({ type, label: EVENT_TYPE_LABELS[type] })),
		schemaPath: SCHEMA_PATH
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readSubscriptionForm(await event.request.formData());
		const result = await createSubscription(values, { staffId: user.id, via: 'admin' });
		if (!result.ok) {
			const errors = Object.fromEntries(SUBSCRIPTION_FIELD_ORDER.filter((k) => result.errors[k]).map((k) => [k, result.errors[k]]));
			return fail(400, { values, errors });
		}
		// Shown once, in this response only (not cached: no-store); no page shows the secret again.
		return { created: { id: result.subscription.id, url: result.subscription.url, secret: result.secret } };
	}
};
