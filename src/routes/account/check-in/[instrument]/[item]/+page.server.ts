import { error } from '@sveltejs/kit';
import { questionForm, questionValues } from '$lib/domain/measures';
import { fromCheck, saveStep, stepIndex } from '$lib/http/check-in-flow';
import { enabledQuestionnaire, questionnaireDraft, saveQuestionAnswer } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import { stepCaption } from '$lib/i18n/check-ins';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const index = stepIndex(event.params.item, instrument.items.length);
	const draft = await questionnaireDraft(participant, instrument);
	const item = instrument.items[index];
	const form = questionForm(instrument, index);
	const base = `/account/check-in/${instrument.id}`;
	return {
		question: { heading: item.text, fields: form.fields },
		caption: stepCaption('question', index + 1, instrument.items.length),
		values: questionValues(item, draft.answers),
		back: fromCheck(event.url) ? `${base}/check` : index === 0 ? base : `${base}/${index}`,
		// Shown with every question where the licence asks for the notice beside the questions.
		licence: instrument.licence.mustShowNotice ? instrument.licence.notice : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
		const index = stepIndex(event.params.item, instrument.items.length);
		return saveStep(questionForm(instrument, index), event.request, async (values) => {
			const { crisis } = await saveQuestionAnswer(participant, instrument, index, values.answer);
			const base = `/account/check-in/${instrument.id}`;
			// Crisis help comes next, before any other question (PHQ-9 item 9 above 0).
			if (crisis) return `${base}/help${fromCheck(event.url) ? '?from=check' : ''}`;
			if (fromCheck(event.url)) return `${base}/check`;
			return index + 1 < instrument.items.length ? `${base}/${index + 2}` : `${base}/check`;
		});
	}
};
