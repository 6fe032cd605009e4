import { dialog, nextAreaToRate } from '$lib/domain/measures';
import { dialogDraft, latestDialog } from '$lib/server/measures/check-ins';
import { firstUnreviewedHref, pendingActions } from '$lib/server/measures/dialog-actions';
import { requireParticipant } from '$lib/http/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [draft, latest, pending] = await Promise.all([dialogDraft(participant), latestDialog(participant), pendingActions(participant)]);
	const next = nextAreaToRate(draft.ratings);
	const started = Object.keys(draft.ratings).length > 0 || Object.keys(draft.reviews ?? {}).length > 0;
	// Last time's agreed actions are reviewed first, one per page.
	const review = firstUnreviewedHref(pending, draft.reviews);
	return {
		actionsToReview: pending.length,
		instructions: dialog.instructions,
		licence: dialog.licence.notice,
		started,
		nextHref: review ?? (next ? `/account/check-in/dialog/${next.index + 1}` : '/account/check-in/dialog/talk-about'),
		doneBefore: latest !== null
	};
};
