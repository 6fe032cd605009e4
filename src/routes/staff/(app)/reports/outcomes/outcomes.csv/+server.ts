import { error } from '@sveltejs/kit';
import { outcomesCsvRows } from '$lib/domain/outcomes-report';
import { recordAudit } from '$lib/server/audit';
import { getConfig } from '$lib/server/config';
import { csvRow } from '$lib/server/export';
import { requireStaff } from '$lib/http/guard';
import { parseReportQueryOrDefaults, reportProgrammes } from '$lib/server/measures/report';
import { outcomesReport } from '$lib/server/reports/outcomes';
import type { RequestHandler } from './$types';

/**
 * The outcomes report as CSV (?programme=&from=&to= as the page checks them, else its defaults): the table's
 * numbers; with &sharing=1, counts 1 to REPORT_SMALL_NUMBER-1 as "<5", said in its first line. Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const programmes = await reportProgrammes(user);
	const params = event.url.searchParams;
	const parsed = parseReportQueryOrDefaults(user, programmes, params);
	if (!parsed.ok) error(400, Object.values(parsed.errors).join('. '));
	const sharing = params.get('sharing') === '1';
	const report = await outcomesReport({ programmeIds: [parsed.filter.programmeId], from: parsed.filter.from, to: parsed.filter.to });
	const csv = outcomesCsvRows(report, { sharing, threshold: getConfig().REPORT_SMALL_NUMBER });
	await recordAudit({ staffId: user.id, action: 'outcomes_report.exported', programmeId: parsed.filter.programmeId, detail: { from: parsed.filter.from, to: parsed.filter.to, sharing } });
	return new Response((csv.note ? csvRow([csv.note]) : '') + [csv.header, ...csv.rows].map(csvRow).join(''), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="outcomes-${parsed.filter.programmeId}-${parsed.filter.from}-to-${parsed.filter.to}${sharing ? '-for-sharing' : ''}.csv"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
