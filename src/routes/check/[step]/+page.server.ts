import { error, fail, redirect } from '@sveltejs/kit';
import { statementsFor } from '$lib/domain/check-pages';
import { rawFromAnswers } from '$lib/domain/fields';
import { checkHref, checkPagesReached } from '$lib/domain/journey';
import { assess, checkPage, draftForAnswer, firstUnansweredReferPage, loadDraft } from '$lib/server/journey';
import { listProgrammes } from '$lib/server/programmes';
import { recordCheckerOutcome } from '$lib/server/checker-stats';
import { parseQuestionForm, returnTarget } from '$lib/server/question-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const page = checkPage(params.step);
	if (!page) error(404, 'Page not found');
	const draft = await loadDraft(cookies);
	const ret = returnTarget(url);
	let back = '/';
	let options: string[] | null = null;
	if (draft) {
		const programmes = await listProgrammes();
		const assessment = await assess(draft, programmes);
		// No skipping ahead: only pages already reached may be shown.
		const reached = checkPagesReached(assessment.asked, draft.answers);
		if (!reached.includes(page.id)) redirect(303, checkHref(assessment, draft.answers));
		const i = reached.indexOf(page.id);
		if (i > 0) back = `/check/${reached[i - 1]}`;
		// The combined page lists only what this programme's rules ask about.
		if (page.id === 'circumstances' || page.id === 'not-sure') {
			const programme = programmes.find((p) => p.id === (assessment.status === 'ask' ? assessment.programmeId : (draft.eligibility?.signpostedFrom ?? assessment.result.programmeId))) ?? null;
			const statements: string[] = statementsFor(programme, programmes);
			options = page.id === 'circumstances' ? [...statements, 'not-sure', 'none'] : statements.filter((s) => !(draft.answers.circumstances ?? []).includes(s as never));
		}
	} else if (page.id !== 'postcode') {
		redirect(303, '/check/postcode');
	}
	if (ret) back = '/refer/check-answers';
	return { pageId: page.id, raw: rawFromAnswers(page.fields, draft?.answers ?? {}), back, options };
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
		if (!checkPagesReached(before.asked, draft.answers).includes(page.id)) redirect(303, checkHref(before, draft.answers));

		// A combined page also sets the engine's own answers (check-pages.ts circumstanceAnswers).
		const values = { ...parsed.values, ...page.derive?.({ ...draft.answers, ...parsed.values }) };
		const answers = JSON.parse(JSON.stringify({ ...draft.answers, ...values }));
		const after = await assess({ answers, source: draft.source });
		const saved = await save(`check/${page.id}`, values, after.status === 'done' ? after.result : null);
		// The result reached, counted anonymously for the outcomes report (checker-stats.ts).
		if (after.status === 'done') await recordCheckerOutcome(saved, after.result);

		const ret = returnTarget(url);
		if (after.status === 'ask') redirect(303, `${checkHref(after, answers)}${ret ? '?return=check-answers' : ''}`);
		if (ret && after.result.outcome !== 'not-eligible') {
			const next = firstUnansweredReferPage(saved);
			redirect(303, next ? `/refer/${next.id}` : '/refer/check-answers');
		}
		redirect(303, '/check/result');
	}
};
