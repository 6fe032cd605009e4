import { redirect } from '@sveltejs/kit';
import { createDraft, setDraftSource } from '$lib/server/drafts';
import { loadDraft, setDraftCookie } from '$lib/server/journey';
import { sourceForLink } from '$lib/server/links';
import type { RequestHandler } from './$types';

/** Fit Note, leaflet and campaign links: record where the person came from, then open the start page. */
export const GET: RequestHandler = async ({ params, cookies }) => {
	const source = await sourceForLink(params.code);
	const draft = await loadDraft(cookies);
	if (draft) await setDraftSource(draft.id, source);
	else {
		const created = await createDraft(source);
		setDraftCookie(cookies, created.token);
	}
	redirect(303, '/');
};
