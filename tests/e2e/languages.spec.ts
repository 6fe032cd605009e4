import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { auditHtml } from './support/axe';
import { ELIGIBLE, REFERRAL, answerPage } from './support/journey';
import { referredPerson, staffMember } from './support/people';
import { specAxePage, specServer } from './support/spec-server';

/**
 * Issue 25: the start page offers Welsh and Urdu as plain links; chosen, the journey from the start page to
 * "Referral sent" is in that language with JavaScript off: `<html lang="cy">` / `<html lang="ur" dir="rtl">`
 * on every page, axe finds nothing, and no page shows untranslated English (a list of common English words,
 * outside what the person typed and what is marked as English or left-to-right on purpose). Screenshots at
 * 390 px of the start page, a question with an error, check your answers and the confirmation in each
 * language (SHOTS_DIR, default tmp/screenshots). Staff see the language on the referral.
 */
test.describe.configure({ mode: 'parallel' });
test.setTimeout(240_000);

const server = specServer();
const axeHost = specAxePage();
const SHOTS = process.env.SHOTS_DIR ?? 'tmp/screenshots';

/** English words that must not appear on a page in another language (none is also a Welsh word: not "does", "a", "i"). */
const ENGLISH = ['the', 'and', 'your', 'you', 'with', 'what', 'this', 'that', 'for', 'have', 'will', 'are', 'not', 'when', 'which', 'about', 'there', 'their', 'would', 'should', 'please', 'enter', 'select', 'continue', 'back', 'change', 'check', 'answers', 'referral', 'service', 'work', 'health', 'our', 'from', 'they', 'need', 'send', 'sent', 'next', 'how', 'who', 'where', 'more'];

/** English words in the page's visible text, leaving out what the person typed and what is marked as English or left-to-right. */
async function englishWords(page: Page, typed: string[]): Promise<string[]> {
	const text = await page.evaluate(() => {
		const clone = document.body.cloneNode(true) as HTMLElement;
		for (const el of clone.querySelectorAll('bdi, code, [lang^="en"], [dir="ltr"], script, style, .visually-hidden[aria-hidden]')) el.remove();
		for (const el of clone.querySelectorAll('input, textarea')) el.remove();
		return clone.innerText ?? clone.textContent ?? '';
	});
	let rest = text;
	for (const t of typed) rest = rest.split(t).join(' ');
	const words = rest.toLowerCase().match(/[a-z]+/g) ?? [];
	return [...new Set(words.filter((w) => ENGLISH.includes(w)))];
}

/** The translation of an English string in one of the message files. */
function translated(locale: string, file: string, english: string): string {
	const en = JSON.parse(readFileSync(`messages/en/${file}.json`, 'utf8'));
	const key = Object.keys(en).find((k) => en[k] === english);
	if (!key) throw new Error(`no message "${english}" in en/${file}.json`);
	return JSON.parse(readFileSync(`messages/${locale}/${file}.json`, 'utf8'))[key];
}

const TYPED = [REFERRAL.givenName, REFERRAL.familyName, REFERRAL.email, REFERRAL.phone, ELIGIBLE.postcode].map(String);
const LANGUAGES = [
	{ locale: 'cy', own: 'Cymraeg', english: 'Welsh', dir: 'ltr' },
	{ locale: 'ur', own: 'اردو', english: 'Urdu', dir: 'rtl' }
] as const;

