import { redirect } from '@sveltejs/kit';
import { REASON_TEXT } from '$lib/domain/eligibility';
import { NATIONAL_ALTERNATIVES } from '$lib/domain/programme';
import { assess, firstUnansweredReferPage, loadDraft, referPages } from '$lib/server/journey';
import { listProgrammes } from '$lib/server/programmes';
import { checkHref, checkPagesReached } from '$lib/domain/journey';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const draft = await loadDraft(cookies);
	if (!draft) redirect(303, '/');
	const programmes = await listProgrammes();
	const assessment = await assess(draft, programmes);
	if (assessment.status === 'ask') redirect(303, checkHref(assessment, draft.answers));
	const { result } = assessment;
	const programme = programmes.find((p) => p.id === result.programmeId) ?? null;
	const from = programmes.find((p) => p.id === result.signpostedFrom) ?? null;
	const firstOpen = firstUnansweredReferPage(draft);
	return {
		outcome: result.outcome,
		reasons: result.reasons.map((r) => REASON_TEXT[r]),
		programme: programme && {
			name: programme.name,
			summary: programme.summary,
			helpline: programme.helpline,
			contactTargetWorkingDays: programme.contactTargetWorkingDays
		},
		signpostedFrom: from?.name ?? null,
		alternatives: [...(result.outcome === 'not-eligible' ? (programme?.alternatives ?? []) : []), ...NATIONAL_ALTERNATIVES].filter(
			(a, i, all) => all.findIndex((b) => b.name === a.name) === i
		),
		continueHref: `/refer/${(firstOpen ?? referPages(draft)[0]).id}`,
		back: `/check/${checkPagesReached(assessment.asked, draft.answers).at(-1)}`
	};
};
