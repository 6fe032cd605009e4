import { expect, test, type Page } from '@playwright/test';
import { withDatabase } from './support/server';
import { specServer } from './support/spec-server';
import { ELIGIBLE, REFERRAL, answerPage, completeReferral, followLink, pressButton, sendReferral, type Answers } from './support/journey';

/**
 * The three outcomes of the eligibility checker: likely eligible, talk to a specialist, and probably not
 * eligible (out of area, and for another reason), plus the signpost from primary to secondary care.
 * Every checker question page visited is read to make sure the checker never asks about job readiness,
 * substance use, convictions, benefits, time out of work or confidence (zero exclusion).
 */
test.describe.configure({ mode: 'serial' });

const PRIMARY = 'IPS Primary Care, Greater Manchester';
const SECONDARY = 'IPS Secondary Care, Greater Manchester';
/** Alternatives named in seed/programmes.json for the primary care programme. */
const SEED_ALTERNATIVES = ['Jobcentre Plus', 'Access to Work', 'NHS Talking Therapies', 'Citizens Advice'];

/** Topics the checker must never ask about. */
const FORBIDDEN: { topic: string; pattern: RegExp }[] = [
	{ topic: 'job readiness', pattern: /\bready\b|readiness/i },
	{ topic: 'substance use', pattern: /alcohol|\bdrugs?\b|substance|addiction/i },
	{ topic: 'convictions', pattern: /conviction|criminal|offen[cs]e|prison|\bDBS\b/i },
	{ topic: 'benefits', pattern: /benefit|universal credit|\bPIP\b|\bESA\b/i },
	{ topic: 'time out of work', pattern: /how long/i },
	{ topic: 'confidence', pattern: /confiden/i }
];

const server = specServer();
const sent: Record<string, string> = {};

/**
 * From the start page, answers the checker up to its result, reading each question page on the way.
 * Returns the checker pages visited.
 */
async function check(page: Page, answers: Answers): Promise<string[]> {
	await page.goto(`${server.url}/`);
	await followLink(page, 'mouse', /start now/i);
	const visited: string[] = [];
	for (let i = 0; i < 20; i++) {
		const path = new URL(page.url()).pathname;
		if (path === '/check/result') return visited;
		expect(path, 'stays in the checker').toMatch(/^\/check\//);
		visited.push(path);
		const text = await page.locator('main').innerText();
		for (const { topic, pattern } of FORBIDDEN) expect(text, `${path} must not ask about ${topic}`).not.toMatch(pattern);
		await answerPage(page, answers, 'mouse');
		await pressButton(page, 'mouse');
		await expect(page).not.toHaveTitle(/^Error: /);
		expect(new URL(page.url()).pathname, `moved on from ${path}`).not.toBe(path);
	}
	throw new Error('too many checker pages');
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const continueLink = (page: Page) => page.getByRole('link', { name: /continue to your referral/i });

async function expectNotEligible(page: Page, reason: RegExp | string) {
	await expect(heading(page)).toHaveText('This service is probably not right for you at the moment');
	await expect(page.getByRole('heading', { level: 2, name: 'Why' })).toBeVisible();
	await expect(page.locator('main')).toContainText(reason);
	await expect(page.locator('main')).toContainText('This is not a final decision');
	await expect(page.getByRole('heading', { level: 2, name: 'What you can do instead' })).toBeVisible();
	const alternatives = page.locator('main ul').last().locator('li');
	for (const name of SEED_ALTERNATIVES) await expect(alternatives.filter({ hasText: name })).toHaveCount(1);
	await expect(page.getByRole('link', { name: 'Access to Work' })).toHaveAttribute('href', 'https://www.gov.uk/access-to-work');
	await expect(continueLink(page)).toHaveCount(0);
	// And the referral cannot be reached by typing its address.
	await page.goto(`${server.url}/refer/your-details`);
	await expect(page).toHaveURL(/\/check\/result$/);
}

test('likely eligible: the result says so and leads on to the referral', async ({ page }) => {
	const visited = await check(page, ELIGIBLE);
	expect(visited).toEqual([
		'/check/postcode',
		'/check/date-of-birth',
		'/check/health-condition',
		'/check/employment',
		'/check/wants-work',
		'/check/circumstances'
	]);
	await expect(heading(page)).toHaveText('This service looks right for you');
	await expect(page.locator('main')).toContainText(/free, one-to-one help/i);
	await expect(continueLink(page)).toBeVisible();
	await expect(continueLink(page)).toHaveAttribute('href', '/refer/your-details');
	await expect(page.getByRole('heading', { name: 'Why' })).toHaveCount(0);
});

test('not sure about wanting work: talk to a specialist, never a refusal, and the referral can be sent', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, wantsWork: 'not-sure' });
	// The checker carries on past the uncertain answer instead of stopping.
	expect(visited).toContain('/check/wants-work');
	expect(visited.at(-1)).toBe('/check/circumstances');
	await expect(heading(page)).toHaveText('You can refer yourself, and a specialist will talk it through with you');
	await expect(page.locator('main')).toContainText('You were not sure whether you want to work. That is fine: a specialist can talk it through with you.');
	await expect(page.locator('main')).not.toContainText('probably not right for you');
	await expect(continueLink(page)).toBeVisible();

	const referred = await completeReferral(page, REFERRAL, 'mouse');
	expect(referred[0]).toBe('/refer/your-details');
	// Started at / with no /r/ link, so we ask how they heard about the service.
	expect(referred).toContain('/refer/heard-from');
	sent.unsure = await sendReferral(page, 'mouse');
});

