import { json } from '@sveltejs/kit';
import { siteOrigin } from '$lib/server/config';
import { eventPayloadJsonSchema } from '$lib/server/events/payload';
import type { RequestHandler } from './$types';

/** The JSON Schema of the webhook payloads (docs/webhooks.md): public, at a stable address. */
export const GET: RequestHandler = async () => {
	return json(eventPayloadJsonSchema(siteOrigin()), {
		headers: { 'cache-control': 'public, max-age=3600', 'access-control-allow-origin': '*' }
	});
};
