import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { nextStep, offerDialogAnyTime } from '$lib/domain/next-step';
import { ukDate } from '$lib/domain/uk-time';
import { requireParticipant } from '$lib/http/guard';
import { meetingsForParticipant } from '$lib/server/meetings/booking';
import { meetingViews, referralSummaryFor, type MeetingView } from '$lib/server/meetings/booking-pages';
import { venuesByIds } from '$lib/server/meetings/availability-store';
import { venueLine } from '$lib/server/meetings/messages';
import { getDb } from '$lib/server/db';
import type { MeetingRow } from '$lib/server/db/schema';
import { getProgramme } from '$lib/server/programmes';
import { dueCheckInsFor } from '$lib/server/measures/due';
import { jobsForReferral, pointsToAsk } from '$lib/server/casework/jobs';
import { latestErasureRequest } from '$lib/server/data-rights/requests';
import { refusalReason } from '$lib/domain/data-rights';
import {
	accountLocale,
	checkInItemWords,
	erasureReasonWords,
	jobWords,
	meetingLabelWords,
	meetingWhenWords,
	placeWordsIn,
	statusWords
} from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/i18n/locales';
import type { PageServerLoad } from './$types';

/** Where a meeting happens, for a page in another language than English: the page puts it in words. */
type WhereIn = { kind: 'text'; text: string } | { kind: 'phone'; phone: string } | { kind: 'video'; link: string };

/**
 * The meetings in the person's language (not English, which meetingViews gives): the time, the label and
 * the place in words, and where, with the phone number or video link apart so the page can isolate it.
 */
async function meetingsIn(locale: Locale, views: MeetingView[], rows: MeetingRow[], phone: string | null): Promise<(MeetingView & { whereIn: WhereIn | null })[]> {
	if (locale === 'en' || !views.length) return views.map((v) => ({ ...v, whereIn: null }));
	const venues = await venuesByIds(await getDb(), rows.map((r) => r.venueId));
	const byId = new Map(rows.map((r) => [r.id, r]));
	const o = { locale };
	return views.map((view) => {
		const row = byId.get(view.id);
		if (!row) return { ...view, whereIn: null };
		const venue = row.venueId ? (venues.get(row.venueId) ?? null) : null;
		const times = { start: row.startsAt, end: row.endsAt };
		const place: MeetingPlace = row.mode === 'in-person' ? { kind: 'in-person', venueName: venue?.name ?? m.a_the_venue({}, o) } : { kind: row.mode };
		const whereIn: WhereIn =
			row.mode === 'in-person'
				? { kind: 'text', text: venue ? m.a_where_in_person({ place: venueLine(venue) }, o) : m.a_where_in_person_unknown({}, o) }
				: row.mode === 'phone'
					? phone
						? { kind: 'phone', phone }
						: { kind: 'text', text: m.a_where_phone_no_number({}, o) }
					: view.videoLink
						? { kind: 'video', link: view.videoLink }
						: { kind: 'text', text: m.a_where_video_later({}, o) };
		return { ...view, when: meetingWhenWords(times, locale), label: meetingLabelWords(times, place, locale), place: placeWordsIn(place, locale), whereIn };
	});
}

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
	const locale = accountLocale(event.locals.locale);
	const views = await meetingsIn(locale, await meetingViews(rows, participant, now), rows, participant.phone);
	const upcoming = views.filter((v) => v.upcoming);
	const past = views.filter((v) => !v.upcoming).reverse();
	// A booked meeting is said instead of "we will contact you by".
	const next = upcoming[0] ?? null;
	const status = summary ? statusWords(summary, ukDate(now), next ? { when: next.when, place: next.place } : null, locale) : null;
	const open = !!summary && summary.status !== 'closed';
	// A closed referral is not asked for check-ins any more.
	const due = open ? checkIns.map((c) => checkInItemWords(c, locale)) : [];
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
				words: jobWords(j, locale),
				confirmed: !!j.confirmedAt,
				ask: open ? (pointsToAsk(j)[0] ?? null) : null
			})),
		done: event.url.searchParams.get('done'),
		// The person's latest request to delete their data: waiting (answer due by), or refused (why, in plain words).
		erasure:
			erasure?.status === 'requested'
				? { status: 'requested' as const, dueBy: erasure.dueBy }
				: erasure?.status === 'refused'
					? { status: 'refused' as const, why: erasureReasonWords(erasure.refusalReason, refusalReason(erasure.refusalReason)?.forPerson ?? '', locale), decidedOn: erasure.decidedAt ? ukDate(erasure.decidedAt) : null }
					: null
	};
};
