/**
 * Wellbeing check-ins end to end on one built server (SEED=demo) whose programmes ask for PHQ-9 and
 * SWEMWBS (set in its database between a first start and the real one), with a real SMTP listener.
 * A participant referred from the GP link (routed to Sam Specialist) does a SWEMWBS check-in one question
 * per page (axe and 320 px on every kind of page, the error state, a change from check your answers); the
 * progress page then has a wellbeing section with its table. Then PHQ-9 with item 9 answered "Several
 * days": crisis help is the very next page, the specialist's email arrives with no score or answer in
 * it, and (read from the database once the server stops) the crisis concern and its event are in the log.
 * Another participant walks SWEMWBS with JavaScript off and the keyboard only.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { SWEMWBS_METRIC } from '../../src/lib/domain/measures';
import { formatDate, ukDate } from '../../src/lib/domain/uk-time';
import { startSmtp } from '../support/smtp';
import { answerPage, followLink, pressButton, tabTo, type Mode } from './support/journey';
import { notifierCaughtUp, referredPerson } from './support/people';
import { freePort, removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { audit } from './support/axe';

test.describe.configure({ mode: 'serial' });

const SPECIALIST = 'sam.specialist@ips.example';
const ENV = { NOTIFY_POLL_MS: '200' };
const SCHEDULE = {
	points: [{ id: 'start', label: 'Start', offset: { amount: 0, unit: 'days' }, windowDays: 14, instruments: ['dialog', 'swemwbs', 'phq9'] }]
};

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: RunningServer;
let dataDir: string;
let crisisReference = '';

test.beforeAll(async () => {
	test.setTimeout(180_000);
	smtp = await startSmtp(await freePort());
	// First start migrates and seeds; then every programme is set to ask for SWEMWBS and PHQ-9.
	const first = await startServer({ SMTP_URL: smtp.url, ...ENV });
	dataDir = first.dataDir;
	expect(await first.stop()).toBe(0);
	await withDatabase(dataDir, (query) => query(`update programme set measures = $1::jsonb`, [JSON.stringify({ schedule: SCHEDULE })]));
	server = await startServer({ SMTP_URL: smtp.url, ...ENV }, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(server.output().slice(-6000));
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) await server.stop();
	await smtp?.close();
	if (dataDir) removeDir(dataDir);
});

/** Someone who has just referred themselves from the GP practice link (routed to Sam Specialist), signed in, in a browser. */
const refer = (browser: Browser, javaScriptEnabled: boolean, email: string) => referredPerson(browser, server.url, { javaScriptEnabled, answers: { email } });

const runnableScripts = (page: Page) => page.locator('script:not([type="application/json"])').count();

/** SWEMWBS answers (1-5 each) and the metric score they give. */
const SWEMWBS = [4, 3, 4, 2, 5, 3, 4];
const METRIC = String(SWEMWBS_METRIC[SWEMWBS.reduce((a, b) => a + b, 0)]);

