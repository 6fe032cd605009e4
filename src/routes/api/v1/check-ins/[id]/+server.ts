import { methodNotAllowed } from '$lib/server/api/errors';
import { checkInResponse } from '$lib/server/api/measures';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/check-ins/<id>: one check-in's scores, for a key of its programme (404 otherwise). Audited. */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => checkInResponse(key, event.params.id));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
