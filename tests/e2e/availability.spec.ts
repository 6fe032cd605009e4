import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { DemoEmail } from './support/staff';
import { staffMember } from './support/people';
import { auditHtml } from './support/axe';
import { specAxePage, specServer } from './support/spec-server';

/**
 * Availability and venues, on one server with the demo data: a specialist keeps weekly hours, extra
 * hours, hours taken away and leave with JavaScript off (Sam) and on (Sol); the error pattern with typed
 * values kept; a team lead changes a specialist's hours; an admin adds and edits a venue and changes a
 * programme's booking settings; refusals (404 for another programme's specialist, 403 for the venues
 * page). axe and 320px reflow on every new page, error states included.
 */
test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'tmp/screenshots';
const PRIMARY = 'gm-ips-primary-care';
const VENUE = 'Salford Shared Space';

const server = specServer();
const axe = specAxePage();
const audited = new Set<string>();
let solId = '';
let leadId = '';

async function staffPage(browser: Browser, email: DemoEmail, javaScriptEnabled: boolean): Promise<Page> {
	const { context, page } = await staffMember(browser, server.url, email, { javaScriptEnabled });
	axe.keep(context);
	return page;
}

/** axe at desktop width and at 320px, and reflow at 320px, on the page's HTML in the JavaScript-enabled axe page. */
async function audit(p: Page, name: string) {
	await auditHtml(p, axe.page, name, { screenshot: `${SCREENSHOTS}/availability-${name.replace(/\W+/g, '-')}-320.png` });
	audited.add(name);
}

/** The error pattern: "Error: " title, a summary link to the field, the message beside it, the field pointing to it. */
async function expectErrorPattern(p: Page, field: string, message: string | RegExp) {
	await expect(p).toHaveTitle(/^Error: /);
	const summary = p.locator('.error-summary');
	await expect(summary).toBeVisible();
	await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', `#${field}`);
	await expect(p.locator(`#${field}-error`)).toContainText(message);
	await expect(p.locator(`#${field}, fieldset:has(#${field})`).and(p.locator(`[aria-describedby~="${field}-error"]`))).toHaveCount(1);
}

const form = (p: Page, action: string) => p.locator(`form[action="?/${action}"]`);

async function addWeeklyHours(p: Page, day: string, start: string, end: string, modes: string[], venue?: string) {
	const f = form(p, 'addPattern');
	await f.getByLabel('Day').selectOption({ label: day });
	await f.getByLabel('Start time').fill(start);
	await f.getByLabel('End time').fill(end);
	for (const mode of modes) await f.getByLabel(mode, { exact: true }).check();
	if (venue) await f.getByLabel('Venue for meetings in person').selectOption({ label: venue });
	await f.getByRole('button', { name: 'Add weekly hours' }).click();
}

async function hoursOnDate(p: Page, action: 'addExtra' | 'addRemoved', date: string, start: string, end: string, modes: string[] = []) {
	const f = form(p, action);
	await f.getByLabel('Date').fill(date);
	await f.getByLabel('Start time').fill(start);
	await f.getByLabel('End time').fill(end);
	for (const mode of modes) await f.getByLabel(mode, { exact: true }).check();
	await f.getByRole('button').click();
}

async function addLeave(p: Page, from: string, to: string) {
	const f = form(p, 'addLeave');
	await f.getByLabel('First day of leave').fill(from);
	await f.getByLabel('Last day of leave').fill(to);
	await f.getByRole('button', { name: 'Add leave' }).click();
}

