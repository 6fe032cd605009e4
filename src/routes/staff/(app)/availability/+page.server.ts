import { error } from '@sveltejs/kit';
import { guardedActions, requireStaff } from '$lib/http/guard';
import { AVAILABILITY_ACTIONS, availabilityAction, availabilityPageData } from '$lib/http/availability-page';
import { availabilityOwner } from '$lib/server/meetings/availability-store';
import type { StaffUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/** Your own availability: every staff role has one. */
async function self(user: StaffUser) {
	const owner = await availabilityOwner(user, user.id);
	if (!owner) error(404, 'Not found');
	return owner;
}

const PATH = '/staff/availability';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return availabilityPageData(user, await self(user), event.url);
};

export const actions: Actions = guardedActions(requireStaff, AVAILABILITY_ACTIONS, async (name, user, event) =>
	availabilityAction(name, user, await self(user), event.request, PATH)
);
