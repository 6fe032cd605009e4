import { canWithdrawAlone, consentName, consentWording } from '$lib/domain/consent-withdrawal';
import { formatUkDateTime } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import { consentsFor } from '$lib/server/participants/consents';
import type { PageServerLoad } from './$types';

/** "Your consents": each consent asked, the answer, when, the wording's version, and a way to withdraw it. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const consents = await consentsFor(participant);
	const withdrawn = event.url.searchParams.get('withdrawn');
	return {
		consents: consents.map((c) => ({
			kind: c.kind,
			name: consentName(c.kind),
			wording: consentWording(c.kind),
			given: c.given,
			version: c.version,
			recordedAt: formatUkDateTime(c.recordedAt),
			withdrawnAt: c.withdrawnAt ? formatUkDateTime(c.withdrawnAt) : null,
			canWithdraw: c.given && !c.withdrawnAt,
			withdrawHere: canWithdrawAlone(c.kind)
		})),
		withdrawn: consents.find((c) => c.kind === withdrawn && c.withdrawnAt) ? consentName(consents.find((c) => c.kind === withdrawn)!.kind) : null
	};
};
