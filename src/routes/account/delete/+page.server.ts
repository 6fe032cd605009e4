import { fail, redirect } from '@sveltejs/kit';
import { erasureRequestForm } from '$lib/domain/data-rights';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { latestErasureRequest, requestErasure } from '$lib/server/data-rights/requests';
import { parseForm } from '$lib/server/forms';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

/** "Ask us to delete your data": what deleting means, an optional reason, one button. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [latest, programme] = await Promise.all([latestErasureRequest(participant.referralId), getProgramme(participant.programmeId)]);
	return {
		waiting: latest?.status === 'requested' ? { dueBy: latest.dueBy } : null,
		helpline: programme?.helpline ?? null,
		fields: erasureRequestForm.fields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const result = await parseForm(erasureRequestForm, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		await orRefuse(requestErasure(participant, result.values.reason));
		redirect(303, '/account/delete/sent');
	}
};
