import { error, fail, redirect } from '@sveltejs/kit';
import { questionForm, questionValues, type Instrument } from '$lib/domain/measures';
import { parseForm } from '$lib/server/forms';
import { enabledQuestionnaire, questionnaireDraft, saveQuestionAnswer } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { Actions, PageServerLoad } from './$types';

/** The question from the address (numbered from 1), as a 0-based index, or 404. */
function indexFrom(instrument: Instrument<unknown>, param: string): number {
	const n = /^\d{1,3}$/.test(param) ? Number(param) : 0;
	if (n < 1 || n > instrument.items.length) error(404, 'Not found');
	return n - 1;
}

const fromCheck = (url: URL) => url.searchParams.get('from') === 'check';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const index = indexFrom(instrument, event.params.item);
	const draft = await questionnaireDraft(participant, instrument);
	const item = instrument.items[index];
	const form = questionForm(instrument, index);
	const base = `/account/check-in/${instrument.id}`;
	return {
		question: { heading: item.text, fields: form.fields },
		caption: `Question ${index + 1} of ${instrument.items.length}`,
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
		const index = indexFrom(instrument, event.params.item);
		const result = await parseForm(questionForm(instrument, index), event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		const { crisis } = await saveQuestionAnswer(participant, instrument, index, result.values.answer);
		const base = `/account/check-in/${instrument.id}`;
		// Crisis help comes next, before any other question (PHQ-9 item 9 above 0).
		if (crisis) redirect(303, `${base}/help${fromCheck(event.url) ? '?from=check' : ''}`);
		if (fromCheck(event.url)) redirect(303, `${base}/check`);
		redirect(303, index + 1 < instrument.items.length ? `${base}/${index + 2}` : `${base}/check`);
	}
};
