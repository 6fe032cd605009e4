/**
 * Authorization that cannot be forgotten. Reads every staff route file and fails when:
 * - a staff route (a folder with a page or an endpoint, by route id) has no rule in ROUTE_RULES, or the
 *   table names a route that does not exist; or a rule breaks the policy (only sign-in public, admin pages
 *   for admins, export for team leads and admins);
 * - a load, an action or an endpoint handler does not start by calling `requireStaff(event)` on its own
 *   event, or passes roles of its own (the guard takes them from the table by route id);
 * - `requireStaff` appears anywhere else in a route file (a guard defined in a helper but never called).
 * It also checks that requireStaff admits exactly the roles the table gives each route.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ADMINS, LEADS, ROUTE_RULES, requireStaff, ruleForRoute } from '../../src/lib/server/auth/guard';
import { looksLikeStaffPath } from '../../src/lib/server/auth/route-rules';
import type { StaffRole } from '../../src/lib/server/auth/sessions';

const ROUTES_ROOT = path.resolve('src/routes');
const STAFF_ROOT = path.join(ROUTES_ROOT, 'staff');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'fallback'];
const ROLES: StaffRole[] = ['specialist', 'team-lead', 'admin'];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** SvelteKit's route id for the folder of a route file: the path under src/routes, (groups) kept. */
function routeIdOf(file: string): string {
	const rel = path.relative(ROUTES_ROOT, path.dirname(file)).split(path.sep).join('/');
	return `/${rel}`;
}

const isRouteFile = (f: string) => /\+page\.svelte$|\+page\.server\.ts$|\+server\.ts$/.test(f);

interface Handler {
	name: string;
	node: ts.Node | undefined;
}

/** Exported load, each action of `actions`, and exported HTTP method handlers. */
function handlers(source: ts.SourceFile): Handler[] {
	const out: Handler[] = [];
	const unwrap = (e: ts.Expression | undefined): ts.Expression | undefined => {
		while (e && (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e))) e = e.expression;
		return e;
	};
	source.forEachChild((node) => {
		const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) return;
		if (ts.isFunctionDeclaration(node) && node.name) {
			const name = node.name.text;
			if (name === 'load' || HTTP_METHODS.includes(name)) out.push({ name, node });
		}
		if (ts.isVariableStatement(node)) {
			for (const decl of node.declarationList.declarations) {
				if (!ts.isIdentifier(decl.name)) continue;
				const name = decl.name.text;
				if (name === 'load' || HTTP_METHODS.includes(name)) out.push({ name, node: unwrap(decl.initializer) });
				if (name === 'actions') {
					const init = unwrap(decl.initializer);
					if (!init || !ts.isObjectLiteralExpression(init)) {
						out.push({ name: 'actions (not an object literal)', node: undefined });
						continue;
					}
					for (const prop of init.properties) {
						const actionName = prop.name && ts.isIdentifier(prop.name) ? prop.name.text : (prop.name?.getText(source) ?? '?');
						if (ts.isPropertyAssignment(prop)) out.push({ name: `actions.${actionName}`, node: unwrap(prop.initializer) });
						else if (ts.isMethodDeclaration(prop)) out.push({ name: `actions.${actionName}`, node: prop });
						else out.push({ name: `actions.${actionName} (shorthand)`, node: undefined });
					}
				}
			}
		}
	});
	return out;
}

/** A call `requireStaff(<event>)`, with exactly the one argument, possibly awaited. */
function guardCall(expr: ts.Expression | undefined, eventName: string): boolean {
	while (expr && (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
	return (
		!!expr &&
		ts.isCallExpression(expr) &&
		ts.isIdentifier(expr.expression) &&
		expr.expression.text === 'requireStaff' &&
		expr.arguments.length === 1 &&
		ts.isIdentifier(expr.arguments[0]) &&
		expr.arguments[0].text === eventName
	);
}

/**
 * True when the handler is a function whose first statement calls the guard on the handler's own event:
 * `requireStaff(event);` or `const user = requireStaff(event);` (an expression body must be the call).
 * A guard wrapped in a helper, a condition or a callback is not a call, so it does not count.
 */
function guardedFirst(node: ts.Node | undefined): boolean {
	if (!node || !(ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node))) return false;
	const param = node.parameters[0];
	if (!param || !ts.isIdentifier(param.name)) return false;
	const eventName = param.name.text;
	const body = node.body;
	if (!body) return false;
	if (!ts.isBlock(body)) return guardCall(body, eventName);
	const first = body.statements[0];
	if (!first) return false;
	if (ts.isExpressionStatement(first)) return guardCall(first.expression, eventName);
	if (ts.isVariableStatement(first)) {
		const decls = first.declarationList.declarations;
		return decls.length === 1 && guardCall(decls[0].initializer, eventName);
	}
	return false;
}

interface FileCheck {
	handlers: [string, boolean][];
	/** Every mention of requireStaff besides the import and the guard calls at the start of handlers. */
	strayMentions: number;
	importsGuard: boolean;
}

function checkSource(code: string, fileName = 'x.ts'): FileCheck {
	const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
	const found = handlers(source);
	const checked = found.map((h) => [h.name, guardedFirst(h.node)] as [string, boolean]);
	let mentions = 0;
	let importsGuard = false;
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) {
			const from = (node.moduleSpecifier as ts.StringLiteral).text;
			const named = node.importClause?.namedBindings;
			if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === 'requireStaff' && !e.propertyName))
				importsGuard = from === '$lib/server/auth/guard';
			return;
		}
		if (ts.isIdentifier(node) && node.text === 'requireStaff') mentions++;
		node.forEachChild(visit);
	};
	source.forEachChild(visit);
	const goodGuards = checked.filter(([, ok]) => ok).length;
	return { handlers: checked, strayMentions: mentions - goodGuards, importsGuard };
}

