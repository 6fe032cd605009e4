/**
 * Form action names the hook refuses before SvelteKit looks them up on a route's `actions` object
 * (src/lib/server/form-actions.ts): inherited names and `default` would be a 500 (or a 200 with nothing done).
 * Every action the routes define must still be allowed through.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNameOf, isRefusedActionName } from '../../src/lib/server/form-actions';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** Every named action of every +page.server.ts (keys of `export const actions = { ... }`). */
function definedActionNames(): string[] {
	const names: string[] = [];
	for (const file of walk(path.resolve('src/routes')).filter((f) => f.endsWith('+page.server.ts'))) {
		const block = /export const actions[^{]*\{([\s\S]*)\};?\s*$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
		for (const m of block.matchAll(/^\t(\w+)\s*:/gm)) if (m[1] !== 'default') names.push(m[1]);
	}
	return names;
}

describe('form action names', () => {
	it('reads the name as SvelteKit does: the first search parameter starting with a slash', () => {
		expect(actionNameOf(new URL('http://x/a'))).toBeNull();
		expect(actionNameOf(new URL('http://x/a?x=1'))).toBeNull();
		expect(actionNameOf(new URL('http://x/a?/status'))).toBe('status');
		expect(actionNameOf(new URL('http://x/a?day=1&/status&/other'))).toBe('status');
		expect(actionNameOf(new URL('http://x/a?/'))).toBe('');
		expect(actionNameOf(new URL('http://x/a?/x%00y'))).toBe('x\u0000y');
	});

	it('refuses inherited names, "default" and names that are not camelCase words', () => {
		for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(isRefusedActionName(name), name).toBe(true);
		for (const name of ['default', '__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', '', 'a b', 'x\u0000', 'Status', '1a', 'a-b', 'ä'])
			expect(isRefusedActionName(name), JSON.stringify(name)).toBe(true);
	});

	it('lets the default action (no name) and every defined action through', () => {
		expect(isRefusedActionName(null)).toBe(false);
		const names = definedActionNames();
		expect(names.length).toBeGreaterThan(20);
		for (const name of names) expect(isRefusedActionName(name), name).toBe(false);
	});
});
