import { error, fail, redirect } from '@sveltejs/kit';
import { ADMINS, requireStaff } from '$lib/server/auth/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import {
	getEditableProgramme,
	listProgrammesForAdmin,
	listRevisions,
	programmeFormValues,
	readProgrammeForm,
	updateProgramme,
	validateProgrammeForm
} from '$lib/server/programme-admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event, ADMINS);
	const found = await getEditableProgramme(event.params.id);
	if (!found) error(404, 'Not found');
	const [revisions, all] = await Promise.all([listRevisions(event.params.id), listProgrammesForAdmin()]);
	const saved = event.url.searchParams.get('saved');
	return {
		id: found.programme.id,
		kind: found.programme.kind,
		name: found.programme.name,
		version: found.version,
		fromSeed: found.seedVersion !== null,
		values: programmeFormValues(found.programme, found.version),
		others: all.filter((p) => p.id !== found.programme.id).map((p) => ({ id: p.id, name: p.name })),
		revisions: revisions.map((r) => ({ version: r.version, by: r.staffName ? `${r.staffName} (${r.staffEmail})` : null, at: formatUkTimestamp(r.at) })),
		saved: saved === 'none' ? ('none' as const) : saved && /^\d+$/.test(saved) ? Number(saved) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event, ADMINS);
		const found = await getEditableProgramme(event.params.id);
		if (!found) error(404, 'Not found');
		const values = readProgrammeForm(await event.request.formData());
		const ids = (await listProgrammesForAdmin()).map((p) => p.id);
		const result = validateProgrammeForm(values, found.programme, ids);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		const expected = /^\d+$/.test(values.version) ? Number(values.version) : undefined;
		const saved = await updateProgramme(found.programme.id, result.programme, user.id, expected);
		if (!saved.ok) {
			if (saved.reason === 'not-found') error(404, 'Not found');
			// Someone saved a newer version since this form was opened: say so, and let a second save overwrite it knowingly.
			return fail(409, {
				values: { ...values, version: String(saved.currentVersion) },
				errors: {
					version: `Someone else saved version ${saved.currentVersion} of this programme after you opened it. Check your changes below against theirs (open the programme in a new tab), then save again to replace it.`
				}
			});
		}
		redirect(303, `/staff/admin/programmes/${found.programme.id}?saved=${saved.changed.length ? saved.version : 'none'}`);
	}
};