const files = walk(STAFF_ROOT);
const serverFiles = files.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f));
const routeIds = [...new Set(files.filter(isRouteFile).map(routeIdOf))].sort();
const isPublicFile = (file: string) => ruleForRoute(routeIdOf(file)) === 'public';

describe('the route table', () => {
	it('finds the staff routes (the test is looking in the right place)', () => {
		expect(serverFiles.length).toBeGreaterThan(3);
		expect(routeIds).toContain('/staff/(app)/admin');
		expect(routeIds).toContain('/staff/(app)/export/referrals.csv');
	});

	it('has a rule for every staff route, and none for a route that does not exist', () => {
		expect(routeIds.filter((id) => ruleForRoute(id) === null)).toEqual([]);
		expect(Object.keys(ROUTE_RULES).filter((id) => !routeIds.includes(id))).toEqual([]);
	});

	it('makes only the sign-in pages public, admin pages for admins only and export for leads and admins', () => {
		for (const [id, rule] of Object.entries(ROUTE_RULES)) {
			if (id === '/staff/sign-in' || id.startsWith('/staff/sign-in/')) expect(rule, id).toBe('public');
			else {
				expect(rule, id).not.toBe('public');
				expect((rule as readonly StaffRole[]).length, id).toBeGreaterThan(0);
			}
			if (id === '/staff/(app)/admin' || id.startsWith('/staff/(app)/admin/')) expect(rule, id).toEqual(ADMINS);
			if (id === '/staff/(app)/export' || id.startsWith('/staff/(app)/export/')) expect(rule, id).toEqual(LEADS);
		}
	});

	it('is keyed by route id: paths of any spelling have no rule', () => {
		for (const p of ['/staff/admin', '/staff/%61dmin', '/staff', '/Staff/(app)/admin', '/staff/(app)/admin/']) expect(ruleForRoute(p), p).toBeNull();
		expect(ruleForRoute(null)).toBeNull();
		expect(ruleForRoute('toString')).toBeNull();
	});

	it('recognises variants of a staff path that match no route, and not other paths', () => {
		for (const p of ['//staff/admin', '/staff//admin', '/%73taff/admin', '/Staff/Admin', '/STAFF', '/staff%2Fadmin', '/%2573taff/admin', '/staff/%E0', '\\staff'])
			expect(looksLikeStaffPath(p), p).toBe(true);
		for (const p of ['/', '/status', '/r/gp-p84001', '/api/v1/referrals', '/help/staff']) expect(looksLikeStaffPath(p), p).toBe(false);
	});
});

describe('requireStaff', () => {
	const event = (routeId: string | null, role: StaffRole | null, method = 'GET') => ({
		route: { id: routeId },
		url: new URL('http://localhost/staff/x'),
		request: new Request('http://localhost/staff/x', { method }),
		locals: { staff: role ? { id: 'x', email: 'x@example.org', name: 'X', role, programmeIds: [] } : null, staffSession: null }
	});
	const outcome = (fn: () => unknown): number | 'allowed' => {
		try {
			fn();
			return 'allowed';
		} catch (e) {
			if (isHttpError(e)) return e.status;
			if (isRedirect(e)) return e.status;
			throw e;
		}
	};

	it('admits exactly the roles the table gives each route', () => {
		for (const [id, rule] of Object.entries(ROUTE_RULES)) {
			if (rule === 'public') continue;
			for (const role of ROLES) expect(outcome(() => requireStaff(event(id, role) as never)), `${role} on ${id}`).toBe(rule.includes(role) ? 'allowed' : 403);
			expect(outcome(() => requireStaff(event(id, null) as never)), `anonymous GET ${id}`).toBe(303);
			expect(outcome(() => requireStaff(event(id, null, 'POST') as never)), `anonymous POST ${id}`).toBe(401);
		}
	});

	it('refuses a route without a rule, no route, and a public route', () => {
		expect(outcome(() => requireStaff(event('/staff/(app)/not-in-table', 'admin') as never))).toBe(404);
		expect(outcome(() => requireStaff(event(null, 'admin') as never))).toBe(404);
		expect(outcome(() => requireStaff(event('/staff/sign-in', 'admin') as never))).toBe(404);
	});
});

