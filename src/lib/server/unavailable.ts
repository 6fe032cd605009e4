/**
 * What a person and a case system get while the database cannot be reached (db/faults.ts): 503 with
 * Retry-After. A page says their earlier answers are safe, with the helplines kept in memory and crisis
 * help, made without the database; the API answers its JSON error `database_unavailable`.
 */
import { apiError } from './api/errors';
import { RETRY_AFTER_SECONDS } from './db/faults';
import { keptProgrammes } from './programmes';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const tel = (number: string) => `tel:${number.replace(/[^0-9+]/g, '')}`;

function helplines(): string {
	const programmes = keptProgrammes();
	if (!programmes.length) return '';
	const line = (p: (typeof programmes)[number]) =>
		`<a href="${escapeHtml(tel(p.helpline.phone))}">${escapeHtml(p.helpline.phone)}</a> (lines are open ${escapeHtml(p.helpline.hours)})`;
	if (programmes.length === 1) return `<p>To talk to your employment support team, call ${line(programmes[0])}.</p>`;
	return `<p>To talk to your employment support team, call:</p><ul>${programmes.map((p) => `<li>${escapeHtml(p.name)}: ${line(p)}</li>`).join('')}</ul>`;
}

const STYLE = 'body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:40rem;padding:1rem;color:#0b0c0c}a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}h1{font-size:1.75rem}';

/** The page for a request the database could not answer: a save (POST) or a page. */
export function unavailablePage(method: string): Response {
	const saving = method !== 'GET' && method !== 'HEAD';
	const first = saving ? 'We could not save this just now.' : 'We could not show this page just now.';
	const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sorry, try again in a minute - IPS Employment Support</title><style>${STYLE}</style></head><body><main id="main"><h1>Sorry, try again in a minute</h1><p>${first} Your earlier answers are safe. Try again in a minute.</p>${helplines()}<h2>If you need help now</h2><p>This service cannot help in a crisis. If you feel you might harm yourself or someone else:</p><ul><li>call <a href="tel:999">999</a> or go to A&amp;E if your life is in danger</li><li>call <a href="tel:111">NHS 111</a> and choose option 2 for mental health crisis support (England)</li><li>call Samaritans free on <a href="tel:116123">116 123</a>, any time, day or night</li><li>text SHOUT to <a href="sms:85258">85258</a> for free, confidential text support</li></ul><p><a href="/">Go to the start page</a></p></main></body></html>`;
	return new Response(body, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'retry-after': String(RETRY_AFTER_SECONDS),
			'cache-control': 'no-store',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
		}
	});
}

/** The API's answer: 503 `database_unavailable` in its JSON error shape, with Retry-After. */
export function apiUnavailable(): Response {
	return apiError('database_unavailable', 'The portal cannot reach its database just now: send the request again after Retry-After seconds (a change sent again with the same Idempotency-Key is made once)', undefined, {
		'retry-after': String(RETRY_AFTER_SECONDS)
	});
}
