import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../../src/lib/server/demo-staff';
import { TOTP_PERIOD, totpCode, totpStep } from '../../../src/lib/server/auth/totp';
import { databaseOf } from './server';

export type DemoEmail = (typeof DEMO_STAFF)[number]['email'];

/**
 * The last time step used per account and database in this test process: the server keeps each account's
 * last step in its database and accepts a code only once. Keyed by database, not only by account, so spec
 * files that run one after another in a worker (each with a database of its own) do not wait for each other.
 */
const lastStep = new Map<string, number>();

/**
 * A fresh, unused authenticator code for a demo account on the server at `baseUrl`. The server accepts the
 * current step and one either side, so a second sign-in within 30 seconds uses the next step's code instead
 * of waiting; only a third within one step waits for the next.
 */
export async function freshCode(email: DemoEmail, baseUrl: string): Promise<string> {
	const person = DEMO_STAFF.find((s) => s.email === email)!;
	const key = `${databaseOf(baseUrl) ?? baseUrl} ${email}`;
	for (;;) {
		const now = totpStep();
		const used = lastStep.get(key) ?? -1;
		const step = Math.max(now, used + 1);
		if (step <= now + 1) {
			lastStep.set(key, step);
			return totpCode(person.totpSecret, new Date(step * TOTP_PERIOD * 1000));
		}
		await new Promise((r) => setTimeout(r, 1000));
	}
}

/** Signs a demo staff member in through the two sign-in pages. */
export async function signIn(page: Page, baseUrl: string, email: DemoEmail): Promise<void> {
	await page.goto(`${baseUrl}/staff/sign-in`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/sign-in\/code/);
	await page.getByLabel(/code from your authenticator/i).fill(await freshCode(email, baseUrl));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(new RegExp(`${baseUrl}/staff/?$`));
}
