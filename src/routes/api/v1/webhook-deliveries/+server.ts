import { methodNotAllowed } from '$lib/server/api/errors';
import { deliveriesResponse } from '$lib/server/api/deliveries';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/webhook-deliveries?status=dead&limit=50&before=<id>: the key's webhook deliveries, newest first. */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => deliveriesResponse(key, event.url.searchParams));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
