import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';

/** What a route's load, action or handler did: data, a failure (status and data) or a redirect (status and place). */
export async function outcome(fn: () => unknown): Promise<{ data?: unknown; status?: number; location?: string }> {
	try {
		const value = await fn();
		if (isActionFailure(value)) return { status: value.status, data: value.data };
		return { data: value };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		if (isHttpError(e)) return { status: e.status };
		throw e;
	}
}
