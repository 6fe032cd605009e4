import { expect, test, type Page } from '@playwright/test';
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES } from '../../src/lib/domain/journey';
import { specServer } from './support/spec-server';
import { ELIGIBLE, MORE, REFERRAL, answerPage, checkEligibility, followLink, pressButton, type Answers } from './support/journey';

/**
 * Invalid answers on every question page of the checker, the referral and "Tell us more" after sending.
 * Each page must answer with an error summary whose links point at the fields, an inline message next to
 * each field, the page title starting "Error: ", and what the person typed still in the form. Then valid
 * answers move on.
 *
 * The person is not sure about one of the statements on "Do any of these apply to you?" (so "Which of these
 * are you not sure about?" is asked), is off sick from a job (so the employer page is asked after sending)
 * and starts at / rather than a /r/ link (so "how did you hear about us" is asked): every page in
 * CHECK_PAGES, REFER_PAGES and MORE_PAGES is visited.
 */
test.describe.configure({ mode: 'serial' });

const server = specServer();

const PERSON: Answers = { ...ELIGIBLE, employment: 'off-sick', circumstances: ['not-sure'], notSureAbout: ['no-right-to-work'] };
const nextYear = String(new Date().getFullYear() + 1);

interface ExpectedError {
	/** The field's name, as in the page definition. */
	field: string;
	/** The id the error summary link points at (the field's first input). */
	target: string;
	message: string;
}

interface Attempt {
	/** What the person enters. Fields not listed are left as they are (blank on a first visit). */
	answers: Answers;
	/** Changes the page before sending, to stand for a browser or a request that ignores the form's limits. */
	tamper?: (page: Page) => Promise<void>;
	errors: ExpectedError[];
	/** Text values that must still be in their inputs afterwards, by element id. */
	kept?: Record<string, string>;
	/** Choices (checkboxes or radios) that must still be selected afterwards, by element id. */
	stillChecked?: string[];
}

interface PageCase {
	attempts: Attempt[];
	/** Answers that then move on. */
	valid: Answers;
}

const err = (field: string, message: string, target = field): ExpectedError => ({ field, target, message });
const long = (n: number) => 'x'.repeat(n);

/** Sets a choice's value to one the page does not offer and selects it (a forged or stale form). */
const forgeChoice = (name: string) => async (page: Page) => {
	await page.locator(`input[name="${name}"]`).first().evaluate((input: HTMLInputElement) => {
		input.value = 'not-an-option';
		input.checked = true;
	});
};

/** Browsers stop people typing past a textarea's maxlength; a request can still send more. */
const dropMaxLength = (name: string) => async (page: Page) => {
	await page.locator(`textarea[name="${name}"]`).evaluate((t) => t.removeAttribute('maxlength'));
};