/** The whole round as a specialist: list, add weekly hours, extra hours, hours taken away, leave, a video link; remove. */
async function keepAvailability(p: Page, who: string, videoName: string) {
	await p.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'My availability' }).click();
	await expect(p).toHaveURL(`${server.url}/staff/availability`);
	await expect(p.getByRole('heading', { level: 1 })).toHaveText('My availability');
	// The demo hours, in words.
	const weekly = p.getByRole('region', { name: 'Weekly hours' });
	await expect(weekly.getByRole('row').filter({ hasText: 'Monday' }).first()).toContainText('9:00am to 5:00pm');
	await expect(weekly).toContainText('by phone and by video call');

	await addWeeklyHours(p, 'Sunday', '10:00', '12:30', ['Phone']);
	await expect(p.getByRole('status')).toHaveText('Weekly hours added.');
	await expect(p).toHaveURL(/\/staff\/availability\?done=addPattern#weekly-hours$/);
	await expect(weekly.getByRole('row').filter({ hasText: 'Sunday' })).toContainText('10:00am to 12:30pm');
	await expect(weekly.getByRole('row').filter({ hasText: 'Sunday' })).toContainText('by phone');

	// Extra hours on the Sunday the clocks go back, in person at the demo venue and by video.
	const extra = form(p, 'addExtra');
	await extra.getByLabel('Venue for meetings in person').selectOption({ label: 'Central Library, Manchester' });
	await hoursOnDate(p, 'addExtra', '2027-10-31', '10:00', '13:00', ['In person', 'Video']);
	await expect(p.getByRole('status')).toHaveText('Extra hours added.');
	const changes = p.getByRole('region', { name: 'Changes on one date' });
	await expect(changes.getByRole('row').filter({ hasText: 'Sunday 31 October 2027' })).toContainText('Extra hours, in person at Central Library, Manchester and by video call');
	await expect(changes.getByRole('row').filter({ hasText: 'Sunday 31 October 2027' })).toContainText('10:00am to 1:00pm');

	await hoursOnDate(p, 'addRemoved', '2027-11-01', '09:00', '12:00');
	await expect(p.getByRole('status')).toHaveText('Hours taken away on that date.');
	await expect(changes.getByRole('row').filter({ hasText: 'Monday 1 November 2027' })).toContainText('Hours taken away');

	await addLeave(p, '2027-03-29', '2027-03-29');
	await expect(p.getByRole('status')).toHaveText('Leave added.');
	await addLeave(p, '2027-08-02', '2027-08-13');
	const leave = p.getByRole('region', { name: 'Leave' });
	await expect(leave).toContainText('Monday 29 March 2027');
	await expect(leave).toContainText('Monday 2 August 2027 to Friday 13 August 2027');

	await form(p, 'videoLink').getByLabel('Video call link').fill(`https://video.example.org/${videoName}-new`);
	await form(p, 'videoLink').getByRole('button').click();
	await expect(p.getByRole('status')).toHaveText('Video call link saved.');
	await expect(p.locator('.availability')).toContainText(`https://video.example.org/${videoName}-new`);
	// Shown as a link people can open.
	await expect(p.getByRole('link', { name: `https://video.example.org/${videoName}-new` })).toHaveAttribute('href', `https://video.example.org/${videoName}-new`);

	// Removing: the buttons name what they remove.
	await weekly.getByRole('button', { name: 'Remove Sunday, 10:00am to 12:30pm' }).click();
	await expect(p.getByRole('status')).toHaveText('Weekly hours removed.');
	await expect(weekly).not.toContainText('Sunday');
	await changes.getByRole('button', { name: /Remove hours taken away on Monday 1 November 2027/ }).click();
	await expect(p.getByRole('status')).toHaveText('Change on that date removed.');
	await expect(changes).not.toContainText('Monday 1 November 2027');
	await leave.getByRole('button', { name: 'Remove leave, Monday 29 March 2027' }).click();
	await expect(p.getByRole('status')).toHaveText('Leave removed.');
	await expect(leave).not.toContainText('29 March');
	await expect(leave).toContainText('2 August 2027');
	await audit(p, `availability of ${who}`);
}

test.beforeAll(() => {
	mkdirSync(SCREENSHOTS, { recursive: true });
});

test('a specialist keeps their availability with JavaScript off', async ({ browser }) => {
	const sam = await staffPage(browser, 'sam.specialist@ips.example', false);
	await keepAvailability(sam, 'Sam with JavaScript off', 'sam-specialist');
	// The demo's evening and Saturday hours.
	const weekly = sam.getByRole('region', { name: 'Weekly hours' });
	await expect(weekly.getByRole('row').filter({ hasText: 'Saturday' })).toContainText('9:00am to 12:00pm');
	await expect(weekly.getByRole('row').filter({ hasText: 'Wednesday' })).toHaveCount(2);
	await expect(weekly).toContainText('5:30pm to 7:30pm');
});

test('a specialist keeps their availability with JavaScript on', async ({ browser }) => {
	const sol = await staffPage(browser, 'sol.secondary@ips.example', true);
	await keepAvailability(sol, 'Sol with JavaScript on', 'sol-secondary');
});

