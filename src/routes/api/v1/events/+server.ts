import { methodNotAllowed } from '$lib/server/api/errors';
import { eventsResponse } from '$lib/server/api/events';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/events?after=<cursor>&limit=N: the key's events after the cursor (docs/api.md). */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => eventsResponse(key, event.url.searchParams));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
