import { statusForPerson } from '$lib/domain/casework';
import { ukDate } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import { meetingsForParticipant } from '$lib/server/meetings/booking';
import { meetingViews, referralSummaryFor } from '$lib/server/meetings/booking-pages';
import { getProgramme } from '$lib/server/programmes';
import { dueCheckInsFor } from '$lib/server/measures/due';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const now = new Date();
	const [summary, programme, rows, checkIns] = await Promise.all([
		referralSummaryFor(participant),
		getProgramme(participant.programmeId),
		meetingsForParticipant(participant),
		dueCheckInsFor(participant, now)
	]);
	const views = await meetingViews(rows, participant, now);
	const upcoming = views.filter((v) => v.upcoming);
	const past = views.filter((v) => !v.upcoming).reverse();
	// A booked meeting is said instead of "we will contact you by".
	const next = upcoming[0] ?? null;
	const status = summary ? statusForPerson(summary, ukDate(now), next ? { when: next.when, place: next.place } : null) : null;
	return {
		reference: participant.reference,
		programmeName: programme?.name ?? '',
		helpline: programme?.helpline ?? null,
		status,
		canBook: !!summary && summary.status !== 'closed',
		canWithdraw: !!summary && summary.status !== 'closed',
		withdrawn: event.url.searchParams.get('withdrawn') === '1',
		first: !rows.some((r) => r.status !== 'cancelled'),
		next,
		later: upcoming.slice(1),
		past,
		// A closed referral is not asked for check-ins any more.
		checkIns: summary && summary.status !== 'closed' ? checkIns : []
	};
};
