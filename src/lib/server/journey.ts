/**
 * The journey through the checker and the referral: which page comes next, which pages may be shown,
 * and the draft behind it all. Route files call these and stay thin.
 */
import type { CookieJar } from './cookie-jar';
import { assessEligibility, type Assessment, type EligibilityResult } from '$lib/domain/eligibility';
import { CHECK_PAGES, checkHref, referPath, type QuestionPage } from '$lib/domain/journey';
import type { Programme } from '$lib/domain/programme';
import { ukDate } from '$lib/domain/uk-time';
import type { Draft } from './db/schema';
import type { ReferralSource } from '$lib/domain/sources';
import { createDraft, getDraftByToken, saveDraftAnswers } from './drafts';
import { sourceForLink } from './links';
import { countCheckStarted } from './checker-stats';
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

/**
 * The /r/<code> link a browser without a draft came through. No draft row is made for a visit (a bot or a
 * burst of link opens would fill the table): the code waits in this session cookie until the first answer
 * is saved, and the draft is then made with the link's source (saveFirstAnswer).
 */
export const LINK_COOKIE = 'ips_link';

export function setLinkCookie(cookies: CookieJar, code: string): void {
	cookies.set(LINK_COOKIE, code.slice(0, 100), { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** The source of the link this browser came through before it had a draft (null without one). */
export async function pendingSource(cookies: CookieJar): Promise<ReferralSource | null> {
	const code = cookies.get(LINK_COOKIE);
	return code ? sourceForLink(code) : null;
}

/**
 * The draft to save an answer in: the browser's own, or, for a browser without one, what a new draft
 * would start as (no answers, the pending link's source). `save` writes the answer: into the existing
 * draft, or by making the draft row with the answer already in it.
 */
export async function draftForAnswer(cookies: CookieJar): Promise<{
	draft: Pick<Draft, 'answers' | 'source' | 'answered'>;
	save: (pageKey: string, values: Record<string, unknown>, eligibility?: EligibilityResult | null) => Promise<Draft>;
}> {
	const existing = await loadDraft(cookies);
	if (existing) return { draft: existing, save: (pageKey, values, eligibility) => saveDraftAnswers(existing, pageKey, values, eligibility) };
	const source = await pendingSource(cookies);
	return {
		draft: { answers: {}, source, answered: [] },
		save: async (pageKey, values, eligibility) => {
			const { token, draft } = await createDraft(source, { pageKey, values, eligibility });
			// A check started, counted per link (checker-stats.ts).
			await countCheckStarted(source);
			setDraftCookie(cookies, token);
			cookies.delete(LINK_COOKIE, { path: '/' });
			return draft;
		}
	};
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
	if (assessment.status === 'ask') return checkHref(assessment, draft.answers);
	if (assessment.result.outcome === 'not-eligible') return '/check/result';
	const next = firstUnansweredReferPage(draft);
	if (!next) return '/refer/check-answers';
	return draft.answered.some((k) => k.startsWith('refer/')) ? `/refer/${next.id}` : '/check/result';
}
