import { expect, test } from '@playwright/test';
import { withDatabase } from './support/server';
import { specServer } from './support/spec-server';
import { addWorkingDays } from '../../src/lib/domain/working-days';
import { formatLongDate, ukDate } from '../../src/lib/domain/uk-time';
import { bankHolidaysAround } from '../../src/lib/server/bank-holidays';
import { ELIGIBLE, REFERRAL, checkEligibility, completeReferral, sendReferral, type Mode } from './support/journey';

/**
 * The spine of the portal: a Fit Note link, the checker, the referral and the confirmation, walked with
 * the mouse, with the keyboard only, and with JavaScript turned off. Afterwards the server is stopped
 * with SIGTERM and the database is read directly.
 */
test.describe.configure({ mode: 'serial' });

const server = specServer();
const sent: { reference: string; mode: string; link: string }[] = [];

function expectedContactDate(): string {
	const today = ukDate(new Date());
	return addWorkingDays(today, 5, bankHolidaysAround(today));
}

const runs: { name: string; mode: Mode; javaScriptEnabled: boolean; link: string; ods: string | null; source: string; dwp: string }[] = [
	{ name: 'with the mouse', mode: 'mouse', javaScriptEnabled: true, link: 'gp-p84001', ods: 'P84001', source: 'fit-note', dwp: 'primary-care' },
	{ name: 'with JavaScript turned off', mode: 'mouse', javaScriptEnabled: false, link: 'fitnote', ods: null, source: 'fit-note', dwp: 'primary-care' },
	{ name: 'with the keyboard only', mode: 'keyboard', javaScriptEnabled: true, link: 'text', ods: null, source: 'text-campaign', dwp: 'self-referral' }
];

for (const run of runs) {
	test(`from /r/${run.link} to a referral ${run.name}`, async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: run.javaScriptEnabled });
		const page = await context.newPage();

		await page.goto(`${server.url}/r/${run.link}`);
		await expect(page).toHaveURL(`${server.url}/`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

		const checked = await checkEligibility(page, ELIGIBLE, run.mode);
		expect(checked[0]).toBe('/check/postcode');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('This service looks right for you');

		const referred = await completeReferral(page, REFERRAL, run.mode);
		// The link told us where the person came from, so we do not ask.
		expect(referred).not.toContain('/refer/heard-from');
		expect(referred).toContain('/refer/consent');

		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/check your answers/i);
		await expect(page.getByText('Sam Taylor')).toBeVisible();

		const reference = await sendReferral(page, run.mode);
		expect(reference).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
		// The primary care programme promises contact within 5 working days (England and Wales bank holidays, UK time).
		await expect(page.locator('.lead')).toContainText(`will contact you by ${formatLongDate(expectedContactDate())}`);
		await expect(page.getByRole('link', { name: '0161 496 0000' }).first()).toBeVisible();
		await expect(page.getByRole('link', { name: /download a copy/i })).toBeVisible();
		sent.push({ reference, mode: run.name, link: run.link });
		await context.close();
	});
}

test('stops cleanly on SIGTERM and the database holds each referral, its consents, its source and one event', async () => {
	expect(sent).toHaveLength(runs.length);
	const code = await server.stop();
	expect(code).toBe(0);

	await withDatabase(server.dataDir, async (query) => {
		for (const [i, run] of runs.entries()) {
			const { reference } = sent[i];
			const [referral] = await query(
				'select id, programme_id, given_name, family_name, source_code, source_ods_code, source_link_code, dwp_category, contact_target_date, draft_id from referral where reference = $1',
				[reference]
			);
			expect(referral, `referral ${reference}`).toBeTruthy();
			expect(referral).toMatchObject({
				programme_id: 'gm-ips-primary-care',
				given_name: 'Sam',
				family_name: 'Taylor',
				source_code: run.source,
				source_ods_code: run.ods,
				source_link_code: run.link
			});
			expect(referral.dwp_category).toBe(run.dwp);
			expect(referral.contact_target_date).toEqual(new Date(`${expectedContactDate()}T00:00:00Z`));

			const consents = await query('select kind, given, text_version, recorded_at from consent where referral_id = $1 order by kind', [referral.id]);
			const byKind = Object.fromEntries(consents.map((c) => [c.kind, c]));
			expect(byKind.processing).toMatchObject({ given: true, text_version: expect.stringMatching(/^processing-\d{4}-\d{2}-v\d+$/) });
			expect(byKind.evaluation).toMatchObject({ given: true, text_version: expect.stringMatching(/^evaluation-/) });
			expect(byKind.referrerUpdates).toMatchObject({ given: false });
			for (const c of consents) expect(c.recorded_at).toBeInstanceOf(Date);

			const events = await query('select type, payload from event where referral_id = $1', [referral.id]);
			expect(events).toHaveLength(1);
			expect(events[0].type).toBe('referral.submitted');
			expect((events[0].payload as { reference: string }).reference).toBe(reference);
		}
		const [{ n }] = await query('select count(*)::int as n from referral');
		expect(n).toBe(runs.length);
	});
});
