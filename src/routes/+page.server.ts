import { questionCount } from '$lib/domain/journey';
import { LINK_COOKIE, loadDraft, resumeUrl } from '$lib/server/journey';
import { listProgrammes } from '$lib/server/programmes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const draft = await loadDraft(cookies);
	const programmes = await listProgrammes();
	return {
		// A person who came from a link is not asked how they heard about us.
		questions: questionCount(!!draft?.source || !!cookies.get(LINK_COOKIE)),
		resumeHref: draft && draft.answered.length ? await resumeUrl(draft) : null,
		programmes: programmes.map((p) => ({ id: p.id, name: p.name, area: p.areaDescription, helpline: p.helpline }))
	};
};
