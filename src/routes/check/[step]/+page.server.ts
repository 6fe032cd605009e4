import { error, fail, redirect } from '@sveltejs/kit';
import { rawFromAnswers } from '$lib/domain/fields';
import { assess, checkPage, draftForAnswer, firstUnansweredReferPage, loadDraft } from '$lib/server/journey';
import { parseQuestionForm, returnTarget } from '$lib/server/question-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const page = checkPage(params.step);
	if (!page) error(404, 'Page not found');
	const draft = await loadDraft(cookies);
	const ret = returnTarget(url);
	let back = '/';
	if (draft) {
		const assessment = await assess(draft);
		// No skipping ahead: only questions already reached may be shown.
		if (!assessment.asked.includes(page.id as never))
			redirect(303, assessment.status === 'ask' ? `/check/${assessment.question}` : '/check/result');
		const i = assessment.asked.indexOf(page.id as never);
		if (i > 0) back = `/check/${assessment.asked[i - 1]}`;
	} else if (page.id !== 'postcode') {
		redirect(303, '/check/postcode');
	}
	if (ret) back = '/refer/check-answers';
	return { pageId: page.id, raw: rawFromAnswers(page.fields, draft?.answers ?? {}), back };
};

export const actions: Actions = {
	/** Saves the answer to the server-side draft, then asks the rules engine what comes next. */
	default: async ({ params, cookies, request, url }) => {
		const page = checkPage(params.step);
		if (!page) error(404, 'Page not found');
		const parsed = await parseQuestionForm(page, request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });

		// A browser without a draft gets one only when this answer is saved (journey.ts draftForAnswer).
		const { draft, save } = await draftForAnswer(cookies);
		const before = await assess(draft);
		if (!before.asked.includes(page.id as never)) redirect(303, before.status === 'ask' ? `/check/${before.question}` : '/check/result');

		const answers = { ...draft.answers, ...parsed.values };
		const after = await assess({ answers, source: draft.source });
		const saved = await save(`check/${page.id}`, parsed.values, after.status === 'done' ? after.result : null);

		const ret = returnTarget(url);
		if (after.status === 'ask') redirect(303, `/check/${after.question}${ret ? '?return=check-answers' : ''}`);
		if (ret && after.result.outcome !== 'not-eligible') {
			const next = firstUnansweredReferPage(saved);
			redirect(303, next ? `/refer/${next.id}` : '/refer/check-answers');
		}
		redirect(303, '/check/result');
	}
};
