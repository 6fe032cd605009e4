import { apiJson, methodNotAllowed, PUBLIC_DOCUMENT_HEADERS } from '$lib/server/api/errors';
import { openApiDocument } from '$lib/server/api/openapi';
import { siteOrigin } from '$lib/server/config';
import type { RequestHandler } from './$types';

/** The OpenAPI 3.1 document of the pull API. Public: it describes the API and holds nothing secret. */
export const GET: RequestHandler = async () => apiJson(openApiDocument(siteOrigin()), 200, PUBLIC_DOCUMENT_HEADERS);

export const fallback: RequestHandler = async () => methodNotAllowed(['GET', 'HEAD']);
