import { requireStaff } from '$lib/http/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return { name: user.name };
};
