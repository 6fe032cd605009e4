import { error, fail, redirect } from '@sveltejs/kit';
import { SIGN_IN_CODE_FORM } from '$lib/domain/participant-sign-in-forms';
import { isAddressKind } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { signInErrors, signInFields } from '$lib/i18n/account';
import { addressCodeError } from '$lib/i18n/rights';
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
	return { kind, sentTo: pending.value, fields: signInFields(SIGN_IN_CODE_FORM.fields), minutes: CODE_LIFETIME_MINUTES };
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const kind = kindOf(event.params.address);
		const pending = readPendingChange(event.cookies);
		if (!pending || pending.kind !== kind) redirect(303, `/account/details/new/${kind}`);
		const parsed = await parseForm(SIGN_IN_CODE_FORM, event.request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: signInErrors(parsed.errors) });
		const result = await orRefuse(confirmAddressChange(participant, pending, parsed.values.code));
		if (result.ok) {
			clearPendingChange(event.cookies);
			redirect(303, `/account/details?saved=${kind}`);
		}
		if (result.reason === 'missing') {
			clearPendingChange(event.cookies);
			redirect(303, `/account/details/new/${kind}`);
		}
		return fail(400, { values: parsed.raw, errors: { code: addressCodeError(result, CODE_LIFETIME_MINUTES, MAX_WRONG_CODES) } });
	}
};
