import { redirect } from '@sveltejs/kit';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { jobReportProgress } from '$lib/server/casework/jobs';
import type { PageServerLoad } from './$types';

/** "I have started a job": carries on at the first page not answered, or the check page. */
export const load: PageServerLoad = async (event) => {
	const person = requireParticipant(event);
	const { next } = await orRefuse(jobReportProgress(person.id, person.referralId));
	redirect(303, next ? `/account/job/${next.id}` : '/account/job/check');
};
