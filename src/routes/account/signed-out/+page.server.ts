import type { PageServerLoad } from './$types';

// Public by design (PARTICIPANT_ROUTE_RULES): where signing out ends.
export const load: PageServerLoad = async ({ url }) => ({ everywhere: url.searchParams.has('everywhere') });
