import { redirect } from '@sveltejs/kit';
import { chooseAreasForm, nextAreaToRate, ratedAreas } from '$lib/domain/measures';
import { saveStep } from '$lib/http/check-in-flow';
import { dialogDraft, saveTalkAbout } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

/** The draft, or back to the first area not answered yet. */
async function finishedDraft(participant: Parameters<typeof dialogDraft>[0]) {
	const draft = await dialogDraft(participant);
	const next = nextAreaToRate(draft.ratings);
	if (next) redirect(303, `/account/check-in/dialog/${next.index + 1}`);
	return draft;
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const draft = await finishedDraft(participant);
	const form = chooseAreasForm(draft.ratings);
	return {
		question: { heading: 'Which areas would you like to talk about?', fields: form.fields },
		values: { areas: draft.talkAbout },
		noneRated: ratedAreas(draft.ratings).length === 0
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const draft = await finishedDraft(participant);
		return saveStep(chooseAreasForm(draft.ratings), event.request, async (values) => {
			await saveTalkAbout(participant, values);
			return '/account/check-in/dialog/check';
		});
	}
};
