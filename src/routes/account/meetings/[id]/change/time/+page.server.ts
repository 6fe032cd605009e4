import { timeAnswer, timePage } from '$lib/http/booking-flow';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

/** The free times on the chosen day in the chosen way (the meeting's own without one); back to an earlier step without valid choices. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	return timePage(participant, event.url, event.params.id);
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		return timeAnswer(participant, event.url, event.request, event.params.id);
	}
};
