/**
 * The guard inside every participant load, action and endpoint (called first, as requireStaff is for
 * staff): a participant session on a route the table (./route-rules.ts) marks 'participant'. Data is
 * then read only through the participant's own ids: a meeting or referral id from the URL is always
 * looked up together with `participant.id`, so guessing another id finds nothing (404).
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { participantRuleForRoute } from './route-rules';
import type { ParticipantUser } from './sessions';

export function requireParticipant(event: Pick<RequestEvent, 'locals' | 'url' | 'request' | 'route'>): ParticipantUser {
	const rule = participantRuleForRoute(event.route.id);
	if (rule !== 'participant') error(404, 'Not found');
	const user = event.locals.participant;
	if (!user) {
		if (event.request.method === 'GET') redirect(303, `/account/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		error(401, 'Sign in to continue');
	}
	return user;
}

/**
 * Only same-site paths under /account may be returned to after signing in. The path is read as a browser
 * would read it (dot segments, `%2e%2e` included, resolved), so `/account/../staff` is not under /account.
 */
export function safeAccountNext(value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/account';
	const base = 'http://next.invalid';
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return '/account';
	}
	return url.origin === base && /^\/account(\/|$)/.test(url.pathname) ? url.pathname + url.search : '/account';
}
