import { fail } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import { createStaffAsAdmin, readStaffForm } from '$lib/server/staff-admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await listProgrammesForAdmin();
	return { programmes: programmes.map((p) => ({ id: p.id, name: p.name })) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const form = await event.request.formData();
		const values = readStaffForm(form);
		const password = String(form.get('password') ?? '').slice(0, 400);
		const result = await createStaffAsAdmin(values, password, user.id);
		// The password is never sent back.
		if (!result.ok) return fail(400, { values, errors: result.errors });
		// Shown once, in this response only: it is not cached (no-store) and no page shows it again.
		return {
			created: {
				id: result.staff.id,
				name: result.staff.name,
				email: result.staff.email,
				totpUri: result.totpUri,
				totpSecret: result.totpSecret,
				qrSvg: result.qrSvg,
				recoveryCodes: result.recoveryCodes
			}
		};
	}
};
