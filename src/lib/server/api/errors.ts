/**
 * Responses of the pull API (/api/v1): JSON, never cached (but the two public documents), never setting cookies, and errors with a stable
 * machine-readable code: `{ "error": { "code": "...", "message": "...", "details": [...] } }`.
 * The codes are part of the API contract (docs/api.md, /api/v1/openapi.json): add new ones, never rename.
 */
import { hasControlCharacters } from '$lib/domain/fields';
import { consumeRateLimit } from '../rate-limit';

/**
 * Text an API client sends is held to the rule forms follow: no control characters other than tab, line
 * feed and carriage return (a NUL cannot be stored), and no lone UTF-16 surrogate (a JSON escape such as
 * "\ud800" that no UTF-8 text can hold). A failing value is refused with 400 invalid_request.
 */
export function isCleanApiText(value: string): boolean {
	return !hasControlCharacters(value) && !/[\uD800-\uDFFF]/u.test(value);
}

export const API_ERROR_CODES = {
	unauthorized: { status: 401, description: 'No API key was sent (Authorization: Bearer <key>)' },
	invalid_key: { status: 401, description: 'The API key is not one the portal knows' },
	revoked_key: { status: 401, description: 'The API key was revoked' },
	forbidden_programme: { status: 403, description: 'The API key does not cover the programme of this referral or filter' },
	forbidden_data: { status: 403, description: 'The API key was not given the health details this needs' },
	read_only_key: { status: 403, description: 'The API key is read-only: it can read but not send changes' },
	invalid_request: { status: 400, description: 'The request is not valid; details name each field and what is wrong' },
	invalid_cursor: { status: 400, description: 'The cursor is not one the API handed out' },
	idempotency_key_required: { status: 400, description: 'A change needs an Idempotency-Key header' },
	not_found: { status: 404, description: 'There is nothing at this address (no such referral, check-in or concern)' },
	erased: { status: 410, description: 'The person\'s personal data was erased (see the referral.erased event): there is nothing more to read or change' },
	method_not_allowed: { status: 405, description: 'This address does not take that HTTP method (see the Allow header)' },
	invalid_transition: { status: 409, description: 'The referral cannot move to that status from the one it has' },
	idempotency_key_reused: { status: 422, description: 'The Idempotency-Key was already used with a different request' },
	rate_limited: { status: 429, description: 'Too many requests: wait for the number of seconds in Retry-After' },
	internal_error: { status: 500, description: 'Something went wrong in the portal; try again later' },
	database_unavailable: { status: 503, description: 'The portal cannot reach its database just now: try again after Retry-After seconds' }
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export interface FieldProblem {
	field: string;
	message: string;
}

export interface ApiErrorBody {
	error: { code: ApiErrorCode; message: string; details?: FieldProblem[] };
}

/** Every API response carries these: JSON, not stored by browsers or proxies. */
export const API_HEADERS: Readonly<Record<string, string>> = {
	'content-type': 'application/json; charset=utf-8',
	'cache-control': 'no-store'
};

/** The two published documents (/api/v1/openapi.json, /api/v1/schema/events.json): public, cached for an hour, readable from any site. */
export const PUBLIC_DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
	'cache-control': 'public, max-age=3600',
	'access-control-allow-origin': '*'
};

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { ...API_HEADERS, ...headers } });
}

export function apiErrorBody(code: ApiErrorCode, message: string, details?: FieldProblem[]): ApiErrorBody {
	return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

export function apiError(code: ApiErrorCode, message: string, details?: FieldProblem[], headers: Record<string, string> = {}): Response {
	const status = API_ERROR_CODES[code].status;
	const extra: Record<string, string> = { ...headers };
	// RFC 6750: a 401 names the scheme the client should use.
	if (status === 401) extra['www-authenticate'] ??= `Bearer realm="ips-portal", error="${code === 'unauthorized' ? 'invalid_request' : 'invalid_token'}"`;
	return apiJson(apiErrorBody(code, message, details), status, extra);
}

/** 400 invalid_request from zod issues (path joined with dots; the body itself is "body"). */
export function invalidRequest(issues: { path: PropertyKey[]; message: string }[], message = 'The request is not valid'): Response {
	const details = issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
	return apiError('invalid_request', message, details);
}

/** Requests allowed per API key in each window (fixed windows in the database, shared by every instance). */
export const API_RATE_LIMIT = { limit: 600, windowSeconds: 60 };
/** Requests with a wrong or revoked key allowed per client address in each window. */
export const API_BAD_KEY_LIMIT = { limit: 30, windowSeconds: 60 };

/** Null when the request may go ahead, else 429 rate_limited with Retry-After. */
export async function rateLimited(key: string, { limit, windowSeconds } = API_RATE_LIMIT): Promise<Response | null> {
	if (await consumeRateLimit(key, limit, windowSeconds)) return null;
	return apiError('rate_limited', `Too many requests: at most ${limit} every ${windowSeconds} seconds`, undefined, { 'retry-after': String(windowSeconds) });
}

/** For a route's `fallback`: 405 method_not_allowed with the methods it does take. */
export function methodNotAllowed(allow: string[]): Response {
	return apiError('method_not_allowed', `Use ${allow.join(' or ')} here`, undefined, { allow: allow.join(', ') });
}
