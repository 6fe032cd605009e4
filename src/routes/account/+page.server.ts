import { statusForPerson } from '$lib/domain/casework';
import { nextStep, offerDialogAnyTime } from '$lib/domain/next-step';
import { ukDate } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import { meetingsForParticipant } from '$lib/server/meetings/booking';
import { meetingViews, referralSummaryFor } from '$lib/server/meetings/booking-pages';
import { getProgramme } from '$lib/server/programmes';
import { dueCheckInsFor } from '$lib/server/measures/due';
import { jobsForReferral, pointsToAsk } from '$lib/server/casework/jobs';
import { hoursWords } from '$lib/domain/jobs';
import { formatLongDate } from '$lib/domain/uk-time';
import { latestErasureRequest } from '$lib/server/data-rights/requests';
import { refusalReason } from '$lib/domain/data-rights';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const now = new Date();
	const [summary, programme, rows, checkIns, jobRows, erasure] = await Promise.all([
		referralSummaryFor(participant),
		getProgramme(participant.programmeId),
		meetingsForParticipant(participant),
		dueCheckInsFor(participant, now),
		jobsForReferral(participant.referralId, now),
		latestErasureRequest(participant.referralId)
	]);
	const views = await meetingViews(rows, participant, now);
	const upcoming = views.filter((v) => v.upcoming);
	const past = views.filter((v) => !v.upcoming).reverse();
	// A booked meeting is said instead of "we will contact you by".
	const next = upcoming[0] ?? null;
	const status = summary ? statusForPerson(summary, ukDate(now), next ? { when: next.when, place: next.place } : null) : null;
	const open = !!summary && summary.status !== 'closed';
	// A closed referral is not asked for check-ins any more.
	const due = open ? checkIns : [];
	const first = !rows.some((r) => r.status !== 'cancelled');
	return {
		reference: participant.reference,
		programmeName: programme?.name ?? '',
		helpline: programme?.helpline ?? null,
		status,
		canWithdraw: open,
		withdrawn: event.url.searchParams.get('withdrawn') === '1',
		step: nextStep({ canBook: open, hadMeetings: !first, nextMeeting: next, checkIns: due }),
		next,
		later: upcoming.slice(1),
		past,
		checkIns: due,
		dialogAnyTime: offerDialogAnyTime(due),
		// Jobs still going, newest first, and the sustainment question to answer for each (if any).
		jobs: jobRows
			.filter((j) => !j.endedOn)
			.reverse()
			.map((j) => ({
				id: j.id,
				words: `${j.jobTitle}${j.employer ? ` at ${j.employer}` : ''}, ${hoursWords(j.hoursPerWeek)}, from ${formatLongDate(j.startDate)}`,
				confirmed: !!j.confirmedAt,
				ask: open ? (pointsToAsk(j)[0] ?? null) : null
			})),
		done: event.url.searchParams.get('done'),
		// The person's latest request to delete their data: waiting (answer due by), or refused (why, in plain words).
		erasure:
			erasure?.status === 'requested'
				? { status: 'requested' as const, dueBy: erasure.dueBy }
				: erasure?.status === 'refused'
					? { status: 'refused' as const, why: refusalReason(erasure.refusalReason)?.forPerson ?? '', decidedOn: erasure.decidedAt ? ukDate(erasure.decidedAt) : null }
					: null
	};
};
