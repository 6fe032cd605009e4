import { detailRows } from '$lib/domain/your-details';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { detailRowsIn, savedWords } from '$lib/i18n/rights';
import { currentDetails, readPendingChange } from '$lib/server/participants/details';
import type { PageServerLoad } from './$types';

/** "Your details": what the service has, each with a Change link; a change waiting for its code is said first. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const current = await orRefuse(currentDetails(participant));
	const pending = readPendingChange(event.cookies);
	return {
		rows: detailRowsIn(detailRows(current.answers, current), current.answers, current, event.locals.locale),
		pending: pending ? { kind: pending.kind, value: pending.value } : null,
		saved: savedWords(event.url.searchParams.get('saved'), event.locals.locale)
	};
};