describe('staff route files', () => {
	it('have no universal load files (+page.ts or +layout.ts) that could bypass the guard', () => {
		expect(files.filter((f) => /\+(page|layout)\.(ts|js)$/.test(f))).toEqual([]);
	});

	it('give every staff page a server load', () => {
		const missing = files
			.filter((f) => f.endsWith('+page.svelte') && !isPublicFile(f))
			.filter((f) => !files.includes(path.join(path.dirname(f), '+page.server.ts')));
		expect(missing).toEqual([]);
	});

	it('never mention requireStaff on the public sign-in pages (the guard refuses a public route)', () => {
		for (const file of serverFiles.filter(isPublicFile)) expect(checkSource(readFileSync(file, 'utf8'), file).strayMentions, file).toBe(0);
	});

	for (const file of serverFiles.filter((f) => !isPublicFile(f))) {
		const rel = path.relative(process.cwd(), file);
		it(`${rel}: every load, action and handler starts with requireStaff(event), and the guard is nowhere else`, () => {
			const result = checkSource(readFileSync(file, 'utf8'), file);
			if (file.endsWith('+page.server.ts')) expect(result.handlers.map(([n]) => n), 'a staff page must have a load').toContain('load');
			expect(result.handlers.length, 'a route file with nothing to guard').toBeGreaterThan(0);
			expect(result.importsGuard, 'requireStaff must be the one from $lib/server/auth/guard').toBe(true);
			expect(result.handlers.filter(([, ok]) => !ok).map(([n]) => n), 'handlers without requireStaff(event) first').toEqual([]);
			expect(result.strayMentions, 'requireStaff used other than as the first call of a handler (a guard defined but not called?)').toBe(0);
		});
	}
});

describe('the coverage check itself', () => {
	const imp = `import { requireStaff } from '$lib/server/auth/guard';\n`;
	it('accepts the guard called first on the handler’s own event', () => {
		expect(checkSource(imp + `export const load = async (event) => { const user = requireStaff(event); return {}; };`)).toEqual({
			handlers: [['load', true]],
			strayMentions: 0,
			importsGuard: true
		});
		expect(checkSource(imp + `export async function GET(e) { requireStaff(e); return new Response(); }`).handlers).toEqual([['GET', true]]);
		expect(checkSource(imp + `export const actions = { a: async (event) => { const user = requireStaff(event); } };`).handlers).toEqual([['actions.a', true]]);
	});

	it('catches a load or an action without the guard, or with it second', () => {
		expect(checkSource(imp + `export const load = async (event) => { return {}; };`)).toMatchObject({ handlers: [['load', false]] });
		expect(checkSource(imp + `export const actions = { a: async (event) => { doIt(); requireStaff(event); } };`)).toMatchObject({
			handlers: [['actions.a', false]],
			strayMentions: 1
		});
		expect(checkSource(imp + `export const actions = { a: other };`).handlers).toEqual([['actions.a', false]]);
		expect(checkSource(imp + `export const load = guardedLoad;`).handlers).toEqual([['load', false]]);
	});

	it('catches a guard given roles of its own (they must come from the table)', () => {
		expect(checkSource(imp + `export const load = async (event) => { const user = requireStaff(event, ALL_STAFF); };`)).toMatchObject({
			handlers: [['load', false]],
			strayMentions: 1
		});
	});

	it('catches a guard that is defined but not called', () => {
		expect(checkSource(imp + `export const load = async (event) => { const guard = () => requireStaff(event); return {}; };`)).toMatchObject({
			handlers: [['load', false]],
			strayMentions: 1
		});
		expect(checkSource(imp + `const guard = (event) => requireStaff(event);\nexport const load = async (event) => { guard(event); return {}; };`)).toMatchObject({
			handlers: [['load', false]],
			strayMentions: 1
		});
		expect(checkSource(imp + `export const load = async (event) => { if (false) requireStaff(event); return {}; };`).handlers).toEqual([['load', false]]);
		// Imported and never called: the load is unguarded.
		expect(checkSource(imp + `export const load = async (event) => ({ a: 1 });`).handlers).toEqual([['load', false]]);
	});

	it('catches a guard on something other than the handler’s event, or another requireStaff', () => {
		expect(checkSource(imp + `export const load = async (event) => { requireStaff(fake); };`).handlers).toEqual([['load', false]]);
		expect(checkSource(`import { requireStaff } from './my-guard';\nexport const load = async (event) => { requireStaff(event); };`).importsGuard).toBe(false);
	});
});
