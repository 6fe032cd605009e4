import { fail, redirect } from '@sveltejs/kit';
import { checkPassword, LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS } from '$lib/server/auth/staff';
import { createSession, setSessionCookie } from '$lib/server/auth/sessions';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import { safeNext } from '$lib/server/auth/route-rules';
import { parseForm } from '$lib/server/forms';
import { SIGN_IN_FORM } from '$lib/domain/sign-in-forms';
import type { Actions, PageServerLoad } from './$types';

const SIGN_IN_REFUSED = `Enter a correct email address and password. After ${MAX_FAILED_ATTEMPTS} failed attempts, signing in is locked for ${LOCKOUT_MINUTES} minutes.`;

// Public by design (ROUTE_RULES): this is where signing in starts.
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.staff) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')), fields: SIGN_IN_FORM.fields };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const parsed = await parseForm(SIGN_IN_FORM, request);
		const email = typeof parsed.raw.email === 'string' ? parsed.raw.email.slice(0, 254) : '';
		const next = safeNext(url.searchParams.get('next'));
		if (!parsed.ok) return fail(400, { email, errors: parsed.errors });
		const { password } = parsed.values;
		const address = rateLimitClient(getClientAddress());
		if (!(await consumeRateLimit(`sign-in:${address}`, 30, 15 * 60)))
			return fail(429, { email, errors: { email: 'Too many attempts from this connection. Wait 15 minutes and try again.' } });
		// checkPassword writes the audit row. One message for an unknown email, a wrong password and a
		// locked account, so the page never tells which emails have accounts.
		const result = await checkPassword(parsed.values.email, password, address);
		if (!result.ok) return fail(400, { email, errors: { email: SIGN_IN_REFUSED } });
		const { token, session } = await createSession(result.staff.id, false);
		setSessionCookie(cookies, token, session.expiresAt);
		redirect(303, `/staff/sign-in/code?next=${encodeURIComponent(next)}`);
	}
};
