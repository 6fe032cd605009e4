import { readinessResponse } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Readiness, as /healthz/ready (kept at /healthz for what already polls it). */
export const GET: RequestHandler = () => readinessResponse();
