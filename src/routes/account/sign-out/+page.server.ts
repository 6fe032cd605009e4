import { redirect } from '@sveltejs/kit';
import { requireParticipant } from '$lib/http/guard';
import { clearParticipantCookie, invalidateAllParticipantSessions, invalidateParticipantSession, PARTICIPANT_COOKIE } from '$lib/server/auth/sessions';
import { hashToken } from '$lib/server/tokens';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireParticipant(event);
	return {};
};

export const actions: Actions = {
	/** Signs out this browser only. (Named: SvelteKit allows no default action beside named ones.) */
	here: async (event) => {
		requireParticipant(event);
		const token = event.cookies.get(PARTICIPANT_COOKIE);
		if (token) await invalidateParticipantSession(hashToken(token));
		clearParticipantCookie(event.cookies);
		redirect(303, '/account/signed-out');
	},
	/** Signs out every browser and device the person is signed in on. */
	everywhere: async (event) => {
		const participant = requireParticipant(event);
		await invalidateAllParticipantSessions(participant.id);
		clearParticipantCookie(event.cookies);
		redirect(303, '/account/signed-out?everywhere');
	}
};
