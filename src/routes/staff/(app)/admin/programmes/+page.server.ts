import { requireStaff } from '$lib/http/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await listProgrammesForAdmin();
	return { programmes: programmes.map((p) => ({ ...p, updated: formatUkTimestamp(p.updatedAt) })) };
};
