import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { availabilityActions, availabilityPageData } from '$lib/http/availability-page';
import { availabilityOwner } from '$lib/server/meetings/availability-store';
import type { StaffUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Your own availability: every staff role has one. */
async function self(user: StaffUser) {
	const owner = await availabilityOwner(user, user.id);
	if (!owner) error(404, 'Not found');
	return owner;
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return availabilityPageData(user, await self(user), event.url);
};

export const actions: Actions = availabilityActions(async (event: RequestEvent) => {
	const user = requireStaff(event);
	return { user, owner: await self(user), path: '/staff/availability' };
});
