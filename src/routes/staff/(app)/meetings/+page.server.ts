import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { parseFormData } from '$lib/domain/fields';
import { MEETING_LIST_DAYS, meetingFilterForm, meetingListQuery, outcomeForm, type Outcome } from '$lib/domain/meetings/staff-forms';
import { ukDate } from '$lib/domain/uk-time';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import type { StaffUser } from '$lib/server/auth/sessions';
import { parseForm } from '$lib/server/forms';
import { colleaguesFor } from '$lib/server/meetings/availability-store';
import { meetingsForStaff, recordOutcome } from '$lib/server/meetings/staff-meetings';
import type { Actions, PageServerLoad } from './$types';

/**
 * "My meetings": two weeks from a chosen UK date (today unless chosen), by day. Team leads and admins may
 * choose someone in their programmes; anyone else (and anyone but yourself, for a specialist) is 404. A refused choice of date shows its message and
 * the list from today.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const colleagues = (await colleaguesFor(user)).map((c) => ({ id: c.id, name: c.name }));
	const form = meetingFilterForm(colleagues);
	const parsed = await parseForm(form, event.url.searchParams);
	const today = ukDate(new Date());
	const values = parsed.ok ? parsed.values : { from: null, staff: null };
	// Without the choice (specialists), someone else's meetings asked for in the address are still refused (404), not ignored.
	const staffId = colleagues.length ? values.staff : event.url.searchParams.get('staff') || null;
	const list = await orRefuse(meetingsForStaff(user, { staffId, from: values.from ?? today, days: MEETING_LIST_DAYS }));
	const done = event.url.searchParams.get('done');
	return {
		list,
		today,
		filterFields: form.fields,
		filterValues: parsed.raw,
		filterErrors: parsed.ok ? {} : parsed.errors,
		query: meetingListQuery(values),
		done: done === 'attended' || done === 'missed' ? (done as 'attended' | 'missed') : null
	};
};

/** Marks one meeting; a refusal shows the page again with the message by that meeting (400), a change goes back to the list (303). */
async function mark(event: RequestEvent, user: StaffUser, outcome: Outcome) {
	const parsed = parseFormData(outcomeForm, await event.request.formData());
	if (!parsed.ok) return fail(400, { meetingId: null, message: parsed.errors.meetingId ?? 'This meeting was not found' });
	const result = await orRefuse(recordOutcome(user, parsed.values.meetingId, outcome));
	if (!result.ok) return fail(400, { meetingId: parsed.values.meetingId, message: result.message });
	const filter = meetingFilterForm([{ id: '', name: '' }]).schema.safeParse({
		from: event.url.searchParams.get('from') ?? '',
		staff: event.url.searchParams.get('staff') ?? ''
	});
	const chosen = filter.success ? filter.data : { from: null, staff: null };
	// A meeting from before the list's first day (yesterday's, marked late) is no longer waiting once marked:
	// the list then starts on its day, so the person still sees what they marked.
	const meetingDay = ukDate(result.startsAt);
	const from = meetingDay < (chosen.from ?? ukDate(new Date())) ? meetingDay : chosen.from;
	const query = meetingListQuery({ ...chosen, from });
	redirect(303, `/staff/meetings?${query ? `${query}&` : ''}done=${outcome}#meeting-${result.meetingId}`);
}

export const actions: Actions = {
	attended: async (event) => {
		const user = requireStaff(event);
		return mark(event, user, 'attended');
	},
	missed: async (event) => {
		const user = requireStaff(event);
		return mark(event, user, 'missed');
	}
};
