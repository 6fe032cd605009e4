import { redirect } from '@sveltejs/kit';
import { DIALOG_AREAS, dialogArea, nextAreaToRate, ratingWords } from '$lib/domain/measures';
import { reviewOutcomeWords } from '$lib/i18n/check-ins';
import { completeDialog, dialogDraft } from '$lib/server/measures/check-ins';
import { firstUnreviewedHref, pendingActions } from '$lib/server/measures/dialog-actions';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [draft, pending] = await Promise.all([dialogDraft(participant), pendingActions(participant)]);
	const review = firstUnreviewedHref(pending, draft.reviews);
	if (review) redirect(303, review);
	const next = nextAreaToRate(draft.ratings);
	if (next) redirect(303, `/account/check-in/dialog/${next.index + 1}`);
	return {
		reviews: pending.map((a, i) => ({
			number: i + 1,
			area: dialogArea(a.areaKey)?.label ?? '',
			action: a.action,
			answer: reviewOutcomeWords(draft.reviews![a.id])
		})),
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
		// An action agreed since the page was opened is asked about first.
		const review = firstUnreviewedHref(await pendingActions(participant), (await dialogDraft(participant)).reviews);
		if (review) redirect(303, review);
		const row = await completeDialog(participant);
		// Nothing to send (already sent, or not finished): the start page says where they are.
		redirect(303, row ? '/account/check-in/dialog/done' : '/account/check-in/dialog');
	}
};
