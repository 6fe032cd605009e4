import { howQuestion } from '$lib/domain/meetings/booking-forms';
import { howAnswer, pageOf } from '$lib/http/booking-flow';
import { freeSlotsForParticipant } from '$lib/server/meetings/booking';
import { howOptions } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { slots, routing } = await freeSlotsForParticipant(participant);
	const options = await howOptions(slots, participant);
	const chosen = event.url.searchParams.get('how') ?? '';
	return {
		question: pageOf(howQuestion(options)),
		values: { how: options.some((o) => o.value === chosen) ? chosen : '' },
		closed: routing.closed,
		first: routing.first,
		noTimes: options.length === 0,
		helpline: (await getProgramme(participant.programmeId))?.helpline ?? null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { slots } = await freeSlotsForParticipant(participant);
		return howAnswer('/account/book', howQuestion(await howOptions(slots, participant)), event.request);
	}
};
