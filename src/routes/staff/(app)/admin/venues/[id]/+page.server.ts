import { error, fail, redirect } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { venueForm, venueFormValues } from '$lib/domain/meetings/availability-forms';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { requireStaff } from '$lib/http/guard';
import { getDb } from '$lib/server/db';
import { getVenue, setVenueDisabled, updateVenue, type VenueResult } from '$lib/server/meetings/availability-store';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['saved', 'unchanged', 'disabled', 'enabled'] as const;

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const venue = await getVenue(await getDb(), event.params.id);
	if (!venue) error(404, 'Not found');
	const done = event.url.searchParams.get('done');
	return {
		venue: { id: venue.id, name: venue.name, disabled: venue.disabledAt ? formatUkTimestamp(venue.disabledAt) : null },
		values: venueFormValues(venue),
		done: (DONE as readonly string[]).includes(done ?? '') ? (done as (typeof DONE)[number]) : null
	};
};

function finish(id: string, result: VenueResult, done: (typeof DONE)[number]) {
	if (!result.ok && 'notFound' in result) error(404, 'Not found');
	if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
	redirect(303, `/staff/admin/venues/${id}?done=${result.changed.length ? done : 'unchanged'}`);
}

export const actions: Actions = {
	edit: async (event) => {
		const user = requireStaff(event);
		const values = readRaw(venueForm.fields, await event.request.formData());
		return finish(event.params.id, await updateVenue(event.params.id, values, user.id), 'saved');
	},
	disable: async (event) => {
		const user = requireStaff(event);
		return finish(event.params.id, await setVenueDisabled(event.params.id, true, user.id), 'disabled');
	},
	enable: async (event) => {
		const user = requireStaff(event);
		return finish(event.params.id, await setVenueDisabled(event.params.id, false, user.id), 'enabled');
	}
};
