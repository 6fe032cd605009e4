import { error, fail, redirect } from '@sveltejs/kit';
import { rawFromAnswers } from '$lib/domain/fields';
import { firstUnanswered } from '$lib/domain/jobs';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { jobReportProgress, saveJobAnswers } from '$lib/server/casework/jobs';
import { parseQuestionForm, returnTarget } from '$lib/server/question-form';
import type { Actions, PageServerLoad } from './$types';

/** One page of "I have started a job": each answer saved as it is given, so nothing typed is lost. */
async function pageFor(participantId: string, referralId: string, step: string) {
	const progress = await orRefuse(jobReportProgress(participantId, referralId));
	const index = progress.pages.findIndex((p) => p.id === step);
	if (index === -1) error(404, 'Page not found');
	return { ...progress, index, page: progress.pages[index] };
}

export const load: PageServerLoad = async (event) => {
	const person = requireParticipant(event);
	const { pages, draft, index, page } = await pageFor(person.id, person.referralId, event.params.step);
	const back = returnTarget(event.url) ? '/account/job/check' : index > 0 ? `/account/job/${pages[index - 1].id}` : '/account';
	return { pageId: page.id, raw: rawFromAnswers(page.fields, draft), back, position: { at: index + 1, of: pages.length } };
};

export const actions: Actions = {
	default: async (event) => {
		const person = requireParticipant(event);
		const { pages, page } = await pageFor(person.id, person.referralId, event.params.step);
		const parsed = await parseQuestionForm(page, event.request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });
		await orRefuse(saveJobAnswers(person.id, person.referralId, parsed.values));
		const { draft } = await orRefuse(jobReportProgress(person.id, person.referralId));
		const next = returnTarget(event.url) ? null : firstUnanswered(pages.slice(pages.indexOf(page) + 1), draft);
		redirect(303, next ? `/account/job/${next.id}` : '/account/job/check');
	}
};
