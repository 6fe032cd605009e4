import { fail, redirect } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { venueForm } from '$lib/domain/meetings/availability-forms';
import { requireStaff } from '$lib/http/guard';
import { getDb } from '$lib/server/db';
import { createVenue, listVenues } from '$lib/server/meetings/availability-store';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const venues = await listVenues(await getDb(), { includeDisabled: true });
	const created = event.url.searchParams.get('created');
	return {
		venues: venues.map((v) => ({ id: v.id, name: v.name, address: v.address, postcode: v.postcode, privateRoom: v.privateRoom, disabled: v.disabledAt !== null })),
		created: created && venues.some((v) => v.id === created) ? created : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const result = await createVenue(readRaw(venueForm.fields, await event.request.formData()), user.id);
		if (!result.ok) return fail(400, { values: 'raw' in result ? result.raw : null, errors: 'errors' in result ? result.errors : {} });
		redirect(303, `/staff/admin/venues?created=${result.venue.id}#venue-${result.venue.id}`);
	}
};
