import { requireParticipant } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { yourDataDownload } from '$lib/http/your-data';
import { yourDataFor } from '$lib/server/participants/your-data';
import type { RequestHandler } from './$types';

/** The signed-in person's data as a JSON file (schema: /api/v1/schema/your-data.json). Audited. */
export const GET: RequestHandler = async (event) => {
	const participant = requireParticipant(event);
	return yourDataDownload(await orRefuse(yourDataFor(participant, 'json')));
};
