import { requireParticipant } from '$lib/http/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireParticipant(event);
	return {};
};
