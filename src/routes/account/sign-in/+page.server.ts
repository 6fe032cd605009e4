import { fail, redirect } from '@sveltejs/kit';
import { rateLimitClient } from '$lib/server/rate-limit';
import { signInAddressForm } from '$lib/domain/participant-sign-in-forms';
import { parseForm } from '$lib/server/forms';
import { lockedWords, signInErrors, signInFields } from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import { safeAccountNext } from '$lib/server/auth/route-rules';
import { nextQuery, setSignInCookie, startSignIn, STARTS_WINDOW_MINUTES, textsConfigured } from '$lib/server/participants/sign-in';
import type { Actions, PageServerLoad } from './$types';

// Public by design (PARTICIPANT_ROUTE_RULES): this is where signing in starts.
export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeAccountNext(url.searchParams.get('next'));
	if (locals.participant) redirect(303, next);
	return { fields: signInFields(signInAddressForm(textsConfigured()).fields), texts: textsConfigured() };
};

export const actions: Actions = {
	/** The same answer for an address we know and one we do not: on to the code page. */
	default: async ({ request, cookies, url, getClientAddress }) => {
		const next = safeAccountNext(url.searchParams.get('next'));
		const parsed = await parseForm(signInAddressForm(textsConfigured()), request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: signInErrors(parsed.errors) });
		const started = await startSignIn(parsed.values.address, { client: rateLimitClient(getClientAddress()) });
		if (!started.ok) {
			const message =
				started.reason === 'locked'
					? lockedWords(started.lockedUntil, new Date())
					: m.a_sign_in_too_many_codes({ minutes: STARTS_WINDOW_MINUTES });
			return fail(started.reason === 'locked' ? 400 : 429, { values: parsed.raw, errors: { address: message } });
		}
		setSignInCookie(cookies, started.token);
		redirect(303, `/account/sign-in/code${nextQuery(next)}`);
	}
};
