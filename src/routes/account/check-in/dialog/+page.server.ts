import { dialog, nextAreaToRate } from '$lib/domain/measures';
import { dialogDraft, latestDialog } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/server/participants/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [draft, latest] = await Promise.all([dialogDraft(participant), latestDialog(participant)]);
	const next = nextAreaToRate(draft.ratings);
	const started = Object.keys(draft.ratings).length > 0;
	return {
		instructions: dialog.instructions,
		licence: dialog.licence.notice,
		started,
		nextHref: next ? `/account/check-in/dialog/${next.index + 1}` : '/account/check-in/dialog/talk-about',
		doneBefore: latest !== null
	};
};