for (const language of LANGUAGES) {
	test(`in ${language.english}, from the start page to "Referral sent" with JavaScript off: lang and dir on every page, axe, no English left, and staff see ${language.english}`, async ({ browser }) => {
		mkdirSync(SHOTS, { recursive: true });
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		const seen: string[] = [];
		const checkPage = async (name: string) => {
			const path = new URL(page.url()).pathname;
			seen.push(path);
			await expect(page.locator('html'), `${path} lang`).toHaveAttribute('lang', language.locale);
			await expect(page.locator('html'), `${path} dir`).toHaveAttribute('dir', language.dir);
			expect.soft(await englishWords(page, TYPED), `English words left on ${path}`).toEqual([]);
			await auditHtml(page, axeHost.page, `${name} in ${language.english}`, { widths: [390] });
		};

		await page.goto(`${server.url}/r/gp-p84001`);
		// The start page offers the languages as plain links, each named in itself.
		const link = page.getByRole('link', { name: language.own, exact: true });
		await expect(link).toHaveAttribute('lang', language.locale);
		await link.click();
		await expect(page).toHaveURL(`${server.url}/`);
		await checkPage('start page');
		await page.screenshot({ path: `${SHOTS}/language-${language.locale}-start-390.png`, fullPage: true });
		await page.locator('a.button.start').click();

		// A question with an error: the postcode left empty.
		await expect(page).toHaveURL(/\/check\/postcode$/);
		await page.locator('form[method=POST] button[type=submit]').click();
		await expect(page.locator('.error-summary')).toBeVisible();
		await expect(page.locator('.error-summary h2')).toHaveText(translated(language.locale, 'common', 'There is a problem'));
		await expect(page.locator('.error-summary li')).toHaveText(translated(language.locale, 'questions', 'Enter your postcode'));
		await checkPage('the postcode question with an error');
		await page.screenshot({ path: `${SHOTS}/language-${language.locale}-error-390.png`, fullPage: true });

		const answers = { ...ELIGIBLE, ...REFERRAL };
		for (let i = 0; i < 20; i++) {
			const path = new URL(page.url()).pathname;
			if (path === '/refer/confirmation') break;
			if (i > 0) await checkPage(path);
			if (path === '/check/result') await page.locator('main a[href^="/refer/"]').first().click();
			else if (path === '/refer/check-answers') {
				await page.screenshot({ path: `${SHOTS}/language-${language.locale}-check-answers-390.png`, fullPage: true });
				await page.locator('main form[method=POST] button[type=submit]').last().click();
			} else {
				await answerPage(page, answers, 'mouse');
				await page.locator('main form[method=POST] button[type=submit]').first().click();
				await expect(page.locator('.error-summary'), `no error after answering ${path}`).toHaveCount(0);
			}
		}
		await expect(page).toHaveURL(/\/refer\/confirmation$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(translated(language.locale, 'journey', 'Referral sent'));
		await checkPage('Referral sent');
		await page.screenshot({ path: `${SHOTS}/language-${language.locale}-confirmation-390.png`, fullPage: true });
		const reference = (await page.getByTestId('reference').innerText()).trim();
		expect(seen).toContain('/refer/check-answers');
		await context.close();

		// Staff pages stay in English and show the person's language.
		const staff = await staffMember(browser, server.url, 'sam.specialist@ips.example');
		await staff.page.goto(`${server.url}/staff/referrals/${reference.replace('-', '')}`);
		await expect(staff.page.locator('html')).toHaveAttribute('lang', 'en-GB');
		await expect(staff.page.locator('main dt', { hasText: /^Language$/ }).locator('xpath=following-sibling::dd[1]')).toHaveText(language.english);
		await staff.context.close();
	});
}

test('the language comes from Accept-Language on a first visit, the cookie after a choice, and staff pages stay English', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'cy-GB' });
	const page = await context.newPage();
	await page.goto(`${server.url}/`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
	await page.getByRole('link', { name: 'English', exact: true }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
	await page.goto(`${server.url}/check/postcode`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
	await page.goto(`${server.url}/check/postcode?lang=ur`);
	await expect(page).toHaveURL(`${server.url}/check/postcode`);
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await page.goto(`${server.url}/staff/sign-in`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
	await expect(page.locator('nav.languages')).toHaveCount(0);
	await context.close();
});

for (const language of LANGUAGES) {
	test(`in ${language.english}, every page a referred person can reach by links from their home page and the footer (JavaScript off) has lang and dir and no English words left`, async ({ browser }) => {
		const person = await referredPerson(browser, server.url, { javaScriptEnabled: false });
		await person.context.addCookies([{ name: 'ips_lang', value: language.locale, url: server.url }]);
		const page = person.page;
		// Links followed breadth first from the home page: the person's own pages and the public ones they link to.
		const queue = ['/account', '/', '/help', '/privacy', '/accessibility', '/status', '/check/postcode', '/save'];
		const seen = new Set<string>(queue);
		const problems: string[] = [];
		let visited = 0;
		while (queue.length && visited < 80) {
			const path = queue.shift()!;
			const response = await page.goto(`${server.url}${path}`);
			visited++;
			if (!response || !(response.headers()['content-type'] ?? '').startsWith('text/html')) continue;
			const at = new URL(page.url()).pathname;
			if ((await page.locator('html').getAttribute('lang')) !== language.locale) problems.push(`${at}: lang is ${await page.locator('html').getAttribute('lang')}`);
			if ((await page.locator('html').getAttribute('dir')) !== language.dir) problems.push(`${at}: dir is not ${language.dir}`);
			const left = await englishWords(page, TYPED);
			if (left.length) problems.push(`${at}: ${left.join(', ')}`);
			const links = await page.locator('a[href^="/"]:not([download])').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
			for (const href of links) {
				const url = new URL(href, server.url);
				const next = url.pathname;
				// Not signing out, not downloads, not the switcher, not staff pages (always English).
				if (seen.has(next) || url.searchParams.has('lang') || /\.(csv|json|ics|txt)$/.test(next) || /sign-out/.test(next) || next.startsWith('/staff')) continue;
				if (!next.startsWith('/account') && !['/', '/help', '/privacy', '/accessibility', '/status'].includes(next)) continue;
				seen.add(next);
				queue.push(next + url.search);
			}
		}
		expect(visited, 'pages visited').toBeGreaterThan(10);
		expect(problems, `pages not in ${language.english} (${visited} visited)`).toEqual([]);
		await person.context.close();
	});
}
