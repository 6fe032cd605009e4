/**
 * Who may use each staff route, keyed by SvelteKit's route id (`event.route.id`: the folder under
 * src/routes, groups included), never by the raw path, so `/staff/%61dmin` or `/Staff/admin` cannot
 * slip past a prefix. The hook (`authorise` in hooks.server.ts) and the in-route guard (`requireStaff`)
 * both read this one table. A staff route missing here is refused (404), and
 * tests/unit/authorization-coverage.test.ts fails until every route under src/routes/staff has a rule.
 * This module is plain data (no SvelteKit imports), so the tests can read it too.
 */
import type { StaffRole } from './sessions';

export const ALL_STAFF: readonly StaffRole[] = ['specialist', 'team-lead', 'admin'];
export const LEADS: readonly StaffRole[] = ['team-lead', 'admin'];
export const ADMINS: readonly StaffRole[] = ['admin'];

export type RouteRule = readonly StaffRole[] | 'public';

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
	'/staff/sign-in': 'public',
	'/staff/sign-in/code': 'public',
	'/staff/(app)': ALL_STAFF,
	'/staff/(app)/account': ALL_STAFF,
	'/staff/(app)/availability': ALL_STAFF,
	// Team leads and admins for staff in their programmes; anyone else gets 404 from the page.
	'/staff/(app)/availability/[staffId]': ALL_STAFF,
	'/staff/(app)/meetings': ALL_STAFF,
	'/staff/(app)/referrals/[reference]': ALL_STAFF,
	// A participant's check-ins and DIALOG+ actions: staff of the referral's programme only (404 from the page otherwise).
	'/staff/(app)/referrals/[reference]/check-ins': ALL_STAFF,
	'/staff/(app)/referrals/[reference]/check-ins/[instrument].csv': ALL_STAFF,
	// Recording what was done about a wellbeing concern: staff of the referral's programme only (404 otherwise).
	'/staff/(app)/referrals/[reference]/concerns/[id]': ALL_STAFF,
	'/staff/(app)/export': LEADS,
	'/staff/(app)/export/referrals.csv': LEADS,
	// Every role, for their own programmes only (the page offers and accepts no other).
	'/staff/(app)/reports/wellbeing': ALL_STAFF,
	'/staff/(app)/reports/wellbeing/wellbeing.csv': ALL_STAFF,
	'/staff/(app)/admin': ADMINS,
	'/staff/(app)/admin/audit': ADMINS,
	'/staff/(app)/admin/links': ADMINS,
	'/staff/(app)/admin/links/[code]/qr.png': ADMINS,
	'/staff/(app)/admin/links/[code]/qr.svg': ADMINS,
	'/staff/(app)/admin/programmes': ADMINS,
	'/staff/(app)/admin/programmes/[id]': ADMINS,
	'/staff/(app)/admin/programmes/[id]/booking': ADMINS,
	'/staff/(app)/admin/programmes/[id]/measures': ADMINS,
	'/staff/(app)/admin/programmes/[id]/service': ADMINS,
	'/staff/(app)/admin/staff': ADMINS,
	'/staff/(app)/admin/staff/new': ADMINS,
	'/staff/(app)/admin/staff/[id]': ADMINS,
	'/staff/(app)/admin/venues': ADMINS,
	'/staff/(app)/admin/venues/[id]': ADMINS,
	'/staff/(app)/admin/webhooks': ADMINS,
	'/staff/(app)/admin/webhooks/[id]': ADMINS
};

/** The rule for a route id; null for a route outside the table (and for no route at all). */
export function ruleForRoute(routeId: string | null): RouteRule | null {
	return routeId !== null && Object.hasOwn(ROUTE_RULES, routeId) ? ROUTE_RULES[routeId] : null;
}

/** A route id in the staff area (the table must have a rule for it). */
export function isStaffRoute(routeId: string | null): boolean {
	return routeId === '/staff' || !!routeId?.startsWith('/staff/');
}

/**
 * Whether a raw request path looks like the staff area once decoded, slashes collapsed and lower-cased
 * (`//staff/x`, `/%73taff/x`, `/Staff/x`, `/staff%2Fx`, `/staff%E0`). Used only for requests that match no route:
 * those answer 404 from the hook, so no route code runs for them.
 */
export function looksLikeStaffPath(pathname: string): boolean {
	return looksLikeArea(pathname, '/staff');
}

/** Whether a raw path, decoded (up to three times), slashes collapsed and lower-cased, starts with `prefix`. */
export function looksLikeArea(pathname: string, prefix: string): boolean {
	let path = pathname;
	for (let i = 0; i < 3 && path.includes('%'); i++) {
		try {
			path = decodeURIComponent(path);
		} catch {
			break;
		}
	}
	path = path.replace(/[\\/]+/g, '/').toLowerCase();
	return path.startsWith(prefix);
}
