/**
 * The journey through the checker and the referral: which page comes next, which pages may be shown,
 * and the draft behind it all. Route files call these and stay thin.
 */
import type { CookieJar } from './cookie-jar';
import { assessEligibility, type Assessment } from '$lib/domain/eligibility';
import { CHECK_PAGES, referPath, type QuestionPage } from '$lib/domain/journey';
import type { Programme } from '$lib/domain/programme';
import { ukDate } from '$lib/domain/uk-time';
import type { Draft } from './db/schema';
import { createDraft, getDraftByToken } from './drafts';
import { listProgrammes } from './programmes';

export const DRAFT_COOKIE = 'ips_draft';

/**
 * A session cookie: it ends when the browser closes, so on a shared computer the next person cannot read
 * the answers. The draft itself is kept for DRAFT_LIFETIME_DAYS, and the emailed save-and-return link
 * brings it back in any browser.
 */
export function setDraftCookie(cookies: CookieJar, token: string): void {
	cookies.set(DRAFT_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax' });
}

export function clearDraftCookie(cookies: CookieJar): void {
	cookies.delete(DRAFT_COOKIE, { path: '/' });
}

/** The draft in progress; null when there is none or it has already been submitted. */
export async function loadDraft(cookies: CookieJar, includeSubmitted = false): Promise<Draft | null> {
	const token = cookies.get(DRAFT_COOKIE);
	return token ? getDraftByToken(token, includeSubmitted) : null;
}

export async function ensureDraft(cookies: CookieJar): Promise<Draft> {
	const existing = await loadDraft(cookies);
	if (existing) return existing;
	const { token, draft } = await createDraft();
	setDraftCookie(cookies, token);
	return draft;
}

export async function assess(draft: Pick<Draft, 'answers' | 'source'>, programmes?: readonly Programme[]): Promise<Assessment> {
	return assessEligibility(draft.answers, {
		programmes: programmes ?? (await listProgrammes()),
		today: ukDate(new Date()),
		linkOdsCode: draft.source?.odsCode ?? null
	});
}

export function checkPage(id: string): QuestionPage | undefined {
	return CHECK_PAGES.find((p) => p.id === id);
}

export function referPages(draft: Pick<Draft, 'answers' | 'source'>): QuestionPage[] {
	return referPath({ answers: draft.answers, hasSource: draft.source !== null });
}

/** The first referral page not yet saved, or null when every page is done. */
export function firstUnansweredReferPage(draft: Pick<Draft, 'answers' | 'source' | 'answered'>): QuestionPage | null {
	return referPages(draft).find((p) => !draft.answered.includes(`refer/${p.id}`)) ?? null;
}

/** Where a person should be sent to carry on from where they left off. */
export async function resumeUrl(draft: Draft): Promise<string> {
	if (draft.answered.length === 0) return '/';
	const assessment = await assess(draft);
	if (assessment.status === 'ask') return `/check/${assessment.question}`;
	if (assessment.result.outcome === 'not-eligible') return '/check/result';
	const next = firstUnansweredReferPage(draft);
	if (!next) return '/refer/check-answers';
	return draft.answered.some((k) => k.startsWith('refer/')) ? `/refer/${next.id}` : '/check/result';
}
