import { requireStaff } from '$lib/http/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const user = requireStaff(event);
	return { user: { name: user.name, role: user.role, email: user.email } };
};
