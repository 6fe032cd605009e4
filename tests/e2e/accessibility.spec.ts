import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { specServer } from './support/spec-server';
import { ELIGIBLE, MORE, REFERRAL, answerPage, pressButton, walk, type Answers } from './support/journey';
import { MORE_PAGES } from '../../src/lib/domain/refer-pages';
import { TAGS } from './support/axe';

/**
 * Every page of the journey, in every state a person can meet: no WCAG 2.2 AA failures that axe can
 * find, and the page reflows at 320 CSS pixels (WCAG 1.4.10) with no horizontal scrolling.
 * Screenshots of the main pages go to tmp/screenshots/ for a person to look at; nothing asserts on them.
 */
test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'tmp/screenshots';
const DESKTOP = { width: 1280, height: 800 };

const server = specServer();
const audited: string[] = [];

test.beforeAll(() => {
	mkdirSync(SCREENSHOTS, { recursive: true });
});

async function axe(page: Page, name: string, width: number) {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect.soft(found, `axe on ${name} (${page.url()}) at ${width}px`).toEqual([]);
}

/**
 * Runs axe at 320px and checks reflow there; for the main pages (those with a screenshot) axe runs at desktop
 * width too. The pages are the same HTML at every width (only the CSS differs), and axe on some fifty states
 * twice took ten minutes on a busy 2-core machine.
 */
async function audit(page: Page, name: string, screenshot?: string) {
	if (screenshot) {
		await page.setViewportSize(DESKTOP);
		await axe(page, name, DESKTOP.width);
	}

	await page.setViewportSize({ width: 320, height: 640 });
	const reflow = await page.evaluate(() => {
		const doc = document.documentElement;
		window.scrollTo(10_000, window.scrollY);
		const scrolledX = window.scrollX;
		window.scrollTo(0, 0);
		const sticking = [...document.querySelectorAll('body *')]
			.filter((e) => {
				const r = e.getBoundingClientRect();
				return r.width > 0 && r.right > doc.clientWidth + 0.5;
			})
			.slice(0, 5)
			.map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/\s+/g, '.') : ''}`);
		return { scrollWidth: doc.scrollWidth, scrolledX, sticking };
	});
	expect.soft(reflow.scrollWidth, `${name} is no wider than 320px (too wide: ${reflow.sticking.join(', ')})`).toBeLessThanOrEqual(320);
	expect.soft(reflow.scrolledX, `${name} does not scroll sideways at 320px`).toBe(0);
	await axe(page, name, 320);

	if (screenshot) {
		for (const width of [390, 1280]) {
			await page.setViewportSize({ width, height: 844 });
			await page.screenshot({ path: `${SCREENSHOTS}/${screenshot}-${width}.png`, fullPage: true });
		}
	}
	await page.setViewportSize(DESKTOP);
	audited.push(name);
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** Wrong answers that make each required page show its error state. */
const WRONG: Record<string, Answers> = {
	'/check/postcode': {},
	'/check/date-of-birth': { dateOfBirth: { day: '31', month: '2', year: '85' } },
	'/check/health-condition': {},
	'/check/circumstances': {},
	'/check/not-sure': {},
	'/refer/your-details': { givenName: 'Sam', phone: '12345', email: 'sam.taylor@' },
	'/refer/contact-preferences': { contactChannels: [], bestTimes: ['weekday-morning', 'any'] },
	'/refer/communication': { communicationNeeds: ['interpreter'] },
	'/refer/heard-from': {},
	'/refer/consent': {},
	'/account/more/condition-types': { conditionCategories: ['mental-health', 'prefer-not-to-say'] },
	'/account/more/nhs-number': { nhsNumber: '943 476 5910' }
};

/**
 * Audits every question page from the current one while the URL is under `prefix`, with its error state
 * where WRONG has one, then answers it and moves on. Returns the pages audited.
 */
async function auditQuestions(page: Page, prefix: string, answers: Answers, stopAt: string, screenshotOf: Record<string, string> = {}) {
	const seen: string[] = [];
	for (let i = 0; i < 40 && pathOf(page).startsWith(prefix) && pathOf(page) !== stopAt; i++) {
		const path = pathOf(page);
		seen.push(path);
		await audit(page, path, screenshotOf[path]);
		if (WRONG[path]) {
			await answerPage(page, WRONG[path], 'mouse');
			await pressButton(page, 'mouse');
			expect(pathOf(page), `${path} refuses the wrong answer`).toBe(path);
			await expect(page).toHaveTitle(/^Error: /);
			await expect(page.locator('.error-summary')).toBeVisible();
			await audit(page, `${path} with an error`, screenshotOf[path] && `${screenshotOf[path]}-error`);
		}
		await answerPage(page, answers, 'mouse');
		await pressButton(page, 'mouse');
		expect(await page.title(), `${path} accepted the answers`).not.toMatch(/^Error:/);
		expect(pathOf(page), `${path} moved on`).not.toBe(path);
	}
	expect(pathOf(page)).toBe(stopAt);
	return seen;
}

test('the start page and the information pages', async ({ page }) => {
	await page.goto(server.url);
	await audit(page, 'start page', 'start');
	for (const path of ['/help', '/privacy', '/accessibility']) {
		await page.goto(`${server.url}${path}`);
		expect(pathOf(page)).toBe(path);
		await audit(page, path);
	}
	await page.goto(`${server.url}/resume/${'a'.repeat(32)}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/expired/i);
	await audit(page, 'an expired save-and-return link');
});

