import { error, fail, redirect } from '@sveltejs/kit';
import { rawFromAnswers } from '$lib/domain/fields';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { addReferralDetails, morePagesFor, referralForParticipant } from '$lib/server/casework/details';
import { parseQuestionForm } from '$lib/server/question-form';
import type { Actions, PageServerLoad } from './$types';

/** "Tell us more": the optional pages after sending, any order, each saved on the referral as it is answered. */
async function pageFor(referralId: string, step: string) {
	const row = await orRefuse(referralForParticipant(referralId));
	if (row.status === 'closed') redirect(303, '/account');
	const path = morePagesFor(row);
	const index = path.findIndex((p) => p.id === step);
	if (index === -1) error(404, 'Page not found');
	return { row, path, index, page: path[index], next: path[index + 1] ? `/account/more/${path[index + 1].id}` : '/account/more/done' };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { row, path, index, page, next } = await pageFor(participant.referralId, event.params.step);
	return {
		pageId: page.id,
		raw: rawFromAnswers(page.fields, row.answers),
		back: index > 0 ? `/account/more/${path[index - 1].id}` : '/account',
		skip: next,
		position: { at: index + 1, of: path.length }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { page, next } = await pageFor(participant.referralId, event.params.step);
		const parsed = await parseQuestionForm(page, event.request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });
		// A page left blank is not saved: nothing was told, so nothing is sent to the case system.
		const told = Object.values(parsed.values).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && v !== null && 'given' in v && !v.given));
		if (told) await orRefuse(addReferralDetails(participant.referralId, page, parsed.values));
		redirect(303, next);
	}
};
