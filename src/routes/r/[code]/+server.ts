import { redirect } from '@sveltejs/kit';
import { setDraftSource } from '$lib/server/drafts';
import { loadDraft, setLinkCookie } from '$lib/server/journey';
import { sourceForLink } from '$lib/server/links';
import type { RequestHandler } from './$types';

/**
 * Fit Note, leaflet and campaign links: record where the person came from, then open the start page.
 * A browser with a draft has the source set on it; one without keeps the code in a cookie until its first
 * answer makes the draft (journey.ts), so opening a link writes no row.
 */
export const GET: RequestHandler = async ({ params, cookies }) => {
	const draft = await loadDraft(cookies);
	if (draft) await setDraftSource(draft.id, await sourceForLink(params.code));
	else setLinkCookie(cookies, params.code);
	redirect(303, '/');
};
