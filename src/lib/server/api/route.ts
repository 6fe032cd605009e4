/**
 * The frame of every /api/v1 handler that needs a key: authenticate first (keys.ts), then run the handler;
 * anything unexpected becomes 500 internal_error as JSON, never an HTML error page.
 */
import { isDatabaseUnavailable, unavailableDetails } from '../db/faults';
import { describeError, log } from '../log';
import { rateLimitClient } from '../rate-limit';
import { apiUnavailable } from '../unavailable';
import { apiError } from './errors';
import { authenticate, type ApiKeyPrincipal } from './keys';

/** What an API handler reads of a request (SvelteKit's RequestEvent fits it). */
export interface ApiRequest {
	request: Request;
	url: URL;
	getClientAddress: () => string;
}

function clientAddress(event: ApiRequest): string {
	try {
		return rateLimitClient(event.getClientAddress());
	} catch {
		return 'unknown';
	}
}

export async function withApiKey(event: ApiRequest, handler: (key: ApiKeyPrincipal) => Promise<Response>): Promise<Response> {
	try {
		const auth = await authenticate(event.request, clientAddress(event));
		if (!auth.ok) return auth.response;
		return await handler(auth.key);
	} catch (error) {
		if (isDatabaseUnavailable(error)) {
			log.warn('api request: database unavailable', { path: event.url.pathname, method: event.request.method, ...unavailableDetails(error), error: describeError(error) });
			return apiUnavailable();
		}
		// Not the error's message: a failed query's message repeats its parameters, which can be personal.
		log.error('api request failed', { path: event.url.pathname, method: event.request.method, error: describeError(error) });
		return apiError('internal_error', 'Something went wrong in the portal. Try again later');
	}
}
