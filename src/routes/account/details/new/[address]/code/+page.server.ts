import { error, fail, redirect } from '@sveltejs/kit';
import { SIGN_IN_CODE_FORM } from '$lib/domain/participant-sign-in-forms';
import { isAddressKind } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { parseForm } from '$lib/server/forms';
import { CODE_LIFETIME_MINUTES, MAX_WRONG_CODES, clearPendingChange, confirmAddressChange, readPendingChange } from '$lib/server/participants/details';
import type { Actions, PageServerLoad } from './$types';

function kindOf(address: string) {
	if (!isAddressKind(address)) error(404, 'Page not found');
	return address;
}

/** The code sent to the new address: only this browser's own pending change, for this person, can be confirmed. */
export const load: PageServerLoad = async (event) => {
	requireParticipant(event);
	const kind = kindOf(event.params.address);
	const pending = readPendingChange(event.cookies);
	if (!pending || pending.kind !== kind) redirect(303, `/account/details/new/${kind}`);
	return { kind, sentTo: pending.value, fields: SIGN_IN_CODE_FORM.fields, minutes: CODE_LIFETIME_MINUTES };
};

const tries = (n: number) => (n === 1 ? '1 more time' : `${n} more times`);

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const kind = kindOf(event.params.address);
		const pending = readPendingChange(event.cookies);
		if (!pending || pending.kind !== kind) redirect(303, `/account/details/new/${kind}`);
		const parsed = await parseForm(SIGN_IN_CODE_FORM, event.request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(confirmAddressChange(participant, pending, parsed.values.code));
		if (result.ok) {
			clearPendingChange(event.cookies);
			redirect(303, `/account/details?saved=${kind}`);
		}
		if (result.reason === 'missing') {
			clearPendingChange(event.cookies);
			redirect(303, `/account/details/new/${kind}`);
		}
		const message =
			result.reason === 'wrong'
				? `The code is not right. Check the code we sent you and try again. You can try ${tries(result.triesLeft)} with this code`
				: result.reason === 'expired'
					? `This code has expired: codes last ${CODE_LIFETIME_MINUTES} minutes. Ask for a new code`
					: result.reason === 'used'
						? 'This code has been used already. Ask for a new code'
						: `You have entered a wrong code ${MAX_WRONG_CODES} times, so this code no longer works. Ask for a new code`;
		return fail(400, { values: parsed.raw, errors: { code: message } });
	}
};
