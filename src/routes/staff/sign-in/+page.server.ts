import { fail, redirect } from '@sveltejs/kit';
import { checkPassword } from '$lib/server/auth/staff';
import { createSession, setSessionCookie } from '$lib/server/auth/sessions';
import { consumeRateLimit } from '$lib/server/rate-limit';
import { recordAudit } from '$lib/server/audit';
import { safeNext } from '$lib/server/auth/guard';
import type { Actions, PageServerLoad } from './$types';

// Public by design (ROUTE_RULES): this is where signing in starts.
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.staff) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim().slice(0, 200);
		const password = String(form.get('password') ?? '').slice(0, 200);
		const next = safeNext(url.searchParams.get('next'));
		const errors: Record<string, string> = {};
		if (!email) errors.email = 'Enter your email address';
		if (!password) errors.password = 'Enter your password';
		if (Object.keys(errors).length) return fail(400, { email, errors });
		if (!(await consumeRateLimit(`sign-in:${getClientAddress()}`, 30, 15 * 60)))
			return fail(429, { email, errors: { email: 'Too many attempts from this connection. Wait 15 minutes and try again.' } });
		const result = await checkPassword(email, password);
		if (!result.ok) {
			await recordAudit({ staffId: null, action: 'sign-in.failed', detail: { email: email.toLowerCase(), step: 'password', reason: result.reason } });
			const message =
				result.reason === 'locked'
					? 'This account is locked after too many failed attempts. Try again in 15 minutes, or ask an administrator.'
					: 'The email address or password is not right';
			return fail(400, { email, errors: { email: message } });
		}
		const { token, session } = await createSession(result.staff.id, false);
		setSessionCookie(cookies, token, session.expiresAt);
		redirect(303, `/staff/sign-in/code?next=${encodeURIComponent(next)}`);
	}
};