test('not sure whether they are on another employment programme: asked which, then talk to a specialist', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, circumstances: ['not-sure'], notSureAbout: ['other-programme'] });
	expect(visited.slice(-2)).toEqual(['/check/circumstances', '/check/not-sure']);
	await expect(heading(page)).toHaveText('You can refer yourself, and a specialist will talk it through with you');
	await expect(page.locator('main')).not.toContainText('probably not right for you');
	await expect(continueLink(page)).toBeVisible();
});

test('out of area (SW1A 1AA): probably not eligible, says why in plain words, lists alternatives, no way on to the referral', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, postcode: 'SW1A 1AA' });
	// Nothing more is asked once we know there is no service where the person lives.
	expect(visited).toEqual(['/check/postcode']);
	await expectNotEligible(page, 'We do not run a service where you live, or at your GP practice, yet.');
});

test('no health condition that affects work: probably not eligible, with the reason and alternatives', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, healthCondition: 'no' });
	expect(visited.at(-1)).toBe('/check/health-condition');
	await expectNotEligible(page, /This service is for people whose health condition or disability affects their work/);
	// In the area, so the service's own helpline is offered too.
	await expect(page.getByRole('link', { name: '0161 496 0000' })).toBeVisible();
});

test('does not want paid work: probably not eligible, and told they can come back', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, wantsWork: 'no' });
	expect(visited.at(-1)).toBe('/check/wants-work');
	await expectNotEligible(page, /If you decide you would like to work, you can come back at any time/);
});

test('under secondary mental health care: pointed to the secondary care programme, and the referral goes there', async ({ page }) => {
	const visited = await check(page, { ...ELIGIBLE, circumstances: ['secondary-care'] });
	expect(visited.at(-1)).toBe('/check/circumstances');
	await expect(heading(page)).toHaveText('This service looks right for you');
	const inset = page.locator('main .inset');
	await expect(inset).toContainText(`the right service for you is ${SECONDARY}`);
	await expect(inset.locator('strong')).toHaveText(SECONDARY);
	await expect(inset).toContainText(`not ${PRIMARY}`);
	// The secondary care service's own helpline.
	await expect(page.getByRole('link', { name: '0161 496 0001' })).toBeVisible();
	await expect(continueLink(page)).toBeVisible();

	await completeReferral(page, REFERRAL, 'mouse');
	sent.secondary = await sendReferral(page, 'mouse');
});

test('after SIGTERM the database holds each sent referral with the right programme', async () => {
	expect(Object.keys(sent).sort()).toEqual(['secondary', 'unsure']);
	expect(await server.stop()).toBe(0);
	await withDatabase(server.dataDir, async (query) => {
		const referral = async (reference: string) => {
			const [row] = await query('select programme_id, eligibility_outcome, eligibility, source_code from referral where reference = $1', [reference]);
			expect(row, `referral ${reference}`).toBeTruthy();
			return row;
		};
		expect(await referral(sent.secondary)).toMatchObject({
			programme_id: 'gm-ips-secondary-care',
			eligibility_outcome: 'likely-eligible',
			eligibility: { programmeId: 'gm-ips-secondary-care', signpostedFrom: 'gm-ips-primary-care' }
		});
		// Referred anyway, and flagged for the specialist to talk through.
		expect(await referral(sent.unsure)).toMatchObject({
			programme_id: 'gm-ips-primary-care',
			eligibility_outcome: 'talk-to-specialist',
			eligibility: { reasons: ['unsure-wants-work'] },
			source_code: 'leaflet'
		});
		const [{ n }] = await query('select count(*)::int as n from referral');
		expect(n).toBe(2);
	});
});
