import { readRaw } from '$lib/domain/fields';
import { serviceSettingsForm, serviceSettingsValues } from '$lib/domain/service-hours';
import { settingsPageData, settingsSaved } from '$lib/http/programme-settings';
import { requireStaff } from '$lib/http/guard';
import { saveServiceSettings, serviceSettingsPage } from '$lib/server/service-calendar';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return settingsPageData(await serviceSettingsPage(event.params.id), event.url, serviceSettingsValues);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readRaw(serviceSettingsForm.fields, await event.request.formData());
		return settingsSaved(await saveServiceSettings(event.params.id, values, user.id), `/staff/admin/programmes/${event.params.id}/service`);
	}
};
