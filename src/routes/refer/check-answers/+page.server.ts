import { fail, redirect } from '@sveltejs/kit';
import { CHECK_PAGES, checkHref, checkPagesReached } from '$lib/domain/journey';
import { SOURCES } from '$lib/domain/sources';
import { t } from '$lib/i18n/t';
import { m } from '$lib/paraglide/messages';
import { assess, firstUnansweredReferPage, loadDraft, referPages } from '$lib/server/journey';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import { submitReferral } from '$lib/server/referrals';
import { createParticipantSession, setParticipantCookie } from '$lib/server/auth/sessions';
import { participantIdForReferral } from '$lib/server/participants/participant';
import { answerLines } from './answer-lines';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const draft = await loadDraft(cookies, true);
	if (!draft) redirect(303, '/');
	if (draft.submittedAt) redirect(303, '/refer/confirmation');
	const assessment = await assess(draft);
	if (assessment.status === 'ask') redirect(303, checkHref(assessment, draft.answers));
	if (assessment.result.outcome === 'not-eligible') redirect(303, '/check/result');
	const open = firstUnansweredReferPage(draft);
	if (open) redirect(303, `/refer/${open.id}`);

	const row = (flow: string, page: (typeof CHECK_PAGES)[number]) => ({
		id: page.id,
		label: t(page.summaryLabel),
		lines: answerLines(page, draft.answers),
		href: `/${flow}/${page.id}?return=check-answers`
	});
	const reached = checkPagesReached(assessment.asked, draft.answers);
	const checkRows = CHECK_PAGES.filter((p) => reached.includes(p.id)).map((p) => row('check', p));
	const referRows = referPages(draft).map((p) => row('refer', p));
	return {
		checkRows,
		referRows,
		source: draft.source ? t(SOURCES[draft.source.code].label) : null
	};
};

export const actions: Actions = {
	/**
	 * Sends the referral. Safe to repeat: a double click or a retried POST returns the same referral.
	 */
	default: async ({ cookies, request, getClientAddress }) => {
		const form = await request.formData();
		if (String(form.get('website') ?? '') !== '') return fail(400, { problem: m.j_check_problem_not_sent() });
		if (!(await consumeRateLimit(`submit:${rateLimitClient(getClientAddress())}`, 20, 60 * 60)))
			return fail(429, { problem: m.j_check_problem_too_many() });

		const draft = await loadDraft(cookies, true);
		if (!draft) redirect(303, '/');
		if (!draft.submittedAt) {
			const assessment = await assess(draft);
			if (assessment.status === 'ask') redirect(303, checkHref(assessment, draft.answers));
			if (assessment.result.outcome === 'not-eligible') redirect(303, '/check/result');
			const open = firstUnansweredReferPage(draft);
			if (open) redirect(303, `/refer/${open.id}`);
		}
		const submitted = await submitReferral(draft.id);
		// The browser that sent the referral is signed in already, so the first meeting can be booked
		// from the confirmation page with no extra step.
		const participantId = submitted.participantId ?? (await participantIdForReferral(submitted.referral.id));
		if (participantId) {
			const { token, session } = await createParticipantSession(participantId);
			setParticipantCookie(cookies, token, session.expiresAt);
		}
		redirect(303, '/refer/confirmation');
	}
};
