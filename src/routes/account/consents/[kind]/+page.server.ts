import { error, fail, redirect } from '@sveltejs/kit';
import { canWithdrawAlone, consentName, consentWording, isConsentKind } from '$lib/domain/consent-withdrawal';
import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { dataWords, withdrawingMeans } from '$lib/i18n/rights';
import { m } from '$lib/paraglide/messages';
import { consentsFor, withdrawConsent } from '$lib/server/participants/consents';
import type { Actions, PageServerLoad } from './$types';

function kindOf(kind: string) {
	if (!isConsentKind(kind)) error(404, 'Page not found');
	return kind;
}

/** Says what withdrawing means before the person confirms; processing points to withdrawing the referral instead. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const kind = kindOf(event.params.kind);
	const standing = (await consentsFor(participant)).find((c) => c.kind === kind);
	if (!standing) error(404, 'Page not found');
	const locale = event.locals.locale;
	return {
		kind,
		name: dataWords.consent(kind, consentName(kind), locale),
		wording: dataWords.wording(consentWording(kind), locale),
		means: withdrawingMeans(kind, locale),
		withdrawHere: canWithdrawAlone(kind),
		state: standing.withdrawnAt ? 'withdrawn' : standing.given ? 'given' : 'not-given'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const kind = kindOf(event.params.kind);
		const result = await orRefuse(withdrawConsent(participant, kind));
		if (result.ok || result.reason === 'already-withdrawn') redirect(303, `/account/consents?withdrawn=${kind}`);
		return fail(400, { errors: { confirm: result.reason === 'not-here' ? m.ar_consent_not_here() : m.ar_consent_nothing_error() } });
	}
};
