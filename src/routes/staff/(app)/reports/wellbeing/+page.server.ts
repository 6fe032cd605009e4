import { requireStaff } from '$lib/http/guard';
import { defaultReportValues, parseReportQuery, reportFields, reportProgrammes, reportQuery, wellbeingReport } from '$lib/server/measures/report';
import type { PageServerLoad } from './$types';

/**
 * The wellbeing report (every staff role, for their own programmes only). A GET form: the query is checked
 * here, errors are shown beside the fields, and a valid one shows the chart, the table and the CSV link.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await reportProgrammes(user);
	const fields = reportFields(programmes);
	const params = event.url.searchParams;
	const asked = params.has('programme') || params.has('from') || params.has('to');
	if (!asked) return { fields, values: defaultReportValues(programmes), errors: {} as Record<string, string>, result: null };
	const parsed = parseReportQuery(user, programmes, params);
	if (!parsed.ok) return { fields, values: parsed.values, errors: parsed.errors, result: null };
	const found = await wellbeingReport(user, parsed.filter);
	if (!found) return { fields, values: parsed.values, errors: { programme: 'Choose one of your programmes' }, result: null };
	return {
		fields,
		values: parsed.values,
		errors: {} as Record<string, string>,
		result: {
			programmeName: programmes.find((p) => p.id === parsed.filter.programmeId)?.name ?? parsed.filter.programmeId,
			from: parsed.filter.from,
			to: parsed.filter.to,
			participants: found.participants,
			chart: found.report.chart,
			table: found.report.table,
			href: `/staff/reports/wellbeing/wellbeing.csv?${reportQuery(parsed.filter)}`
		}
	};
};
