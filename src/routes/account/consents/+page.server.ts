import { canWithdrawAlone, consentName, consentWording } from '$lib/domain/consent-withdrawal';
import { requireParticipant } from '$lib/http/guard';
import { consentNameIn, dataWords, dateTimeWords } from '$lib/i18n/rights';
import { consentsFor } from '$lib/server/participants/consents';
import type { PageServerLoad } from './$types';

/** "Your consents": each consent asked, the answer, when, the wording's version, and a way to withdraw it. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const consents = await consentsFor(participant);
	const withdrawn = event.url.searchParams.get('withdrawn');
	const locale = event.locals.locale;
	return {
		consents: consents.map((c) => ({
			kind: c.kind,
			name: dataWords.consent(c.kind, consentName(c.kind), locale),
			wording: dataWords.wording(consentWording(c.kind), locale),
			given: c.given,
			version: c.version,
			recordedAt: dateTimeWords(c.recordedAt, locale),
			withdrawnAt: c.withdrawnAt ? dateTimeWords(c.withdrawnAt, locale) : null,
			canWithdraw: c.given && !c.withdrawnAt,
			withdrawHere: canWithdrawAlone(c.kind)
		})),
		withdrawn: consents.find((c) => c.kind === withdrawn && c.withdrawnAt) ? consentNameIn(consents.find((c) => c.kind === withdrawn)!.kind, locale) : null
	};
};
