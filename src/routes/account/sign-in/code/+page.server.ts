import { fail, redirect } from '@sveltejs/kit';
import { SIGN_IN_CODE_FORM } from '$lib/domain/participant-sign-in-forms';
import { lockedWords, signInErrors, signInFields, wrongCodeWords } from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import { parseForm } from '$lib/server/forms';
import { safeAccountNext } from '$lib/server/auth/route-rules';
import { createParticipantSession, setParticipantCookie } from '$lib/server/auth/sessions';
import {
	clearSignInCookie,
	CODE_LIFETIME_MINUTES,
	LOCKOUT_MINUTES,
	nextQuery,
	pendingSignIn,
	SIGN_IN_COOKIE,
	signInHelpline,
	verifySignInCode
} from '$lib/server/participants/sign-in';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

// Public by design (PARTICIPANT_ROUTE_RULES), but only useful with a sign-in started in this browser. The
// page is the same whether or not the address was known: it shows only how the code was sent.
export const load: PageServerLoad = async ({ locals, url, cookies }) => {
	const next = safeAccountNext(url.searchParams.get('next'));
	if (locals.participant) redirect(303, next);
	const pending = await pendingSignIn(cookies.get(SIGN_IN_COOKIE));
	if (!pending) redirect(303, `/account/sign-in${nextQuery(next)}`);
	return {
		fields: signInFields(SIGN_IN_CODE_FORM.fields),
		channel: pending.channel,
		minutes: CODE_LIFETIME_MINUTES,
		newCodeHref: `/account/sign-in${nextQuery(next)}`,
		helpline: await signInHelpline()
	};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const next = safeAccountNext(url.searchParams.get('next'));
		const token = cookies.get(SIGN_IN_COOKIE);
		if (!token) redirect(303, `/account/sign-in${nextQuery(next)}`);
		const parsed = await parseForm(SIGN_IN_CODE_FORM, request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: signInErrors(parsed.errors) });
		if (!(await consumeRateLimit(`participant-code:client:${rateLimitClient(getClientAddress())}`, 30, 15 * 60)))
			return fail(429, { values: parsed.raw, errors: { code: m.a_too_many_attempts({ minutes: 15 }) } });
		const now = new Date();
		const result = await verifySignInCode(token, parsed.values.code, now);
		if (!result.ok) {
			if (result.reason === 'missing') redirect(303, `/account/sign-in${nextQuery(next)}`);
			const message =
				result.reason === 'wrong'
					? wrongCodeWords(result.triesLeft, LOCKOUT_MINUTES)
					: result.reason === 'expired'
						? m.a_code_expired({ minutes: CODE_LIFETIME_MINUTES })
						: result.reason === 'used'
							? m.a_code_used()
							: lockedWords(result.lockedUntil, now);
			return fail(400, { values: parsed.raw, errors: { code: message } });
		}
		const { token: sessionToken, session } = await createParticipantSession(result.participantId, now);
		setParticipantCookie(cookies, sessionToken, session.expiresAt);
		clearSignInCookie(cookies);
		redirect(303, next);
	}
};
