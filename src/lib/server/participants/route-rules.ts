/**
 * Who may use each participant route (under src/routes/account), keyed by route id as the staff table is.
 * 'participant' routes need a participant session; 'public' ones are the sign-in pages. A route under
 * /account missing here is refused (404) by the hook and by `requireParticipant`, and
 * tests/unit/authorization-coverage.test.ts fails until every route under src/routes/account has a rule.
 * Plain data: no SvelteKit imports.
 */
import { looksLikeArea } from '../auth/route-rules';

export type ParticipantRule = 'participant' | 'public';

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
	'/account/progress/[instrument].csv': 'participant',
	'/account/sign-in': 'public',
	'/account/sign-in/code': 'public',
	'/account/sign-in/link/[token]': 'public',
	'/account/sign-out': 'participant',
	'/account/signed-out': 'public'
};

export function participantRuleForRoute(routeId: string | null): ParticipantRule | null {
	return routeId !== null && Object.hasOwn(PARTICIPANT_ROUTE_RULES, routeId) ? PARTICIPANT_ROUTE_RULES[routeId] : null;
}

export function isParticipantRoute(routeId: string | null): boolean {
	return routeId === '/account' || !!routeId?.startsWith('/account/');
}

/**
 * Whether a path that matches no route looks like the participant area once decoded (`//account`,
 * `/%2561ccount`, `/Account/x`): the hook answers those 404 itself, as it does for the staff area.
 */
export function looksLikeParticipantPath(pathname: string): boolean {
	return looksLikeArea(pathname, '/account');
}
