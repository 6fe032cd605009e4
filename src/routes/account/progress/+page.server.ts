import { measureProgress } from '$lib/domain/measures';
import { listCheckIns, scoredDialog } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/server/participants/guard';
import type { PageServerLoad } from './$types';

/**
 * The one participant page with JavaScript: it draws the chart (src/lib/client/progress-chart.ts). With
 * JavaScript off, the table and the sentences are the page. Every other page keeps csr = false.
 */
export const csr = true;

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const rows = await listCheckIns(participant, 'dialog');
	const progress = measureProgress('dialog', scoredDialog(rows));
	return {
		dialog: {
			title: progress.title,
			chart: progress.chart,
			table: progress.table,
			sentences: progress.sentences,
			range: { min: progress.lines[0].min, max: progress.lines[0].max },
			count: rows.length
		}
	};
};
