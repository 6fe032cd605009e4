import { error } from '@sveltejs/kit';
import { csvDownload } from '$lib/server/export';
import { listAllCheckIns, programmeMeasures } from '$lib/server/measures/check-ins';
import { progressCsv } from '$lib/server/measures/progress-view';
import { requireParticipant } from '$lib/http/guard';
import type { RequestHandler } from './$types';

/** The participant's own scores on one measure as CSV: the same numbers as the progress page's chart and table. */
export const GET: RequestHandler = async (event) => {
	const participant = requireParticipant(event);
	const [rows, measures] = await Promise.all([listAllCheckIns(participant), programmeMeasures(participant.programmeId)]);
	const csv = progressCsv(rows, event.params.instrument, measures.meaningfulChange);
	if (!csv) error(404, 'Not found');
	return csvDownload(csv, `${event.params.instrument}-scores.csv`);
};
