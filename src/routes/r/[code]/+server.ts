import { redirect } from '@sveltejs/kit';
import { setDraftSource } from '$lib/server/drafts';
import { loadDraft, setLinkCookie } from '$lib/server/journey';
import { sourceForLink } from '$lib/server/links';
import { countLinkVisit } from '$lib/server/checker-stats';
import type { RequestHandler } from './$types';

/**
 * Fit Note, leaflet and campaign links: record where the person came from, then open the start page.
 * A browser with a draft has the source set on it; one without keeps the code in a cookie until its first
 * answer makes the draft (journey.ts), so opening a link writes no draft: only its day's visit count goes up.
 */
export const GET: RequestHandler = async ({ params, cookies }) => {
	const draft = await loadDraft(cookies);
	const source = await sourceForLink(params.code);
	// Counted per link and day, anonymously, for the outcomes report (checker-stats.ts).
	await countLinkVisit(source);
	if (draft) await setDraftSource(draft.id, source);
	else setLinkCookie(cookies, params.code);
	redirect(303, '/');
};
