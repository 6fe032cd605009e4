import { redirect } from '@sveltejs/kit';
import { howQuestion } from '$lib/domain/meetings/booking-forms';
import { howAnswer, ownMeeting, pageOf, stepsBase } from '$lib/http/booking-flow';
import { m } from '$lib/paraglide/messages';
import { currentHow, howOptionsForChange } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

/**
 * The first step of moving a meeting: how to meet. The meeting's own way is chosen already; another way
 * the same specialist offers (in person at a venue, phone for a person who gave a number, video) moves the
 * times offered next to that way. With only the meeting's own way to offer, the step is skipped.
 */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, view, decision } = await ownMeeting(participant, event.params.id);
	const helpline = (await getProgramme(participant.programmeId))?.helpline ?? null;
	if (!decision.ok) return { id: row.id, meeting: view, refused: decision.reason, helpline, question: null, values: {}, noTimes: false };
	const options = await howOptionsForChange(participant, row);
	const own = currentHow(row);
	if (options.length === 1 && options[0].value === own) redirect(303, `/account/meetings/${row.id}/change/day`);
	const chosen = event.url.searchParams.get('how') ?? own;
	return {
		id: row.id,
		meeting: view,
		refused: null,
		helpline,
		question: pageOf(howQuestion(options, m.ab_change_how_hint({ when: view.when, place: view.place }))),
		values: { how: options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { row, decision } = await ownMeeting(participant, event.params.id);
		if (!decision.ok) redirect(303, stepsBase(row.id));
		return howAnswer(stepsBase(row.id), howQuestion(await howOptionsForChange(participant, row)), event.request);
	}
};
