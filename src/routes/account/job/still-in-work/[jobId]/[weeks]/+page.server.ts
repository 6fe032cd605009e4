import { error, fail, redirect } from '@sveltejs/kit';
import { stillInWorkForm } from '$lib/domain/jobs';
import { requireParticipant } from '$lib/http/guard';
import { longDayWords } from '$lib/i18n/rights';
import { orRefuse } from '$lib/http/refusal';
import { parseForm } from '$lib/server/forms';
import { answerStillInWork, jobsForReferral, pointsToAsk } from '$lib/server/casework/jobs';
import type { Actions, PageServerLoad } from './$types';

/** "Are you still in this job?" at a sustainment point the job has reached and nobody has answered. */
async function askable(referralId: string, jobId: string, weeksParam: string) {
	const weeks = Number(weeksParam);
	const job = (await orRefuse(jobsForReferral(referralId))).find((j) => j.id === jobId);
	if (!job || !/^\d{1,3}$/.test(weeksParam) || !pointsToAsk(job).includes(weeks)) error(404, 'Page not found');
	return { job, weeks };
}

export const load: PageServerLoad = async (event) => {
	const person = requireParticipant(event);
	const { job } = await askable(person.referralId, event.params.jobId, event.params.weeks);
	return { jobTitle: job.jobTitle, started: longDayWords(job.startDate, event.locals.locale) };
};

export const actions: Actions = {
	default: async (event) => {
		const person = requireParticipant(event);
		const { job, weeks } = await askable(person.referralId, event.params.jobId, event.params.weeks);
		const parsed = await parseForm(stillInWorkForm, event.request);
		if (!parsed.ok) return fail(400, { raw: parsed.raw, errors: parsed.errors });
		await orRefuse(answerStillInWork(person.referralId, job.id, weeks, parsed.values.stillInWork === 'yes'));
		redirect(303, `/account?done=${parsed.values.stillInWork === 'yes' ? 'still-in-work' : 'job-ended'}`);
	}
};
