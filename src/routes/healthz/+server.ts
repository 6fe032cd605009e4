import { json } from '@sveltejs/kit';
import { checkDatabase } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const database = await checkDatabase();
	return json({ status: database.ok ? 'ok' : 'unavailable', database }, { status: database.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
