/**
 * Routes own HTTP: `orRefuse(promise)` answers a server function's `Refusal` (src/lib/server/refusal.ts)
 * with SvelteKit's `error(status, message)` and rethrows anything else (a redirect, a kit error, a fault).
 * Every route call of a function that can refuse is wrapped: `await orRefuse(getReferralForStaff(user, ref))`
 * (tests/unit/refusal-layering.test.ts checks that none is missed; an unwrapped Refusal would be a 500).
 */
import { error } from '@sveltejs/kit';
import { Refusal } from '$lib/server/refusal';

export async function orRefuse<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (e instanceof Refusal) error(e.status, e.message);
		throw e;
	}
}
