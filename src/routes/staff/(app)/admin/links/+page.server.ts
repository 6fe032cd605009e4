import { fail, redirect } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { SOURCES, isSourceCode } from '$lib/domain/sources';
import { inPortal } from '$lib/server/audit';
import { requireStaff } from '$lib/http/guard';
import { createLink, linkFormFor, linkUrl, listLinks, publicOrigin } from '$lib/server/links';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const origin = publicOrigin(event.url.origin);
	const [links, programmes, form] = await Promise.all([listLinks(), listProgrammesForAdmin(), linkFormFor()]);
	const names = new Map(programmes.map((p) => [p.id, p.name]));
	const created = event.url.searchParams.get('created');
	return {
		links: links.map((l) => ({
			code: l.code,
			label: l.label,
			url: linkUrl(origin, l.code),
			source: isSourceCode(l.sourceCode) ? SOURCES[l.sourceCode].staffLabel : l.sourceCode,
			odsCode: l.odsCode,
			programme: l.programmeId ? (names.get(l.programmeId) ?? l.programmeId) : null
		})),
		created: created && links.some((l) => l.code === created) ? created : null,
		fields: form.fields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const form = await linkFormFor();
		const result = await createLink(readRaw(form.fields, await event.request.formData()), inPortal(user.id));
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
		const code = result.link.code;
		redirect(303, `/staff/admin/links?created=${encodeURIComponent(code)}#link-${code}`);
	}
};
