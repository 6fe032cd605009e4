import { error, fail, redirect } from '@sveltejs/kit';
import { rawFromAnswers } from '$lib/domain/fields';
import { preferencePage } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { parseForm } from '$lib/server/forms';
import { currentDetails, savePreference } from '$lib/server/participants/details';
import type { Actions, PageServerLoad } from './$types';

/** One contact preference, on its own page: the referral's own question, saved on the referral. */
function pageFor(step: string) {
	const page = preferencePage(step);
	if (!page) error(404, 'Page not found');
	return page;
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const page = pageFor(event.params.step);
	const current = await orRefuse(currentDetails(participant));
	return { pageId: page.id, raw: rawFromAnswers(page.fields, current.answers) };
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const page = pageFor(event.params.step);
		const parsed = await parseForm(page.form(), event.request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });
		const changed = await orRefuse(savePreference(participant, page, (parsed.values as Record<string, unknown>)[page.name]));
		redirect(303, changed ? '/account/details?saved=saved' : '/account/details');
	}
};
