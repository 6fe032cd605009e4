import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { ruleFor } from '$lib/server/auth/guard';
import { STAFF_COOKIE, clearSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';
import { getConfig } from '$lib/server/config';
import { closeDb, getDb } from '$lib/server/db';
import { describeError, log, newErrorId } from '$lib/server/log';
import { seedProgrammes } from '$lib/server/programmes';
import { seedDemoStaff } from '$lib/server/demo-staff';
import { startNotifier, type Notifier } from '$lib/server/notify/dispatcher';
import { startWebhooks, type WebhookLoop } from '$lib/server/webhooks/loop';
import { startHousekeeping } from '$lib/server/housekeeping';
import { addNosniffToEveryResponse } from '$lib/server/static-headers';

addNosniffToEveryResponse();

let notifier: Notifier | undefined;
let webhooks: WebhookLoop | undefined;
let housekeeping: ReturnType<typeof startHousekeeping> | undefined;

export const init: ServerInit = async () => {
	const config = getConfig();
	await getDb();
	if (config.SEED === 'demo') {
		await seedProgrammes();
		await seedDemoStaff();
	}
	// Staff emails from the event log; state lives in the database, so every instance may run one.
	notifier = startNotifier(config.NOTIFY_POLL_MS);
	// Signed webhooks to case systems, from the same log; a slow receiver never holds up a request.
	webhooks = startWebhooks(config.WEBHOOK_POLL_MS);
	// Expired drafts, sessions and rate-limit windows are deleted hourly.
	housekeeping = startHousekeeping();
};

process.on('sveltekit:shutdown', async (reason) => {
	log.info('shutting down', { reason });
	// Before the database closes: a pass in progress finishes its current email and gives back the rest.
	await notifier?.stop();
	await webhooks?.stop();
	await housekeeping?.stop();
	await closeDb();
});

const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
	// Not no-referrer: browsers then send "Origin: null" on same-origin form posts, which SvelteKit's CSRF check refuses.
	'Referrer-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

/** A small page answered before any route code runs (route table refusals, unreadable form bodies). */
function plainPage(status: number, title: string, paragraph: string): Response {
	const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} - IPS Employment Support</title></head><body><main><h1>${title}</h1><p>${paragraph}</p></main></body></html>`;
	return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function refusal(status: 401 | 403, message: string): Response {
	return plainPage(status, message, '<a href="/staff/sign-in">Sign in</a>');
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * A form post whose body a form action could not read (another content type, a broken multipart body)
 * is answered 400 here, so no action ever fails with 500 on `request.formData()`.
 */
async function unreadableForm(request: Request): Promise<boolean> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return true;
	try {
		await request.clone().formData();
		return false;
	} catch {
		return true;
	}
}

/**
 * Unexpected errors: the log gets an error id, the route and the error's kind and code, never its message
 * (a failed query's message carries the parameters: a whole draft); the person gets a page with the id.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const errorId = newErrorId();
	if (status >= 500) log.error('request failed', { errorId, route: event.route.id, method: event.request.method, status, error: describeError(error) });
	return { message: status === 404 ? 'Page not found' : 'Sorry, there is a problem with the service', errorId };
};

async function authorise(event: RequestEvent): Promise<Response | null> {
	event.locals.staff = null;
	event.locals.staffSession = null;
	const token = event.cookies.get(STAFF_COOKIE);
	if (token) {
		const info = await validateSessionToken(token);
		if (info) {
			event.locals.staffSession = info.session;
			if (info.session.mfaVerifiedAt) event.locals.staff = info.user;
		} else clearSessionCookie(event.cookies);
	}
	const rule = ruleFor(event.url.pathname);
	if (!rule || rule.roles === 'public') return null;
	const user = event.locals.staff;
	if (!user) {
		if (event.request.method === 'GET' || event.request.method === 'HEAD')
			return new Response(null, { status: 303, headers: { location: `/staff/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}` } });
		return refusal(401, 'Sign in to continue');
	}
	if (!rule.roles.includes(user.role)) return refusal(403, 'You do not have access to this page');
	return null;
}

export const handle: Handle = async ({ event, resolve }) => {
	// The API authenticates with bearer keys only: staff cookies are neither read nor touched there.
	const isApi = event.url.pathname.startsWith('/api/');
	let refused = !isApi && (event.url.pathname.startsWith('/staff') || event.cookies.get(STAFF_COOKIE)) ? await authorise(event) : null;
	if (!refused && !isApi && event.request.method === 'POST' && (await unreadableForm(event.request)))
		refused = plainPage(400, 'The form could not be read', 'Go back, check your answers and send the form again.');
	if (!refused && !event.url.pathname.startsWith('/staff')) {
		event.locals.staff ??= null;
		event.locals.staffSession ??= null;
	}
	const response = refused ?? (await resolve(event));
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// Pages can hold personal answers: never keep them in a shared or back-forward cache.
	if (response.headers.get('content-type')?.startsWith('text/html') && !response.headers.has('cache-control'))
		response.headers.set('Cache-Control', 'no-store');
	return response;
};
