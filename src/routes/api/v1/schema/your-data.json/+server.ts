import { apiJson, methodNotAllowed, PUBLIC_DOCUMENT_HEADERS } from '$lib/server/api/errors';
import { siteOrigin } from '$lib/server/config';
import { yourDataJsonSchema } from '$lib/server/participants/your-data';
import type { RequestHandler } from './$types';

/** The JSON Schema of "Download your data" (docs/participants.md): public, at a stable address. */
export const GET: RequestHandler = async () => apiJson(yourDataJsonSchema(siteOrigin()), 200, PUBLIC_DOCUMENT_HEADERS);

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
