import { redirect } from '@sveltejs/kit';
import { formatLongDate, formatUkFullDateTime } from '$lib/domain/uk-time';
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
	const sent = formatUkFullDateTime(referral.submittedAt);
	const text = [
		'IPS Employment Support: your referral',
		'',
		`Reference number: ${referral.reference}`,
		`Sent: ${sent} (UK time)`,
		`Service: ${programme?.name ?? ''}`,
		`We will contact you by: ${formatLongDate(referral.contactTargetDate)}`,
		programme ? `Questions: call ${programme.helpline.phone} (${programme.helpline.hours}) and give your reference number.` : '',
		'',
		'This is not a crisis service. In an emergency call 999. For mental health crisis support call NHS 111 and choose option 2.',
		'Samaritans: 116 123 (free, any time). Text SHOUT to 85258.',
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
