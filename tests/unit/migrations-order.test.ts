import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Drizzle's migrator runs a migration only when its journal time (`when`) is later than the last one a
 * database has applied: a migration added with an earlier time than the one before it would be skipped on
 * every installation that already had that one. So the times must rise with the index.
 */
describe('the migration journal', () => {
	const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };

	it('has its times rising with each migration', () => {
		for (let i = 1; i < journal.entries.length; i++) {
			const [before, after] = [journal.entries[i - 1], journal.entries[i]];
			expect(after.idx, after.tag).toBe(before.idx + 1);
			expect(after.when, `${after.tag} must be later than ${before.tag}`).toBeGreaterThan(before.when);
		}
	});

	it('names every SQL file in drizzle/, and only those', () => {
		const files = readdirSync('drizzle').filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();
		expect(journal.entries.map((e) => e.tag).sort()).toEqual(files);
	});
});