const CHECK_CASES: Record<string, PageCase> = {
	postcode: {
		attempts: [
			{ answers: { postcode: '' }, errors: [err('postcode', 'Enter your postcode')] },
			{ answers: { postcode: 'NOT A POSTCODE' }, errors: [err('postcode', 'Enter a real postcode, like M1 1AE')], kept: { postcode: 'NOT A POSTCODE' } }
		],
		valid: PERSON
	},
	'date-of-birth': {
		attempts: [
			{
				answers: { dateOfBirth: { day: '', month: '', year: '' } },
				errors: [err('dateOfBirth', 'Enter your date of birth', 'dateOfBirth-day')]
			},
			{
				answers: { dateOfBirth: { day: '31', month: '2', year: '1985' } },
				errors: [err('dateOfBirth', 'Date of birth must be a real date, like 27 3 1985', 'dateOfBirth-day')],
				kept: { 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1985' }
			},
			{
				answers: { dateOfBirth: { day: '1', month: '1', year: nextYear } },
				errors: [err('dateOfBirth', 'Date of birth must be in the past', 'dateOfBirth-day')],
				kept: { 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': nextYear }
			},
			{
				answers: { dateOfBirth: { day: '15', month: '', year: '1985' } },
				errors: [err('dateOfBirth', 'Date of birth must include a month', 'dateOfBirth-day')],
				kept: { 'dateOfBirth-day': '15', 'dateOfBirth-month': '', 'dateOfBirth-year': '1985' }
			}
		],
		valid: PERSON
	},
	'health-condition': { attempts: [{ answers: {}, errors: [err('healthCondition', 'Select yes, no or I’m not sure')] }], valid: PERSON },
	employment: { attempts: [{ answers: {}, errors: [err('employment', 'Select what best describes you at the moment')] }], valid: PERSON },
	'wants-work': { attempts: [{ answers: {}, errors: [err('wantsWork', 'Select yes, no or I’m not sure')] }], valid: PERSON },
	circumstances: {
		attempts: [
			{ answers: {}, errors: [err('circumstances', 'Select the ones that apply to you, or select none of these')] },
			{
				answers: { circumstances: ['secondary-care', 'none'] },
				errors: [err('circumstances', 'Select the ones that apply to you, or select none of these, not both')],
				stillChecked: ['circumstances', 'circumstances-none']
			}
		],
		valid: PERSON
	},
	'not-sure': {
		attempts: [
			{ answers: {}, errors: [err('notSureAbout', 'Select at least one thing you are not sure about')] },
			{ answers: {}, tamper: forgeChoice('notSureAbout'), errors: [err('notSureAbout', 'Select what you are not sure about')] }
		],
		valid: PERSON
	}
};

const REFER_CASES: Record<string, PageCase> = {
	'your-details': {
		attempts: [
			{ answers: {}, errors: [err('givenName', 'Enter your first name'), err('familyName', 'Enter your last name'), err('phone', 'Enter a phone number or an email address')] },
			{
				answers: { givenName: long(101), familyName: 'Taylor', preferredName: long(101), phone: '12345', email: 'sam.taylor@example' },
				errors: [
					err('givenName', 'First name must be 100 characters or fewer'),
					err('preferredName', 'Preferred name must be 100 characters or fewer'),
					err('phone', 'Enter a UK phone number, like 07700 900 982 or 0161 496 0000'),
					err('email', 'Enter an email address in the correct format, like name@example.com')
				],
				kept: { givenName: long(101), familyName: 'Taylor', preferredName: long(101), phone: '12345', email: 'sam.taylor@example' }
			}
		],
		valid: { ...REFERRAL, preferredName: '' }
	},
	'contact-preferences': {
		attempts: [
			{
				answers: {},
				errors: [
					err('contactChannels', 'Select at least one way we can contact you'),
					err('bestTimes', 'Select at least one time, or select any time'),
					err('messagesMayNameService', 'Select yes if we can leave a message that says who we are, or no'),
					err('postAllowed', 'Select yes if we can send you letters, or no')
				]
			},
			{
				answers: { ...REFERRAL, bestTimes: ['weekday-evening', 'any'] },
				errors: [err('bestTimes', 'Select times, or select any time, not both')],
				stillChecked: ['bestTimes-weekday-evening', 'bestTimes-any', 'contactChannels']
			}
		],
		valid: REFERRAL
	},
	communication: {
		attempts: [
			{
				answers: { communicationNeeds: ['interpreter'] },
				errors: [err('interpreterLanguage', 'Enter the language you need an interpreter for')],
				stillChecked: ['communicationNeeds']
			},
			{
				answers: { communicationNeeds: ['bsl', 'none'], interpreterLanguage: long(101) },
				errors: [
					err('communicationNeeds', 'Select the help you need, or select I do not need any of these, not both'),
					err('interpreterLanguage', 'Language must be 100 characters or fewer')
				],
				kept: { interpreterLanguage: long(101) },
				stillChecked: ['communicationNeeds-bsl', 'communicationNeeds-none']
			}
		],
		valid: { ...REFERRAL, interpreterLanguage: '' }
	},
	'heard-from': {
		attempts: [
			{
				answers: { heardFromDetail: long(201) },
				errors: [err('heardFrom', 'Select how you heard about this service'), err('heardFromDetail', 'Your answer must be 200 characters or fewer')],
				kept: { heardFromDetail: long(201) }
			}
		],
		valid: { ...REFERRAL, heardFromDetail: '' }
	},
	consent: {
		attempts: [
			{
				answers: { consentProcessing: false, consentEvaluation: true },
				errors: [err('consentProcessing', 'Tick the first box to agree, so we can look at your referral')],
				stillChecked: ['consentEvaluation']
			}
		],
		valid: REFERRAL
	}
};

/** "Tell us more" after sending: every question is optional, so only what is too long or forged is wrong. */
const MORE_CASES: Record<string, PageCase> = {
	condition: {
		attempts: [
			{
				answers: { conditionDescription: long(2001) },
				tamper: dropMaxLength('conditionDescription'),
				errors: [err('conditionDescription', 'Your answer must be 2,000 characters or fewer')],
				kept: { conditionDescription: long(2001) }
			}
		],
		valid: MORE
	},
	'condition-types': {
		attempts: [
			{
				answers: { conditionCategories: ['mental-health', 'prefer-not-to-say'] },
				errors: [err('conditionCategories', 'Select kinds of condition, or select I prefer not to say, not both')],
				stillChecked: ['conditionCategories', 'conditionCategories-prefer-not-to-say']
			}
		],
		valid: MORE
	},
	// Every choice is valid: only a forged value can be wrong.
	'daily-life': {
		attempts: [{ answers: {}, tamper: forgeChoice('dailyImpact'), errors: [err('dailyImpact', 'Select an answer')] }],
		valid: MORE
	},
	employer: {
		attempts: [
			{
				answers: { employerName: long(201), jobTitle: long(201) },
				errors: [err('employerName', 'Employer name must be 200 characters or fewer'), err('jobTitle', 'Job title must be 200 characters or fewer')],
				kept: { employerName: long(201), jobTitle: long(201) }
			}
		],
		valid: { employerName: 'Greater Manchester Buses', jobTitle: 'Driver' }
	},
	'job-goals': {
		attempts: [
			{
				answers: { jobGoals: long(1001) },
				tamper: dropMaxLength('jobGoals'),
				errors: [err('jobGoals', 'Your answer must be 1,000 characters or fewer')],
				kept: { jobGoals: long(1001) }
			}
		],
		valid: MORE
	},
	pronouns: {
		attempts: [{ answers: { pronouns: long(41) }, errors: [err('pronouns', 'Pronouns must be 40 characters or fewer')], kept: { pronouns: long(41) } }],
		valid: { pronouns: 'they/them' }
	},
	'nhs-number': {
		attempts: [
			{
				// 943 476 5919 is valid; changing the check digit makes it fail the modulus 11 check.
				answers: { nhsNumber: '943 476 5910', consentNhsNumber: true },
				errors: [err('nhsNumber', 'Enter a valid NHS number, 10 digits like 943 476 5919')],
				kept: { nhsNumber: '943 476 5910' },
				stillChecked: ['consentNhsNumber']
			},
			{
				answers: { nhsNumber: '12345', consentNhsNumber: false },
				errors: [err('nhsNumber', 'Enter a valid NHS number, 10 digits like 943 476 5919')],
				kept: { nhsNumber: '12345' }
			},
			{
				answers: { nhsNumber: '943 476 5919', consentNhsNumber: false },
				errors: [err('consentNhsNumber', 'Tick the box to agree to us using your NHS number, or leave the number blank')],
				kept: { nhsNumber: '943 476 5919' }
			}
		],
		valid: { nhsNumber: '', consentNhsNumber: false }
	},
	// Every choice is valid: only a forged value can be wrong.
	'referrer-contact': {
		attempts: [{ answers: {}, tamper: forgeChoice('contactReferrer'), errors: [err('contactReferrer', 'Select yes, no or nobody referred me')] }],
		valid: MORE
	},
	// Every choice is valid: only forged values can be wrong.
	equality: {
		attempts: [
			{
				answers: {},
				tamper: async (page) => {
					await forgeChoice('gender')(page);
					await forgeChoice('ethnicity')(page);
				},
				errors: [err('gender', 'Select your gender, or I prefer not to say'), err('ethnicity', 'Select your ethnic group, or I prefer not to say')]
			}
		],
		valid: MORE
	}
};

/** Pages with nothing that can be wrong: blank is fine and every value is valid. */
const CANNOT_BE_INVALID = new Set<string>([]);

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** Sends the attempt and checks the page answers with errors, keeping what was entered. */
async function expectRejected(page: Page, path: string, attempt: Attempt) {
	if (attempt.tamper) await attempt.tamper(page);
	await answerPage(page, attempt.answers, 'mouse');
	await pressButton(page, 'mouse');

	expect(pathOf(page), 'stays on the page').toBe(path);
	await expect(page).toHaveTitle(/^Error: /);
	const summary = page.locator('.error-summary');
	await expect(summary).toHaveAttribute('role', 'alert');
	await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	const links = summary.locator('a');
	await expect(links).toHaveCount(attempt.errors.length);

	for (const [i, e] of attempt.errors.entries()) {
		// The summary links, in page order, to the field's first input.
		const link = links.nth(i);
		await expect(link).toHaveText(e.message);
		await expect(link).toHaveAttribute('href', `#${e.target}`);
		const target = page.locator(`[id="${e.target}"]`);
		await expect(target).toHaveCount(1);
		await expect(target).toHaveAttribute('name', e.field.replace(/^dateOfBirth$/, 'dateOfBirth-day'));

		// The same message next to the field, in the field's own group, and announced with it.
		const group = page.locator('.form-group', { has: target });
		await expect(group).toHaveClass(/\berror\b/);
		const inline = group.locator(`#${e.field}-error`);
		await expect(inline).toHaveClass(/error-message/);
		await expect(inline).toContainText(e.message);
		const describer = group.locator(`[aria-describedby~="${e.field}-error"]`);
		await expect(describer).toHaveCount(1);

		// Following the link takes the person to the field and puts the focus in it (no JavaScript needed).
		await link.click();
		await expect(page).toHaveURL(new RegExp(`#${e.target}$`));
		await expect(page.locator(`[id="${e.target}"]:target`)).toHaveCount(1);
		await expect(target).toBeFocused();
		await expect(target).toBeInViewport();
	}

	for (const [id, value] of Object.entries(attempt.kept ?? {})) await expect(page.locator(`[id="${id}"]`), `${id} keeps what was typed`).toHaveValue(value);
	for (const id of attempt.stillChecked ?? []) await expect(page.locator(`[id="${id}"]`), `${id} is still selected`).toBeChecked();
}

/**
 * Tests every question page while the URL is under `prefix`, then answers it validly and moves on.
 * Returns the ids of the pages tested.
 */
async function testPages(page: Page, flow: 'check' | 'refer' | 'more', cases: Record<string, PageCase>, stopAt: string): Promise<string[]> {
	const seen: string[] = [];
	const prefix = flow === 'more' ? '/account/more/' : `/${flow}/`;
	for (let i = 0; i < 40; i++) {
		const path = pathOf(page);
		if (path === stopAt) return seen;
		expect(path.startsWith(prefix), `${path} is under ${prefix}`).toBe(true);
		const id = path.slice(prefix.length);
		seen.push(id);
		const c = cases[id];
		if (!c) {
			expect(CANNOT_BE_INVALID.has(`${flow}/${id}`), `a test case for ${path}`).toBe(true);
			await pressButton(page, 'mouse');
			await expect(page).not.toHaveTitle(/^Error: /);
		} else {
			for (const attempt of c.attempts) await expectRejected(page, path, attempt);
			await answerPage(page, c.valid, 'mouse');
			await pressButton(page, 'mouse');
			await expect(page, `${path} accepts valid answers`).not.toHaveTitle(/^Error: /);
		}
		expect(pathOf(page), `moved on from ${path}`).not.toBe(path);
	}
	throw new Error('too many pages');
}

test('every checker page rejects invalid answers with an error summary, inline errors and the answers kept', async ({ page }) => {
	await page.goto(`${server.url}/`);
	await followLink(page, 'mouse', /start now/i);
	const seen = await testPages(page, 'check', CHECK_CASES, '/check/result');
	expect(seen).toEqual(CHECK_PAGES.map((p) => p.id));
	// Not sure about the right to work: a specialist talks it through.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can refer yourself, and a specialist will talk it through with you');
});

test('every referral page, and every "Tell us more" page after sending, rejects invalid answers with an error summary, inline errors and the answers kept', async ({ page }) => {
	// Every page twice (wrong, then right), fourteen of them: more than 90 s on a loaded 2-core machine.
	test.setTimeout(300_000);
	await page.goto(`${server.url}/`);
	await checkEligibility(page, PERSON, 'mouse');
	await followLink(page, 'mouse', /continue to your referral/i);
	const seen = await testPages(page, 'refer', REFER_CASES, '/refer/check-answers');
	// No /r/ link (so how they heard about us): every referral page.
	expect(seen).toEqual(REFER_PAGES.map((p) => p.id));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/check your answers/i);
	await expect(page.getByText('sam.taylor@example.com')).toBeVisible();

	// Sent, then every "Tell us more" page after it.
	await pressButton(page, 'mouse', /send referral/i);
	expect(pathOf(page)).toBe('/refer/confirmation');
	await followLink(page, 'mouse', /^tell us more$/i);
	const more = await testPages(page, 'more', MORE_CASES, '/account/more/done');
	// In work, so the employer page is asked too: every page after sending.
	expect(more).toEqual(MORE_PAGES.map((p) => p.id));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for telling us more');
	await page.goto(`${server.url}/account/more/employer`);
	await expect(page.locator('[name=employerName]')).toHaveValue('Greater Manchester Buses');
});
