import { requireParticipant } from '$lib/server/participants/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	return { reference: participant.reference };
};
