/**
 * The self-referral journey as plain HTTP form posts (what a browser without JavaScript sends), for tests
 * that need many referrals quickly. Each page's form is read from its HTML and filled from the same
 * answers the browser tests use (journey.ts); the cookies are kept like a browser keeps them.
 */
import { performance } from 'node:perf_hooks';
import type { Answers } from './journey';

export class HttpSession {
	private cookies = new Map<string, string>();
	constructor(private base: string) {}

	private remember(response: Response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
	}

	/** Takes on cookies a browser holds (a browser's session, continued over HTTP). */
	adopt(cookies: readonly { name: string; value: string }[]): this {
		for (const c of cookies) this.cookies.set(c.name, c.value);
		return this;
	}

	/** Every cookie this session holds, as [name, value]. */
	cookieList(): [string, string][] {
		return [...this.cookies];
	}

	/** The value of one of this session's cookies. */
	cookie(name: string): string | undefined {
		return this.cookies.get(name);
	}

	/** The headers this session sends (its cookies, and `extra`), for a request made with fetch directly. */
	headers(extra: Record<string, string> = {}) {
		const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		// A proxy's header too, for servers started with ADDRESS_HEADER (ignored by the others).
		return { accept: 'text/html', 'x-forwarded-for': '192.0.2.10', ...(cookie ? { cookie } : {}), ...extra };
	}

	async get(path: string): Promise<{ status: number; location: string | null; html: string }> {
		const response = await fetch(new URL(path, this.base), { headers: this.headers(), redirect: 'manual' });
		this.remember(response);
		return { status: response.status, location: response.headers.get('location'), html: await response.text() };
	}

	async post(path: string, form: URLSearchParams) {
		return this.send(path, form.toString(), 'application/x-www-form-urlencoded');
	}

	/** A POST with any body and content type (or none), with this session's cookies. */
	async send(path: string, body: string, contentType: string | null) {
		const response = await fetch(new URL(path, this.base), {
			method: 'POST',
			headers: this.headers({ origin: this.base, ...(contentType ? { 'content-type': contentType } : {}) }),
			body,
			redirect: 'manual'
		});
		this.remember(response);
		return { status: response.status, location: response.headers.get('location'), html: await response.text() };
	}
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The POST form's fields, filled from `answers` (hidden fields keep their values). */
export function fillForm(html: string, answers: Answers): URLSearchParams {
	const form = /<form[^>]*method="POST"[^>]*>([\s\S]*?)<\/form>/i.exec(html)?.[1];
	if (!form) throw new Error('no form on the page');
	const data = new URLSearchParams();
	const done = new Set<string>();
	for (const [tag] of form.matchAll(/<(input|textarea|select)\b[^>]*>/gi)) {
		const name = attr(tag, 'name');
		if (!name) continue;
		const type = (attr(tag, 'type') ?? (tag.startsWith('<textarea') ? 'textarea' : tag.startsWith('<select') ? 'select' : 'text')).toLowerCase();
		const value = attr(tag, 'value');
		if (type === 'hidden') {
			data.append(name, decode(value ?? ''));
			continue;
		}
		const date = /^(.*)-(day|month|year)$/.exec(name);
		const key = date && !(name in answers) ? date[1] : name;
		const answer = answers[key];
		if (answer === undefined) continue;
		if (date && key !== name && typeof answer === 'object' && !Array.isArray(answer)) data.append(name, answer[date[2] as 'day' | 'month' | 'year']);
		else if (type === 'checkbox' && typeof answer === 'boolean') {
			if (answer && !done.has(name)) data.append(name, decode(value ?? 'on'));
		} else if (type === 'checkbox' && Array.isArray(answer)) {
			if (value !== null && answer.includes(decode(value))) data.append(name, decode(value));
		} else if (type === 'radio') {
			if (!done.has(name)) data.append(name, String(answer));
		} else if (typeof answer === 'string' && !done.has(name)) data.append(name, answer);
		done.add(name);
	}
	return data;
}

/**
 * From `/r/<code>` to the confirmation. Returns the reference and how long the final "Send referral"
 * POST took (request to redirect, measured here).
 */
export async function referOverHttp(
	base: string,
	answers: Answers,
	linkCode = 'gp-p84001',
	/** "Tell us more" answers to give after sending (none: the person stops at "Referral sent"). */
	more?: Answers
): Promise<{ reference: string; submitMs: number; session: HttpSession }> {
	const result = await walkOverHttp(base, answers, null, linkCode);
	if (!('reference' in result)) throw new Error('the journey stopped early');
	if (more) await tellUsMoreOverHttp(result.session, more);
	return result;
}

/** Walks the journey until the page `stopAt` (then returns the session there), or to the confirmation. */
export async function walkOverHttp(
	base: string,
	answers: Answers,
	stopAt: string | null,
	linkCode = 'gp-p84001'
): Promise<{ reference: string; submitMs: number; session: HttpSession } | { session: HttpSession; html: string }> {
	const session = new HttpSession(base);
	await session.get(`/r/${linkCode}`);
	let path = '/check/postcode';
	for (let i = 0; i < 40; i++) {
		const page = await session.get(path);
		if (path === stopAt && page.status === 200) return { session, html: page.html };
		if (page.status === 303 && page.location) {
			path = page.location;
			continue;
		}
		if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
		if (path === '/check/result') {
			const next = /href="(\/refer\/[^"]+)"/.exec(page.html)?.[1];
			if (!next) throw new Error('the result page offers no referral');
			path = next;
			continue;
		}
		if (path === '/refer/check-answers') {
			const started = performance.now();
			const sent = await session.post(path, fillForm(page.html, {}));
			const submitMs = Math.round(performance.now() - started);
			if (sent.status !== 303 || !sent.location?.startsWith('/refer/confirmation')) throw new Error(`sending answered ${sent.status} ${sent.location}`);
			const confirmation = await session.get(sent.location);
			const reference = /data-testid="reference"[^>]*>([^<]+)</.exec(confirmation.html)?.[1]?.trim();
			if (!reference) throw new Error('no reference on the confirmation page');
			return { reference, submitMs, session };
		}
		const posted = await session.post(path, fillForm(page.html, answers));
		if (posted.status !== 303 || !posted.location) {
			const title = /<title>([^<]*)/.exec(posted.html)?.[1];
			throw new Error(`POST ${path} answered ${posted.status} (${title})`);
		}
		path = posted.location;
	}
	throw new Error('too many pages');
}

/**
 * After sending, as the confirmation's "Tell us more" link leads (the session is signed in as the person):
 * answers every optional page after sending from `answers` (those not given are left blank, which saves
 * nothing), up to "Thank you". Returns the pages posted.
 */
export async function tellUsMoreOverHttp(session: HttpSession, answers: Answers, first = '/account/more/condition'): Promise<string[]> {
	const posted: string[] = [];
	let path = first;
	for (let i = 0; i < 20; i++) {
		if (path === '/account/more/done') return posted;
		const page = await session.get(path);
		if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status} ${page.location ?? ''}`);
		const sent = await session.post(path, fillForm(page.html, answers));
		if (sent.status !== 303 || !sent.location) throw new Error(`POST ${path} answered ${sent.status}`);
		posted.push(path);
		path = sent.location;
	}
	throw new Error('too many pages');
}
