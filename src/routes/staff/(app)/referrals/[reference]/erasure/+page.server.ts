import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { erasureRefusalForm } from '$lib/domain/data-rights';
import { formatLongDate, ukDate } from '$lib/domain/uk-time';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { findInProgramme } from '$lib/server/casework/referral-view';
import { carryOutErasure, latestErasureRequest, refuseErasure } from '$lib/server/data-rights/requests';
import { parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const confirmForm = {
	fields: [
		{
			kind: 'checkboxes' as const,
			name: 'confirm',
			label: 'Confirm',
			options: [{ value: 'yes', label: 'I have checked there is no lawful reason to keep this data, and I want to delete it now. This cannot be undone.' }]
		}
	],
	schema: z.object({ confirm: z.array(z.string()).refine((v) => v.includes('yes'), 'Tick the box to confirm you want to delete the data now') })
};

/** A deletion request (staff of the referral's programme): carry it out, or refuse it with a lawful reason and a note. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const row = await orRefuse(findInProgramme(user, event.params.reference));
	const latest = await latestErasureRequest(row.id);
	return {
		reference: row.reference,
		name: row.erasedAt ? null : `${row.givenName} ${row.familyName}`,
		erasedOn: row.erasedAt ? formatLongDate(ukDate(row.erasedAt)) : null,
		request: latest
			? { status: latest.status, asked: formatLongDate(ukDate(latest.requestedAt)), dueBy: formatLongDate(latest.dueBy), reason: latest.reason, refusalReason: latest.refusalReason }
			: null,
		confirmFields: confirmForm.fields,
		refuseFields: erasureRefusalForm.fields
	};
};

export const actions: Actions = {
	carryOut: async (event) => {
		const user = requireStaff(event);
		// Another programme's referral is "not found" whatever was sent.
		await orRefuse(findInProgramme(user, event.params.reference));
		const parsed = await parseForm(confirmForm, event.request);
		if (!parsed.ok) return fail(400, { which: 'carryOut' as const, values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(carryOutErasure({ kind: 'staff', user }, event.params.reference));
		if (!result.ok) return fail(400, { which: 'carryOut' as const, values: parsed.raw, errors: { confirm: result.message } });
		redirect(303, '/staff?done=erased#erasures');
	},
	refuse: async (event) => {
		const user = requireStaff(event);
		await orRefuse(findInProgramme(user, event.params.reference));
		const parsed = await parseForm(erasureRefusalForm, event.request);
		if (!parsed.ok) return fail(400, { which: 'refuse' as const, values: parsed.raw, errors: parsed.errors });
		const result = await orRefuse(refuseErasure({ kind: 'staff', user }, event.params.reference, parsed.values.refusalReason as never, parsed.values.refusalNote));
		if (!result.ok) return fail(400, { which: 'refuse' as const, values: parsed.raw, errors: { refusalReason: result.message } });
		redirect(303, '/staff?done=erasure-refused#erasures');
	}
};
