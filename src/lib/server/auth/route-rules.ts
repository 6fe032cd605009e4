/**
 * Who may use each route of the two signed-in areas, staff (/staff) and participants (/account), keyed by
 * SvelteKit's route id (`event.route.id`: the folder under src/routes, groups included), never by the raw
 * path, so `/staff/%61dmin` or `/Staff/admin` cannot slip past a prefix. Both areas are described the same
 * way (an `AreaRules`: prefix, sign-in page, table, what the session must hold for a rule) and decided by
 * one function, `decideAccess`, which the hook (`authorise` in hooks.server.ts) and the in-route guards
 * (`requireStaff`, `requireParticipant` in src/lib/http/guard.ts) both call. A route of an area missing
 * from its table is refused (404), and tests/unit/authorization-coverage.test.ts fails until every route
 * under src/routes/staff and src/routes/account has a rule.
 * Plain data and functions (no SvelteKit imports), so the tests and server modules can read it too.
 */
import type { ParticipantUser, StaffRole, StaffUser } from './sessions';

export const ALL_STAFF: readonly StaffRole[] = ['specialist', 'team-lead', 'admin'];
export const LEADS: readonly StaffRole[] = ['team-lead', 'admin'];
export const ADMINS: readonly StaffRole[] = ['admin'];

/** A staff route: the roles that may use it. */
export type RouteRule = readonly StaffRole[] | 'public';
/** A participant route: any signed-in participant. */
export type ParticipantRule = 'participant' | 'public';

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
	// Job starts, sustainment and jobs that ended: staff of the referral's programme only (404 otherwise).
	'/staff/(app)/referrals/[reference]/jobs': ALL_STAFF,
	// A subject access request (the person's data, page and JSON): staff of the referral's programme only (404 otherwise); audited.
	'/staff/(app)/referrals/[reference]/data': ALL_STAFF,
	'/staff/(app)/referrals/[reference]/erasure': ALL_STAFF,
	'/staff/(app)/referrals/[reference]/data/subject-access.json': ALL_STAFF,
	'/staff/(app)/export': LEADS,
	'/staff/(app)/export/referrals.csv': LEADS,
	// Every role, for their own programmes only (the page offers and accepts no other).
	'/staff/(app)/reports/wellbeing': ALL_STAFF,
	'/staff/(app)/reports/wellbeing/wellbeing.csv': ALL_STAFF,
	'/staff/(app)/reports/outcomes': ALL_STAFF,
	'/staff/(app)/reports/outcomes/outcomes.csv': ALL_STAFF,
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
	'/staff/(app)/admin/programmes/[id]/outcomes': ADMINS,
	'/staff/(app)/admin/staff': ADMINS,
	'/staff/(app)/admin/staff/new': ADMINS,
	'/staff/(app)/admin/staff/[id]': ADMINS,
	'/staff/(app)/admin/venues': ADMINS,
	'/staff/(app)/admin/venues/[id]': ADMINS,
	'/staff/(app)/admin/webhooks': ADMINS,
	'/staff/(app)/admin/webhooks/[id]': ADMINS
};

/** 'participant' routes need a participant session; 'public' ones are the sign-in pages. */
export const PARTICIPANT_ROUTE_RULES: Readonly<Record<string, ParticipantRule>> = {
	'/account': 'participant',
	'/account/book': 'participant',
	'/account/book/day': 'participant',
	'/account/book/time': 'participant',
	'/account/book/invite': 'participant',
	'/account/book/check': 'participant',
	'/account/meetings/[id]': 'participant',
	'/account/meetings/[id]/meeting.ics': 'participant',
	'/account/meetings/[id]/change': 'participant',
	'/account/meetings/[id]/change/day': 'participant',
	'/account/meetings/[id]/change/time': 'participant',
	'/account/meetings/[id]/change/check': 'participant',
	'/account/meetings/[id]/cancel': 'participant',
	'/account/check-in/dialog': 'participant',
	'/account/check-in/dialog/actions/[n]': 'participant',
	'/account/check-in/dialog/[area]': 'participant',
	'/account/check-in/dialog/talk-about': 'participant',
	'/account/check-in/dialog/check': 'participant',
	'/account/check-in/dialog/done': 'participant',
	'/account/check-in/[instrument]': 'participant',
	'/account/check-in/[instrument]/[item]': 'participant',
	'/account/check-in/[instrument]/help': 'participant',
	'/account/check-in/[instrument]/check': 'participant',
	'/account/check-in/[instrument]/done': 'participant',
	'/account/progress': 'participant',
	'/account/withdraw': 'participant',
	'/account/delete': 'participant',
	'/account/delete/sent': 'participant',
	'/account/data': 'participant',
	'/account/data/your-data.json': 'participant',
	'/account/more/[step]': 'participant',
	'/account/more/done': 'participant',
	'/account/job': 'participant',
	'/account/job/[step]': 'participant',
	'/account/job/check': 'participant',
	'/account/job/sent': 'participant',
	'/account/job/still-in-work/[jobId]/[weeks]': 'participant',
	'/account/progress/[instrument].csv': 'participant',
	'/account/details': 'participant',
	'/account/details/[step]': 'participant',
	'/account/details/new/[address]': 'participant',
	'/account/details/new/[address]/code': 'participant',
	'/account/consents': 'participant',
	'/account/consents/[kind]': 'participant',
	'/account/sign-in': 'public',
	'/account/sign-in/code': 'public',
	'/account/sign-in/link/[token]': 'public',
	'/account/sign-out': 'participant',
	'/account/signed-out': 'public'
};

