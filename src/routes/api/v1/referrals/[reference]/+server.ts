import { methodNotAllowed } from '$lib/server/api/errors';
import { referralResponse } from '$lib/server/api/referrals';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/referrals/<reference>: 404 when there is none, 403 when the key does not cover its programme. */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => referralResponse(key, event.params.reference));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
