/**
 * Meetings across the 2027 clock changes, through the real pages: a person books the Sunday the clocks go
 * forward (28 March 2027) at 10:00, moves it to the working day after (Tuesday 30 March: Monday 29 March
 * is Easter Monday, a bank holiday with no free times), then to the Sunday the clocks go back (31 October
 * 2027) and the Monday after (1 November). Each time the page, the email and the .ics (parsed
 * with ical.js, read in Europe/London) say 10:00am, and the day's free times are each hour once, none
 * missing or doubled. The programme books 400 days ahead and Sam works Sunday mornings (seed-clock-change).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { expect, test, type Page } from '@playwright/test';
import { format } from 'date-fns';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { pressButton } from './support/journey';
import { referredPerson } from './support/people';
import { specMail, specServer } from './support/spec-server';

const smtp = specMail();
const server = specServer(() => ({ SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200' }), { seedScript: 'tests/e2e/support/seed-clock-change.ts' });

const ukWall = (date: Date) => format(new TZDate(date.getTime(), 'Europe/London'), 'yyyy-MM-dd HH:mm');

function parseIcs(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
	return { uid: event.uid, sequence: event.sequence, start: event.startDate.toJSDate(), end: event.endDate.toJSDate() };
}

async function downloadIcs(page: Page) {
	const downloading = page.waitForEvent('download');
	await page.locator('a').filter({ hasText: /add to calendar/i }).first().click();
	return parseIcs(readFileSync((await (await downloading).path())!, 'utf8'));
}

function recipients(mail: ParsedMail): string[] {
	return (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
}

async function mailAbout(to: string, subject: string, words: string): Promise<ParsedMail> {
	const find = () => smtp.messages.find((m) => recipients(m).includes(to) && m.subject === subject && (m.text ?? '').includes(words));
	await expect.poll(() => !!find(), { timeout: 30_000, message: `email "${subject}" to ${to} with "${words}"` }).toBe(true);
	return find()!;
}

/** The day page: picks `date`, after checking the day's free times on the next page are each hour once. */
async function pickDayAndTen(page: Page, date: string, expectedTimes: string[]) {
	await page.locator(`input[name=day][value="${date}"]`).check();
	await pressButton(page, 'mouse');
	const labels = await page
		.locator('input[name=start]')
		.evaluateAll((inputs) => inputs.map((i) => (document.querySelector(`label[for="${i.id}"]`) as HTMLElement | null)?.innerText.trim() ?? ''));
	const starts = labels.map((l) => /, (\d{1,2}:\d{2}[ap]m) to /.exec(l)?.[1]);
	expect(starts, `free times on ${date}`).toEqual(expectedTimes);
	const ten = page.locator('input[name=start]').nth(expectedTimes.indexOf('10:00am'));
	const value = (await ten.getAttribute('value'))!;
	await ten.check();
	await pressButton(page, 'mouse');
	return new Date(value);
}

const SUNDAY = ['9:00am', '10:00am', '11:00am'];
/** A weekday's hours (Sam's demo pattern). */
const MONDAY = ['9:00am', '10:00am', '11:00am', '12:00pm', '1:00pm', '2:00pm', '3:00pm', '4:00pm'];

test('meetings on the Sundays and Mondays of both 2027 clock changes read 10:00am on the page, in the email and in the .ics', async ({ browser }) => {
	test.setTimeout(240_000);
	const email = 'clock.change@example.com';
	const { context, page } = await referredPerson(browser, server.url, { link: 'fitnote', answers: { email } });

	await page.goto(`${server.url}/account/book`);
	await page.locator('input[name=how][value="phone"]').check();
	await pressButton(page, 'mouse');
	const first = await pickDayAndTen(page, '2027-03-28', SUNDAY);
	expect(ukWall(first)).toBe('2027-03-28 10:00');
	await pressButton(page, 'mouse'); // no one to invite
	await pressButton(page, 'mouse', /book my first meeting/i);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting is booked');
	const id = /\/account\/meetings\/([0-9a-f-]{36})/.exec(page.url())![1];

	const walk: { date: string; words: string; times: string[] }[] = [
		{ date: '2027-03-30', words: 'Tuesday 30 March 2027, 10:00am to 10:45am (UK time)', times: MONDAY },
		{ date: '2027-10-31', words: 'Sunday 31 October 2027, 10:00am to 10:45am (UK time)', times: SUNDAY },
		{ date: '2027-11-01', words: 'Monday 1 November 2027, 10:00am to 10:45am (UK time)', times: MONDAY }
	];
	const check = async (date: string, words: string, subject: string) => {
		await expect(page.locator('main')).toContainText(words.split(' 2027')[0]);
		await expect(page.locator('main')).toContainText('10:00am to 10:45am');
		const ics = await downloadIcs(page);
		expect(ics.uid).toBe(`${id}@localhost`);
		expect([ukWall(ics.start), ukWall(ics.end)]).toEqual([`${date} 10:00`, `${date} 10:45`]);
		const mail = await mailAbout(email, subject, words);
		const attached = mail.attachments.find((a) => a.filename === 'meeting.ics')!;
		const mailed = parseIcs(attached.content.toString('utf8'));
		expect([mailed.uid, ukWall(mailed.start)]).toEqual([ics.uid, `${date} 10:00`]);
		return ics.sequence;
	};
	let sequence = await check('2027-03-28', 'Sunday 28 March 2027, 10:00am to 10:45am (UK time)', 'Your meeting is booked');
	for (const step of walk) {
		// Straight to the day: without a way chosen the meeting keeps its own (by phone).
		await page.goto(`${server.url}/account/meetings/${id}/change/day`);
		const start = await pickDayAndTen(page, step.date, step.times);
		expect(ukWall(start)).toBe(`${step.date} 10:00`);
		await pressButton(page, 'mouse', /move my meeting/i);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your meeting has changed');
		const next = await check(step.date, step.words, 'Your meeting has moved to a new time');
		expect(next).toBeGreaterThan(sequence);
		sequence = next;
	}
	await context.close();
});
