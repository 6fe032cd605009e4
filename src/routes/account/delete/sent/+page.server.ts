import { redirect } from '@sveltejs/kit';
import { requireParticipant } from '$lib/http/guard';
import { latestErasureRequest } from '$lib/server/data-rights/requests';
import type { PageServerLoad } from './$types';

/** What happens next, and by when (one month from asking). */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const latest = await latestErasureRequest(participant.referralId);
	if (!latest) redirect(303, '/account/delete');
	return { dueBy: latest.dueBy, status: latest.status };
};
