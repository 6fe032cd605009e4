import { error } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import { requireStaff } from '$lib/http/guard';
import { parseReportQueryOrDefaults, reportCsv, reportProgrammes, wellbeingReport } from '$lib/server/measures/report';
import type { RequestHandler } from './$types';

/** The report as CSV (?programme=&from=&to=, as the page checks them, else its defaults): the table's numbers. Audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const programmes = await reportProgrammes(user);
	const params = event.url.searchParams;
	const parsed = parseReportQueryOrDefaults(user, programmes, params);
	if (!parsed.ok) error(400, Object.values(parsed.errors).join('. '));
	const found = await wellbeingReport(user, parsed.filter);
	if (!found) error(404, 'Not found');
	await recordAudit({ staffId: user.id, action: 'wellbeing_report.exported', programmeId: parsed.filter.programmeId, detail: { from: parsed.filter.from, to: parsed.filter.to } });
	return new Response(reportCsv(found.report), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="wellbeing-${parsed.filter.programmeId}-${parsed.filter.from}-to-${parsed.filter.to}.csv"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
