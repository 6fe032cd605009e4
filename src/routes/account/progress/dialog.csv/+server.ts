import { measureProgress } from '$lib/domain/measures';
import { csvRow } from '$lib/server/export';
import { listCheckIns, scoredDialog } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/server/participants/guard';
import type { RequestHandler } from './$types';

/** The participant's own DIALOG scores as CSV: the same numbers as the progress page's chart and table. */
export const GET: RequestHandler = async (event) => {
	const participant = requireParticipant(event);
	const progress = measureProgress('dialog', scoredDialog(await listCheckIns(participant, 'dialog')));
	const body = [progress.csv.header, ...progress.csv.rows].map(csvRow).join('');
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': 'attachment; filename="dialog-scores.csv"',
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
