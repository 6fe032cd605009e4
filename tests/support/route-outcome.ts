import { isActionFailure, isHttpError, isRedirect, type Cookies } from '@sveltejs/kit';

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

/** A cookie jar standing in for SvelteKit's: what the route code reads and sets. */
export function cookieJar(initial: Record<string, string> = {}) {
	const values = new Map(Object.entries(initial));
	const cookies = {
		get: (name: string) => values.get(name),
		getAll: () => [...values].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string) => void values.set(name, value),
		delete: (name: string) => void values.delete(name),
		serialize: () => ''
	} as unknown as Cookies;
	return { values, cookies };
}

export interface RouteEventOptions {
	routeId?: string;
	cookies?: Cookies;
	/** Sent as a POST of an urlencoded form; a GET without it. */
	form?: Record<string, string>;
	params?: Record<string, string>;
	/** The signed-in participant in locals (none unless given). */
	participant?: unknown;
	/** The client address the route sees (read when the route asks for it). */
	client: string | (() => string);
}

/** The RequestEvent a load, action or handler of the participant's pages is called with, for http://localhost`path`. */
export function routeEvent(path: string, options: RouteEventOptions) {
	const url = new URL(`http://localhost${path}`);
	const request = options.form
		? new Request(url, { method: 'POST', body: new URLSearchParams(options.form), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
		: new Request(url);
	const client = options.client;
	return {
		url,
		request,
		route: { id: options.routeId ?? null },
		params: options.params ?? {},
		cookies: options.cookies ?? cookieJar().cookies,
		locals: { participant: options.participant ?? null, staff: null, staffSession: null },
		getClientAddress: typeof client === 'function' ? client : () => client
	} as never;
}
