import { fail } from '@sveltejs/kit';
import { readRaw } from '$lib/domain/fields';
import { inPortal } from '$lib/server/audit';
import { requireStaff } from '$lib/http/guard';
import { createStaffAccount, staffAccountForm } from '$lib/server/staff/accounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return { fields: (await staffAccountForm()).fields };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireStaff(event);
		const { fields } = await staffAccountForm();
		const result = await createStaffAccount(readRaw(fields, await event.request.formData()), inPortal(user.id));
		// The password is never sent back.
		if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
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
