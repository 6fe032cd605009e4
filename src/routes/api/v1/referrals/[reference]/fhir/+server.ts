import { methodNotAllowed } from '$lib/server/api/errors';
import { referralFhirResponse } from '$lib/server/api/referrals';
import { withApiKey } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** GET /api/v1/referrals/<reference>/fhir: a FHIR R4 Bundle (ServiceRequest and Patient, UK Core profiles). */
export const GET: RequestHandler = (event) => withApiKey(event, (key) => referralFhirResponse(key, event.params.reference));

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
