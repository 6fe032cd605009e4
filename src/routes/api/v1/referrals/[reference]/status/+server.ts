import { methodNotAllowed } from '$lib/server/api/errors';
import { withApiKey } from '$lib/server/api/route';
import { statusResponse } from '$lib/server/api/status';
import type { RequestHandler } from './$types';

/** POST /api/v1/referrals/<reference>/status with {status, reason?, note?} and an Idempotency-Key header. */
export const POST: RequestHandler = (event) => withApiKey(event, (key) => statusResponse(key, event.params.reference, event.request));

export const fallback: RequestHandler = async () => methodNotAllowed(['POST']);
