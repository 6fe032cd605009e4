import { ADMINS, requireStaff } from '$lib/server/auth/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event, ADMINS);
	const programmes = await listProgrammesForAdmin();
	return { programmes: programmes.map((p) => ({ ...p, updated: formatUkTimestamp(p.updatedAt) })) };
};
