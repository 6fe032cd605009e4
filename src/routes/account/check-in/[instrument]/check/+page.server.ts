import { error, redirect } from '@sveltejs/kit';
import { answerWords, nextQuestion, type QuestionnaireId } from '$lib/domain/measures';
import { questionnaireAboutWords } from '$lib/i18n/check-ins';
import { completeCheckIn, enabledQuestionnaire, questionnaireDraft } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const draft = await questionnaireDraft(participant, instrument);
	const next = nextQuestion(instrument, draft.answers);
	const base = `/account/check-in/${instrument.id}`;
	if (next !== null) redirect(303, `${base}/${next + 1}`);
	return {
		heading: questionnaireAboutWords(instrument.id as QuestionnaireId).heading,
		base,
		back: `${base}/${instrument.items.length}`,
		rows: instrument.items.map((item, i) => ({ number: i + 1, question: item.text, answer: answerWords(item, draft.answers[item.key]) }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
		const row = await completeCheckIn(participant, instrument.id);
		// Nothing to send (already sent, or not finished): the start page says where they are.
		redirect(303, row ? `/account/check-in/${instrument.id}/done` : `/account/check-in/${instrument.id}`);
	}
};
