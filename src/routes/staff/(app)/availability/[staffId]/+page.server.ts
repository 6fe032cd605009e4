import { error } from '@sveltejs/kit';
import { guardedActions, requireStaff } from '$lib/http/guard';
import { AVAILABILITY_ACTIONS, availabilityAction, availabilityPageData } from '$lib/http/availability-page';
import { availabilityOwner } from '$lib/server/meetings/availability-store';
import type { StaffUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/**
 * Someone else's availability: team leads and admins, for staff in their programmes. Anyone else (and a
 * specialist asking for anyone but themselves) gets 404, so the page does not say who exists.
 */
async function owner(user: StaffUser, staffId: string) {
	const found = await availabilityOwner(user, staffId);
	if (!found) error(404, 'Not found');
	return found;
}

const path = (staffId: string) => `/staff/availability/${staffId}`;

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return availabilityPageData(user, await owner(user, event.params.staffId), event.url);
};

export const actions: Actions = guardedActions(requireStaff, AVAILABILITY_ACTIONS, async (name, user, event) =>
	availabilityAction(name, user, await owner(user, event.params.staffId), event.request, path(event.params.staffId))
);