test('mistakes show the error pattern beside the fields and keep what was typed', async ({ browser }) => {
	const sam = await staffPage(browser, 'sam.specialist@ips.example', false);
	await sam.goto(`${server.url}/staff/availability`);

	await form(sam, 'addPattern').getByLabel('Start time').fill('9am');
	await form(sam, 'addPattern').getByLabel('End time').fill('17:00');
	await form(sam, 'addPattern').getByRole('button').click();
	await expectErrorPattern(sam, 'pattern-weekday', 'Choose a day of the week');
	await expectErrorPattern(sam, 'pattern-start', 'Start time must be a time in 24-hour format, like 09:30 or 17:00');
	await expectErrorPattern(sam, 'pattern-modes', 'Choose at least one way to meet');
	await expect(sam.locator('#pattern-start')).toHaveValue('9am');
	await expect(sam.locator('#pattern-start')).toHaveAttribute('aria-invalid', 'true');
	await expect(sam.locator('#pattern-end')).toHaveValue('17:00');
	// Only the form that was sent shows messages.
	await expect(sam.locator('#extra-start-error')).toHaveCount(0);
	await audit(sam, 'availability with errors');

	await addWeeklyHours(sam, 'Monday', '16:00', '18:00', ['Phone', 'In person']);
	await expectErrorPattern(sam, 'pattern-venueId', 'Choose a venue for meetings in person');
	await expect(sam.locator('#pattern-weekday')).toHaveValue('1');
	await expect(sam.locator('#pattern-modes')).toBeChecked();
	await form(sam, 'addPattern').getByLabel('Venue for meetings in person').selectOption({ label: 'Bolton Community Hub' });
	await form(sam, 'addPattern').getByRole('button').click();
	await expectErrorPattern(sam, 'pattern-start', 'These hours overlap your Monday hours, 9:00am to 5:00pm. Remove those first, or choose other times');
	await expect(sam.locator('#pattern-end')).toHaveValue('18:00');

	await hoursOnDate(sam, 'addRemoved', '2027-11-01', '12:00', '11:00');
	await expectErrorPattern(sam, 'removed-end', 'End time must be after the start time');
	await expect(sam.locator('#removed-start')).toHaveValue('12:00');
	await expect(sam.locator('#removed-date')).toHaveValue('2027-11-01');

	await hoursOnDate(sam, 'addExtra', '2020-01-06', '10:00', '11:00', ['Phone']);
	await expectErrorPattern(sam, 'extra-date', 'Date must be today or in the future');

	await addLeave(sam, '2027-04-10', '2027-04-09');
	await expectErrorPattern(sam, 'leave-to', 'Last day must be the same as or after the first day');
	await expect(sam.locator('#leave-from')).toHaveValue('2027-04-10');

	await form(sam, 'videoLink').getByLabel('Video call link').fill('http://video.example.org/sam');
	await form(sam, 'videoLink').getByRole('button').click();
	await expectErrorPattern(sam, 'video-videoLink', /starts with https:\/\//);
	await expect(sam.locator('#video-videoLink')).toHaveValue('http://video.example.org/sam');
});

test('an admin adds and edits a venue, which specialists can then choose', async ({ browser }) => {
	const admin = await staffPage(browser, 'admin@ips.example', false);
	await admin.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Venues' }).click();
	await expect(admin).toHaveURL(`${server.url}/staff/admin/venues`);
	await expect(admin.getByRole('region', { name: 'Venues' })).toContainText('Central Library, Manchester');
	await audit(admin, 'venues');

	await admin.getByLabel('Postcode').fill('not a postcode');
	await admin.getByRole('button', { name: 'Add venue' }).click();
	await expectErrorPattern(admin, 'name', 'Enter the name of the venue');
	await expectErrorPattern(admin, 'address', 'Enter the address of the venue');
	await expectErrorPattern(admin, 'postcode', 'Enter a real postcode, like M2 5PD');
	await expectErrorPattern(admin, 'privateRoom', 'Choose yes if the venue has a private room for meetings');
	await expect(admin.getByLabel('Postcode')).toHaveValue('not a postcode');
	await audit(admin, 'venues with errors');

	await admin.getByLabel('Name').fill(VENUE);
	await admin.getByLabel('Address').fill('2 Example Road\nSalford');
	await admin.getByLabel('Postcode').fill('m50 2ab');
	await admin.getByLabel('Accessibility (optional)').fill('Step-free access from the car park.');
	await admin.getByLabel('Yes', { exact: true }).check();
	await admin.getByRole('button', { name: 'Add venue' }).click();
	await expect(admin.getByRole('status')).toContainText(`Venue ${VENUE} added`);
	const row = admin.getByRole('region', { name: 'Venues' }).getByRole('row').filter({ hasText: VENUE });
	await expect(row).toContainText('M50 2AB');
	await expect(row).toContainText('In use');

	await row.getByRole('link', { name: VENUE }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText(VENUE);
	await audit(admin, 'venue edit');
	await admin.getByLabel('No', { exact: true }).check();
	await admin.getByRole('button', { name: 'Save changes' }).click();
	await expect(admin.getByRole('status')).toHaveText('Venue saved.');
	await expect(admin.getByLabel('No', { exact: true })).toBeChecked();
	await admin.getByLabel('Name').fill('');
	await admin.getByRole('button', { name: 'Save changes' }).click();
	await expectErrorPattern(admin, 'name', 'Enter the name of the venue');
	await audit(admin, 'venue edit with errors');

	// A specialist can choose it now.
	const sam = await staffPage(browser, 'sam.specialist@ips.example', false);
	await sam.goto(`${server.url}/staff/availability`);
	await expect(form(sam, 'addPattern').getByLabel('Venue for meetings in person').locator('option', { hasText: VENUE })).toHaveCount(1);
	await addWeeklyHours(sam, 'Sunday', '09:00', '10:00', ['In person'], VENUE);
	await expect(sam.getByRole('region', { name: 'Weekly hours' }).getByRole('row').filter({ hasText: 'Sunday' })).toContainText(`in person at ${VENUE}`);

	// Disabled: no longer offered, and hours there say so.
	await admin.goto(`${server.url}/staff/admin/venues`);
	await admin.getByRole('link', { name: VENUE }).click();
	await admin.getByRole('button', { name: 'Disable venue' }).click();
	await expect(admin.getByRole('status')).toContainText('Venue disabled');
	await expect(admin.locator('.caption')).toContainText('Disabled on');
	await sam.goto(`${server.url}/staff/availability`);
	await expect(form(sam, 'addPattern').getByLabel('Venue for meetings in person').locator('option', { hasText: VENUE })).toHaveCount(0);
	await expect(sam.getByRole('region', { name: 'Weekly hours' }).getByRole('row').filter({ hasText: 'Sunday' })).toContainText('no longer in use');
	await admin.getByRole('button', { name: 'Use this venue again' }).click();
	await expect(admin.getByRole('status')).toContainText('Venue in use again');
});

test('an admin changes a programme’s booking settings, raising its version', async ({ browser }) => {
	const admin = await staffPage(browser, 'admin@ips.example', false);
	await admin.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	const version = Number(/version (\d+)/.exec((await admin.locator('.caption').textContent()) ?? '')?.[1]);
	await admin.getByRole('link', { name: 'Booking settings' }).click();
	await expect(admin).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}/booking`);
	await expect(admin.getByLabel('Meeting length, in minutes')).toHaveValue('45');
	await expect(admin.getByLabel('24 hours before (the day before)')).toBeChecked();
	await audit(admin, 'booking settings');

	await admin.getByLabel('Meeting length, in minutes').fill('5');
	await admin.getByLabel('How far ahead people can book, in days').fill('401');
	await admin.getByRole('button', { name: 'Save booking settings' }).click();
	await expectErrorPattern(admin, 'meetingMinutes', 'Meeting length must be between 15 and 180 minutes');
	await expectErrorPattern(admin, 'bookAheadDays', 'How far ahead people can book must be between 1 and 400 days');
	await expect(admin.getByLabel('Meeting length, in minutes')).toHaveValue('5');
	await audit(admin, 'booking settings with errors');

	await admin.getByLabel('Meeting length, in minutes').fill('60');
	await admin.getByLabel('How far ahead people can book, in days').fill('400');
	await admin.getByLabel('2 hours before', { exact: true }).uncheck();
	await admin.getByRole('button', { name: 'Save booking settings' }).click();
	await expect(admin).toHaveURL(`${server.url}/staff/admin/programmes/${PRIMARY}/booking?saved=${version + 1}`);
	await expect(admin.getByRole('status')).toContainText(`Saved as version ${version + 1}`);
	await expect(admin.getByLabel('Meeting length, in minutes')).toHaveValue('60');
	await expect(admin.getByLabel('How far ahead people can book, in days')).toHaveValue('400');
	await expect(admin.getByLabel('2 hours before', { exact: true })).not.toBeChecked();
	await admin.goto(`${server.url}/staff/admin/programmes/${PRIMARY}`);
	await expect(admin.locator('.caption')).toContainText(`version ${version + 1}`);
	await expect(admin.getByRole('region', { name: 'Versions' }).getByRole('row').nth(1)).toContainText('Ada Admin');

	// The audit log names the changed settings.
	await admin.goto(`${server.url}/staff/admin/audit`);
	await expect(admin.locator('main')).toContainText('booking.meetingMinutes');

	// Found from the admin's own availability page: the ids used below.
	await admin.goto(`${server.url}/staff/availability`);
	solId = /\/staff\/availability\/([0-9a-f-]{36})/.exec((await admin.getByRole('link', { name: 'Sol Secondary' }).getAttribute('href')) ?? '')?.[1] ?? '';
	leadId = /\/staff\/availability\/([0-9a-f-]{36})/.exec((await admin.getByRole('link', { name: 'Lee Lead' }).getAttribute('href')) ?? '')?.[1] ?? '';
	expect(solId).not.toBe('');
	expect(leadId).not.toBe('');
});

test('a team lead changes a specialist’s hours in their programme', async ({ browser }) => {
	const lead = await staffPage(browser, 'lead@ips.example', false);
	await lead.goto(`${server.url}/staff/availability`);
	await lead.getByRole('link', { name: 'Sam Specialist' }).click();
	await expect(lead.getByRole('heading', { level: 1 })).toHaveText('Availability of Sam Specialist');
	await audit(lead, 'availability of a team member');
	await addLeave(lead, '2027-12-20', '2027-12-31');
	await expect(lead.getByRole('status')).toHaveText('Leave added.');
	await expect(lead.getByRole('region', { name: 'Leave' })).toContainText('Monday 20 December 2027 to Friday 31 December 2027');
	// Not someone in another programme.
	for (const res of [
		await lead.request.get(`${server.url}/staff/availability/${solId}`, { maxRedirects: 0 }),
		await lead.request.post(`${server.url}/staff/availability/${solId}?/addLeave`, { maxRedirects: 0, headers: { origin: server.url }, form: { from: '2027-12-20', to: '2027-12-21' } })
	])
		expect(res.status()).toBe(404);
});

test('a specialist cannot open another programme’s specialist, a colleague’s hours, nor the venues page', async ({ browser }) => {
	const sam = await staffPage(browser, 'sam.specialist@ips.example', false);
	await sam.goto(`${server.url}/staff/availability`);
	await expect(sam.locator('main')).not.toContainText('Your team');
	const refused = [
		await sam.request.get(`${server.url}/staff/availability/${solId}`, { maxRedirects: 0 }),
		await sam.request.post(`${server.url}/staff/availability/${solId}?/addPattern`, {
			maxRedirects: 0,
			headers: { origin: server.url },
			form: { weekday: '1', start: '20:00', end: '21:00', modes: 'phone' }
		}),
		await sam.request.get(`${server.url}/staff/availability/${leadId}`, { maxRedirects: 0 })
	];
	for (const res of refused) {
		expect(res.status()).toBe(404);
		expect(await res.text()).not.toContain('Sol Secondary');
	}
	for (const path of ['/staff/admin/venues', `/staff/admin/programmes/${PRIMARY}/booking`]) {
		const res = await sam.request.get(`${server.url}${path}`, { maxRedirects: 0 });
		expect(res.status(), path).toBe(403);
	}
	const post = await sam.request.post(`${server.url}/staff/admin/venues`, { maxRedirects: 0, headers: { origin: server.url }, form: { name: 'x' } });
	expect(post.status()).toBe(403);
	await sam.goto(`${server.url}/staff/admin/venues`);
	await expect(sam.locator('main')).not.toContainText('Central Library');
	// Sol's hours are unchanged by the refused post.
	const admin = await staffPage(browser, 'admin@ips.example', false);
	await admin.goto(`${server.url}/staff/availability/${solId}`);
	await expect(admin.getByRole('region', { name: 'Weekly hours' })).not.toContainText('8:00pm');
});

test('axe and reflow ran on every new page', () => {
	expect([...audited].sort()).toEqual(
		[
			'availability of Sam with JavaScript off',
			'availability of Sol with JavaScript on',
			'availability with errors',
			'venues',
			'venues with errors',
			'venue edit',
			'venue edit with errors',
			'booking settings',
			'booking settings with errors',
			'availability of a team member'
		].sort()
	);
});
