import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { YOUR_DATA_SCHEMA_PATH, yourDataFor } from '$lib/server/participants/your-data';
import type { PageServerLoad } from './$types';

/** Everything the portal holds about the signed-in person, to read or print, with the JSON download. Audited. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const data = await orRefuse(yourDataFor(participant, 'page'));
	return { data, schemaPath: YOUR_DATA_SCHEMA_PATH };
};
