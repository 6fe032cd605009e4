import { redirect } from '@sveltejs/kit';
import { hoursWords } from '$lib/domain/jobs';
import { formatLongDate } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { jobReportProgress, sendJobReport } from '$lib/server/casework/jobs';
import type { Actions, PageServerLoad } from './$types';

/** "Check your answers" for the job: each answer with a Change link, then Send. */
export const load: PageServerLoad = async (event) => {
	const person = requireParticipant(event);
	const { pages, draft, next } = await orRefuse(jobReportProgress(person.id, person.referralId));
	if (next) redirect(303, `/account/job/${next.id}`);
	const words: Record<string, string> = {
		'start-date': draft.startDate ? formatLongDate(draft.startDate) : '',
		hours: draft.hoursPerWeek !== undefined ? hoursWords(draft.hoursPerWeek) : '',
		title: draft.jobTitle ?? '',
		employer: draft.employer ?? 'Not given',
		kind: draft.jobKind === 'kept' ? 'No, it is the job I had when I was referred' : draft.jobKind === 'new' ? 'Yes' : ''
	};
	return { rows: pages.map((p) => ({ id: p.id, label: p.summaryLabel, value: words[p.id], href: `/account/job/${p.id}?return=check-answers` })) };
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

