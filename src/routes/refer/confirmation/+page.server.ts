import { redirect } from '@sveltejs/kit';
import { spellReference } from '$lib/domain/reference';
import { localLongDate } from '$lib/i18n/locale-dates';
import { loadDraft } from '$lib/server/journey';
import { getProgramme } from '$lib/server/programmes';
import { getReferralByDraft } from '$lib/server/referrals';
import { morePagesFor } from '$lib/server/casework/details';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies, locals }) => {
	const draft = await loadDraft(cookies, true);
	const referral = draft && (await getReferralByDraft(draft.id));
	if (!referral) redirect(303, '/');
	const programme = await getProgramme(referral.programmeId);
	return {
		reference: referral.reference,
		spelled: spellReference(referral.reference),
		contactBy: localLongDate(referral.contactTargetDate),
		workingDays: programme?.contactTargetWorkingDays ?? null,
		programmeName: programme?.name ?? '',
		helpline: programme?.helpline ?? null,
		email: referral.email,
		phone: referral.phone,
		talkToSpecialist: referral.eligibilityOutcome === 'talk-to-specialist',
		// The browser that sent the referral is signed in as its participant: it can book straight away.
		canBook: locals.participant?.referralId === referral.id,
		firstMore: morePagesFor(referral)[0].id
	};
};
