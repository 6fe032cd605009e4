import { error, fail, redirect } from '@sveltejs/kit';
import { rawFromAnswers } from '$lib/domain/fields';
import { checkHref } from '$lib/domain/journey';
import type { Draft } from '$lib/server/db/schema';
import { saveDraftAnswers } from '$lib/server/drafts';
import { assess, firstUnansweredReferPage, loadDraft, referPages } from '$lib/server/journey';
import { parseQuestionForm, returnTarget } from '$lib/server/question-form';
import type { Actions, PageServerLoad } from './$types';

/** Guards a referral page: the checker must be done and every earlier page saved. */
async function reachablePage(draft: Draft | null, step: string) {
	if (!draft) redirect(303, '/');
	const assessment = await assess(draft);
	if (assessment.status === 'ask') redirect(303, checkHref(assessment, draft.answers));
	if (assessment.result.outcome === 'not-eligible') redirect(303, '/check/result');
	const path = referPages(draft);
	const index = path.findIndex((p) => p.id === step);
	if (index === -1) error(404, 'Page not found');
	const firstOpen = firstUnansweredReferPage(draft);
	if (firstOpen && path.indexOf(firstOpen) < index) redirect(303, `/refer/${firstOpen.id}`);
	return { page: path[index], path, index };
}

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const draft = await loadDraft(cookies);
	const { page, path, index } = await reachablePage(draft, params.step);
	const back = returnTarget(url) ? '/refer/check-answers' : index > 0 ? `/refer/${path[index - 1].id}` : '/check/result';
	return { pageId: page.id, raw: rawFromAnswers(page.fields, draft!.answers), back };
};

export const actions: Actions = {
	default: async ({ params, cookies, request, url }) => {
		const draft = await loadDraft(cookies);
		const { page } = await reachablePage(draft, params.step);
		const parsed = await parseQuestionForm(page, request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });
		const saved = await saveDraftAnswers(draft!, `refer/${page.id}`, parsed.values);

		if (returnTarget(url)) {
			const open = firstUnansweredReferPage(saved);
			redirect(303, open ? `/refer/${open.id}` : '/refer/check-answers');
		}
		const path = referPages(saved);
		const next = path[path.findIndex((p) => p.id === page.id) + 1];
		redirect(303, next ? `/refer/${next.id}` : '/refer/check-answers');
	}
};
