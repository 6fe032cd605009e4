import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { EXPORT_MAX_ROWS, defaultExportValues, exportReferrals, parseExportQuery } from '$lib/server/export';
import type { RequestHandler } from './$types';

/**
 * The CSV download (?programme=&from=&to=, as checked by the export page; without any of them, the form's
 * defaults: this month so far in the user's programmes). Audited as referrals.exported.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const params = event.url.searchParams;
	const asked = params.has('programme') || params.has('from') || params.has('to');
	const parsed = parseExportQuery(user, asked ? params : new URLSearchParams({ ...defaultExportValues(user) }));
	if (!parsed.ok) error(400, Object.values(parsed.errors).join('. '));
	const result = await exportReferrals(user, parsed.filter);
	if (!result.ok) error(400, `More than ${EXPORT_MAX_ROWS} referrals match: choose fewer days`);
	return new Response(result.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${result.filename}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
