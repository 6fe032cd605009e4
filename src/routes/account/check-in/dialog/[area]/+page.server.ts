import { DIALOG_AREAS, areaFormValues, dialogAreaForm, previousRatingHint, type DialogArea } from '$lib/domain/measures';
import { fromCheck, saveStep, stepIndex } from '$lib/http/check-in-flow';
import { dialogDraft, latestDialog, programmeMeasures, ratingsOf, saveAreaAnswer } from '$lib/server/measures/check-ins';
import { pendingActions } from '$lib/server/measures/dialog-actions';
import { requireParticipant } from '$lib/http/guard';
import { stepCaption } from '$lib/i18n/check-ins';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** The area from the address (1 to 11), or 404. */
const areaFrom = (param: string): DialogArea => DIALOG_AREAS[stepIndex(param, DIALOG_AREAS.length, 2)];

/** The page's question; the earlier rating is in the hint only when the programme shows previous ratings. */
async function question(participant: ParticipantUser, area: DialogArea) {
	const [settings, latest] = await Promise.all([programmeMeasures(participant.programmeId), latestDialog(participant)]);
	const hint = previousRatingHint(area, latest ? ratingsOf(latest) : null, !settings.hidePreviousRatings);
	return dialogAreaForm(area, hint);
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const area = areaFrom(event.params.area);
	const [form, draft, pending] = await Promise.all([question(participant, area), dialogDraft(participant), pendingActions(participant)]);
	const first = pending.length ? `/account/check-in/dialog/actions/${pending.length}` : '/account/check-in/dialog';
	const back = fromCheck(event.url) ? '/account/check-in/dialog/check' : area.index === 0 ? first : `/account/check-in/dialog/${area.index}`;
	return {
		question: { heading: area.label, fields: form.fields },
		caption: stepCaption('area', area.index + 1, DIALOG_AREAS.length),
		values: areaFormValues(draft.ratings[area.key]),
		back
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const area = areaFrom(event.params.area);
		const form = await question(participant, area);
		return saveStep(form, event.request, async (values) => {
			await saveAreaAnswer(participant, area.key, values);
			if (fromCheck(event.url)) return '/account/check-in/dialog/check';
			const next = DIALOG_AREAS[area.index + 1];
			return next ? `/account/check-in/dialog/${next.index + 1}` : '/account/check-in/dialog/talk-about';
		});
	}
};
