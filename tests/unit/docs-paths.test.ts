/**
 * The docs name files that exist. Reads README.md and every docs/*.md, takes the file paths they name
 * (in backticks or as link targets: paths starting with one of the repository's top folders, and relative
 * markdown links, resolved from the page's own folder) and fails naming each one that is not on disk.
 * A segment with `*` or a `<placeholder>` matches any name in its folder; fenced code blocks (commands and
 * their output) are left out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TOP_FOLDERS = ['src/', 'tests/', 'scripts/', 'drizzle/', 'bench/', 'docs/', 'seed/', 'static/', 'patches/', '.ci/'];

interface NamedPath {
	path: string;
	line: number;
}

/** Tidies a candidate: drops a query or anchor, a line number and punctuation that ends a sentence. */
function clean(candidate: string): string {
	return candidate
		.replace(/[?#].*$/, '')
		.replace(/:\d+$/, '')
		.replace(/[.,;:]+$/, '')
		.replace(/\)+$/, (closing, at, whole) => (whole.slice(0, at).split('(').length - 1 > whole.slice(0, at).split(')').length - 1 ? closing : ''));
}

/** The repository paths a markdown page names, relative to the repository root, with their line numbers. */
function docPathsIn(text: string, page: string): NamedPath[] {
	// Fenced code blocks (commands and their output) are blanked, keeping their line breaks, so offsets
	// still give line numbers; a backticked span may run onto the next line, as it does in a paragraph.
	let fenced = false;
	const prose = text
		.split('\n')
		.map((line) => {
			if (/^\s*(```|~~~)/.test(line)) {
				fenced = !fenced;
				return '';
			}
			return fenced ? '' : line;
		})
		.join('\n');
	const lineAt = (offset: number) => prose.slice(0, offset).split('\n').length;
	const hits: { at: number; path: string }[] = [];
	for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
		const target = match[1];
		if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/')) continue;
		const bare = target.replace(/[?#].*$/, '');
		if (bare) hits.push({ at: match.index, path: path.posix.normalize(path.posix.join(path.posix.dirname(page), bare)) });
	}
	for (const match of prose.matchAll(/`([^`]+)`/g)) {
		let from = 0;
		for (const token of match[1].split(/\s+/)) {
			const at = match[1].indexOf(token, from);
			from = at + token.length;
			if (TOP_FOLDERS.some((top) => token.startsWith(top))) hits.push({ at: match.index + 1 + at, path: token });
		}
	}
	const found: NamedPath[] = [];
	for (const hit of hits.sort((a, b) => a.at - b.at)) {
		const tidy = clean(hit.path);
		const line = lineAt(hit.at);
		if (tidy && !found.some((f) => f.path === tidy && f.line === line)) found.push({ path: tidy, line });
	}
	return found;
}

/** Whether a path exists; a segment with `*` or `<placeholder>` matches any entry of its folder. */
function pathExists(root: string, named: string): boolean {
	const segments = named.split('/').filter((segment) => segment !== '');
	const walk = (dir: string, rest: string[]): boolean => {
		if (rest.length === 0) return true;
		const [segment, ...after] = rest;
		if (!/[*<]/.test(segment)) {
			const next = path.join(dir, segment);
			if (!existsSync(next)) return false;
			if (after.length > 0 && !statSync(next).isDirectory()) return false;
			return walk(next, after);
		}
		if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
		const pattern = new RegExp(
			'^' +
				segment
					.split(/(\*|<[^>]*>)/)
					.map((part) => (part === '*' || /^<[^>]*>$/.test(part) ? '.+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
					.join('') +
				'$'
		);
		return readdirSync(dir).some((entry) => pattern.test(entry) && walk(path.join(dir, entry), after));
	};
	return walk(root, segments);
}

const root = path.resolve(import.meta.dirname, '../..');
const pages = [
	'README.md',
	...readdirSync(path.join(root, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`)
];

describe('paths named in the docs', () => {
	it('finds the pages and paths in them', () => {
		expect(pages).toContain('docs/architecture.md');
		const named = docPathsIn(readFileSync(path.join(root, 'README.md'), 'utf8'), 'README.md');
		expect(named.length).toBeGreaterThan(5);
	});

	for (const page of pages) {
		it(`every path ${page} names exists`, () => {
			const text = readFileSync(path.join(root, page), 'utf8');
			const missing = docPathsIn(text, page).filter((named) => !pathExists(root, named.path));
			expect(
				missing.map((named) => `${page}:${named.line}: ${named.path}`),
				'paths named in the docs that are not in the repository'
			).toEqual([]);
		});
	}
});

describe('the path finder', () => {
	it('takes backticked and linked paths, resolves relative links, skips code blocks and URLs', () => {
		const text = [
			'See `src/lib/server/db/index.ts`, `npm start` and [ops](operations.md#backups).',
			'Run `bash .ci/run` or read [the bench](../bench/PROFILE.md) and <https://example.org/x.md>.',
			'```sh',
			'cat src/not/checked.ts',
			'```',
			'Routes like `/staff/admin` and `seed/programmes.json`, and [api](https://x.org/docs/api.md).'
		].join('\n');
		expect(docPathsIn(text, 'docs/x.md').map((p) => p.path)).toEqual([
			'src/lib/server/db/index.ts',
			'docs/operations.md',
			'.ci/run',
			'bench/PROFILE.md',
			'seed/programmes.json'
		]);
	});

	it('follows a backticked span onto the next line and gives the line a path is on', () => {
		const text = 'Start it with `node --liftoff-only\nscripts/start.js` or read\n\n`tests/e2e/`.';
		expect(docPathsIn(text, 'README.md')).toEqual([
			{ path: 'scripts/start.js', line: 2 },
			{ path: 'tests/e2e/', line: 4 }
		]);
	});

	it('matches placeholders and stars against the folder, and fails a missing file', () => {
		expect(pathExists(root, 'src/lib/domain/measures/<id>.ts')).toBe(true);
		expect(pathExists(root, 'tests/e2e/*.spec.ts')).toBe(true);
		expect(pathExists(root, 'src/lib/domain/')).toBe(true);
		expect(pathExists(root, 'src/lib/domain/no-such-module.ts')).toBe(false);
		expect(pathExists(root, 'tests/e2e/<name>.nope')).toBe(false);
	});
});
