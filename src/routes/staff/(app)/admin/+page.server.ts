import { ADMINS, requireStaff } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event, ADMINS);
	return { name: user.name };
};
