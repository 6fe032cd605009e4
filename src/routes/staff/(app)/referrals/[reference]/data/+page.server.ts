import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { YOUR_DATA_SCHEMA_PATH, subjectAccessExport } from '$lib/server/participants/your-data';
import type { PageServerLoad } from './$types';

/** A subject access request: everything held about the person, as they see it themselves. 404 outside the user's programmes; audited. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const data = await orRefuse(subjectAccessExport(user, event.params.reference, 'page'));
	return { data, schemaPath: YOUR_DATA_SCHEMA_PATH };
};
