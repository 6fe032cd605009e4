import { fail, redirect } from '@sveltejs/kit';
import { concernResolutionForm } from '$lib/domain/measures/concern-resolution';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { parseForm } from '$lib/server/forms';
import { concernForStaff, resolveConcern } from '$lib/server/measures/concerns';
import type { Actions, PageServerLoad } from './$types';

/** A wellbeing concern of the referral (404 outside the user's programmes): what was done, or the form to say. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return { concern: await orRefuse(concernForStaff(user, event.params.reference, event.params.id)) };
};

export const actions: Actions = {
	/** What was done, checked: the page asks to confirm it before anything is saved. */
	check: async (event) => {
		const user = requireStaff(event);
		await orRefuse(concernForStaff(user, event.params.reference, event.params.id));
		const parsed = await parseForm(concernResolutionForm, event.request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		return { values: parsed.raw, confirm: true };
	},
	/** Back from the confirmation to the form, with what was typed. */
	edit: async (event) => {
		const user = requireStaff(event);
		await orRefuse(concernForStaff(user, event.params.reference, event.params.id));
		const parsed = await parseForm(concernResolutionForm, event.request);
		return { values: parsed.raw, confirm: false };
	},
	/** Confirmed: saved with who and when, audited, and `wellbeing.concern_resolved` sent to case systems. */
	confirm: async (event) => {
		const user = requireStaff(event);
		await orRefuse(concernForStaff(user, event.params.reference, event.params.id));
		const parsed = await parseForm(concernResolutionForm, event.request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(resolveConcern(user, event.params.id, parsed.values, new Date(), event.params.reference));
		redirect(303, `/staff/referrals/${result.reference}?done=${result.changed ? 'concern' : 'concern-already'}`);
	}
};
