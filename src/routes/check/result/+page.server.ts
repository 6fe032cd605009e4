import { redirect } from '@sveltejs/kit';
import type { ReasonCode } from '$lib/domain/eligibility';
import { nationOfPostcode } from '$lib/domain/nations';
import { assess, firstUnansweredReferPage, loadDraft, referPages } from '$lib/server/journey';
import { currentLocale } from '$lib/server/i18n';
import { nationSupport } from '$lib/server/nations';
import { listProgrammes } from '$lib/server/programmes';
import { checkHref, checkPagesReached } from '$lib/domain/journey';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/** The reasons in the person's language (in English, word for word REASON_TEXT). */
const REASONS: Record<ReasonCode, () => string> = {
	'out-of-area': m.w_reason_out_of_area,
	'too-young': m.w_reason_too_young,
	'too-old': m.w_reason_too_old,
	'no-health-condition': m.w_reason_no_health_condition,
	'employment-status': m.w_reason_employment_status,
	'does-not-want-work': m.w_reason_does_not_want_work,
	'secondary-care-required': m.w_reason_secondary_care_required,
	'other-programme': m.w_reason_other_programme,
	'no-right-to-work': m.w_reason_no_right_to_work,
	'unsure-health-condition': m.w_reason_unsure_health_condition,
	'unsure-wants-work': m.w_reason_unsure_wants_work,
	'unsure-secondary-care': m.w_reason_unsure_secondary_care,
	'unsure-other-programme': m.w_reason_unsure_other_programme,
	'unsure-right-to-work': m.w_reason_unsure_right_to_work,
	'no-secondary-service': m.w_reason_no_secondary_service
};

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
	const nation = nationOfPostcode(draft.answers.postcode);
	const home = result.outcome === 'not-eligible' ? nationSupport(nation, currentLocale()) : null;
	// Outside every programme's area in Wales, Scotland or Northern Ireland: that nation's own support and
	// crisis lines, in place of advice written for England.
	const elsewhere = home && nation !== 'england' && result.reasons.includes('out-of-area') ? home : null;
	return {
		outcome: result.outcome,
		reasons: result.reasons.map((r) => REASONS[r]()),
		programme: programme && {
			name: programme.name,
			summary: programme.summary,
			helpline: programme.helpline,
			contactTargetWorkingDays: programme.contactTargetWorkingDays
		},
		signpostedFrom: from?.name ?? null,
		alternatives: elsewhere
			? []
			: [...(result.outcome === 'not-eligible' ? (programme?.alternatives ?? []) : []), ...(home?.alternatives ?? [])].filter(
					(a, i, all) => all.findIndex((b) => b.name === a.name) === i
				),
		nationSupport: elsewhere,
		continueHref: `/refer/${(firstOpen ?? referPages(draft)[0]).id}`,
		back: `/check/${checkPagesReached(assessment.asked, draft.answers).at(-1)}`
	};
};