/** One SWEMWBS check-in from its start page to the done page; `audit` checks each kind of page and the error state. */
async function swemwbsCheckIn(page: Page, mode: Mode, options: { audit: boolean }) {
	await page.goto(`${server.url}/account/check-in/swemwbs`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check in: your wellbeing');
	await expect(page.getByText('There are 7 questions, one on each page.')).toBeVisible();
	// The licence asks for the notice with the questions.
	await expect(page.getByText(/SWEMWBS \(c\) NHS Health Scotland, University of Warwick and University of Edinburgh/)).toBeVisible();
	if (options.audit) await audit(page, 'start');
	expect(await runnableScripts(page), 'start page runs no JavaScript').toBe(0);
	await followLink(page, mode, /start your check-in/i);

	for (let n = 1; n <= 7; n++) {
		await expect(page).toHaveURL(new RegExp(`/account/check-in/swemwbs/${n}$`));
		await expect(page.getByText(`Question ${n} of 7`)).toBeVisible();
		await expect(page.locator('input[name=answer]')).toHaveCount(5);
		await expect(page.getByText('None of the time')).toBeVisible();
		await expect(page.getByText(/SWEMWBS \(c\)/)).toBeVisible();
		expect(await runnableScripts(page), `question ${n} runs no JavaScript`).toBe(0);
		if (options.audit && n === 1) {
			await audit(page, 'question');
			await pressButton(page, mode);
			await expect(page).toHaveTitle(/^Error: /);
			await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#answer');
			await expect(page.locator('.error-message').first()).toContainText('Choose the answer that fits you best');
			await audit(page, 'question (error)');
		}
		// Question 3 is answered 1 first and changed from the check page.
		await answerPage(page, { answer: String(n === 3 ? 1 : SWEMWBS[n - 1]) }, mode);
		await pressButton(page, mode);
	}

	await expect(page).toHaveURL(/\/account\/check-in\/swemwbs\/check$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your answers');
	const answers = page.locator('dl.summary dd:not(:has(a))');
	await expect(answers.nth(2)).toHaveText('None of the time');
	if (options.audit) await audit(page, 'check your answers');
	const change = page.getByRole('link', { name: 'Change your answer to question 3' });
	await expect(change).toHaveAttribute('href', '/account/check-in/swemwbs/3?from=check');
	if (mode === 'mouse') await change.click();
	else {
		await tabTo(page, 'a[href="/account/check-in/swemwbs/3?from=check"]');
		const loaded = page.waitForEvent('load');
		await page.keyboard.press('Enter');
		await loaded;
	}
	await expect(page).toHaveURL(/\/account\/check-in\/swemwbs\/3\?from=check$/);
	await expect(page.locator('input[name=answer][value="1"]')).toBeChecked();
	await answerPage(page, { answer: String(SWEMWBS[2]) }, mode);
	await pressButton(page, mode);
	await expect(page).toHaveURL(/\/account\/check-in\/swemwbs\/check$/);
	await expect(answers).toHaveText(['Often', 'Some of the time', 'Often', 'Rarely', 'All of the time', 'Some of the time', 'Often']);
	await pressButton(page, mode, /^send$/i);

	await expect(page).toHaveURL(/\/account\/check-in\/swemwbs\/done$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-in sent');
	await expect(page.locator('.result-sentence')).toHaveText([`Your wellbeing score is ${METRIC}. Scores go from 7 to 35: a higher score is better.`]);
	if (options.audit) await audit(page, 'done');
	expect(await runnableScripts(page), 'done page runs no JavaScript').toBe(0);

	// The progress page has a wellbeing section with its table.
	await followLink(page, mode, /see your progress/i);
	await expect(page).toHaveURL(/\/account\/progress$/);
	const section = page.locator('section#progress-swemwbs, section[aria-labelledby="progress-swemwbs-heading"]').first();
	// Named in words, the questionnaire's own name as a note.
	await expect(section.locator('.measure-heading')).toHaveText('Your wellbeing');
	await expect(section.locator('.measure-note')).toContainText('Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)');
	await expect(section.locator('table thead th')).toHaveText(['Date', 'Wellbeing score (7 to 35)']);
	await expect(section.locator('table tbody tr').first().locator('th, td')).toHaveText([formatDate(ukDate(new Date())), METRIC]);
}

test('with the mouse: a SWEMWBS check-in one question per page, then the wellbeing section on the progress page (axe, 320 px)', async ({ browser }) => {
	test.setTimeout(240_000);
	const { context, page } = await refer(browser, true, 'wendy.wellbeing@example.com');
	await swemwbsCheckIn(page, 'mouse', { audit: true });
	await context.close();
});

test('PHQ-9 item 9 above 0: crisis help is the next page, and the specialist is emailed without any score or answer', async ({ browser }) => {
	test.setTimeout(240_000);
	const { context, page, reference } = await refer(browser, true, 'pat.phq@example.com');
	crisisReference = reference;
	await page.goto(`${server.url}/account/check-in/phq9`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check in: your mood');
	await followLink(page, 'mouse', /start your check-in/i);
	const answers = [2, 1, 3, 2, 0, 1, 2, 0, 1];
	for (let n = 1; n <= 9; n++) {
		await expect(page).toHaveURL(new RegExp(`/account/check-in/phq9/${n}$`));
		await expect(page.locator('section.crisis[aria-labelledby="crisis-now-heading"]')).toHaveCount(0);
		await answerPage(page, { answer: String(answers[n - 1]) }, 'mouse');
		await pressButton(page, 'mouse');
	}

	// Straight after item 9: crisis help, before anything else.
	await expect(page).toHaveURL(/\/account\/check-in\/phq9\/help$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help is here if you need it');
	const help = page.locator('section.crisis[aria-labelledby="crisis-now-heading"]');
	await expect(help).toContainText('Samaritans on 116 123');
	await expect(help).toContainText('NHS 111');
	await expect(help).toContainText('option 2');
	await expect(help).toContainText('999');
	await expect(help.locator('a[href^="tel:"]')).toHaveCount(3);
	await expect(help.locator('a[href^="sms:"]')).toHaveCount(1);
	// When the team will see it, truthfully, from the programme's opening hours; carrying on comes after.
	await expect(page.locator('main')).toContainText(/Our team is (open now, until 5pm today|closed now\. They will see this when they open on \w+ \d+ \w+ at 9am)\./);
	await expect(page.locator('main')).not.toContainText(/\bsoon\b/);
	expect(await runnableScripts(page), 'crisis help page runs no JavaScript').toBe(0);
	await audit(page, 'crisis help');

	// The specialist's and the safety contacts' emails, at once: the reference, the link and when to
	// acknowledge it by, nothing else with a digit in it, no questionnaire.
	await expect.poll(() => smtp.messages.filter((m) => m.subject?.startsWith('Call participant')).length, { timeout: 30_000 }).toBe(2);
	const mails = smtp.messages.filter((m) => m.subject?.startsWith('Call participant'));
	const to = mails.flatMap((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []));
	expect(to.sort()).toEqual([SPECIALIST, 'primary-care-duty@ips.example'].sort());
	const mail = mails[0];
	const text = `${mail.subject}\n${mail.text}`;
	expect(text).toContain(`Reference: ${reference}`);
	expect(text).toContain(`${server.url}/staff/referrals/${reference}`);
	expect(
		text
			.replaceAll(/https?:\/\/\S+/g, '')
			.replaceAll(reference, '')
			.replace(/If nobody has by [^(]*/, ''),
		'digits besides the reference, the link and the time to acknowledge by'
	).not.toMatch(/\d/);
	for (const word of ['PHQ', 'depression', 'self-harm', 'hurting', 'Several days', 'score', 'Pat'])
		expect(text.toLowerCase(), `email mentions "${word}"`).not.toContain(word.toLowerCase());

	await followLink(page, 'mouse', /carry on with your check-in/i);
	await expect(page).toHaveURL(/\/account\/check-in\/phq9\/check$/);
	await pressButton(page, 'mouse', /^send$/i);
	await expect(page).toHaveURL(/\/account\/check-in\/phq9\/done$/);
	await expect(page.locator('.result-sentence')).toHaveText(['Your depression score is 12. Scores go from 0 to 27: a lower score means fewer symptoms.']);
	await expect(page.getByText('This is not a diagnosis.', { exact: false })).toBeVisible();
	await expect(page.locator('body')).not.toContainText(/moderately severe|moderate|mild/i);
	await expect(page.locator('section.crisis[aria-labelledby="crisis-now-heading"]')).toContainText('116 123');
	await audit(page, 'done (after crisis help)');
	// One email each for the check-in: still two once the notifier has sent everything caused before now.
	await notifierCaughtUp(server.url, smtp);
	expect(smtp.messages.filter((m) => m.subject?.startsWith('Call participant'))).toHaveLength(2);
	await context.close();
});

test('with JavaScript off and the keyboard only: the same SWEMWBS walk', async ({ browser }) => {
	test.setTimeout(480_000);
	const { context, page } = await refer(browser, false, 'kim.keys@example.com');
	await swemwbsCheckIn(page, 'keyboard', { audit: false });
	await context.close();
});

test('questionnaires the programme does not ask for and questions out of range are not found', async ({ browser }) => {
	const anonymous = await browser.newContext();
	for (const p of ['/account/check-in/swemwbs', '/account/check-in/swemwbs/1', '/account/check-in/swemwbs/check', '/account/check-in/phq9/help']) {
		const res = await anonymous.request.get(`${server.url}${p}`, { maxRedirects: 0 });
		expect([303, 404], p).toContain(res.status());
	}
	await anonymous.close();
	const { context, page } = await refer(browser, false, 'nora.notfound@example.com');
	for (const p of ['gad7', 'ons4', 'eq5d5l', 'nothing', 'swemwbs/0', 'swemwbs/8', 'swemwbs/1e0', 'phq9/10']) {
		const res = await page.request.get(`${server.url}/account/check-in/${p}`, { maxRedirects: 0 });
		expect(res.status(), p).toBe(404);
	}
	// No crisis answer: the help page sends you to the start.
	const res = await page.request.get(`${server.url}/account/check-in/phq9/help`, { maxRedirects: 0 });
	expect(res.status()).toBe(303);
	expect(res.headers().location).toBe('/account/check-in/phq9');
	await context.close();
});

test('the crisis concern and its event are in the log, without the answer', async () => {
	expect(await server.stop()).toBe(0);
	const rows = await withDatabase(dataDir, async (query) => ({
		events: await query(
			`select e.type, e.payload from event e join referral r on r.id = e.referral_id where r.reference = $1 and e.type in ('wellbeing.concern_raised', 'checkin.completed') order by e.id`,
			[crisisReference]
		),
		concerns: await query(`select c.kind, c.reasons, c.check_in_id from wellbeing_concern c join referral r on r.id = c.referral_id where r.reference = $1`, [crisisReference])
	}));
	expect(rows.events.map((e) => e.type)).toEqual(['wellbeing.concern_raised', 'checkin.completed']);
	expect(rows.events[0].payload).toMatchObject({ kind: 'crisis' });
	expect(Object.keys(rows.events[1].payload as object).sort()).toEqual(['checkInId', 'completedAt', 'instrument']);
	expect(rows.concerns).toHaveLength(1);
	expect(rows.concerns[0].kind).toBe('crisis');
	expect(rows.concerns[0].check_in_id).toBe((rows.events[1].payload as { checkInId: string }).checkInId);
	expect(JSON.stringify(rows.concerns[0].reasons)).not.toMatch(/\d/);
});
