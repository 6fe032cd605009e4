/**
 * Authorization for staff pages, in two layers that must both agree:
 * 1. `ROUTE_RULES`, a path-prefix table checked in hooks.server.ts (`authorise`) for every request;
 * 2. `requireStaff()`, called at the top of every staff load and action (a test fails if one is missing).
 * Programme scoping (`assertProgramme`) is the guard for data: staff see only their programmes.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { StaffRole, StaffUser } from './sessions';

export const ALL_STAFF: readonly StaffRole[] = ['specialist', 'team-lead', 'admin'];
export const LEADS: readonly StaffRole[] = ['team-lead', 'admin'];
export const ADMINS: readonly StaffRole[] = ['admin'];

/** First match wins. `public` paths need no session; the others need a verified staff session with one of the roles. */
export const ROUTE_RULES: { prefix: string; roles: readonly StaffRole[] | 'public' }[] = [
	{ prefix: '/staff/sign-in', roles: 'public' },
	{ prefix: '/staff/admin', roles: ADMINS },
	{ prefix: '/staff', roles: ALL_STAFF }
];

function matches(path: string, prefix: string): boolean {
	return path === prefix || path.startsWith(`${prefix}/`);
}

export function ruleFor(path: string) {
	return ROUTE_RULES.find((r) => matches(path, r.prefix)) ?? null;
}

/** The guard inside every staff load and action. */
export function requireStaff(event: Pick<RequestEvent, 'locals' | 'url' | 'request'>, roles: readonly StaffRole[] = ALL_STAFF): StaffUser {
	const user = event.locals.staff;
	if (!user) {
		if (event.request.method === 'GET') redirect(303, `/staff/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		error(401, 'Sign in to continue');
	}
	if (!roles.includes(user.role)) error(403, 'You do not have access to this page');
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
