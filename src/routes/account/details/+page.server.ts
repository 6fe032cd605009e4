import { detailRows } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { currentDetails, readPendingChange } from '$lib/server/participants/details';
import type { PageServerLoad } from './$types';

const SAVED: Record<string, string> = {
	email: 'Your email address has been changed.',
	phone: 'Your phone number has been changed.',
	'phone-unconfirmed': 'Your phone number has been changed. We cannot send a code to it, so we will only use it to call you, not to send texts.',
	saved: 'Your answer has been saved.'
};

/** "Your details": what the service has, each with a Change link; a change waiting for its code is said first. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const current = await orRefuse(currentDetails(participant));
	const pending = readPendingChange(event.cookies);
	return {
		rows: detailRows(current.answers, current),
		pending: pending ? { kind: pending.kind, value: pending.value } : null,
		saved: SAVED[event.url.searchParams.get('saved') ?? ''] ?? null
	};
};
