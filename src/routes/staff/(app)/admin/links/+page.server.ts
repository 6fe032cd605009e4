import { fail, redirect } from '@sveltejs/kit';
import { SOURCES, SOURCE_CODES, isSourceCode } from '$lib/domain/sources';
import { requireStaff } from '$lib/server/auth/guard';
import { createLinkAsAdmin, linkUrl, publicOrigin, readLinkForm } from '$lib/server/link-admin';
import { listLinks } from '$lib/server/links';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const origin = publicOrigin(event.url.origin);
	const [links, programmes] = await Promise.all([listLinks(), listProgrammesForAdmin()]);
	const names = new Map(programmes.map((p) => [p.id, p.name]));
	const created = event.url.searchParams.get('created');
	return {
		links: links.map((l) => ({
			code: l.code,
			label: l.label,
			url: linkUrl(origin, l.code),
			source: isSourceCode(l.sourceCode) ? SOURCES[l.sourceCode].label : l.sourceCode,
			odsCode: l.odsCode,
			programme: l.programmeId ? (names.get(l.programmeId) ?? l.programmeId) : null
		})),
		created: created && links.some((l) => l.code === created) ? created : null,
		sources: SOURCE_CODES.map((code) => ({ code, label: SOURCES[code].label })),
		programmes: programmes.map((p) => ({ id: p.id, name: p.name }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const values = readLinkForm(await event.request.formData());
		const result = await createLinkAsAdmin(values, user.id);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/staff/admin/links?created=${encodeURIComponent(result.code)}#link-${result.code}`);
	}
};
