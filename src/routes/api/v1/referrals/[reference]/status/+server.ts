import { apiError, methodNotAllowed } from '$lib/server/api/errors';
import { withApiKey } from '$lib/server/api/route';
import { statusResponse } from '$lib/server/api/status';
import type { RequestHandler } from './$types';

/** POST /api/v1/referrals/<reference>/status with {status, reason?, note?} and an Idempotency-Key header. */
export const POST: RequestHandler = (event) =>
	withApiKey(event, async (key) =>
		// Before anything is read or checked: a read-only key never changes anything.
		key.access === 'read-only' ? apiError('read_only_key', 'This API key is read-only: it can read events and referrals but not send a status') : statusResponse(key, event.params.reference, event.request)
	);

export const fallback: RequestHandler = async () => methodNotAllowed(['POST']);
