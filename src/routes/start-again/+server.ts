import { redirect } from '@sveltejs/kit';
import { clearDraftCookie } from '$lib/server/journey';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies }) => {
	clearDraftCookie(cookies);
	redirect(303, '/');
};
