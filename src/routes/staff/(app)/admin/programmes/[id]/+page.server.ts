import { error, fail, redirect } from '@sveltejs/kit';
import { alternativeRows, programmeForm, programmeFormValues } from '$lib/domain/programme-form';
import { requireStaff } from '$lib/http/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { parseForm } from '$lib/server/forms';
import { getEditableProgramme, listProgrammesForAdmin, listRevisions, updateProgramme } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const found = await getEditableProgramme(event.params.id);
	if (!found) error(404, 'Not found');
	const [revisions, all] = await Promise.all([listRevisions(event.params.id), listProgrammesForAdmin()]);
	const others = all.filter((p) => p.id !== found.programme.id).map((p) => ({ id: p.id, name: p.name }));
	const values = programmeFormValues(found.programme, found.version);
	const saved = event.url.searchParams.get('saved');
	return {
		id: found.programme.id,
		kind: found.programme.kind,
		name: found.programme.name,
		version: found.version,
		fromSeed: found.seedVersion !== null,
		others,
		values,
		revisions: revisions.map((r) => ({ version: r.version, by: r.staffName ? `${r.staffName} (${r.staffEmail})` : null, at: formatUkTimestamp(r.at) })),
		saved: saved === 'none' ? ('none' as const) : saved && /^\d+$/.test(saved) ? Number(saved) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const found = await getEditableProgramme(event.params.id);
		if (!found) error(404, 'Not found');
		const data = await event.request.formData();
		const all = await listProgrammesForAdmin();
		const others = all.filter((p) => p.id !== found.programme.id).map((p) => ({ id: p.id, name: p.name }));
		const form = programmeForm(found.programme, all.map((p) => p.id), others, alternativeRows(data));
		const parsed = await parseForm(form, data);
		if (!parsed.ok) return fail(400, { values: parsed.raw, errors: parsed.errors });
		const saved = await updateProgramme(found.programme.id, parsed.values.programme, user.id, parsed.values.version);
		if (!saved.ok) {
			if (saved.reason === 'not-found') error(404, 'Not found');
			// Someone saved a newer version since this form was opened: say so, and let a second save overwrite it knowingly.
			return fail(409, {
				values: { ...parsed.raw, version: String(saved.currentVersion) },
				errors: {
					version: `Someone else saved version ${saved.currentVersion} of this programme after you opened it. Check your changes below against theirs (open the programme in a new tab), then save again to replace it.`
				}
			});
		}
		redirect(303, `/staff/admin/programmes/${found.programme.id}?saved=${saved.changed.length ? saved.version : 'none'}`);
	}
};
