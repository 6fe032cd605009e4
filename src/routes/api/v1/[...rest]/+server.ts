import { apiError } from '$lib/server/api/errors';
import type { RequestHandler } from './$types';

/** Anything else under /api/v1 is a JSON 404, not the HTML error page. */
export const fallback: RequestHandler = async () => apiError('not_found', 'There is nothing at this address. See /api/v1/openapi.json');
