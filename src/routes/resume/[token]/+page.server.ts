import { redirect } from '@sveltejs/kit';
import { resumeDraft } from '$lib/server/drafts';
import { resumeUrl, setDraftCookie } from '$lib/server/journey';
import type { PageServerLoad } from './$types';

/** Opens a draft from an emailed link and carries on from where the person left off. */
export const load: PageServerLoad = async ({ params, cookies }) => {
	const resumed = await resumeDraft(params.token);
	if (!resumed) return { expired: true };
	setDraftCookie(cookies, resumed.token);
	redirect(303, await resumeUrl(resumed.draft));
};
