import { dayAnswer, dayPage } from '$lib/http/booking-flow';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

/** The days with free times in the way chosen on the page before; back to that page without a valid choice. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	return dayPage(participant, event.url);
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		return dayAnswer(participant, event.url, event.request);
	}
};
