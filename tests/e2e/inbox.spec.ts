import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { removeDir, startServer, withDatabase, type RunningServer } from './support/server';
import { referredPerson, staffMember } from './support/people';
import { signIn, type DemoEmail } from './support/staff';
import { MORE, tellUsMore } from './support/journey';
import { TAGS } from './support/axe';

/**
 * Casework from end to end, all with JavaScript turned off: a referral sent from a GP practice link reaches
 * the specialist linked to the practice; staff see it in the inbox (overdue referrals first), open it,
 * assign and claim it, log a contact attempt, and change its status to contacted and then closed. Staff of
 * another programme get "not found" for the page and for direct POSTs. The person checks their status.
 * After SIGTERM the database holds the events and the audit rows, views included.
 */
// Signing the same demo account in again waits for a new authenticator code, so tests take a while.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const SCREENSHOTS = 'tmp/screenshots';

let server: RunningServer;
let dataDir: string;
/** From /r/gp-p84001: routed to Sam Specialist. */
let routed: string;
/** From /r/fitnote (no practice): the queue; made overdue while the server is stopped. */
let overdue: string;

test.beforeAll(async () => {
	server = await startServer();
	dataDir = server.dataDir;
	mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(server.output());
});

test.afterAll(async () => {
	for (const context of axeContexts.values()) await context.close();
	if (server && server.process.exitCode === null) await server.stop();
	if (dataDir) removeDir(dataDir);
});

async function noJs(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ javaScriptEnabled: false });
	return { context, page: await context.newPage() };
}

const staffPage = (browser: Browser, email: DemoEmail) => staffMember(browser, server.url, email, { viewport: { width: 1280, height: 720 } });

/** Signed-in JavaScript-enabled contexts for axe, one per account, kept across tests (a TOTP code works once). */
const axeContexts = new Map<string, BrowserContext>();

