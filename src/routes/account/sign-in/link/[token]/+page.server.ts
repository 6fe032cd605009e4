import { fail, redirect } from '@sveltejs/kit';
import { createParticipantSession, setParticipantCookie } from '$lib/server/auth/sessions';
import { clearSignInCookie, CODE_LIFETIME_MINUTES, signInLinkUsable, useSignInLink } from '$lib/server/participants/sign-in';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

// Public by design (PARTICIPANT_ROUTE_RULES): the link itself is the secret, so it works in any browser.
// Opening it uses nothing up (mail scanners open links too): only pressing the button, a POST, signs in.
export const load: PageServerLoad = async ({ params }) => ({ usable: await signInLinkUsable(params.token), minutes: CODE_LIFETIME_MINUTES });

export const actions: Actions = {
	default: async ({ params, cookies, getClientAddress }) => {
		if (!(await consumeRateLimit(`participant-link:client:${rateLimitClient(getClientAddress())}`, 30, 15 * 60))) return fail(429, { expired: false, busy: true });
		const participantId = await useSignInLink(params.token);
		if (!participantId) return fail(410, { expired: true, busy: false });
		const { token, session } = await createParticipantSession(participantId);
		setParticipantCookie(cookies, token, session.expiresAt);
		clearSignInCookie(cookies);
		redirect(303, '/account');
	}
};
