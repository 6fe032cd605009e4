import { listAllCheckIns, programmeMeasures } from '$lib/server/measures/check-ins';
import { progressViews } from '$lib/server/measures/progress-view';
import { requireParticipant } from '$lib/http/guard';
import type { PageServerLoad } from './$types';

/**
 * The one participant page with JavaScript: a plain script (src/lib/client/progress-chart-main.ts) draws
 * the charts; the SvelteKit client is not loaded (csr stays false, as on every participant page). With
 * JavaScript off, the tables and the sentences are the page. In the person's language (measures' own names
 * and DIALOG+'s areas stay in English).
 */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const [rows, measures] = await Promise.all([listAllCheckIns(participant), programmeMeasures(participant.programmeId)]);
	return { views: progressViews(rows, measures.meaningfulChange, undefined, event.locals.locale) };
};
