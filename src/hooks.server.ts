import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { PARTICIPANT_AREA, STAFF_AREA, decideAccess, inArea, looksLikeAreaPath, signInLocation, type AreaRules } from '$lib/server/auth/route-rules';
import { participantSessions, staffSessions, type ParticipantUser, type SessionInfo, type StaffUser } from '$lib/server/auth/sessions';
import type { ParticipantSession, Session } from '$lib/server/db/schema';
import { getConfig } from '$lib/server/config';
import { closeDb, getDb } from '$lib/server/db';
import { isDatabaseUnavailable, unavailableDetails } from '$lib/server/db/faults';
import { markStopping } from '$lib/server/health';
import { apiUnavailable, unavailablePage } from '$lib/server/unavailable';
import { describeError, log, newErrorId } from '$lib/server/log';
import { seedProgrammes } from '$lib/server/programmes';
import { seedDemoStaff } from '$lib/server/demo-staff';
import { seedDemoAvailability } from '$lib/server/meetings/demo-availability';
import { startNotifier, type Notifier } from '$lib/server/notify/dispatcher';
import { startWebhooks, type WebhookLoop } from '$lib/server/webhooks/loop';
import { startHousekeeping } from '$lib/server/housekeeping';
import { backupFolder, startBackups } from '$lib/server/backup';
import { addNosniffToEveryResponse } from '$lib/server/static-headers';
import { actionNameOf, isRefusedActionName } from '$lib/server/form-actions';
import { apiError, isCleanApiText } from '$lib/server/api/errors';
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE, alwaysEnglish, requestLocale, withLocale } from '$lib/server/i18n';
import { LOCALE_INFO, isLocale } from '$lib/i18n/locales';

addNosniffToEveryResponse();

let notifier: Notifier | undefined;
let webhooks: WebhookLoop | undefined;
let housekeeping: ReturnType<typeof startHousekeeping> | undefined;
let backups: ReturnType<typeof startBackups> | undefined;

export const init: ServerInit = async () => {
	const config = getConfig();
	await getDb();
	if (config.SEED === 'demo') {
		await seedProgrammes();
		await seedDemoStaff();
		// Venues and weekly hours for the demo specialists, so a new referral can book at once.
		await seedDemoAvailability();
	}
	// Staff emails from the event log; state lives in the database, so every instance may run one.
	notifier = startNotifier(config.NOTIFY_POLL_MS);
	// Signed webhooks to case systems, from the same log; a slow receiver never holds up a request.
	webhooks = startWebhooks(config.WEBHOOK_POLL_MS);
	// Expired drafts, sessions and rate-limit windows are deleted hourly.
	housekeeping = startHousekeeping();
	// The embedded database is this process's alone, so the portal backs it up itself (BACKUP_DIR).
	if (config.BACKUP_DIR) backups = startBackups(backupFolder(config.BACKUP_DIR), config.BACKUP_INTERVAL_MINUTES * 60_000, config.BACKUP_KEEP);
};

