import { requireStaff } from '$lib/http/guard';
import { EXPORT_MAX_ROWS, countForExport, defaultExportValues, exportFields, exportProgrammes, exportQuery, parseExportQuery } from '$lib/server/export';
import type { PageServerLoad } from './$types';

/**
 * The export form (team leads and administrators). It is a GET form: the query is checked here, errors are
 * shown with the error summary, and a valid one shows how many referrals match and the download link.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const programmes = await exportProgrammes(user);
	const fields = exportFields(programmes);
	const params = event.url.searchParams;
	const asked = params.has('programme') || params.has('from') || params.has('to');
	if (!asked) return { fields, values: defaultExportValues(user), errors: {} as Record<string, string>, result: null };
	const parsed = parseExportQuery(user, params);
	if (!parsed.ok) return { fields, values: parsed.values, errors: parsed.errors, result: null };
	const count = await countForExport(user, parsed.filter);
	return {
		fields,
		values: { programme: parsed.filter.programmeId ?? '', from: parsed.filter.from, to: parsed.filter.to },
		errors: {} as Record<string, string>,
		result: {
			count,
			tooMany: count > EXPORT_MAX_ROWS,
			max: EXPORT_MAX_ROWS,
			href: `/staff/export/referrals.csv?${exportQuery(parsed.filter)}`,
			programmeName: parsed.filter.programmeId ? (programmes.find((p) => p.id === parsed.filter.programmeId)?.name ?? parsed.filter.programmeId) : 'all your programmes',
			from: parsed.filter.from,
			to: parsed.filter.to
		}
	};
};
