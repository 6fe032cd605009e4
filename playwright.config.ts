import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Chromium from CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser. */
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/**
 * The longest spec files, first: Playwright hands files to workers in order (alphabetical within a project,
 * projects in the order below), so these start at once and the short files fill the workers at the end,
 * instead of a long file running alone after the rest have finished.
 */
const specs = (...names: string[]) => names.map((name) => `**/${name}.spec.ts`);
const LONGEST = specs('fuzz', 'webhooks', 'day-in-the-life');
const LONG = specs('accessibility', 'languages', 'backup', 'inbox', 'role-matrix', 'specialist-checkins', 'availability', 'checkin', 'booking', 'admin');

export default defineConfig({
	testDir: 'tests/e2e',
	// Migrates and seeds one data folder that each spec's server starts from (tests/e2e/support/global-setup.ts).
	globalSetup: './tests/e2e/support/global-setup.ts',
	// Each spec file starts its own server on a free port with its own data folder (and the PostgreSQL specs their
	// own database or cluster), so files run side by side: four at a time by default (PW_WORKERS to change
	// it). The specs spend most of their time waiting (on a server, mail, a browser), so four keep two cores
	// busy. Tests inside a file run in order, one after another, as most files build on the previous test's
	// state; files whose tests share nothing say `mode: 'parallel'`.
	workers: Number(process.env.PW_WORKERS ?? 4),
	fullyParallel: false,
	// Generous: the tests wait for conditions, never for time, and on a loaded 2-core machine a page walk that
	// takes 30 seconds alone can take three times that (speed is measured by bench/, not here).
	timeout: 180_000,
	expect: { timeout: 15_000 },
	reporter: [['list']],
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		},
		trace: 'off'
	},
	projects: [
		{ name: 'longest', testMatch: LONGEST },
		{ name: 'long', testMatch: LONG },
		{ name: 'rest', testIgnore: [...LONGEST, ...LONG] }
	]
});
