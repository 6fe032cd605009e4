import { fail, redirect } from '@sveltejs/kit';
import { checkSecondFactor } from '$lib/server/auth/staff';
import { clearSessionCookie, invalidateSession, replaceWithVerifiedSession, setSessionCookie } from '$lib/server/auth/sessions';
import { recordAudit } from '$lib/server/audit';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import { safeNext } from '$lib/server/auth/route-rules';
import { parseForm } from '$lib/server/forms';
import { CODE_FORM } from '$lib/domain/sign-in-forms';
import type { Actions, PageServerLoad } from './$types';

// Public by design (ROUTE_RULES), but only useful with a session that passed the password step.
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.staff) redirect(303, safeNext(url.searchParams.get('next')));
	if (!locals.staffSession) redirect(303, '/staff/sign-in');
	return { fields: CODE_FORM.fields };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, url, getClientAddress }) => {
		const pending = locals.staffSession;
		if (!pending) redirect(303, '/staff/sign-in');
		const parsed = await parseForm(CODE_FORM, request);
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { code } = parsed.values;
		const address = rateLimitClient(getClientAddress());
		if (!(await consumeRateLimit(`sign-in-code:${address}`, 30, 15 * 60)))
			return fail(429, { errors: { code: 'Too many attempts from this connection. Wait 15 minutes and try again.' } });
		const result = await checkSecondFactor(pending.staffId, code, new Date(), address);
		if (!result.ok) {
			await recordAudit({ staffId: pending.staffId, action: 'sign-in.failed', detail: { step: 'code', reason: result.reason } });
			if (result.reason === 'locked') {
				await invalidateSession(pending.id);
				clearSessionCookie(cookies);
				return fail(400, { errors: { code: 'This account is locked after too many failed attempts. Try again in 15 minutes, or ask an administrator.' } });
			}
			return fail(400, { errors: { code: 'The code is not right. Check your authenticator app and enter the newest code.' } });
		}
		// A new token for the signed-in session; the one from the password step stops working.
		const verified = await replaceWithVerifiedSession(pending.id, pending.staffId);
		if (!verified) {
			clearSessionCookie(cookies);
			redirect(303, '/staff/sign-in');
		}
		setSessionCookie(cookies, verified.token, verified.session.expiresAt);
		await recordAudit({ staffId: pending.staffId, action: 'sign-in', detail: { recoveryCode: result.usedRecoveryCode ?? false } });
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
