/**
 * Booking meetings end to end, on one built server (SEED=demo, with the demo availability) and a real SMTP
 * listener: referral (sent over HTTP, tests/e2e/support/people.ts) -> confirmation -> book the first meeting -> the .ics downloaded and parsed with
 * ical.js (UID, SEQUENCE, DTSTART at the chosen UK wall time) -> the confirmation email with the .ics at the
 * listener -> move, changing how they meet (same UID, higher SEQUENCE, the new place on the page, in the
 * email and the .ics; the video link a real link) -> cancel (METHOD:CANCEL). Once with the mouse and
 * JavaScript on (axe and a 320 px reflow check on every page), once with JavaScript off and the keyboard
 * only (Tab, Space, Enter and typing). Then a programme whose notice to change is 14 days: the change and
 * cancel pages say to call and give its helpline. Another person's meeting ids answer 404; every /account
 * route refuses anonymous requests from the hook.
 */
import { PARTICIPANT_ROUTE_RULES } from '../../src/lib/server/auth/route-rules';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { format } from 'date-fns';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { followLink, pressButton, tabTo, type Answers, type Mode, MORE } from './support/journey';
import { referredPerson } from './support/people';
import { audit as auditPage } from './support/axe';
import { specMail, specServer } from './support/spec-server';

test.describe.configure({ mode: 'serial' });

const SEED = JSON.parse(readFileSync('seed/programmes.json', 'utf8')) as { programmes: { id: string; helpline: { phone: string; hours: string } }[] };
const SECONDARY_HELPLINE = SEED.programmes.find((p) => p.id === 'gm-ips-secondary-care')!.helpline.phone;

