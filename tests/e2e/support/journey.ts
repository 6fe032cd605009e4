import { expect, type Page } from '@playwright/test';

/**
 * Answers keyed by the form field name. Text fields take a string, checkboxes a list of values,
 * consents `true` (ticked) or `false`, dates `{ day, month, year }`.
 */
export type Answer = string | string[] | boolean | { day: string; month: string; year: string };
export type Answers = Record<string, Answer>;

/** How the person moves through the pages. */
export type Mode = 'mouse' | 'keyboard';

/**
 * Answers that lead to "likely eligible" for the primary care programme. "Do any of these apply to you?"
 * is answered with `circumstances` (and, after "I'm not sure", `notSureAbout`): e.g.
 * `circumstances: ['secondary-care']` for a person in secondary mental health care.
 */
export const ELIGIBLE: Answers = {
	postcode: 'M1 1AE',
	dateOfBirth: { day: '15', month: '6', year: '1985' },
	healthCondition: 'yes',
	employment: 'out-of-work',
	wantsWork: 'yes',
	circumstances: ['none']
};

/** Answers for the referral pages before "Send referral". Optional questions not listed here are left blank. */
export const REFERRAL: Answers = {
	givenName: 'Sam',
	familyName: 'Taylor',
	phone: '07700 900982',
	email: 'sam.taylor@example.com',
	contactChannels: ['phone', 'email'],
	bestTimes: ['weekday-morning'],
	messagesMayNameService: 'yes',
	postAllowed: 'no',
	communicationNeeds: ['none'],
	heardFrom: 'leaflet',
	consentProcessing: true,
	consentEvaluation: true
};

/** Answers for the optional "Tell us more" pages after sending (/account/more). Those not listed are left blank. */
export const MORE: Answers = {
	conditionDescription: 'Back pain and anxiety make long shifts hard.',
	conditionCategories: ['mental-health', 'musculoskeletal'],
	dailyImpact: 'a-little',
	jobGoals: 'Part-time work in a shop or office.',
	contactReferrer: 'no'
};

/** Off sick, so the conditional "About your job" page is part of "Tell us more". */
export const ELIGIBLE_OFF_SICK: Answers = { ...ELIGIBLE, employment: 'off-sick' };

/** The referral pages and the "Tell us more" pages with every optional question answered too. */
export const FULL_REFERRAL: Answers = {
	...REFERRAL,
	...MORE,
	preferredName: 'Sammy',
	pronouns: 'they/them',
	employerName: 'Corner Shop Ltd',
	jobTitle: 'Sales assistant',
	communicationNeeds: ['interpreter', 'large-print'],
	interpreterLanguage: 'Polish',
	nhsNumber: '943 476 5919',
	consentNhsNumber: true,
	heardFromDetail: 'On the library noticeboard',
	gender: 'prefer-not-to-say',
	ethnicity: 'white',
	consentReferrerUpdates: false,
	consentEvaluation: true,
	consentTextReminders: true
};

/** Presses Tab until the focused element matches `selector` (keyboard-only navigation). */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`could not reach ${selector} with the Tab key`);
}

async function fillText(page: Page, name: string, value: string, mode: Mode) {
	const field = page.locator(`[name="${name}"]`);
	if (mode === 'mouse') {
		await field.click();
		await field.fill(value);
	} else {
		await tabTo(page, `[name="${name}"]`);
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.press('Delete');
		await page.keyboard.type(value);
	}
}

async function chooseRadio(page: Page, name: string, value: string, mode: Mode) {
	const target = page.locator(`input[type=radio][name="${name}"][value="${value}"]`);
	if (mode === 'mouse') {
		await page.locator(`label[for="${await target.getAttribute('id')}"]`).click();
	} else {
		await tabTo(page, `input[type=radio][name="${name}"]`);
		const count = await page.locator(`input[type=radio][name="${name}"]`).count();
		for (let i = 0; i <= count; i++) {
			const focusedValue = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value);
			if (focusedValue === value) break;
			await page.keyboard.press('ArrowDown');
		}
		await page.keyboard.press('Space');
	}
	await expect(target).toBeChecked();
}

async function setCheckbox(page: Page, selector: string, on: boolean, mode: Mode) {
	const box = page.locator(selector);
	if ((await box.isChecked()) === on) return;
	if (mode === 'mouse') await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
	else {
		await tabTo(page, selector);
		await page.keyboard.press('Space');
	}
	await expect(box).toBeChecked({ checked: on });
}

