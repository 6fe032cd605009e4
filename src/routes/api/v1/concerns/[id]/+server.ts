import { methodNotAllowed } from '$lib/server/api/errors';
import { concernResponse } from '$lib/server/api/measures';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/concerns/<id>: one wellbeing concern, for a key of its programme (404 otherwise). Audited. */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => concernResponse(key, event.params.id));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
