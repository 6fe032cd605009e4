import { error, fail, redirect } from '@sveltejs/kit';
import { parseHow, parseStart } from '$lib/domain/meetings/booking-forms';
import { emailWhen } from '$lib/domain/meetings/labels';
import { placeWords } from '$lib/domain/meetings/modes';
import { ukDate } from '$lib/domain/uk-time';
import { bookMeeting, freeSlotsForParticipant, meetingMode } from '$lib/server/meetings/booking';
import { placeFor } from '$lib/server/meetings/booking-pages';
import { readInvite, setInvite } from '$lib/server/meetings/invite-cookie';
import { requireParticipant } from '$lib/http/guard';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import { getProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

function state(url: URL) {
	const how = url.searchParams.get('how') ?? '';
	const parsed = parseHow(how);
	const mode = parsed && meetingMode(parsed.mode, parsed.venueId);
	const start = parseStart(url.searchParams.get('start'));
	if (!parsed || !mode || !start) redirect(303, '/account/book');
	const q = `how=${encodeURIComponent(how)}`;
	return {
		parsed,
		mode,
		start,
		/** The time page again, saying the chosen time has gone. */
		takenUrl: `/account/book/time?${q}&day=${ukDate(start)}&taken=${encodeURIComponent(start.toISOString())}`,
		links: {
			how: `/account/book?${q}`,
			time: `/account/book/time?${q}&day=${ukDate(start)}&start=${encodeURIComponent(start.toISOString())}`,
			invite: `/account/book/invite?${q}&start=${encodeURIComponent(start.toISOString())}`
		}
	};
}

async function stillFree(participant: ParticipantUser, url: URL) {
	const s = state(url);
	const { slots, routing, settings } = await freeSlotsForParticipant(participant, s.parsed);
	const slot = slots.find((x) => x.start.getTime() === s.start.getTime());
	if (!slot) redirect(303, s.takenUrl);
	return { ...s, slot, first: routing.first, noticeHours: settings.changeNoticeHours };
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { slot, mode, links, first, noticeHours } = await stillFree(participant, event.url);
	const place = await placeFor(mode);
	return {
		first,
		when: emailWhen(slot),
		how: placeWords(place).replace(/^./, (c) => c.toUpperCase()),
		phone: mode.kind === 'phone' ? participant.phone : null,
		invite: readInvite(event.cookies),
		email: participant.email,
		links,
		noticeHours
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { parsed, start, takenUrl } = state(event.url);
		const result = await bookMeeting(participant, { start, mode: parsed.mode, venueId: parsed.venueId, inviteeEmail: readInvite(event.cookies) });
		if (result.ok) {
			setInvite(event.cookies, null);
			redirect(303, `/account/meetings/${result.meeting.id}?booked=1`);
		}
		if (result.reason === 'taken') redirect(303, takenUrl);
		if (result.reason === 'closed') {
			const helpline = (await getProgramme(participant.programmeId))?.helpline;
			return fail(409, { problem: `Your referral is closed, so you cannot book a meeting online.${helpline ? ` Call ${helpline.phone} to talk to us.` : ''}` });
		}
		error(404, 'Not found');
	}
};
