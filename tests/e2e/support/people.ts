/**
 * The people a spec needs, made the quick way: a person who has just referred themselves (the referral sent
 * over plain HTTP, as a browser without JavaScript sends it, then the session's cookies handed to a browser),
 * and a signed-in member of staff. Only the specs whose subject is the referral walk itself (journey,
 * accessibility, day-in-the-life, outcomes, validation, resume, page-weight) walk it in the browser.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ELIGIBLE, REFERRAL, type Answers } from './journey';
import { referOverHttp } from './http-journey';
import { signIn, type DemoEmail } from './staff';

export interface Referred {
	context: BrowserContext;
	/** On the confirmation page ("Referral sent"), signed in as the person, as after sending in the browser. */
	page: Page;
	reference: string;
}

export interface ReferOptions {
	/** The link the person came from (default the GP practice link gp-p84001). */
	link?: string;
	/** Answers over the eligible defaults (checker and referral pages alike), e.g. `{ email }`. */
	answers?: Answers;
	/** "Tell us more" answers given after sending (none by default), e.g. MORE, so the referral holds health details. */
	more?: Answers;
	javaScriptEnabled?: boolean;
	viewport?: { width: number; height: number };
	acceptDownloads?: boolean;
}

/**
 * A person who has just sent a referral (and told us more after it, with `more`), in a new browser context of
 * their own, on the confirmation page.
 */
export async function referredPerson(browser: Browser, baseUrl: string, options: ReferOptions = {}): Promise<Referred> {
	const walked = await referOverHttp(baseUrl, { ...ELIGIBLE, ...REFERRAL, ...(options.answers ?? {}) }, options.link ?? 'gp-p84001', options.more);
	const context = await browser.newContext({
		javaScriptEnabled: options.javaScriptEnabled ?? true,
		viewport: options.viewport ?? { width: 1280, height: 800 },
		acceptDownloads: options.acceptDownloads ?? true
	});
	await context.addCookies(walked.session.cookieList().map(([name, value]) => ({ name, value, url: baseUrl })));
	const page = await context.newPage();
	await page.goto(`${baseUrl}/refer/confirmation`);
	const reference = (await page.getByTestId('reference').innerText()).trim();
	return { context, page, reference };
}

export interface StaffOptions {
	javaScriptEnabled?: boolean;
	viewport?: { width: number; height: number };
	acceptDownloads?: boolean;
}

/** A demo member of staff signed in (password and authenticator code) in a new browser context. */
export async function staffMember(browser: Browser, baseUrl: string, email: DemoEmail, options: StaffOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		javaScriptEnabled: options.javaScriptEnabled ?? false,
		viewport: options.viewport ?? { width: 1280, height: 800 },
		acceptDownloads: options.acceptDownloads ?? true
	});
	const page = await context.newPage();
	await signIn(page, baseUrl, email);
	return { context, page };
}

/**
 * Waits until the server's notifier has dealt with everything that happened before this call, instead of
 * sleeping before "nothing more arrives": sends one more referral (from the GP practice link) and waits for
 * its email to the primary care team. The notifier reads events in order and the worker sends due jobs in
 * the order they became due, so once that email is in, every email caused earlier has been sent (a job
 * waiting for a retry later than now excepted). Returns the extra referral's reference, so counts can leave
 * its emails out.
 */
export async function notifierCaughtUp(baseUrl: string, smtp: { messages: { subject?: string }[] }): Promise<string> {
	const { reference } = await referOverHttp(baseUrl, { ...ELIGIBLE, ...REFERRAL, email: `caught-up-${Date.now()}@example.com` });
	await expect
		.poll(() => smtp.messages.some((m) => m.subject?.includes(reference)), { message: `the email about ${reference}`, timeout: 30_000, intervals: [100, 250, 500] })
		.toBe(true);
	return reference;
}