process.on('sveltekit:shutdown', async (reason) => {
	log.info('shutting down', { reason });
	// Load balancers stop sending people here (readiness answers 503 from now on).
	markStopping();
	// The server takes no new connections, but a request whose client hung up may still be running.
	await requestsDone(10_000);
	// Before the database closes: a pass in progress finishes its current email and gives back the rest.
	await notifier?.stop();
	await webhooks?.stop();
	await housekeeping?.stop();
	await backups?.stop();
	await closeDb({ forGood: true });
	// Nothing left should hold the process; if something does, a stopping server must still stop.
	setTimeout(() => {
		log.warn('still running 5 s after shutting down: exiting', { holding: process.getActiveResourcesInfo() });
		process.exit(0);
	}, 5000).unref();
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

/**
 * Marks a response the hook answered itself, so no load, action or endpoint ran for it. The role matrix
 * (tests/e2e/role-matrix.spec.ts) checks for it on every refusal it expects from the route table.
 */
const GUARD_HEADER = 'x-ips-guard';

function refusal(status: 401 | 403 | 404, message: string, signIn: string): Response {
	const response = status === 404 ? plainPage(404, 'Page not found', 'If you typed the web address, check it is correct.') : plainPage(status, message, `<a href="${signIn}">Sign in</a>`);
	response.headers.set(GUARD_HEADER, 'refused');
	return response;
}

/** 404 for a form post to an action that cannot exist: JSON for `accept: application/json`, else a page. */
function noSuchAction(request: Request): Response {
	if (/application\/json/i.test(request.headers.get('accept') ?? ''))
		return new Response(JSON.stringify({ type: 'error', error: { message: 'Not Found' } }), { status: 404, headers: { 'content-type': 'application/json' } });
	return plainPage(404, 'Page not found', 'If you typed the web address, check it is correct.');
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * A form post whose body a form action could not read (another content type, a broken multipart body)
 * is answered 400 here, so no action ever fails with 500 on `request.formData()`.
 */
async function unreadableForm(request: Request): Promise<boolean> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) {
		// Read the body (adapter-node's BODY_SIZE_LIMIT bounds it) before answering, so a client still
		// sending is answered with the 400 instead of a broken connection.
		await request.arrayBuffer().catch(() => undefined);
		return true;
	}
	// A urlencoded body always reads (bad escapes are kept as they are); only multipart can be broken, so
	// only multipart is read here ahead of the action.
	if (type !== 'multipart/form-data') return false;
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
	if (isDatabaseUnavailable(error)) {
		// `handle` answers 503 with Retry-After instead of the error page (see answeredUnavailable).
		databaseWasUnavailable.add(event.locals);
		log.warn('request failed: database unavailable', { errorId, route: event.route.id, method: event.request.method, ...unavailableDetails(error), error: describeError(error) });
		return { message: 'Sorry, try again in a minute', errorId };
	}
	if (status >= 500) log.error('request failed', { errorId, route: event.route.id, method: event.request.method, status, error: describeError(error) });
	return { message: status === 404 ? 'Page not found' : 'Sorry, there is a problem with the service', errorId };
};

/** A signed-in area as the hook sees it: its route table, its sessions, and where its user goes in locals. */
interface HookArea<S, U> {
	rules: AreaRules<unknown, U>;
	sessions: {
		cookie: string;
		validate(token: string): Promise<SessionInfo<S, U> | null>;
		setCookie: typeof staffSessions.setCookie;
		clearCookie: typeof staffSessions.clearCookie;
	};
	/** Puts a valid session (and its user, when usable) into locals. */
	remember(locals: App.Locals, info: SessionInfo<S, U>): void;
	user(locals: App.Locals): U | null;
}

const STAFF: HookArea<Session, StaffUser> = {
	rules: STAFF_AREA,
	sessions: staffSessions,
	remember(locals, info) {
		locals.staffSession = info.session;
		// Usable for staff pages only once the authenticator code was accepted.
		if (info.session.mfaVerifiedAt) locals.staff = info.user;
	},
	user: (locals) => locals.staff
};

const PARTICIPANT: HookArea<ParticipantSession, ParticipantUser> = {
	rules: PARTICIPANT_AREA,
	sessions: participantSessions,
	remember(locals, info) {
		locals.participant = info.user;
	},
	user: (locals) => locals.participant
};

/** Whether the request is in the area: its route by id, or (matching no route) a path that decodes to the area. */
function inside(event: RequestEvent, area: HookArea<unknown, unknown>): boolean {
	return inArea(area.rules, event.route.id) || (event.route.id === null && looksLikeAreaPath(area.rules, event.url.pathname));
}

/**
 * Reads the area's session from its own cookie (setting the cookie again when its expiry slid) and, for a
 * request in the area, applies the area's route table by route id (`decideAccess`, as the in-route guard
 * does). A refusal is answered here, before any route code runs: a path in the area that matches no route,
 * or a route missing from the table, is 404; no session is sign in (303 for GET and HEAD, else 401); a
 * staff role the table does not give the route is 403.
 */
async function authorise<S extends { expiresAt: Date }, U>(event: RequestEvent, area: HookArea<S, U>, inTheArea: boolean): Promise<Response | null> {
	const token = event.cookies.get(area.sessions.cookie);
	let slid: Date | null = null;
	if (token) {
		const info = await area.sessions.validate(token);
		if (info) {
			area.remember(event.locals, info);
			// As in the Lucia guide: the browser's cookie must not end before the session it carries.
			if (info.extended) {
				area.sessions.setCookie(event.cookies, token, info.session.expiresAt);
				slid = info.session.expiresAt;
			}
		} else area.sessions.clearCookie(event.cookies);
	}
	if (!inTheArea) return null;
	const refused = areaRefusal(event, area.rules, area.user(event.locals));
	// Cookies set through event.cookies only reach responses made by resolve(): add the slid one by hand.
	if (refused && token && slid) refused.headers.append('set-cookie', cookieHeader(event, area.sessions.cookie, token, slid));
	return refused;
}

function areaRefusal<U>(event: RequestEvent, rules: AreaRules<unknown, U>, user: U | null): Response | null {
	switch (decideAccess(rules, event.route.id, user)) {
		case 'not-found':
			return refusal(404, 'Page not found', rules.signIn);
		case 'sign-in':
			if (event.request.method === 'GET' || event.request.method === 'HEAD')
				return new Response(null, { status: 303, headers: { location: signInLocation(rules, event.url), [GUARD_HEADER]: 'refused' } });
			return refusal(401, 'Sign in to continue', rules.signIn);
		case 'forbidden':
			return refusal(403, 'You do not have access to this page', rules.signIn);
		default:
			return null;
	}
}

/** The same cookie as the session module's setCookie, for a response the hook makes itself. */
function cookieHeader(event: RequestEvent, name: string, token: string, expiresAt: Date): string {
	// SvelteKit's default: Secure except on http://localhost.
	const secure = event.url.hostname === 'localhost' && event.url.protocol === 'http:' ? '' : '; Secure';
	return `${name}=${token}; Path=/; Expires=${expiresAt.toUTCString()}; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * The language switcher's plain link (`?lang=cy` on any public or participant page): keep the choice in a
 * cookie and show the same page again without the parameter. A language the portal does not speak is
 * dropped without a cookie.
 */
function languageSwitch(event: RequestEvent): Response | null {
	if ((event.request.method !== 'GET' && event.request.method !== 'HEAD') || !event.url.searchParams.has('lang') || alwaysEnglish(event.url.pathname)) return null;
	const chosen = event.url.searchParams.get('lang');
	const back = new URL(event.url);
	back.searchParams.delete('lang');
	const headers = new Headers({ location: `${back.pathname}${back.search}` });
	if (isLocale(chosen)) {
		const secure = event.url.hostname === 'localhost' && event.url.protocol === 'http:' ? '' : '; Secure';
		headers.append('set-cookie', `${LANGUAGE_COOKIE}=${chosen}; Path=/; Max-Age=${LANGUAGE_COOKIE_MAX_AGE}; SameSite=Lax${secure}`);
	}
	return new Response(null, { status: 303, headers });
}

const handleRequest: Handle = async ({ event, resolve }) => {
	const switched = languageSwitch(event);
	if (switched) return switched;
	const locale = requestLocale({ pathname: event.url.pathname, cookie: event.cookies.get(LANGUAGE_COOKIE), acceptLanguage: event.request.headers.get('accept-language') });
	event.locals.locale = locale;
	return withLocale(locale, () => answer({ event, resolve: (e, opts) => resolve(e, { ...opts, transformPageChunk: ({ html }) => html.replace('%ips.lang%', LOCALE_INFO[locale].tag).replace('%ips.dir%', LOCALE_INFO[locale].dir) }) }));
};

const answer: Handle = async ({ event, resolve }) => {
	event.locals.staff = null;
	event.locals.staffSession = null;
	event.locals.participant = null;
	// The API authenticates with bearer keys only: staff cookies are neither read nor touched there.
	const isApi = event.url.pathname.startsWith('/api/') || !!event.route.id?.startsWith('/api/');
	// Areas by route id, never by the raw path (`/staff/%61dmin` is the route /staff/(app)/admin); a path
	// that matches no route but decodes to /staff or /account (`//staff/admin`, `/Staff/Admin`) is a 404 from the hook.
	// The staff session is read wherever its cookie comes; the participant one never in the staff area.
	const staffArea = inside(event, STAFF);
	let refused = !isApi && (staffArea || event.cookies.get(STAFF.sessions.cookie)) ? await authorise(event, STAFF, staffArea) : null;
	const participantArea = !staffArea && inside(event, PARTICIPANT);
	if (!refused && !isApi && !staffArea && (participantArea || event.cookies.get(PARTICIPANT.sessions.cookie)))
		refused = await authorise(event, PARTICIPANT, participantArea);
	// A route parameter no id, reference or code can hold (a NUL cannot even reach a database query): 404.
	if (!refused && Object.values(event.params).some((value) => value !== undefined && !isCleanApiText(value)))
		refused = isApi ? apiError('not_found', 'There is nothing at this address') : plainPage(404, 'Page not found', 'If you typed the web address, check it is correct.');
	if (!refused && !isApi && event.request.method === 'POST' && isRefusedActionName(actionNameOf(event.url))) {
		// The body is read below (as for every POST answered without reading it).
		refused = noSuchAction(event.request);
	}
	if (!refused && !isApi && event.request.method === 'POST' && (await unreadableForm(event.request)))
		refused = plainPage(400, 'The form could not be read', 'Go back, check your answers and send the form again.');
	const response = refused ?? (await resolve(event));
	// An action that needs no fields (a button) leaves the body unread: read it before answering, so a
	// client still sending gets the answer rather than a closed connection. BODY_SIZE_LIMIT bounds it.
	if (event.request.method === 'POST' && !isApi && !event.request.bodyUsed) await event.request.arrayBuffer().catch(() => undefined);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// Pages can hold personal answers: never keep them in a shared or back-forward cache.
	if (response.headers.get('content-type')?.startsWith('text/html') && !response.headers.has('cache-control'))
		response.headers.set('Cache-Control', 'no-store');
	return response;
};

/** Requests still being answered: a client that hung up does not stop its request's work. */
let inFlight = 0;
let allDone: (() => void) | null = null;

/** Requests (by their locals) that failed because the database could not be reached (handleError). */
const databaseWasUnavailable = new WeakSet<object>();

/**
 * A request the database could not answer (after the retries in db/retry.ts) gets 503 with Retry-After:
 * the API its JSON error, a page the plain "try again in a minute" page, keeping any cookie already set.
 */
function answeredUnavailable(event: RequestEvent, response: Response | null): Response {
	if (event.url.pathname.startsWith('/api/')) return apiUnavailable();
	const page = unavailablePage(event.request.method);
	for (const cookie of response?.headers.getSetCookie() ?? []) page.headers.append('set-cookie', cookie);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) page.headers.set(name, value);
	return page;
}

export const handle: Handle = async (input) => {
	inFlight++;
	try {
		let response: Response;
		try {
			response = await handleRequest(input);
		} catch (error) {
			// The hook's own reads (sessions) failed before any route ran.
			if (!isDatabaseUnavailable(error)) throw error;
			log.warn('request failed: database unavailable', { route: input.event.route.id, method: input.event.request.method, ...unavailableDetails(error), error: describeError(error) });
			// As below: a client still sending its form gets the answer, not a closed connection.
			if (!input.event.request.bodyUsed) await input.event.request.arrayBuffer().catch(() => undefined);
			return answeredUnavailable(input.event, null);
		}
		return databaseWasUnavailable.has(input.event.locals) ? answeredUnavailable(input.event, response) : response;
	} finally {
		if (--inFlight === 0) allDone?.();
	}
};

/** Waits (at most `ms`) for requests still running, so they finish before the database closes. */
function requestsDone(ms: number): Promise<void> {
	if (inFlight === 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			log.warn('requests still running when the database closes', { inFlight });
			resolve();
		}, ms);
		timer.unref();
		allDone = () => {
			clearTimeout(timer);
			resolve();
		};
	});
}