test('the checker, the referral, check your answers, save and return, and the confirmation', async ({ page }) => {
	test.setTimeout(720_000);
	await page.goto(server.url);
	await page.locator('a', { hasText: /start now/i }).click();
	// Off sick, so the "About your job" page is asked too.
	const checked = await auditQuestions(page, '/check/', { ...ELIGIBLE, employment: 'off-sick' }, '/check/result', {
		'/check/health-condition': 'question',
		'/check/circumstances': 'circumstances'
	});
	expect(checked).toEqual(['/check/postcode', '/check/date-of-birth', '/check/health-condition', '/check/employment', '/check/wants-work', '/check/circumstances']);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('This service looks right for you');
	await audit(page, 'result: likely eligible', 'result');

	await page.goto(server.url);
	await expect(page.getByRole('link', { name: 'Carry on where you left off' })).toBeVisible();
	await audit(page, 'start page with answers saved');
	await page.getByRole('link', { name: 'Carry on where you left off' }).click();

	await page.locator('a', { hasText: /continue to your referral/i }).click();
	// No link, so "How did you hear about this service?" is asked.
	const referred = await auditQuestions(page, '/refer/', REFERRAL, '/refer/check-answers');
	expect(referred).toEqual(['/refer/your-details', '/refer/contact-preferences', '/refer/communication', '/refer/heard-from', '/refer/consent']);
	await audit(page, 'check your answers', 'check-answers');

	await page.getByRole('link', { name: 'Save and come back later' }).click();
	await expect(page).toHaveURL(`${server.url}/save`);
	await audit(page, 'save page');
	await page.getByLabel('Email address').fill('not an email');
	await page.getByRole('button', { name: 'Send me a link' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await audit(page, 'save page with an error');
	await page.getByLabel('Email address').fill('sam.taylor@example.com');
	await page.getByRole('button', { name: 'Send me a link' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
	await audit(page, 'save page: link sent');

	await page.goto(`${server.url}/refer/check-answers`);
	await page.getByRole('button', { name: /send referral/i }).click();
	await expect(page).toHaveURL(`${server.url}/refer/confirmation`);
	await audit(page, 'confirmation', 'confirmation');

	// "Tell us more" after sending: every optional page (off sick, so "About your job" too), then "Thank you".
	await page.getByRole('link', { name: 'Tell us more', exact: true }).click();
	// nhsNumber: '' clears the wrong number left in the box by the error state.
	const more = await auditQuestions(page, '/account/more/', { ...MORE, nhsNumber: '' }, '/account/more/done', {
		'/account/more/condition': 'tell-us-more'
	});
	expect(more).toEqual(MORE_PAGES.map((p) => `/account/more/${p.id}`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for telling us more');
	await audit(page, 'tell us more: thank you');
});

test('"Which of these are you not sure about?" after ticking "I\'m not sure"', async ({ page }) => {
	await page.goto(`${server.url}/check/postcode`);
	const answers: Answers = { ...ELIGIBLE, circumstances: ['not-sure'], notSureAbout: ['no-right-to-work'] };
	expect((await walk(page, '/check/', answers, 'mouse', ['/check/circumstances'])).stoppedAt).toBe('/check/circumstances');
	const checked = await auditQuestions(page, '/check/', answers, '/check/result');
	expect(checked).toEqual(['/check/circumstances', '/check/not-sure']);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/specialist will talk it through/);
});

const OTHER_OUTCOMES: { name: string; answers: Answers; heading: RegExp }[] = [
	{ name: 'result: talk to a specialist', answers: { ...ELIGIBLE, healthCondition: 'not-sure', circumstances: ['not-sure'], notSureAbout: ['no-right-to-work'] }, heading: /specialist will talk it through/ },
	{ name: 'result: signposted to secondary care', answers: { ...ELIGIBLE, circumstances: ['secondary-care'] }, heading: /looks right for you/ },
	{ name: 'result: not eligible (does not want work)', answers: { ...ELIGIBLE, wantsWork: 'no' }, heading: /probably not right for you/ },
	{ name: 'result: not eligible (out of area)', answers: { ...ELIGIBLE, postcode: 'SW1A 1AA' }, heading: /probably not right for you/ }
];

for (const outcome of OTHER_OUTCOMES) {
	test(outcome.name, async ({ page }) => {
		await page.goto(`${server.url}/check/postcode`);
		for (let i = 0; i < 10 && pathOf(page) !== '/check/result'; i++) {
			await answerPage(page, outcome.answers, 'mouse');
			await pressButton(page, 'mouse');
		}
		expect(pathOf(page)).toBe('/check/result');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(outcome.heading);
		await audit(page, outcome.name);
	});
}

test('every page was audited', () => {
	// 5 start/information pages; 6 checker pages + 4 errors, result, start page with answers saved, 5 referral pages
	// + 5 errors, check answers, 3 save states, confirmation, 9 "Tell us more" pages + 2 errors, "Thank you";
	// "Do any of these apply" and "not sure" + 2 errors; 4 outcomes
	expect(audited.length, audited.join('\n')).toBeGreaterThanOrEqual(5 + 10 + 1 + 1 + 10 + 1 + 3 + 1 + 11 + 1 + 4 + 4);
});
