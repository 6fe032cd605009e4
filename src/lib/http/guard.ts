/**
 * The guard inside every load, action and endpoint of the two signed-in areas, called first:
 * `requireStaff(event)` on staff routes, `requireParticipant(event)` on participant routes. Both are one
 * guard (`areaGuard`) applied to an area of src/lib/server/auth/route-rules.ts, and apply the rule for
 * `event.route.id` that the hook (hooks.server.ts) already applied, through the same `decideAccess`:
 * - a route without a rule, or a public one, is 404: the guard never lets a request through on a rule it
 *   cannot find;
 * - no session: GET is sent to the area's sign-in page (303, with `?next=`), anything else is 401;
 * - signed in but not admitted (a staff role the table does not give the route): 403.
 * tests/unit/authorization-coverage.test.ts fails if a handler does not call its area's guard first.
 * Data is then read only through the user's own ids: staff see only their programmes (`assertProgramme` in
 * src/lib/server/refusal.ts, answered by a route through `orRefuse`, src/lib/http/refusal.ts),
 * and a participant's meeting or referral id from the URL is always looked up with `participant.id`.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { PARTICIPANT_AREA, STAFF_AREA, decideAccess, signInLocation, type AreaRules } from '$lib/server/auth/route-rules';

export type GuardedEvent = Pick<RequestEvent, 'locals' | 'url' | 'request' | 'route'>;

/** One guard for an area: `user` reads the area's signed-in user from the request's locals. */
function areaGuard<Rule, User>(area: AreaRules<Rule, User>, user: (locals: App.Locals) => User | null): (event: GuardedEvent) => User {
	return (event) => {
		const who = user(event.locals);
		const access = decideAccess(area, event.route.id, who);
		if (access === 'allowed' && who) return who;
		if (access === 'sign-in') {
			if (event.request.method === 'GET') redirect(303, signInLocation(area, event.url));
			error(401, 'Sign in to continue');
		}
		if (access === 'forbidden') error(403, 'You do not have access to this page');
		error(404, 'Not found');
	};
}

/** A verified staff session whose role the route table gives this route. */
export const requireStaff = areaGuard(STAFF_AREA, (locals) => locals.staff);

/** A participant session on a route the table marks 'participant' (never a staff session, even an admin's). */
export const requireParticipant = areaGuard(PARTICIPANT_AREA, (locals) => locals.participant);

/**
 * Form actions that differ only by name: each one calls `guard` on its own event first, exactly as a
 * hand-written action does, then `run(name, user, event)`. tests/unit/authorization-coverage.test.ts
 * accepts `export const actions = guardedActions(requireStaff, NAMES, run)` in place of an object of
 * actions when the guard passed is the area's own, and checks here that every action it makes is guarded.
 */
export function guardedActions<User, const Name extends string, Event extends GuardedEvent>(
	guard: (event: GuardedEvent) => User,
	names: readonly Name[],
	run: (name: Name, user: User, event: Event) => unknown
): Record<Name, (event: Event) => Promise<unknown>> {
	const actions = {} as Record<Name, (event: Event) => Promise<unknown>>;
	for (const name of names)
		actions[name] = async (event) => {
			const user = guard(event);
			return run(name, user, event);
		};
	return actions;
}

