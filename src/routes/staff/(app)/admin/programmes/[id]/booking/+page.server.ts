import { readRaw } from '$lib/domain/fields';
import { bookingSettingsForm, bookingSettingsValues } from '$lib/domain/meetings/availability-forms';
import { settingsPageData, settingsSaved } from '$lib/http/programme-settings';
import { requireStaff } from '$lib/http/guard';
import { bookingSettingsPage, saveBookingSettings } from '$lib/server/meetings/availability-store';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return settingsPageData(await bookingSettingsPage(event.params.id), event.url, bookingSettingsValues);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readRaw(bookingSettingsForm.fields, await event.request.formData());
		return settingsSaved(await saveBookingSettings(event.params.id, values, user.id), `/staff/admin/programmes/${event.params.id}/booking`);
	}
};
