import { error, fail, redirect } from '@sveltejs/kit';
import { parseHow } from '$lib/domain/meetings/booking-forms';
import { isolated, isolatedPlace } from '$lib/i18n/booking';
import { meetingWhenWords, placeWordsIn } from '$lib/i18n/account';
import { m } from '$lib/paraglide/messages';
import { chosenStart, chosenWay, stillFree, timeHref } from '$lib/http/booking-flow';
import { bookMeeting } from '$lib/server/meetings/booking';
import { readInvite, setInvite } from '$lib/server/meetings/invite-cookie';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { flow, slot, start } = await stillFree(participant, event.url);
	const q = `how=${encodeURIComponent(flow.how)}`;
	return {
		first: flow.times!.routing.first,
		when: meetingWhenWords(slot),
		how: placeWordsIn(isolatedPlace(flow.place)).replace(/^./, (c) => c.toUpperCase()),
		/** The venue's name (the provider's words), for a page in another language than English to mark as English. */
		venue: flow.place.kind === 'in-person' ? flow.place.venueName : null,
		phone: flow.query.mode === 'phone' ? participant.phone : null,
		invite: readInvite(event.cookies),
		email: participant.email,
		links: { how: `${flow.base}?${q}`, time: timeHref(flow, start), invite: `${flow.base}/invite?${q}&start=${encodeURIComponent(start.toISOString())}` },
		noticeHours: flow.times!.settings.changeNoticeHours
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const way = await chosenWay(participant, event.url);
		const start = chosenStart(event.url, way.base);
		const { mode, venueId } = parseHow(way.how)!;
		const result = await bookMeeting(participant, { start, mode, venueId, inviteeEmail: readInvite(event.cookies) });
		if (result.ok) {
			setInvite(event.cookies, null);
			redirect(303, `/account/meetings/${result.meeting.id}?booked=1`);
		}
		if (result.reason === 'taken') redirect(303, timeHref(way, start, 'taken'));
		if (result.reason === 'closed') {
			const helpline = (await getProgramme(participant.programmeId))?.helpline;
			return fail(409, { problem: helpline ? m.ab_closed_problem_call({ phone: isolated(helpline.phone) }) : m.ab_book_closed() });
		}
		error(404, 'Not found');
	}
};
