import { redirect } from '@sveltejs/kit';
import { localFullDateTime, localLongDate } from '$lib/i18n/locale-dates';
import { m } from '$lib/paraglide/messages';
import { loadDraft } from '$lib/server/journey';
import { getProgramme } from '$lib/server/programmes';
import { getReferralByDraft } from '$lib/server/referrals';
import type { RequestHandler } from './$types';

/** A plain-text record of the confirmation (no health details), for people to keep. */
export const GET: RequestHandler = async ({ cookies }) => {
	const draft = await loadDraft(cookies, true);
	const referral = draft && (await getReferralByDraft(draft.id));
	if (!referral) redirect(303, '/');
	const programme = await getProgramme(referral.programmeId);
	const sent = localFullDateTime(referral.submittedAt);
	const text = [
		m.j_record_title(),
		'',
		m.j_record_reference({ reference: referral.reference }),
		m.j_record_sent({ when: sent }),
		m.j_record_service({ programme: programme?.name ?? '' }),
		m.j_record_contact_by({ date: localLongDate(referral.contactTargetDate) }),
		programme ? m.j_record_questions({ phone: programme.helpline.phone, hours: programme.helpline.hours }) : '',
		'',
		m.j_record_not_crisis(),
		m.j_record_samaritans(),
		''
	].join('\r\n');
	return new Response(text, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': `attachment; filename="ips-referral-${referral.reference}.txt"`,
			'cache-control': 'no-store'
		}
	});
};
