import { requireStaff } from '$lib/server/auth/guard';
import { ukDateTime } from '$lib/server/audit';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await listProgrammesForAdmin();
	return { programmes: programmes.map((p) => ({ ...p, updated: ukDateTime(p.updatedAt) })) };
};
