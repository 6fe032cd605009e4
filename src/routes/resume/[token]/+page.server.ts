import { fail, redirect } from '@sveltejs/kit';
import { isResumable, resumeDraft } from '$lib/server/drafts';
import { resumeUrl, setDraftCookie } from '$lib/server/journey';
import type { Actions, PageServerLoad } from './$types';

/** Opening the link uses nothing up: mail scanners open links too. The button press (a POST) resumes. */
export const load: PageServerLoad = async ({ params }) => ({ expired: !(await isResumable(params.token)) });

export const actions: Actions = {
	/** Opens the draft in this browser and carries on from where the person left off. */
	default: async ({ params, cookies }) => {
		const resumed = await resumeDraft(params.token);
		if (!resumed) return fail(410, { expired: true });
		setDraftCookie(cookies, resumed.token);
		redirect(303, await resumeUrl(resumed.draft));
	}
};
