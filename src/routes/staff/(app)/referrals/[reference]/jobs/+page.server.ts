import { fail, redirect } from '@sveltejs/kit';
import { confirmJobForm, jobEndForm, jobStartForm, sustainmentForm } from '$lib/domain/jobs';
import { readRaw, type Field, type RawValues } from '$lib/domain/fields';
import { ukDate } from '$lib/domain/uk-time';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import type { CaseworkResult } from '$lib/server/casework';
import { confirmJobStart, jobsForStaff, recordJobEnd, recordJobStart, recordSustainment } from '$lib/server/casework/jobs';
import type { Actions, PageServerLoad } from './$types';

/**
 * A referral's jobs: confirm a start the person reported, record a start, sustainment at the programme's
 * points with the evidence, and a job that ended. 404 outside the user's programmes.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const view = await orRefuse(jobsForStaff(user, event.params.reference));
	return {
		reference: view.referral.reference,
		name: `${view.referral.givenName} ${view.referral.familyName}`,
		status: view.referral.status,
		jobs: view.jobs,
		sustainmentWeeks: view.sustainmentWeeks,
		done: event.url.searchParams.get('done')
	};
};

type JobForm = 'start' | 'confirm' | 'sustained' | 'ended';

async function read(request: Request, fields: Field[]): Promise<RawValues> {
	return readRaw(fields, await request.formData());
}

/** A refusal re-shows that job's form with what was typed; a change goes back to the page (303), saying what was saved. */
function finish(result: CaseworkResult, form: JobForm, values: RawValues, reference: string) {
	if (!result.ok) return fail(400, { form, jobId: typeof values.jobId === 'string' ? values.jobId : null, values, errors: result.errors });
	redirect(303, `/staff/referrals/${encodeURIComponent(reference)}/jobs?done=${form}`);
}

export const actions: Actions = {
	start: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, jobStartForm(ukDate(new Date())).fields);
		return finish(await orRefuse(recordJobStart(user, event.params.reference, values)), 'start', values, event.params.reference);
	},
	confirm: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, confirmJobForm.fields);
		return finish(await orRefuse(confirmJobStart(user, event.params.reference, values)), 'confirm', values, event.params.reference);
	},
	sustained: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, sustainmentForm().fields);
		return finish(await orRefuse(recordSustainment(user, event.params.reference, values)), 'sustained', values, event.params.reference);
	},
	ended: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, jobEndForm(ukDate(new Date())).fields);
		return finish(await orRefuse(recordJobEnd(user, event.params.reference, values)), 'ended', values, event.params.reference);
	}
};
