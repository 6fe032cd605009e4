import { inboxFilterFields, inboxFilterForm } from '$lib/domain/casework';
import { requireStaff } from '$lib/server/auth/guard';
import { listCaseloads, listInbox, staffInProgrammes } from '$lib/server/casework';
import { parseForm } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

/** The inbox: referrals in the user's programmes (open ones by default), overdue first, with caseloads. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const [caseloads, staff] = await Promise.all([listCaseloads(user), staffInProgrammes(user.programmeIds)]);
	const filterForm = inboxFilterForm(
		caseloads.map((p) => ({ id: p.programmeId, name: p.programmeName })),
		staff
	);
	const parsed = await parseForm(filterForm, event.url.searchParams);
	// The filter schema falls back to a default for anything unexpected, so it always parses.
	const filters = parsed.ok ? parsed.values : inboxFilterForm().schema.parse({});
	const inbox = await listInbox(user, filters);
	return { filters, filterFields: inboxFilterFields(filterForm, caseloads.length), filterValues: parsed.raw, inbox, caseloads, staff, userId: user.id };
};