/** axe runs in a JavaScript-enabled context: the pages ship no JavaScript, so they are the same pages. */
async function axe(browser: Browser, email: DemoEmail | null, path: string, prepare?: (page: Page) => Promise<void>) {
	const key = email ?? 'public';
	let context = axeContexts.get(key);
	if (!context) {
		context = await browser.newContext();
		axeContexts.set(key, context);
		if (email) await signIn(await context.newPage(), server.url, email);
	}
	const page = await context.newPage();
	await page.goto(`${server.url}${path}`);
	if (prepare) await prepare(page);
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${page.url()}`).toEqual([]);
	await page.close();
}

async function screenshots(page: Page, name: string) {
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

const historyItems = (page: Page) => page.locator('ol.history > li .history-title');

test('two referrals are sent; one is made overdue while the server is stopped', async ({ browser }) => {
	for (const link of ['gp-p84001', 'fitnote']) {
		const { context, page, reference } = await referredPerson(browser, server.url, { javaScriptEnabled: false, link });
		if (link === 'gp-p84001') routed = reference;
		else overdue = reference;
		await expect(page.getByRole('link', { name: /check the progress of your referral/i })).toBeVisible();
		// The routed person tells us more after sending: their health and the work they would like.
		if (link === 'gp-p84001') await tellUsMore(page, { conditionDescription: MORE.conditionDescription, jobGoals: MORE.jobGoals }, 'mouse');
		await context.close();
	}

	expect(await server.stop()).toBe(0);
	await withDatabase(dataDir, async (query) => {
		const [sam] = await query(`select id from staff where email = 'sam.specialist@ips.example'`);
		const [r] = await query('select assigned_staff_id from referral where reference = $1', [routed]);
		expect(r.assigned_staff_id).toBe(sam.id);
		const [q] = await query('select assigned_staff_id from referral where reference = $1', [overdue]);
		expect(q.assigned_staff_id).toBeNull();
		await query(`update referral set submitted_at = now() - interval '20 days', contact_target_date = current_date - 12 where reference = $1`, [overdue]);
	});
	server = await startServer({}, dataDir);
});

test('the inbox lists overdue referrals first, marked in words, with caseloads', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'sam.specialist@ips.example');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referrals');
	const rows = page.locator('table.inbox tbody tr');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText(overdue);
	await expect(rows.nth(0).locator('.tag')).toHaveText('Overdue');
	await expect(rows.nth(0)).toContainText(/by \d+ working days?/);
	await expect(rows.nth(0)).toContainText('Nobody yet');
	await expect(rows.nth(1)).toContainText(routed);
	await expect(rows.nth(1)).toContainText('Sam Specialist');
	await expect(rows.nth(1)).toContainText(/\d working days? left|Due today/);
	await expect(rows.nth(1)).not.toContainText('Overdue');
	await expect(page.getByText('1 overdue')).toBeVisible();
	await expect(page.locator('.caseload')).toContainText('Sam Specialist: 1 open referral (cap 25)');
	await expect(page.locator('.caseload')).toContainText('1 waiting in the queue');

	// The GET filter form works without JavaScript.
	await page.getByLabel('Specialist').selectOption({ label: 'Nobody yet (in the queue)' });
	await page.getByRole('button', { name: 'Show referrals' }).click();
	await expect(page).toHaveURL(/specialist=unassigned/);
	await expect(rows).toHaveCount(1);
	await expect(rows.nth(0)).toContainText(overdue);
	await page.getByRole('link', { name: 'Clear filters' }).click();
	await expect(rows).toHaveCount(2);

	await screenshots(page, 'staff-inbox');
	await context.close();
	await axe(browser, 'sam.specialist@ips.example', '/staff');
});

test('a team lead returns the referral to the queue and the specialist claims it', async ({ browser }) => {
	const lead = await staffPage(browser, 'lead@ips.example');
	await lead.page.getByRole('link', { name: routed }).click();
	await expect(lead.page).toHaveURL(`${server.url}/staff/referrals/${routed}`);
	await expect(lead.page.getByRole('heading', { level: 1 })).toHaveText('Sam Taylor');
	await lead.page.getByLabel('Assign to').selectOption('queue');
	await lead.page.getByRole('button', { name: 'Assign' }).click();
	await expect(lead.page.locator('.notice')).toHaveText('Who holds this referral has been changed.');
	await expect(lead.page.locator('.case-summary')).toContainText('Nobody yet: waiting in the programme’s queue');
	await expect(historyItems(lead.page).last()).toHaveText('Returned to the programme’s queue');
	await lead.context.close();

	const sam = await staffPage(browser, 'sam.specialist@ips.example');
	await sam.page.getByRole('link', { name: routed }).click();
	// Specialists claim; only team leads assign.
	await expect(sam.page.getByLabel('Assign to')).toHaveCount(0);
	await sam.page.getByRole('button', { name: 'Claim this referral' }).click();
	await expect(sam.page.locator('.notice')).toHaveText('You now hold this referral.');
	await expect(historyItems(sam.page).last()).toHaveText('Claimed by Sam Specialist');
	await sam.context.close();
});

test('the referral page shows every answer, consents, source and preferences, and the actions work without JavaScript', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'sam.specialist@ips.example');
	await page.goto(`${server.url}/staff/referrals/${routed}`);
	const details = page.locator('.case-details');
	// Told after sending, on "Tell us more".
	const more = details.locator('h3#more-answers + dl');
	await expect(more).toContainText('Back pain and anxiety make long shifts hard.');
	await expect(more).toContainText('Part-time work in a shop or office.');
	await expect(more).toContainText('Added ');
	await expect(details).toContainText('processing-2026-11-v1');
	await expect(details).toContainText('Fit Note link or QR code');
	await expect(details).toContainText('P84001');
	await expect(page.locator('.case-summary')).toContainText('Weekday mornings');
	await expect(page.locator('.case-summary')).toContainText('Do not send post.');

	// A contact attempt with nothing chosen: the error pattern, then a good one.
	await page.getByRole('button', { name: 'Save contact attempt' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary a').first()).toHaveAttribute('href', '#contact-channel');
	await expect(page.locator('#contact-channel-error')).toContainText('Select how you tried to contact them');
	await page.locator('#contact-note').fill('Try after 5pm');
	await page.getByRole('button', { name: 'Save contact attempt' }).click();
	await expect(page.locator('#contact-note')).toHaveValue('Try after 5pm');
	await page.getByRole('group', { name: 'How did you try?' }).getByLabel('Phone call').check();
	await page.getByRole('group', { name: 'What happened?' }).getByLabel('No answer').check();
	await page.getByRole('button', { name: 'Save contact attempt' }).click();
	await expect(page.locator('.notice')).toHaveText('The contact attempt has been saved.');
	await expect(historyItems(page).last()).toHaveText('Contact attempt: Phone call. No answer');
	await expect(page.locator('ol.history > li').last()).toContainText('Note: Try after 5pm');

	await page.getByRole('group', { name: /New status/ }).getByLabel('Contacted').check();
	await page.getByRole('button', { name: 'Change status' }).click();
	await expect(page.locator('.notice')).toHaveText('The status has been changed.');
	await expect(historyItems(page).last()).toHaveText('Status changed to Contacted');
	await expect(page.locator('.case-summary')).toContainText('Contact made');

	// Closed without a reason is refused, the choice is kept; with a reason it closes.
	await page.getByRole('group', { name: /New status/ }).getByLabel('Closed').check();
	await page.getByRole('button', { name: 'Change status' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary')).toContainText('Select why the referral is closed');
	await expect(page.getByRole('group', { name: /New status/ }).getByLabel('Closed')).toBeChecked();
	await screenshots(page, 'staff-referral-error');
	await page.getByLabel('Reason for closing').selectOption('003');
	await page.getByRole('button', { name: 'Change status' }).click();
	await expect(page.locator('.notice')).toHaveText('The status has been changed.');
	await expect(historyItems(page)).toHaveText([
		'Referral received',
		'The person told us more after sending their referral',
		'The person told us more after sending their referral',
		'Returned to the programme’s queue',
		'Claimed by Sam Specialist',
		'Contact attempt: Phone call. No answer',
		'Status changed to Contacted',
		'Closed: 003 Could not be contacted'
	]);
	await expect(page.locator('.case-summary')).toContainText('Closed: 003 Could not be contacted');

	await page.goto(`${server.url}/staff/referrals/${overdue}`);
	await expect(page.locator('.case-summary .tag')).toHaveText('Overdue');
	await screenshots(page, 'staff-referral');
	await context.close();

	await axe(browser, 'lead@ips.example', `/staff/referrals/${overdue}`);
	await axe(browser, 'sam.specialist@ips.example', `/staff/referrals/${overdue}`, async (p) => {
		await p.getByRole('group', { name: /New status/ }).getByLabel('Closed').check();
		await p.getByRole('button', { name: 'Change status' }).click();
		await expect(p).toHaveTitle(/^Error: /);
	});
});

test('staff pages, sign-in included, do not carry the public "not a crisis service" strip or crisis help; public pages do', async ({ browser }) => {
	const notice = /This is not a crisis service|This service cannot help in a crisis/;
	const anonymous = await noJs(browser);
	await anonymous.page.goto(server.url);
	await expect(anonymous.page.locator('.urgent')).toContainText('This is not a crisis service');
	await expect(anonymous.page.locator('footer section.crisis')).toHaveCount(1);
	await anonymous.page.goto(`${server.url}/staff/sign-in`);
	await expect(anonymous.page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
	await expect(anonymous.page.locator('body')).not.toContainText(notice);
	await expect(anonymous.page.locator('.urgent, section.crisis')).toHaveCount(0);
	await anonymous.context.close();

	const { context, page } = await staffPage(browser, 'sam.specialist@ips.example');
	for (const path of ['/staff', `/staff/referrals/${routed}`, '/staff/meetings', '/staff/availability', '/staff/account', '/staff/no-such-page']) {
		await page.goto(`${server.url}${path}`);
		await expect(page.locator('body'), path).not.toContainText(notice);
		await expect(page.locator('.urgent, section.crisis'), path).toHaveCount(0);
		await expect(page.getByRole('main')).toHaveCount(1);
		// "Not found" under /staff is answered by the hook on a bare page; the others keep the layout's skip
		// link, header and main landmark.
		if (path === '/staff/no-such-page') continue;
		await expect(page.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main');
		await expect(page.getByRole('banner').getByRole('link', { name: 'IPS Employment Support: staff' })).toHaveAttribute('href', '/staff');
	}
	// The history is in words: no event code is shown.
	await page.goto(`${server.url}/staff/referrals/${routed}`);
	await expect(page.locator('ol.history')).not.toContainText(/\b(referral|meeting|checkin|wellbeing)\.[a-z_]+/);
	await context.close();
});

test('staff of another programme get "not found" for the page and for direct POSTs', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'sol.secondary@ips.example');
	await expect(page.locator('table.inbox')).toHaveCount(0);
	await expect(page.getByText(routed)).toHaveCount(0);
	const view = await page.goto(`${server.url}/staff/referrals/${routed}`);
	expect(view?.status()).toBe(404);

	const post = (action: string, form: Record<string, string>) =>
		page.request.post(`${server.url}/staff/referrals/${overdue}?/${action}`, { headers: { origin: server.url }, form, maxRedirects: 0 });
	for (const [action, form] of [
		['claim', {}],
		['assign', { staffId: 'queue' }],
		['contact', { channel: 'phone', outcome: 'spoke', note: '' }],
		['status', { status: 'contacted', closeReason: '' }],
		// Nonsense is "not found" too: the referral is looked up in the user's programmes before the form is read.
		['assign', { staffId: '' }],
		['status', { status: 'closed', closeReason: '' }]
	] as const) {
		const res = await post(action, form);
		expect(res.status(), `POST ?/${action} ${JSON.stringify(form)}`).toBe(404);
		expect(await res.text()).not.toContain('Taylor');
	}
	await context.close();
});

test('the person checks their status with their reference and date of birth', async ({ browser }) => {
	const { context, page } = await noJs(browser);
	await page.goto(server.url);
	await page.getByRole('link', { name: 'Check the progress of your referral' }).click();
	await expect(page).toHaveURL(`${server.url}/status`);
	await page.getByLabel('Reference number').fill(routed.toLowerCase().replace('-', ' '));
	await page.getByLabel('Day').fill('16');
	await page.getByLabel('Month').fill('6');
	await page.getByLabel('Year').fill('1985');
	await page.getByRole('button', { name: 'Check progress' }).click();
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('.error-summary')).toContainText('We could not find a referral with those details');
	await expect(page.getByLabel('Reference number')).toHaveValue(routed.toLowerCase().replace('-', ' '));

	await page.getByLabel('Day').fill('15');
	await page.getByRole('button', { name: 'Check progress' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your referral');
	await expect(page.locator('.status-result h2')).toHaveText('Your referral is closed');
	await expect(page.locator('.status-result')).toContainText('could not reach you');
	await screenshots(page, 'status-result');
	await context.close();

	await axe(browser, null, '/status');
	await axe(browser, null, '/status', async (p) => {
		await p.getByRole('button', { name: 'Check progress' }).click();
		await expect(p).toHaveTitle(/^Error: /);
	});
	await axe(browser, null, '/status', async (p) => {
		await p.getByLabel('Reference number').fill(overdue);
		await p.getByLabel('Day').fill('15');
		await p.getByLabel('Month').fill('6');
		await p.getByLabel('Year').fill('1985');
		await p.getByRole('button', { name: 'Check progress' }).click();
		await expect(p.locator('.status-result h2')).toHaveText('We have your referral');
		await expect(p.locator('.status-result')).toContainText('We are sorry if you have not heard from us yet');
	});
});

test('after SIGTERM the database holds every event and audit row, views included', async () => {
	expect(await server.stop()).toBe(0);
	await withDatabase(dataDir, async (query) => {
		const staffIds = Object.fromEntries((await query('select email, id from staff')).map((s) => [s.email, s.id]));
		const sam = staffIds['sam.specialist@ips.example'];
		const lead = staffIds['lead@ips.example'];
		const sol = staffIds['sol.secondary@ips.example'];
		const [r] = await query('select id, status, closed_reason, assigned_staff_id, first_contact_at from referral where reference = $1', [routed]);
		expect(r).toMatchObject({ status: 'closed', closed_reason: '003', assigned_staff_id: sam });
		expect(r.first_contact_at).toBeInstanceOf(Date);

		const events = await query('select type, payload from event where referral_id = $1 order by id', [r.id]);
		expect(events.map((e) => e.type)).toEqual([
			'referral.submitted',
			'referral.assigned',
			'referral.assigned',
			'referral.contact_attempted',
			'referral.status_changed',
			'referral.status_changed'
		]);
		expect(events[1].payload).toMatchObject({ reference: routed, from: sam, to: null, how: 'returned', byStaffId: lead });
		expect(events[2].payload).toMatchObject({ from: null, to: sam, how: 'claimed', byStaffId: sam });
		expect(events[3].payload).toMatchObject({ channel: 'phone', outcome: 'no-answer', byStaffId: sam });
		expect(events[5].payload).toMatchObject({ from: 'contacted', to: 'closed', closedReason: '003' });
		for (const e of events) expect(JSON.stringify(e.payload)).not.toMatch(/Back pain|Try after 5pm/);

		const audit = await query('select action, staff_id from audit_log where referral_id = $1 order by id', [r.id]);
		const actions = audit.map((a) => a.action);
		for (const action of ['referral.viewed', 'referral.assigned', 'referral.contact_attempted', 'referral.status_changed', 'referral.status_looked_up'])
			expect(actions, action).toContain(action);
		expect(audit.filter((a) => a.action === 'referral.viewed' && a.staff_id === lead).length).toBeGreaterThan(0);
		expect(audit.filter((a) => a.action === 'referral.viewed' && a.staff_id === sam).length).toBeGreaterThan(0);
		expect(audit.filter((a) => a.action === 'referral.status_changed')).toHaveLength(2);
		// Staff of the other programme saw and changed nothing.
		expect((await query('select count(*)::int as n from audit_log where staff_id = $1 and referral_id is not null', [sol]))[0].n).toBe(0);
		expect((await query(`select count(*)::int as n from event where payload->>'byStaffId' = $1`, [sol]))[0].n).toBe(0);
	});
});

test('with more than fifty referrals the inbox pages, keeping the filters, and each page passes axe', async ({ browser }) => {
	// The server was stopped by the test before: add 70 queued referrals to Sam's programme, then start it again.
	await withDatabase(dataDir, async (query) => {
		const [r] = await query('select programme_id, answers, eligibility from referral where reference = $1', [routed]);
		await query(
			`insert into referral (reference, draft_id, programme_id, eligibility_outcome, eligibility, given_name, family_name, date_of_birth, postcode,
				employment_status, answers, source_code, dwp_category, contact_target_date, submitted_at)
			 select 'PAGE-' || lpad(g::text, 3, '0'), gen_random_uuid(), $1, 'likely-eligible', $2::jsonb, 'Sam', 'Paged ' || g, '1985-06-15', 'M1 1AE',
				'out-of-work', $3::jsonb, 'leaflet', 'self-referral', current_date + (g % 9), now() - (g || ' minutes')::interval
			 from generate_series(1, 70) g`,
			[r.programme_id, JSON.stringify(r.eligibility), JSON.stringify(r.answers)]
		);
	});
	server = await startServer({}, dataDir);
	// A context signed in earlier (sessions outlive a restart), so no new authenticator code is needed.
	const context = axeContexts.get('sam.specialist@ips.example')!;
	const page = await context.newPage();
	await page.goto(`${server.url}/staff?status=all`);
	const rows = page.locator('table.inbox tbody tr');
	await expect(rows).toHaveCount(50);
	await expect(page.getByText('72 referrals')).toBeVisible();
	await expect(page.getByText('This is page 1 of 2: referrals 1 to 50.')).toBeVisible();
	const pages = page.getByRole('navigation', { name: 'Pages of referrals' });
	await expect(pages.getByRole('link', { name: 'Page 1, this page' })).toHaveAttribute('aria-current', 'page');
	await expect(pages.getByRole('link', { name: /Previous/ })).toHaveCount(0);
	await pages.getByRole('link', { name: /Next/ }).click();
	await expect(page).toHaveURL(/[?&]status=all&page=2|[?&]page=2&status=all|status=all.*page=2/);
	await expect(rows).toHaveCount(22);
	await expect(page.getByText('This is page 2 of 2: referrals 51 to 72.')).toBeVisible();
	await expect(pages.getByRole('link', { name: 'Page 2, this page' })).toHaveAttribute('aria-current', 'page');
	await expect(pages.getByRole('link', { name: /Next/ })).toHaveCount(0);
	await screenshots(page, 'staff-inbox-page-2');
	await pages.getByRole('link', { name: /Previous/ }).click();
	await expect(rows).toHaveCount(50);
	// A page past the end shows the last page.
	await page.goto(`${server.url}/staff?status=all&page=40`);
	await expect(page.getByText('This is page 2 of 2: referrals 51 to 72.')).toBeVisible();
	await page.close();
	await axe(browser, 'sam.specialist@ips.example', '/staff?status=all&page=2');
});