const smtp = specMail();
const server = specServer(() => ({ SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200' }), { seedScript: 'tests/e2e/support/seed-booking.ts' });
const audited = new Set<string>();
/** The first walk's browser (participant A) and one of its meetings, for the other-person checks. */
let personA: BrowserContext | undefined;
let meetingOfB = '';

test.afterAll(async () => {
	await personA?.close();
});

// ---- helpers ----------------------------------------------------------------------------------

/** axe on the page as it is, and the page reflowed at 320 CSS pixels wide. */
async function audit(page: Page, name: string) {
	await auditPage(page, name);
	audited.add(name);
}

/** Chooses a radio: with the mouse by its label; with the keyboard the first of the group (Tab to it, Space). */
async function choose(page: Page, name: string, mode: Mode, index = 0): Promise<{ value: string; label: string }> {
	const radios = page.locator(`input[type=radio][name="${name}"]`);
	const target = radios.nth(index);
	if (mode === 'mouse') await page.locator(`label[for="${await target.getAttribute('id')}"]`).click();
	else {
		if (index !== 0) throw new Error('the keyboard walk takes the first choice (Tab reaches the first radio of a group)');
		await tabTo(page, `input[type=radio][name="${name}"]`);
		await page.keyboard.press('Space');
	}
	await expect(target).toBeChecked();
	const label = (await page.locator(`label[for="${await target.getAttribute('id')}"]`).innerText()).trim();
	return { value: (await target.getAttribute('value'))!, label };
}

async function typeInto(page: Page, name: string, value: string, mode: Mode) {
	if (mode === 'mouse') await page.locator(`[name="${name}"]`).fill(value);
	else {
		await tabTo(page, `[name="${name}"]`);
		await page.keyboard.type(value);
	}
}

/** Downloads the meeting's .ics from the link on the page and parses it with ical.js. */
async function downloadIcs(page: Page, mode: Mode, linkText: RegExp) {
	const link = page.locator('a').filter({ hasText: linkText }).first();
	const downloading = page.waitForEvent('download');
	if (mode === 'mouse') await link.click();
	else {
		await tabTo(page, `a[href="${await link.getAttribute('href')}"]`);
		await page.keyboard.press('Enter');
	}
	const download = await downloading;
	expect(download.suggestedFilename()).toBe('meeting.ics');
	const file = await download.path();
	return parseIcs(readFileSync(file!, 'utf8'));
}

function parseIcs(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const vevent = calendar.getFirstSubcomponent('vevent')!;
	const event = new ICAL.Event(vevent);
	return {
		method: calendar.getFirstPropertyValue('method'),
		status: vevent.getFirstPropertyValue('status'),
		uid: event.uid,
		sequence: event.sequence,
		start: event.startDate.toJSDate(),
		summary: event.summary,
		location: event.location
	};
}

const ukWall = (date: Date) => format(new TZDate(date.getTime(), 'Europe/London'), 'yyyy-MM-dd HH:mm');
const ukClock = (date: Date) => format(new TZDate(date.getTime(), 'Europe/London'), 'h:mmaaa');

function recipients(mail: ParsedMail): string[] {
	return (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
}

async function mailTo(to: string, subject: string): Promise<ParsedMail> {
	const find = () => smtp.messages.find((m) => recipients(m).includes(to) && m.subject === subject);
	await expect.poll(() => !!find(), { timeout: 30_000, message: `email "${subject}" to ${to}` }).toBe(true);
	return find()!;
}

function icsOf(mail: ParsedMail) {
	const files = mail.attachments.filter((a) => a.filename === 'meeting.ics');
	expect(files, `one .ics attached to "${mail.subject}"`).toHaveLength(1);
	expect(files[0].contentType).toBe('text/calendar');
	return parseIcs(files[0].content.toString('utf8'));
}

/** Someone who has just referred themselves from `link`, signed in, on the confirmation page. */
const refer = (browser: Browser, options: { javaScriptEnabled: boolean; link: string; email: string; check?: Answers }) =>
	// They tell us more after sending, so the referral holds health words no email may carry.
	referredPerson(browser, server.url, { javaScriptEnabled: options.javaScriptEnabled, link: options.link, answers: { ...(options.check ?? {}), email: options.email }, more: MORE });

const meetingIdOf = (page: Page) => /\/account\/meetings\/([0-9a-f-]{36})/.exec(page.url())![1];

// ---- the walks -----------------------------------------------------------------------------------

test('with the mouse: refer, book the first meeting, the .ics and the email, move it, cancel it (axe and 320 px on every page)', async ({ browser }) => {
	test.setTimeout(240_000);
	const email = 'sam.taylor@example.com';
	const { context, page } = await refer(browser, { javaScriptEnabled: true, link: 'gp-p84001', email });
	personA = context;
	await audit(page, 'confirmation');
	await followLink(page, 'mouse', /book your first meeting/i);

	await expect(page).toHaveURL(/\/account\/book$/);
	await audit(page, 'how to meet');
	await pressButton(page, 'mouse');
	await expect(page).toHaveTitle(/^Error: How would you like to meet\?/);
	await expect(page.locator('.error-summary a')).toHaveAttribute('href', '#how');
	await audit(page, 'how to meet (error)');
	const how = await choose(page, 'how', 'mouse', (await page.locator('input[name=how]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).indexOf('phone'));
	expect(how.value).toBe('phone');
	await pressButton(page, 'mouse');

	await expect(page).toHaveURL(/\/account\/book\/day\?how=phone$/);
	await audit(page, 'day');
	const day = await choose(page, 'day', 'mouse', 0);
	expect(day.label).toMatch(/^\w+day \d{1,2} \w+ \(\d+ times?\)$/);
	await pressButton(page, 'mouse');

	await expect(page).toHaveURL(/\/account\/book\/time\?/);
	await audit(page, 'time');
	const time = await choose(page, 'start', 'mouse', 0);
	expect(time.label).toMatch(/^\w+day \d{1,2} \w+, \d{1,2}:\d{2}[ap]m to \d{1,2}:\d{2}[ap]m, by phone$/);
	const start = new Date(time.value);
	expect(time.label).toContain(`${ukClock(start)} to `);
	await pressButton(page, 'mouse');

	await expect(page).toHaveURL(/\/account\/book\/invite\?/);
	await audit(page, 'invite');
	await typeInto(page, 'invite', 'not an email address', 'mouse');
	await pressButton(page, 'mouse');
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.locator('input[name=invite]')).toHaveValue('not an email address');
	await audit(page, 'invite (error)');
	await typeInto(page, 'invite', 'helper@example.org', 'mouse');
	await pressButton(page, 'mouse');

	await expect(page).toHaveURL(/\/account\/book\/check\?/);
	await audit(page, 'check');
	await expect(page.locator('dl.summary')).toContainText(`${ukClock(start)} to`);
	await expect(page.locator('dl.summary')).toContainText('helper@example.org');
	await pressButton(page, 'mouse', /book my first meeting/i);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');
	await audit(page, 'meeting booked');
	const id = meetingIdOf(page);
	const booked = await downloadIcs(page, 'mouse', /add to calendar/i);
	expect(booked.method).toBe('REQUEST');
	expect(booked.uid).toBe(`${id}@localhost`);
	expect(booked.sequence).toBe(0);
	expect(booked.summary).toBe('Meeting with your employment specialist');
	expect(ukWall(booked.start)).toBe(ukWall(start));

	const mail = await mailTo(email, 'Your meeting is booked');
	expect(mail.text).toContain(`${ukClock(start)} to`);
	expect(mail.text).toContain(`${server.url}/account`);
	for (const word of ['Back pain', 'anxiety', 'Taylor']) expect(`${mail.subject}\n${mail.text}`).not.toContain(word);
	const mailed = icsOf(mail);
	expect([mailed.method, mailed.uid, mailed.sequence, ukWall(mailed.start)]).toEqual(['REQUEST', booked.uid, 0, ukWall(start)]);
	const invited = await mailTo('helper@example.org', 'You are invited to a meeting');
	expect(icsOf(invited).uid).toBe(booked.uid);
	expect(invited.text).not.toContain('07700');

	await page.goto(`${server.url}/account`);
	await audit(page, 'home');
	await expect(page.getByRole('heading', { name: 'Your next meeting' })).toBeVisible();
	await expect(page.locator('main')).toContainText(`${ukClock(start)} to`);

	// Move it, and meet by video call instead of by phone.
	await page.goto(`${server.url}/account/meetings/${id}`);
	await audit(page, 'meeting');
	await followLink(page, 'mouse', /change the time or how you meet/i);
	await expect(page).toHaveURL(new RegExp(`/account/meetings/${id}/change$`));
	await expect(page.locator('legend')).toHaveText('How would you like to meet?');
	await expect(page.locator('main')).toContainText('You can keep this way of meeting or choose another.');
	// The way they meet now is chosen already; phone is offered, as they gave a number.
	await expect(page.locator('input[name=how][value=phone]')).toBeChecked();
	await audit(page, 'change how');
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 844 });
		await page.screenshot({ path: `tmp/screenshots/change-how-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
	const ways = await page.locator('input[name=how]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
	expect(ways).toEqual(expect.arrayContaining(['phone', 'video']));
	expect(ways.some((w) => w.startsWith('in-person:'))).toBe(true);
	await choose(page, 'how', 'mouse', ways.indexOf('video'));
	await pressButton(page, 'mouse');
	await expect(page).toHaveURL(new RegExp(`/account/meetings/${id}/change/day\\?how=video$`));
	await expect(page.locator('main')).toContainText('Days with free times to meet by video call.');
	await audit(page, 'change day');
	await choose(page, 'day', 'mouse', 1);
	await pressButton(page, 'mouse');
	await audit(page, 'change time');
	const newTime = await choose(page, 'start', 'mouse', 0);
	// The times follow the way chosen.
	expect(newTime.label).toMatch(/, by video call$/);
	const newStart = new Date(newTime.value);
	await pressButton(page, 'mouse');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your changed meeting');
	const videoLink = page.locator('dl.summary').getByRole('link', { name: /^https:\/\/video\.example\.org\// });
	await expect(videoLink).toHaveAttribute('href', /^https:\/\/video\.example\.org\/[a-z-]+$/);
	const link = (await videoLink.getAttribute('href'))!;
	await expect(page.locator('dl.summary')).toContainText('Way to meet before');
	await expect(page.locator('dl.summary')).toContainText('By phone: your specialist will call you on');
	await audit(page, 'change check');
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 844 });
		await page.screenshot({ path: `tmp/screenshots/change-check-${width}.png`, fullPage: true });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
	await pressButton(page, 'mouse', /change my meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting has changed');
	await expect(page.locator('dl.summary').getByRole('link', { name: link })).toHaveAttribute('href', link);
	await audit(page, 'meeting moved');
	const moved = await downloadIcs(page, 'mouse', /add to calendar/i);
	expect(moved.uid).toBe(booked.uid);
	expect(moved.sequence).toBeGreaterThan(booked.sequence);
	expect(ukWall(moved.start)).toBe(ukWall(newStart));
	expect(moved.location).toBe(link);
	const movedMail = await mailTo(email, 'Your meeting has changed');
	expect(movedMail.text).toContain(`Where: By video call: join at ${link}`);
	expect(movedMail.text).toContain('(It was by phone.)');
	const movedIcs = icsOf(movedMail);
	expect([movedIcs.uid, movedIcs.sequence, ukWall(movedIcs.start), movedIcs.location]).toEqual([booked.uid, moved.sequence, ukWall(newStart), link]);
	await page.goto(`${server.url}/account`);
	await expect(page.locator('main dl.summary').getByRole('link', { name: link })).toHaveAttribute('href', link);
	await page.goto(`${server.url}/account/meetings/${id}`);

	// Cancel it.
	await followLink(page, 'mouse', /cancel this meeting/i);
	await audit(page, 'cancel');
	await typeInto(page, 'reason', 'I start a new job that week', 'mouse');
	await pressButton(page, 'mouse', /cancel this meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is cancelled');
	await audit(page, 'meeting cancelled');
	const cancelled = await downloadIcs(page, 'mouse', /remove from your calendar/i);
	expect([cancelled.method, cancelled.status, cancelled.uid]).toEqual(['CANCEL', 'CANCELLED', booked.uid]);
	expect(cancelled.sequence).toBeGreaterThan(moved.sequence);
	const cancelMail = icsOf(await mailTo(email, 'Your meeting is cancelled'));
	expect([cancelMail.method, cancelMail.uid, cancelMail.sequence]).toEqual(['CANCEL', booked.uid, cancelled.sequence]);
	expect(icsOf(await mailTo('helper@example.org', 'A meeting you were invited to is cancelled')).method).toBe('CANCEL');

	await page.goto(`${server.url}/account`);
	// The past and cancelled meetings table says "Cancelled" for it.
	await expect(page.getByRole('region', { name: 'Past and cancelled meetings' }).getByRole('row').filter({ hasText: 'by video call' })).toContainText('Cancelled');
	await expect(page.getByRole('link', { name: 'Book your first meeting' })).toBeVisible();
	await page.close();
});

test('with JavaScript off and the keyboard only: the same walk', async ({ browser }) => {
	test.setTimeout(240_000);
	const email = 'kim.keys@example.com';
	const { context, page } = await refer(browser, { javaScriptEnabled: false, link: 'fitnote', email });
	await followLink(page, 'keyboard', /book your first meeting/i);
	await expect(page).toHaveURL(/\/account\/book$/);
	// The first way offered (in person at Central Library on Tuesdays and Thursdays in the demo).
	const how = await choose(page, 'how', 'keyboard');
	await pressButton(page, 'keyboard');
	await choose(page, 'day', 'keyboard');
	await pressButton(page, 'keyboard');
	const time = await choose(page, 'start', 'keyboard');
	const start = new Date(time.value);
	expect(time.label).toContain(how.value.startsWith('in-person') ? 'in person at Central Library' : 'by');
	await pressButton(page, 'keyboard');
	await expect(page).toHaveURL(/\/account\/book\/invite\?/);
	await pressButton(page, 'keyboard');
	await expect(page).toHaveURL(/\/account\/book\/check\?/);
	await pressButton(page, 'keyboard', /book my first meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');
	const id = meetingIdOf(page);

	const booked = await downloadIcs(page, 'keyboard', /add to calendar/i);
	expect([booked.method, booked.uid, booked.sequence, ukWall(booked.start)]).toEqual(['REQUEST', `${id}@localhost`, 0, ukWall(start)]);
	const mailed = icsOf(await mailTo(email, 'Your meeting is booked'));
	expect([mailed.uid, mailed.sequence, ukWall(mailed.start)]).toEqual([booked.uid, 0, ukWall(start)]);

	// Change how they meet with the keyboard: the way they meet now is chosen; the arrow key takes the next one.
	await followLink(page, 'keyboard', /change the time or how you meet/i);
	await expect(page.locator(`input[name=how][value="${how.value}"]`)).toBeChecked();
	await tabTo(page, 'input[type=radio][name="how"]');
	await page.keyboard.press('ArrowDown');
	const newWay = await page.locator('input[name=how]:checked').getAttribute('value');
	expect(newWay).not.toBe(how.value);
	const newPlace = newWay === 'phone' ? 'by phone' : newWay === 'video' ? 'by video call' : 'in person at';
	await pressButton(page, 'keyboard');
	await expect(page).toHaveURL(/\/change\/day\?how=/);
	await choose(page, 'day', 'keyboard');
	await pressButton(page, 'keyboard');
	const newTime = await choose(page, 'start', 'keyboard');
	expect(newTime.label).toContain(newPlace);
	await pressButton(page, 'keyboard');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your changed meeting');
	await pressButton(page, 'keyboard', /change my meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting has changed');
	await expect(page.locator('dl.summary')).toContainText(newWay === 'phone' ? 'By phone' : newWay === 'video' ? 'By video call' : 'In person at');
	const moved = await downloadIcs(page, 'keyboard', /add to calendar/i);
	expect([moved.uid, ukWall(moved.start)]).toEqual([booked.uid, ukWall(new Date(newTime.value))]);
	expect(moved.sequence).toBeGreaterThan(booked.sequence);
	expect(moved.location).not.toBe(booked.location);
	// The place before, as the booking's time label gave it ("Tuesday 2 March, 10:00am to 10:45am, in person at ...").
	expect((await mailTo(email, 'Your meeting has changed')).text).toContain(`(It was ${time.label.split(', ').slice(2).join(', ')}.)`);

	await followLink(page, 'keyboard', /cancel this meeting/i);
	await typeInto(page, 'reason', 'Clash with work', 'keyboard');
	await pressButton(page, 'keyboard', /cancel this meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is cancelled');
	const cancelled = await downloadIcs(page, 'keyboard', /remove from your calendar/i);
	expect([cancelled.method, cancelled.uid]).toEqual(['CANCEL', booked.uid]);
	expect(cancelled.sequence).toBeGreaterThan(moved.sequence);
	expect(icsOf(await mailTo(email, 'Your meeting is cancelled')).method).toBe('CANCEL');
	await context.close();
});

test('inside the notice window the change and cancel pages say to call and give the helpline; nothing changes', async ({ browser }) => {
	test.setTimeout(180_000);
	// Under secondary mental health care: the secondary care programme, whose notice to change is 14 days here.
	const { context, page } = await refer(browser, { javaScriptEnabled: true, link: 'fitnote', email: 'lee.late@example.com', check: { circumstances: ['secondary-care'] } });
	await followLink(page, 'mouse', /book your first meeting/i);
	await choose(page, 'how', 'mouse');
	await pressButton(page, 'mouse');
	await choose(page, 'day', 'mouse');
	await pressButton(page, 'mouse');
	await choose(page, 'start', 'mouse');
	await pressButton(page, 'mouse');
	await pressButton(page, 'mouse');
	await pressButton(page, 'mouse', /book my first meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');
	meetingOfB = meetingIdOf(page);
	await expect(page.locator('main')).toContainText(SECONDARY_HELPLINE);
	await expect(page.getByRole('link', { name: /change the time or how you meet/i })).toHaveCount(0);

	for (const [step, verb] of [
		['change', 'change'],
		['cancel', 'cancel']
	] as const) {
		await page.goto(`${server.url}/account/meetings/${meetingOfB}/${step}`);
		await expect(page.locator('main')).toContainText(`It is too late to ${verb} this meeting online.`);
		await expect(page.getByRole('link', { name: SECONDARY_HELPLINE })).toHaveAttribute('href', `tel:${SECONDARY_HELPLINE.replace(/\s/g, '')}`);
		await expect(page.locator('form[method=POST]')).toHaveCount(0);
		await audit(page, `too late to ${verb}`);
	}
	// A direct post is refused the same way: the meeting stays booked.
	const posted = await context.request.post(`${server.url}/account/meetings/${meetingOfB}/cancel`, { form: { reason: '' }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 });
	expect(posted.status()).toBe(303);
	await page.goto(`${server.url}/account/meetings/${meetingOfB}`);
	await expect(page.locator('dl.summary')).toContainText('Booked');
	await context.close();
});

test("another person's meeting is not found, by page, download or direct post", async () => {
	expect(personA && meetingOfB).toBeTruthy();
	const api = personA!.request;
	const base = `${server.url}/account/meetings/${meetingOfB}`;
	for (const p of ['', '/meeting.ics', '/change', '/change/day?how=phone', '/change/time?day=2030-01-01', '/change/check?start=2030-01-01T10:00:00.000Z', '/cancel'])
		expect((await api.get(`${base}${p}`, { maxRedirects: 0 })).status(), `GET ${p}`).toBe(404);
	for (const p of ['/cancel', '/change', '/change/day?how=video', '/change/time?day=2030-01-01', '/change/check?start=2030-01-01T10:00:00.000Z&how=phone'])
		expect((await api.post(`${base}${p}`, { form: { reason: 'x', how: 'phone', day: '2030-01-01', start: 'x' }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 })).status(), `POST ${p}`).toBe(404);
	expect((await api.get(`${server.url}/account/meetings/not-a-meeting`, { maxRedirects: 0 })).status()).toBe(404);
});

test('every /account route refuses anonymous requests before any route code runs', async ({ playwright }) => {
	const api = await playwright.request.newContext();
	const routes = walk(path.resolve('src/routes/account'))
		.filter((f) => /\+page\.svelte$|\+server\.ts$/.test(f))
		.map((f) => '/' + path.relative(path.resolve('src/routes'), path.dirname(f)).split(path.sep).join('/'))
		.filter((r) => PARTICIPANT_ROUTE_RULES[r] === 'participant')
		.map((r) => r.replace('[id]', '00000000-0000-4000-8000-000000000000'));
	expect(routes.length).toBeGreaterThan(10);
	for (const r of routes) {
		const get = await api.get(`${server.url}${r}`, { maxRedirects: 0 });
		expect(get.status(), `GET ${r}`).toBe(303);
		expect(get.headers().location, `GET ${r}`).toMatch(/^\/account\/sign-in\?next=/);
		expect(get.headers()['x-ips-guard'], `GET ${r}`).toBe('refused');
		const post = await api.post(`${server.url}${r}`, { form: { how: 'phone' }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 });
		expect(post.status(), `POST ${r}`).toBe(401);
		expect(post.headers()['x-ips-guard'], `POST ${r}`).toBe('refused');
	}
	await api.dispose();
});

test('axe and reflow covered every new page', () => {
	for (const name of [
		'confirmation',
		'how to meet',
		'how to meet (error)',
		'day',
		'time',
		'invite',
		'invite (error)',
		'check',
		'meeting booked',
		'home',
		'meeting',
		'change how',
		'change day',
		'change time',
		'change check',
		'meeting moved',
		'cancel',
		'meeting cancelled',
		'too late to change',
		'too late to cancel'
	])
		expect(audited, name).toContain(name);
});

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}
