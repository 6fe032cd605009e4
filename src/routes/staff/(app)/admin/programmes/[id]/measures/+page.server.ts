import { readRaw } from '$lib/domain/fields';
import { measuresSettingsFields, measuresSettingsValues, postedRows } from '$lib/domain/measures/settings-form';
import { BLANK_POINT_ROWS } from '$lib/domain/measures/schedule';
import { settingsPageData, settingsSaved } from '$lib/http/programme-settings';
import { requireStaff } from '$lib/http/guard';
import { measuresSettingsPage, saveMeasuresSettings } from '$lib/server/measures/settings-store';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return settingsPageData(await measuresSettingsPage(event.params.id), event.url, measuresSettingsValues, (settings) => ({
		licence: settings.eq5d5lLicence,
		rows: settings.schedule.points.length + BLANK_POINT_ROWS
	}));
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const form = await event.request.formData();
		const rows = postedRows(form);
		// Every questionnaire is read back, so a box ticked for EQ-5D-5L without the licence is shown with its error.
		const values = readRaw(measuresSettingsFields(true, rows), form);
		const chosen = Object.entries(values).some(([k, v]) => k.endsWith('-instruments') && Array.isArray(v) && v.includes('eq5d5l'));
		const licence = (Array.isArray(values.eq5d5lLicence) && values.eq5d5lLicence.includes('yes')) || chosen;
		const result = await saveMeasuresSettings(event.params.id, values, rows, user.id);
		return settingsSaved(result, `/staff/admin/programmes/${event.params.id}/measures`, { rows, licence });
	}
};
