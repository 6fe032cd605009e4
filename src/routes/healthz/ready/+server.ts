import { readinessResponse } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Readiness: 200 when the database answers and the server is not stopping, else 503. Load balancers use this. */
export const GET: RequestHandler = () => readinessResponse();
