import { error } from '@sveltejs/kit';
import { nextQuestion, type QuestionnaireId } from '$lib/domain/measures';
import { questionCountWords, questionnaireAboutWords } from '$lib/i18n/check-ins';
import { enabledQuestionnaire, listCheckIns, questionnaireDraft } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { PageServerLoad } from './$types';

/** The start page of a wellbeing check-in: what it is, how many questions, the licence notice. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const [draft, done] = await Promise.all([questionnaireDraft(participant, instrument), listCheckIns(participant, instrument.id)]);
	const next = nextQuestion(instrument, draft.answers);
	const base = `/account/check-in/${instrument.id}`;
	return {
		...questionnaireAboutWords(instrument.id as QuestionnaireId),
		title: instrument.title,
		// How many questions in the person's language; the instructions are the questionnaire's own (English).
		questions: questionCountWords(instrument.items.length, instrument.instructions),
		licence: instrument.licence.notice,
		started: Object.keys(draft.answers).length > 0,
		doneBefore: done.length > 0,
		nextHref: next === null ? `${base}/check` : `${base}/${next + 1}`
	};
};
