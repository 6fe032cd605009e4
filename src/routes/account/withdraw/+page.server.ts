import { fail, redirect } from '@sveltejs/kit';
import { withdrawalForm } from '$lib/domain/casework';
import { withdrawalConsequences } from '$lib/i18n/rights';
import { withdrawOwnReferral } from '$lib/server/casework/withdrawal';
import { parseForm } from '$lib/server/forms';
import { referralSummaryFor } from '$lib/server/meetings/booking-pages';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [summary, programme] = await Promise.all([referralSummaryFor(participant), getProgramme(participant.programmeId)]);
	return {
		closed: !summary || summary.status === 'closed',
		consequences: withdrawalConsequences(event.locals.locale),
		helpline: programme?.helpline ?? null,
		fields: withdrawalForm.fields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const result = await parseForm(withdrawalForm, event.request);
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		// Already closed (sent twice, or staff closed it meanwhile): the home page says how things stand.
		const done = await orRefuse(withdrawOwnReferral(participant, result.values.reason));
		redirect(303, done.ok ? '/account?withdrawn=1' : '/account');
	}
};
