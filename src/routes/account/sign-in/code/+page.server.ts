import { fail, redirect } from '@sveltejs/kit';
import { lockedMessage, SIGN_IN_CODE_FORM } from '$lib/domain/participant-sign-in-forms';
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
		fields: SIGN_IN_CODE_FORM.fields,
		channel: pending.channel,
		minutes: CODE_LIFETIME_MINUTES,
		newCodeHref: `/account/sign-in${nextQuery(next)}`,
		helpline: await signInHelpline()
	};
};

const tries = (n: number) => (n === 1 ? '1 more time' : `${n} more times`);

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const next = safeAccountNext(url.searchParams.get('next'));
		const token = cookies.get(SIGN_IN_COOKIE);
		if (!token) redirect(303, `/account/sign-in${nextQuery(next)}`);
		const parsed = await parseForm(SIGN_IN_CODE_FORM, request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		if (!(await consumeRateLimit(`participant-code:client:${rateLimitClient(getClientAddress())}`, 30, 15 * 60)))
			return fail(429, { values: parsed.raw, errors: { code: 'Too many attempts from this connection. Wait 15 minutes and try again.' } });
		const now = new Date();
		const result = await verifySignInCode(token, parsed.values.code, now);
		if (!result.ok) {
			if (result.reason === 'missing') redirect(303, `/account/sign-in${nextQuery(next)}`);
			const message =
				result.reason === 'wrong'
					? `The code is not right. Check the code we sent you and try again. You can try ${tries(result.triesLeft)} before signing in is locked for ${LOCKOUT_MINUTES} minutes.`
					: result.reason === 'expired'
						? `This code has expired: codes last ${CODE_LIFETIME_MINUTES} minutes. Ask for a new code.`
						: result.reason === 'used'
							? 'This code has been used already. Ask for a new code.'
							: lockedMessage(result.lockedUntil, now);
			return fail(400, { values: parsed.raw, errors: { code: message } });
		}
		const { token: sessionToken, session } = await createParticipantSession(result.participantId, now);
		setParticipantCookie(cookies, sessionToken, session.expiresAt);
		clearSignInCookie(cookies);
		redirect(303, next);
	}
};
