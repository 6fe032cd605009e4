import { requireStaff } from '$lib/http/guard';
import { programmeRangeFields } from '$lib/domain/range-form';
import { defaultReportValues, parseReportQuery, reportProgrammes, reportQuery, wellbeingReport } from '$lib/server/measures/report';
import { outcomesChartData } from '$lib/domain/outcomes-report';
import { outcomesReport } from '$lib/server/reports/outcomes';
import { getConfig } from '$lib/server/config';
import type { PageServerLoad } from './$types';

/**
 * The outcomes report (every staff role, for their own programmes only): each step from a link to a job,
 * per link, GP practice, DWP category and month, by the equality answers people gave, and in total, with
 * conversions and figures, charts (the funnel, rates by month), the wellbeing change of the same dates, and two
 * CSVs (the table's numbers, and for sharing with small numbers suppressed). A GET form, as the wellbeing report.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await reportProgrammes(user);
	// The wellbeing report's form (and its checks), with hints about this report's dates.
	const fields = programmeRangeFields(
		programmes,
		'Choose a programme',
		'The first day to count (UK time): link visits, checks and referrals from this day. For example 1/4/2026 or 2026-04-01',
		'The last day to count, for example 31/3/2027'
	);
	const params = event.url.searchParams;
	const asked = params.has('programme') || params.has('from') || params.has('to');
	if (!asked) return { fields, values: defaultReportValues(programmes), errors: {} as Record<string, string>, result: null };
	const parsed = parseReportQuery(user, programmes, params);
	if (!parsed.ok) return { fields, values: parsed.values, errors: parsed.errors, result: null };
	const [report, wellbeing] = await Promise.all([
		outcomesReport({ programmeIds: [parsed.filter.programmeId], from: parsed.filter.from, to: parsed.filter.to }),
		wellbeingReport(user, parsed.filter)
	]);
	const query = reportQuery(parsed.filter);
	return {
		fields,
		values: parsed.values,
		errors: {} as Record<string, string>,
		result: {
			programmeName: programmes.find((p) => p.id === parsed.filter.programmeId)?.name ?? parsed.filter.programmeId,
			report,
			chart: outcomesChartData(report),
			wellbeing: wellbeing ? { participants: wellbeing.participants, table: wellbeing.report.table, href: `/staff/reports/wellbeing?${query}#result` } : null,
			csv: `/staff/reports/outcomes/outcomes.csv?${query}`,
			sharingCsv: `/staff/reports/outcomes/outcomes.csv?${query}&sharing=1`,
			threshold: getConfig().REPORT_SMALL_NUMBER
		}
	};
};
