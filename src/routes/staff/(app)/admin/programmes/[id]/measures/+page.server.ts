import { error, fail, redirect } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { measuresSettingsFields, measuresSettingsValues, postedRows } from '$lib/domain/measures/settings-form';
import { BLANK_POINT_ROWS } from '$lib/domain/measures/schedule';
import { requireStaff } from '$lib/server/auth/guard';
import { measuresSettingsPage, saveMeasuresSettings } from '$lib/server/measures/settings-store';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const found = await measuresSettingsPage(event.params.id);
	if (!found) error(404, 'Not found');
	const saved = event.url.searchParams.get('saved');
	return {
		id: found.id,
		name: found.name,
		version: found.version,
		custom: found.custom,
		licence: found.settings.eq5d5lLicence,
		rows: found.settings.schedule.points.length + BLANK_POINT_ROWS,
		values: measuresSettingsValues(found.settings, found.version),
		saved: saved === 'none' ? ('none' as const) : saved && /^\d{1,9}$/.test(saved) ? Number(saved) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const form = await event.request.formData();
		const rows = postedRows(form);
		// Every questionnaire is read back, so a box ticked for EQ-5D-5L without the licence is shown with its error.
		const values = readRaw(measuresSettingsFields(true, rows), form);
		const result = await saveMeasuresSettings(event.params.id, values, rows, user.id);
		if (!result.ok && 'notFound' in result) error(404, 'Not found');
		if (!result.ok) {
			const chosen = Object.entries(values).some(([k, v]) => k.endsWith('-instruments') && Array.isArray(v) && v.includes('eq5d5l'));
			const licence = (Array.isArray(values.eq5d5lLicence) && values.eq5d5lLicence.includes('yes')) || chosen;
			return fail(result.errors.version ? 409 : 400, { values: result.raw, errors: result.errors, rows, licence });
		}
		redirect(303, `/staff/admin/programmes/${event.params.id}/measures?saved=${result.changed.length ? result.version : 'none'}`);
	}
};
