import { parseInboxFilters } from '$lib/domain/casework';
import { requireStaff } from '$lib/server/auth/guard';
import { listCaseloads, listInbox, staffInProgrammes } from '$lib/server/casework';
import type { PageServerLoad } from './$types';

/** The inbox: referrals in the user's programmes (open ones by default), overdue first, with caseloads. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const filters = parseInboxFilters(event.url.searchParams);
	const [inbox, caseloads, staff] = await Promise.all([listInbox(user, filters), listCaseloads(user), staffInProgrammes(user.programmeIds)]);
	return { filters, inbox, caseloads, staff, userId: user.id };
};
