import { apiJson, methodNotAllowed, PUBLIC_DOCUMENT_HEADERS } from '$lib/server/api/errors';
import { siteOrigin } from '$lib/server/config';
import { eventPayloadJsonSchema } from '$lib/server/events/payload';
import type { RequestHandler } from './$types';

/** The JSON Schema of the webhook payloads (docs/webhooks.md): public, at a stable address. */
export const GET: RequestHandler = async () => apiJson(eventPayloadJsonSchema(siteOrigin()), 200, PUBLIC_DOCUMENT_HEADERS);

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
