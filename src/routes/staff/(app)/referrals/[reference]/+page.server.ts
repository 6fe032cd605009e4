import { fail, redirect } from '@sveltejs/kit';
import { assignForm, contactAttemptForm, staffWithdrawalForm, statusChangeForm } from '$lib/domain/casework';
import { readRaw, type Field, type RawValues } from '$lib/domain/fields';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { LEADS } from '$lib/server/auth/route-rules';
import { assignReferral, changeStatus, claimReferral, findInProgramme, getReferralForStaff, logContactAttempt, type CaseworkResult } from '$lib/server/casework';
import { recordWithdrawal } from '$lib/server/casework/withdrawal';
import { validateRaw } from '$lib/domain/fields';
import { referralMeetingsAndTasks } from '$lib/server/meetings/staff-meetings';
import { concernIdForm } from '$lib/domain/measures/concern-resolution';
import { parseForm } from '$lib/server/forms';
import { acknowledgeConcern } from '$lib/server/measures/concerns';
import type { Actions, PageServerLoad } from './$types';

type CaseForm = 'claim' | 'assign' | 'contact' | 'status' | 'withdraw' | 'acknowledge';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const view = await orRefuse(getReferralForStaff(user, event.params.reference));
	const { meetings, tasks } = await orRefuse(referralMeetingsAndTasks(user, event.params.reference));
	return { view, meetings, tasks, done: event.url.searchParams.get('done'), isLead: LEADS.includes(user.role), userId: user.id };
};

/** Reads a form's fields as typed; the server functions check them with the form's schema. */
async function read(request: Request, fields: Field[]): Promise<RawValues> {
	return readRaw(fields, await request.formData());
}

/**
 * The server functions find the referral in the user's programmes first (404 otherwise), then validate
 * the form with zod and make the change. A refusal re-shows the form with its values; a change goes back
 * to the page (303, so a refresh does not send the form again), saying what was saved.
 */
function finish(result: CaseworkResult, form: CaseForm, values: RawValues, reference: string) {
	if (!result.ok) return fail(400, { form, values, errors: result.errors });
	redirect(303, `/staff/referrals/${reference}?done=${form}`);
}

export const actions: Actions = {
	/** "I am dealing with this" on an open wellbeing concern: stops a crisis answer being sent again. */
	acknowledge: async (event) => {
		const user = requireStaff(event);
		// Another programme's referral is "not found" whatever was sent.
		await orRefuse(findInProgramme(user, event.params.reference));
		const parsed = await parseForm(concernIdForm, event.request);
		if (!parsed.ok) return fail(400, { form: 'acknowledge', values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(acknowledgeConcern(user, parsed.values.concernId, new Date(), event.params.reference));
		redirect(303, `/staff/referrals/${result.reference}?done=${result.changed ? 'acknowledge' : 'acknowledged-already'}#concerns-heading`);
	},
	claim: async (event) => {
		const user = requireStaff(event);
		return finish(await orRefuse(claimReferral(user, event.params.reference)), 'claim', {}, event.params.reference);
	},
	assign: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, assignForm().fields);
		return finish(await orRefuse(assignReferral(user, event.params.reference, values)), 'assign', values, event.params.reference);
	},
	contact: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, contactAttemptForm.fields);
		return finish(await orRefuse(logContactAttempt(user, event.params.reference, values)), 'contact', values, event.params.reference);
	},
	status: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, statusChangeForm().fields);
		return finish(await orRefuse(changeStatus(user, event.params.reference, values)), 'status', values, event.params.reference);
	},
	/** The person asked to withdraw (by phone, say): closes the referral and cancels their meetings. */
	withdraw: async (event) => {
		const user = requireStaff(event);
		const values = await read(event.request, staffWithdrawalForm.fields);
		const parsed = validateRaw(staffWithdrawalForm, values);
		if (!parsed.ok) return fail(400, { form: 'withdraw', values, errors: parsed.errors });
		const result = await orRefuse(recordWithdrawal(user, event.params.reference, parsed.values.withdrawReason));
		const outcome: CaseworkResult = result.ok ? { ok: true } : { ok: false, errors: { withdrawReason: 'This referral is already closed' } };
		return finish(outcome, 'withdraw', values, event.params.reference);
	}
};
