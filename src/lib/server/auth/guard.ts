/**
 * Authorization for staff pages, in two layers that read one table (`ROUTE_RULES` in ./route-rules.ts,
 * keyed by route id):
 * 1. hooks.server.ts (`authorise`) applies the rule for `event.route.id` before any route code runs;
 * 2. `requireStaff(event)`, called first in every staff load, action and endpoint, applies the same rule
 *    again (tests/unit/authorization-coverage.test.ts fails if one is missing or never called).
 * Programme scoping (`assertProgramme`) is the guard for data: staff see only their programmes.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ruleForRoute } from './route-rules';
import type { StaffUser } from './sessions';

export { ADMINS, ALL_STAFF, LEADS, ROUTE_RULES, ruleForRoute } from './route-rules';

/**
 * The guard inside every staff load, action and endpoint: a verified staff session whose role the route
 * table gives this route (`event.route.id`). A route without a rule, or a public one, is refused: the
 * guard never lets a request through on a rule it cannot find.
 */
export function requireStaff(event: Pick<RequestEvent, 'locals' | 'url' | 'request' | 'route'>): StaffUser {
	const rule = ruleForRoute(event.route.id);
	if (!rule || rule === 'public') error(404, 'Not found');
	const user = event.locals.staff;
	if (!user) {
		if (event.request.method === 'GET') redirect(303, `/staff/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		error(401, 'Sign in to continue');
	}
	if (!rule.includes(user.role)) error(403, 'You do not have access to this page');
	return user;
}

/** Refuses (404, so existence is not revealed) a programme the user does not belong to. */
export function assertProgramme(user: StaffUser, programmeId: string): void {
	if (!user.programmeIds.includes(programmeId)) error(404, 'Not found');
}

/** Only same-site paths under /staff may be returned to after signing in. */
export function safeNext(value: string | null): string {
	return value && /^\/staff(\/|$|\?)/.test(value) && !value.startsWith('//') && !value.includes('\\') ? value : '/staff';
}
