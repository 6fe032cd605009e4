import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { availabilityAction, availabilityPageData } from '$lib/server/meetings/availability-page';
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

export const actions: Actions = {
	addPattern: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('addPattern', user, await self(user), event.request, PATH);
	},
	removePattern: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('removePattern', user, await self(user), event.request, PATH);
	},
	addExtra: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('addExtra', user, await self(user), event.request, PATH);
	},
	addRemoved: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('addRemoved', user, await self(user), event.request, PATH);
	},
	removeChange: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('removeChange', user, await self(user), event.request, PATH);
	},
	addLeave: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('addLeave', user, await self(user), event.request, PATH);
	},
	removeLeave: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('removeLeave', user, await self(user), event.request, PATH);
	},
	videoLink: async (event) => {
		const user = requireStaff(event);
		return availabilityAction('videoLink', user, await self(user), event.request, PATH);
	}
};
