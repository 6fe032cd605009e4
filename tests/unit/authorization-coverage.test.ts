/**
 * Authorization that cannot be forgotten: reads every staff route file and fails when a load, an action
 * or an endpoint handler does not call requireStaff() first, or when a staff path is not covered by the
 * route table in src/lib/server/auth/guard.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROUTE_RULES, ruleFor } from '../../src/lib/server/auth/guard';

const STAFF_ROOT = path.resolve('src/routes/staff');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'fallback'];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** The URL path a route file serves, with (groups) removed and [params] kept. */
function routePath(file: string): string {
	const rel = path.relative(path.resolve('src/routes'), path.dirname(file));
	const parts = rel.split(path.sep).filter((p) => !/^\(.*\)$/.test(p));
	return `/${parts.join('/')}`;
}

function isPublic(file: string): boolean {
	return ruleFor(routePath(file))?.roles === 'public';
}

interface Handler {
	name: string;
	body: ts.Node | undefined;
}

/** Exported load, each action of `actions`, and exported HTTP method handlers. */
function handlers(source: ts.SourceFile): Handler[] {
	const out: Handler[] = [];
	const fnBody = (init: ts.Expression | undefined): ts.Node | undefined => {
		if (!init) return undefined;
		if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init.body;
		if (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)) return fnBody(init.expression);
		return init; // e.g. a reference to another function: checked as text below, which will fail unless it names requireStaff
	};
	source.forEachChild((node) => {
		const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) return;
		if (ts.isFunctionDeclaration(node) && node.name) {
			const name = node.name.text;
			if (name === 'load' || HTTP_METHODS.includes(name)) out.push({ name, body: node.body });
		}
		if (ts.isVariableStatement(node)) {
			for (const decl of node.declarationList.declarations) {
				if (!ts.isIdentifier(decl.name)) continue;
				const name = decl.name.text;
				if (name === 'load' || HTTP_METHODS.includes(name)) out.push({ name, body: fnBody(decl.initializer) });
				if (name === 'actions') {
					let init = decl.initializer;
					while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) init = init.expression;
					if (!init || !ts.isObjectLiteralExpression(init)) {
						out.push({ name: 'actions (not an object literal)', body: undefined });
						continue;
					}
					for (const prop of init.properties) {
						const actionName = prop.name && ts.isIdentifier(prop.name) ? prop.name.text : prop.name?.getText(source) ?? '?';
						if (ts.isPropertyAssignment(prop)) out.push({ name: `actions.${actionName}`, body: fnBody(prop.initializer) });
						else if (ts.isMethodDeclaration(prop)) out.push({ name: `actions.${actionName}`, body: prop.body });
						else out.push({ name: `actions.${actionName} (shorthand)`, body: undefined });
					}
				}
			}
		}
	});
	return out;
}

/** True when the first statement of the body calls requireStaff (directly or as `const user = requireStaff(...)`). */
function guardedFirst(body: ts.Node | undefined, source: ts.SourceFile): boolean {
	if (!body) return false;
	if (!ts.isBlock(body)) return /^\s*requireStaff\(/.test(body.getText(source));
	const first = body.statements[0];
	return !!first && /requireStaff\(/.test(first.getText(source));
}

const files = walk(STAFF_ROOT);
const serverFiles = files.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f));

describe('staff route files', () => {
	it('exist (the test is looking in the right place)', () => {
		expect(serverFiles.length).toBeGreaterThan(3);
	});

	it('are all under a rule of the route table, and only sign-in is public', () => {
		expect(ROUTE_RULES.at(-1)?.prefix).toBe('/staff');
		for (const file of files) {
			const rule = ruleFor(routePath(file));
			expect(rule, file).not.toBeNull();
			if (rule!.roles === 'public') expect(routePath(file), file).toMatch(/^\/staff\/sign-in(\/|$)/);
		}
	});

	it('have no universal load files (+page.ts or +layout.ts) that could bypass the guard', () => {
		expect(files.filter((f) => /\+(page|layout)\.(ts|js)$/.test(f))).toEqual([]);
	});

	it('give every staff page a server load', () => {
		const missing = files
			.filter((f) => f.endsWith('+page.svelte') && !isPublic(f))
			.filter((f) => !files.includes(path.join(path.dirname(f), '+page.server.ts')));
		expect(missing).toEqual([]);
	});

	for (const file of serverFiles.filter((f) => !isPublic(f))) {
		const rel = path.relative(process.cwd(), file);
		it(`${rel}: every load, action and handler calls requireStaff first`, () => {
			const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
			const found = handlers(source);
			if (file.endsWith('+page.server.ts')) expect(found.map((h) => h.name), 'a staff page must have a load').toContain('load');
			expect(found.length, 'a route file with nothing to guard').toBeGreaterThan(0);
			const unguarded = found.filter((h) => !guardedFirst(h.body, source)).map((h) => h.name);
			expect(unguarded).toEqual([]);
		});
	}
});

describe('the coverage check itself', () => {
	const check = (code: string) => {
		const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
		return handlers(source).map((h) => [h.name, guardedFirst(h.body, source)]);
	};
	it('catches a load or an action without the guard', () => {
		expect(check(`export const load = async (event) => { return {}; };`)).toEqual([['load', false]]);
		expect(
			check(`export const actions = { a: async (event) => { const user = requireStaff(event); }, b: async (event) => { doIt(); requireStaff(event); } };`)
		).toEqual([
			['actions.a', true],
			['actions.b', false]
		]);
		expect(check(`export async function GET(event) { requireStaff(event, ADMINS); return new Response(); }`)).toEqual([['GET', true]]);
		expect(check(`export const actions = { a: other };`)).toEqual([['actions.a', false]]);
	});
});
