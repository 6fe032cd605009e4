import { requireStaff } from '$lib/http/guard';
import { listProgrammesForAdmin } from '$lib/server/programmes';
import { listStaffForAdmin } from '$lib/server/staff/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const [people, programmes] = await Promise.all([listStaffForAdmin(), listProgrammesForAdmin()]);
	const names = new Map(programmes.map((p) => [p.id, p.name]));
	return { people: people.map((p) => ({ ...p, programmes: p.programmeIds.map((id) => names.get(id) ?? id) })) };
};
