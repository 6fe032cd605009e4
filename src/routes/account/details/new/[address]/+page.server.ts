import { error, fail, redirect } from '@sveltejs/kit';
import { isAddressKind, newAddressForm } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { m } from '$lib/paraglide/messages';
import { orRefuse } from '$lib/http/refusal';
import { parseForm } from '$lib/server/forms';
import { currentDetails, setPendingChange, startAddressChange } from '$lib/server/participants/details';
import { STARTS_WINDOW_MINUTES } from '$lib/server/participants/sign-in';
import type { Actions, PageServerLoad } from './$types';

function kindOf(address: string) {
	if (!isAddressKind(address)) error(404, 'Page not found');
	return address;
}

/** A new email address or phone number: a code goes to it (the next page), or a number no code can reach is saved. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const kind = kindOf(event.params.address);
	const current = await orRefuse(currentDetails(participant));
	return { kind, current: kind === 'email' ? current.email : current.phone };
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const kind = kindOf(event.params.address);
		const parsed = await parseForm(newAddressForm(kind), event.request);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(startAddressChange(participant, kind, parsed.values.value));
		if (!result.ok) {
			const message =
				result.reason === 'same' ? (kind === 'email' ? m.ar_same_email() : m.ar_same_phone()) : m.ar_too_many_codes({ minutes: STARTS_WINDOW_MINUTES });
			return fail(400, { values: parsed.raw, errors: { value: message } });
		}
		if ('saved' in result) redirect(303, '/account/details?saved=phone-unconfirmed');
		setPendingChange(event.cookies, result.pending);
		redirect(303, `/account/details/new/${kind}/code`);
	}
};
