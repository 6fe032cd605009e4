import { redirect } from '@sveltejs/kit';
import { DIALOG_AREAS, nextAreaToRate, ratingWords } from '$lib/domain/measures';
import { completeDialog, dialogDraft } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/server/participants/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const draft = await dialogDraft(participant);
	const next = nextAreaToRate(draft.ratings);
	if (next) redirect(303, `/account/check-in/dialog/${next.index + 1}`);
	return {
		rows: DIALOG_AREAS.map((a) => {
			const answer = draft.ratings[a.key];
			return {
				number: a.index + 1,
				label: a.label,
				rating: answer.rating === null ? 'Does not apply to me' : ratingWords(answer.rating),
				moreHelp: answer.rating === null ? null : answer.moreHelp ? 'Yes' : 'No'
			};
		}),
		talkAbout: draft.talkAbout.map((k) => DIALOG_AREAS.find((a) => a.key === k)?.label ?? k)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const row = await completeDialog(participant);
		// Nothing to send (already sent, or not finished): the start page says where they are.
		redirect(303, row ? '/account/check-in/dialog/done' : '/account/check-in/dialog');
	}
};
