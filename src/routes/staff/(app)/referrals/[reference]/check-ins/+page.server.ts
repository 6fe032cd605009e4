import { fail, redirect } from '@sveltejs/kit';
import { DIALOG_AREAS, agreedActionsForm } from '$lib/domain/measures';
import { readRaw } from '$lib/domain/fields';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { checkInsForStaff, saveAgreedActions } from '$lib/server/measures/specialist-view';
import type { Actions, PageServerLoad } from './$types';

/**
 * A participant's check-ins for their specialist: the same progress sections (sentences, chart, table,
 * CSV) as the participant's own page, the DIALOG+ check-ins with the areas chosen to talk about, and the
 * agreed actions. 404 outside the user's programmes; every view is audited ("check-ins.viewed").
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const view = await orRefuse(checkInsForStaff(user, event.params.reference));
	return { ...view, fields: view.latest ? agreedActionsForm(view.latest.areas).fields : [], done: event.url.searchParams.get('done') };
};

export const actions: Actions = {
	/** What was agreed about each area chosen at the latest DIALOG+ check-in. */
	actions: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const checkInId = String(data.get('checkInId') ?? '').slice(0, 100);
		// Every area's box is read; saveAgreedActions keeps the ones the latest check-in chose.
		const raw = readRaw(agreedActionsForm(DIALOG_AREAS.map((a) => a.key)).fields, data);
		const result = await orRefuse(saveAgreedActions(user, event.params.reference, checkInId, raw));
		if (!result.ok) return fail(400, { values: result.values, errors: result.errors });
		redirect(303, `/staff/referrals/${encodeURIComponent(event.params.reference)}/check-ins?done=actions#actions`);
	}
};