/** One signed-in area: where it lives, where to sign in, its route table and what a rule asks of the user. */
export interface AreaRules<Rule, User> {
	name: 'staff' | 'participant';
	/** The path prefix of the area's routes ('/staff'). */
	prefix: string;
	/** Where a person without a session is sent (with `?next=`). */
	signIn: string;
	rules: Readonly<Record<string, Rule | 'public'>>;
	/** Whether a signed-in user may use a route with this (non-public) rule. */
	admits(rule: Rule, user: User): boolean;
}

export const STAFF_AREA: AreaRules<readonly StaffRole[], StaffUser> = {
	name: 'staff',
	prefix: '/staff',
	signIn: '/staff/sign-in',
	rules: ROUTE_RULES,
	admits: (roles, user) => roles.includes(user.role)
};

export const PARTICIPANT_AREA: AreaRules<'participant', ParticipantUser> = {
	name: 'participant',
	prefix: '/account',
	signIn: '/account/sign-in',
	rules: PARTICIPANT_ROUTE_RULES,
	admits: (rule) => rule === 'participant'
};

/** The area's rule for a route id; null for a route outside the table (and for no route at all). */
export function areaRule<Rule>(area: AreaRules<Rule, unknown>, routeId: string | null): Rule | 'public' | null {
	return routeId !== null && Object.hasOwn(area.rules, routeId) ? area.rules[routeId] : null;
}

/** A route id in the area (the area's table must have a rule for it). */
export function inArea(area: AreaRules<unknown, unknown>, routeId: string | null): boolean {
	return routeId === area.prefix || !!routeId?.startsWith(`${area.prefix}/`);
}

/**
 * What the route table says about a request to a route of the area, for whoever is signed in:
 * 'public' (no session needed), 'allowed' (signed in and admitted), 'not-found' (no rule: refused as if
 * the page did not exist), 'sign-in' (no session) or 'forbidden' (signed in, not admitted).
 */
export type Access = 'public' | 'allowed' | 'not-found' | 'sign-in' | 'forbidden';

export function decideAccess<Rule, User>(area: AreaRules<Rule, User>, routeId: string | null, user: User | null): Access {
	const rule = areaRule(area, routeId);
	if (rule === null) return 'not-found';
	if (rule === 'public') return 'public';
	if (!user) return 'sign-in';
	return area.admits(rule, user) ? 'allowed' : 'forbidden';
}

/** Where to sign in, coming back to this path and query afterwards. */
export function signInLocation(area: AreaRules<unknown, unknown>, url: URL): string {
	return `${area.signIn}?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * Whether a raw path, decoded (up to three times), slashes collapsed and lower-cased, is in the area
 * (`//staff/x`, `/%73taff/x`, `/Staff/x`, `/staff%2Fx`, `/staff%E0`, `/%2561ccount`). Used only for
 * requests that match no route: those answer 404 from the hook, so no route code runs for them.
 */
export function looksLikeAreaPath(area: AreaRules<unknown, unknown>, pathname: string): boolean {
	let path = pathname;
	for (let i = 0; i < 3 && path.includes('%'); i++) {
		try {
			path = decodeURIComponent(path);
		} catch {
			break;
		}
	}
	path = path.replace(/[\\/]+/g, '/').toLowerCase();
	return path.startsWith(area.prefix);
}

/**
 * Only same-site paths inside the area may be returned to after signing in. The path is read as a browser
 * would read it (dot segments, `%2e%2e` included, resolved), so `/account/../staff` is not under /account.
 */
export function safeNextIn(area: AreaRules<unknown, unknown>, value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return area.prefix;
	const base = 'http://next.invalid';
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return area.prefix;
	}
	const inside = url.pathname === area.prefix || url.pathname.startsWith(`${area.prefix}/`);
	return url.origin === base && inside ? url.pathname + url.search : area.prefix;
}

// The two areas' instances, by the names the routes, the hook and the tests use.
export const ruleForRoute = (routeId: string | null): RouteRule | null => areaRule(STAFF_AREA, routeId);
export const participantRuleForRoute = (routeId: string | null): ParticipantRule | null => areaRule(PARTICIPANT_AREA, routeId);
export const isStaffRoute = (routeId: string | null): boolean => inArea(STAFF_AREA, routeId);
export const isParticipantRoute = (routeId: string | null): boolean => inArea(PARTICIPANT_AREA, routeId);
export const looksLikeStaffPath = (pathname: string): boolean => looksLikeAreaPath(STAFF_AREA, pathname);
export const looksLikeParticipantPath = (pathname: string): boolean => looksLikeAreaPath(PARTICIPANT_AREA, pathname);
/** After signing in: a path under /staff, else /staff. */
export const safeNext = (value: string | null): string => safeNextIn(STAFF_AREA, value);
/** After signing in: a path under /account, else /account. */
export const safeAccountNext = (value: string | null): string => safeNextIn(PARTICIPANT_AREA, value);