/** Fills every field on the current question page that has an answer. */
export async function answerPage(page: Page, answers: Answers, mode: Mode): Promise<void> {
	const names = await page.locator('form[method=POST] [name]').evaluateAll((els) =>
		els.map((e) => ({ name: e.getAttribute('name')!, type: e.getAttribute('type') ?? e.tagName.toLowerCase() }))
	);
	const done = new Set<string>();
	for (const { name, type } of names) {
		const dateMatch = /^(.*)-(day|month|year)$/.exec(name);
		const key = dateMatch && !(name in answers) ? dateMatch[1] : name;
		if (done.has(name) || !(key in answers)) continue;
		done.add(name);
		const value = answers[key];
		if (dateMatch && key !== name && typeof value === 'object' && !Array.isArray(value)) {
			await fillText(page, name, value[dateMatch[2] as 'day' | 'month' | 'year'], mode);
		} else if (type === 'radio') {
			await chooseRadio(page, name, String(value), mode);
		} else if (type === 'checkbox' && typeof value === 'boolean') {
			await setCheckbox(page, `input[type=checkbox][name="${name}"]`, value, mode);
		} else if (type === 'checkbox' && Array.isArray(value)) {
			const all = await page.locator(`input[type=checkbox][name="${name}"]`).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
			for (const v of all) await setCheckbox(page, `input[type=checkbox][name="${name}"][value="${v}"]`, value.includes(v), mode);
		} else if (typeof value === 'string') {
			await fillText(page, name, value, mode);
		}
	}
}

/** Presses the page's main button (Continue, Send referral). */
export async function pressButton(page: Page, mode: Mode, name: RegExp | string = /continue/i) {
	const button = page.getByRole('button', { name });
	if (mode === 'mouse') await button.click();
	else {
		const id = await button.evaluate((b) => {
			b.setAttribute('data-e2e-target', '1');
			return 'button[data-e2e-target]';
		});
		await tabTo(page, id);
		const loaded = page.waitForEvent('load');
		await page.keyboard.press('Enter');
		await loaded;
	}
	await page.waitForLoadState('domcontentloaded');
}

/** Follows a link by its text, with the mouse or the keyboard. */
export async function followLink(page: Page, mode: Mode, name: RegExp | string) {
	// Links styled as buttons carry role="button" (GOV.UK start button), so match any <a> by its text.
	const link = page.locator('a').filter({ hasText: name }).first();
	if (mode === 'mouse') await link.click();
	else {
		const href = await link.getAttribute('href');
		await tabTo(page, `a[href="${href}"]`);
		const loaded = page.waitForEvent('load');
		await page.keyboard.press('Enter');
		await loaded;
	}
	await page.waitForLoadState('domcontentloaded');
}

async function failIfError(page: Page) {
	if ((await page.title()).startsWith('Error:')) {
		const summary = await page.locator('.error-summary').innerText();
		throw new Error(`page ${page.url()} rejected the answers: ${summary}`);
	}
}

/**
 * Answers question pages while the URL is under `prefix` (e.g. "/check/" or "/refer/") and is not
 * one of `stopAt`. Returns the path of the page it stopped on and the question pages it answered.
 */
export async function walk(page: Page, prefix: string, answers: Answers, mode: Mode, stopAt: string[]): Promise<{ stoppedAt: string; visited: string[] }> {
	const visited: string[] = [];
	for (let i = 0; i < 40; i++) {
		const path = new URL(page.url()).pathname;
		if (!path.startsWith(prefix) || stopAt.includes(path)) return { stoppedAt: path, visited };
		visited.push(path);
		await answerPage(page, answers, mode);
		await pressButton(page, mode);
		await failIfError(page);
		if (new URL(page.url()).pathname === path) throw new Error(`stuck on ${path}`);
	}
	throw new Error('too many pages');
}

/** From the start page: the checker, up to its result page. */
export async function checkEligibility(page: Page, answers: Answers, mode: Mode) {
	await followLink(page, mode, /start now/i);
	const { stoppedAt, visited } = await walk(page, '/check/', answers, mode, ['/check/result']);
	expect(stoppedAt).toBe('/check/result');
	return visited;
}

/** From the checker's result page: every referral page up to check your answers. */
export async function completeReferral(page: Page, answers: Answers, mode: Mode) {
	await followLink(page, mode, /continue to your referral/i);
	const { stoppedAt, visited } = await walk(page, '/refer/', answers, mode, ['/refer/check-answers']);
	expect(stoppedAt).toBe('/refer/check-answers');
	return visited;
}

/**
 * From the confirmation page ("Referral sent"): follows "Tell us more" and answers every optional page
 * after sending, up to "Thank you". Returns the pages answered.
 */
export async function tellUsMore(page: Page, answers: Answers, mode: Mode) {
	await followLink(page, mode, /^tell us more$/i);
	const { stoppedAt, visited } = await walk(page, '/account/more/', answers, mode, ['/account/more/done']);
	expect(stoppedAt).toBe('/account/more/done');
	return visited;
}

/** Sends the referral from check your answers and returns the reference shown on the confirmation. */
export async function sendReferral(page: Page, mode: Mode): Promise<string> {
	await pressButton(page, mode, /send referral/i);
	await expect(page).toHaveURL(/\/refer\/confirmation$/);
	const reference = await page.getByTestId('reference').innerText();
	return reference.trim();
}
