import { readRaw } from '$lib/domain/fields';
import { outcomeSettingsForm, outcomeSettingsValues } from '$lib/domain/jobs';
import { settingsPageData, settingsSaved } from '$lib/http/programme-settings';
import { requireStaff } from '$lib/http/guard';
import { outcomeSettingsPage, saveOutcomeSettings } from '$lib/server/casework/job-settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return settingsPageData(await outcomeSettingsPage(event.params.id), event.url, outcomeSettingsValues);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readRaw(outcomeSettingsForm.fields, await event.request.formData());
		return settingsSaved(await saveOutcomeSettings(event.params.id, values, user.id), `/staff/admin/programmes/${event.params.id}/outcomes`);
	}
};
