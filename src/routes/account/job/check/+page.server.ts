import { redirect } from '@sveltejs/kit';
import { requireParticipant } from '$lib/http/guard';
import { hoursIn, longDayWords } from '$lib/i18n/rights';
import { t } from '$lib/i18n/t';
import { m } from '$lib/paraglide/messages';
import { orRefuse } from '$lib/http/refusal';
import { jobReportProgress, sendJobReport } from '$lib/server/casework/jobs';
import type { Actions, PageServerLoad } from './$types';

/** "Check your answers" for the job: each answer with a Change link, then Send. */
export const load: PageServerLoad = async (event) => {
	const person = requireParticipant(event);
	const { pages, draft, next } = await orRefuse(jobReportProgress(person.id, person.referralId));
	if (next) redirect(303, `/account/job/${next.id}`);
	const locale = event.locals.locale;
	const words: Record<string, string> = {
		'start-date': draft.startDate ? longDayWords(draft.startDate, locale) : '',
		hours: draft.hoursPerWeek !== undefined ? hoursIn(draft.hoursPerWeek, locale) : '',
		title: draft.jobTitle ?? '',
		employer: draft.employer ?? m.j_answer_not_given(),
		kind: draft.jobKind === 'kept' ? t('No, it is the job I had when I was referred') : draft.jobKind === 'new' ? t('Yes') : ''
	};
	return { rows: pages.map((p) => ({ id: p.id, label: t(p.summaryLabel) ?? '', value: words[p.id], href: `/account/job/${p.id}?return=check-answers` })) };
};

export const actions: Actions = {
	default: async (event) => {
		const person = requireParticipant(event);
		const sent = await orRefuse(sendJobReport(person.id, person.referralId));
		// A page left unanswered (another tab cleared it): back to it, with everything else kept.
		if (!sent) redirect(303, '/account/job');
		redirect(303, '/account/job/sent');
	}
};

