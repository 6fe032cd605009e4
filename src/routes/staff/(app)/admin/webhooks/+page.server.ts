import { fail } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { inPortal } from '$lib/server/audit';
import { requireStaff } from '$lib/http/guard';
import { SCHEMA_PATH } from '$lib/server/events/payload';
import { isHealthEventType, scopesInWords } from '$lib/server/events/minimise';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import { createSubscription, listSubscriptions, subscriptionFields } from '$lib/server/webhooks/subscriptions';
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
			data: scopesInWords(s.dataScopes),
			withheld: !s.dataScopes.includes('health') && (!s.eventTypes.length || s.eventTypes.some(isHealthEventType)),
			disabled: !!s.disabledAt,
			pending: s.pending,
			delivered: s.delivered,
			dead: s.dead
		})),
		fields: subscriptionFields(programmes),
		schemaPath: SCHEMA_PATH
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const fields = subscriptionFields(await listProgrammesForAdmin());
		const result = await createSubscription(readRaw(fields, await event.request.formData()), inPortal(user.id));
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		// Shown once, in this response only (not cached: no-store); no page shows the secret again.
		return { created: { id: result.subscription.id, url: result.subscription.url, secret: result.secret } };
	}
};
