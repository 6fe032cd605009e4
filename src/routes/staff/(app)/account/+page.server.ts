import { redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { clearSessionCookie, invalidateAllSessions, invalidateSession } from '$lib/server/auth/sessions';
import { recordAudit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return { email: user.email, role: user.role };
};

export const actions: Actions = {
	signOut: async (event) => {
		const user = requireStaff(event);
		if (event.locals.staffSession) await invalidateSession(event.locals.staffSession.id);
		clearSessionCookie(event.cookies);
		await recordAudit({ staffId: user.id, action: 'sign-out' });
		redirect(303, '/staff/sign-in');
	},
	signOutEverywhere: async (event) => {
		const user = requireStaff(event);
		await invalidateAllSessions(user.id);
		clearSessionCookie(event.cookies);
		await recordAudit({ staffId: user.id, action: 'sign-out.everywhere' });
		redirect(303, '/staff/sign-in');
	}
};
