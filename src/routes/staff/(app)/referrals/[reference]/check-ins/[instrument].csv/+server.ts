import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { csvDownload } from '$lib/server/export';
import { checkInsCsvForStaff } from '$lib/server/measures/specialist-view';
import type { RequestHandler } from './$types';

/** One measure's scores for the specialist: the same numbers as the page. 404 outside the user's programmes; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const found = await orRefuse(checkInsCsvForStaff(user, event.params.reference, event.params.instrument));
	if (!found) error(404, 'Not found');
	return csvDownload(found.csv, `${found.reference}-${event.params.instrument}-scores.csv`);
};
