import { error, fail, redirect } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { serviceSettingsForm, serviceSettingsValues } from '$lib/domain/service-hours';
import { requireStaff } from '$lib/server/auth/guard';
import { saveServiceSettings, serviceSettingsPage } from '$lib/server/service-calendar';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const found = await serviceSettingsPage(event.params.id);
	if (!found) error(404, 'Not found');
	const saved = event.url.searchParams.get('saved');
	return {
		id: found.id,
		name: found.name,
		version: found.version,
		custom: found.custom,
		values: serviceSettingsValues(found.settings, found.version),
		saved: saved === 'none' ? ('none' as const) : saved && /^\d{1,9}$/.test(saved) ? Number(saved) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readRaw(serviceSettingsForm.fields, await event.request.formData());
		const result = await saveServiceSettings(event.params.id, values, user.id);
		if (!result.ok && 'notFound' in result) error(404, 'Not found');
		if (!result.ok) return fail(result.errors.version ? 409 : 400, { values: result.raw, errors: result.errors });
		redirect(303, `/staff/admin/programmes/${event.params.id}/service?saved=${result.changed.length ? result.version : 'none'}`);
	}
};
