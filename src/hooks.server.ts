import type { Handle, ServerInit } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { closeDb, getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { seedProgrammes } from '$lib/server/programmes';

export const init: ServerInit = async () => {
	const config = getConfig();
	await getDb();
	if (config.SEED === 'demo') await seedProgrammes();
};

process.on('sveltekit:shutdown', async (reason) => {
	log.info('shutting down', { reason });
	await closeDb();
});

const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
	'Referrer-Policy': 'no-referrer',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// Pages can hold personal answers: never keep them in a shared or back-forward cache.
	if (response.headers.get('content-type')?.startsWith('text/html') && !response.headers.has('cache-control'))
		response.headers.set('Cache-Control', 'no-store');
	return response;
};
