import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { yourDataDownload } from '$lib/http/your-data';
import { subjectAccessExport } from '$lib/server/participants/your-data';
import type { RequestHandler } from './$types';

/** The person's data as the JSON file they would download themselves. 404 outside the user's programmes; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	return yourDataDownload(await orRefuse(subjectAccessExport(user, event.params.reference, 'json')));
};
