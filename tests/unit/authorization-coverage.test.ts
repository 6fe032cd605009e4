/**
 * Authorization that cannot be forgotten. Reads every staff route file and fails when:
 * - a staff route (a folder with a page or an endpoint, by route id) has no rule in ROUTE_RULES, or the
 *   table names a route that does not exist; or a rule breaks the policy (only sign-in public, admin pages
 *   for admins, export for team leads and admins);
 * - a load, an action or an endpoint handler does not start by calling `requireStaff(event)` on its own
 *   event, or passes roles of its own (the guard takes them from the table by route id);
 * - `requireStaff` appears anywhere else in a route file (a guard defined in a helper but never called).
 * It also checks that requireStaff admits exactly the roles the table gives each route.
 *
 * The participant area (src/routes/account) is held to the same rules with its own table and guard:
 * every route has a rule in PARTICIPANT_ROUTE_RULES (and no rule names a missing route), only the sign-in
 * pages are public, every load, action and handler of a 'participant' route starts with
 * `requireParticipant(event)` from '$lib/server/participants/guard', and public ones never mention it.
 * Neither area mentions the other's guard.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ADMINS, LEADS, ROUTE_RULES, requireStaff, ruleForRoute } from '../../src/lib/server/auth/guard';
import { looksLikeStaffPath } from '../../src/lib/server/auth/route-rules';
import type { StaffRole } from '../../src/lib/server/auth/sessions';
import { requireParticipant, safeAccountNext } from '../../src/lib/server/participants/guard';
import { PARTICIPANT_ROUTE_RULES, isParticipantRoute, looksLikeParticipantPath, participantRuleForRoute } from '../../src/lib/server/participants/route-rules';
import type { ParticipantUser } from '../../src/lib/server/participants/sessions';

const ROUTES_ROOT = path.resolve('src/routes');
const STAFF_ROOT = path.join(ROUTES_ROOT, 'staff');
const ACCOUNT_ROOT = path.join(ROUTES_ROOT, 'account');

/** A guard every handler of an area calls first, and the one module it must come from. */
interface Guard {
	name: string;
	from: string;
}
const STAFF_GUARD: Guard = { name: 'requireStaff', from: '$lib/server/auth/guard' };
const PARTICIPANT_GUARD: Guard = { name: 'requireParticipant', from: '$lib/server/participants/guard' };
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

/** A call `requireStaff(<event>)` (or the area's guard), with exactly the one argument, possibly awaited. */
function guardCall(expr: ts.Expression | undefined, eventName: string, guard: Guard): boolean {
	while (expr && (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
	return (
		!!expr &&
		ts.isCallExpression(expr) &&
		ts.isIdentifier(expr.expression) &&
		expr.expression.text === guard.name &&
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
function guardedFirst(node: ts.Node | undefined, guard: Guard): boolean {
	if (!node || !(ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node))) return false;
	const param = node.parameters[0];
	if (!param || !ts.isIdentifier(param.name)) return false;
	const eventName = param.name.text;
	const body = node.body;
	if (!body) return false;
	if (!ts.isBlock(body)) return guardCall(body, eventName, guard);
	const first = body.statements[0];
	if (!first) return false;
	if (ts.isExpressionStatement(first)) return guardCall(first.expression, eventName, guard);
	if (ts.isVariableStatement(first)) {
		const decls = first.declarationList.declarations;
		return decls.length === 1 && guardCall(decls[0].initializer, eventName, guard);
	}
	return false;
}

interface FileCheck {
	handlers: [string, boolean][];
	/** Every mention of the guard besides the import and the guard calls at the start of handlers. */
	strayMentions: number;
	importsGuard: boolean;
}

/** How often an identifier is named in a file, imports included (a public page must not name the guard at all). */
function mentionsOf(code: string, name: string): number {
	const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
	let count = 0;
	const visit = (node: ts.Node) => {
		if (ts.isIdentifier(node) && node.text === name) count++;
		node.forEachChild(visit);
	};
	source.forEachChild(visit);
	return count;
}

function checkSource(code: string, fileName = 'x.ts', guard: Guard = STAFF_GUARD): FileCheck {
	const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
	const found = handlers(source);
	const checked = found.map((h) => [h.name, guardedFirst(h.node, guard)] as [string, boolean]);
	let mentions = 0;
	let importsGuard = false;
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) {
			const from = (node.moduleSpecifier as ts.StringLiteral).text;
			const named = node.importClause?.namedBindings;
			if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === guard.name && !e.propertyName)) importsGuard = from === guard.from;
			return;
		}
		if (ts.isIdentifier(node) && node.text === guard.name) mentions++;
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
		for (const file of serverFiles.filter(isPublicFile)) expect(mentionsOf(readFileSync(file, 'utf8'), 'requireStaff'), file).toBe(0);
	});

	it('never use the participant guard (a participant session is no staff session)', () => {
		for (const file of serverFiles) expect(mentionsOf(readFileSync(file, 'utf8'), 'requireParticipant'), file).toBe(0);
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

// ---- the participant area (src/routes/account) -------------------------------------------------------

const accountFiles = walk(ACCOUNT_ROOT);
const accountServerFiles = accountFiles.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f));
const accountRouteIds = [...new Set(accountFiles.filter(isRouteFile).map(routeIdOf))].sort();
const isPublicAccountFile = (file: string) => participantRuleForRoute(routeIdOf(file)) === 'public';

describe('the participant route table', () => {
	it('finds the participant routes (the test is looking in the right place)', () => {
		expect(accountRouteIds).toEqual(expect.arrayContaining(['/account', '/account/sign-in', '/account/sign-in/code', '/account/sign-in/link/[token]', '/account/sign-out']));
		expect(accountServerFiles.length).toBeGreaterThan(3);
	});

	it('has a rule for every route under /account, and none for a route that does not exist', () => {
		expect(accountRouteIds.filter((id) => participantRuleForRoute(id) === null)).toEqual([]);
		expect(Object.keys(PARTICIPANT_ROUTE_RULES).filter((id) => !accountRouteIds.includes(id))).toEqual([]);
		for (const id of Object.keys(PARTICIPANT_ROUTE_RULES)) expect(isParticipantRoute(id), id).toBe(true);
	});

	it('makes only the sign-in and signed-out pages public', () => {
		for (const [id, rule] of Object.entries(PARTICIPANT_ROUTE_RULES)) {
			const signIn = id === '/account/sign-in' || id.startsWith('/account/sign-in/') || id === '/account/signed-out';
			expect(rule, id).toBe(signIn ? 'public' : 'participant');
		}
	});

	it('is keyed by route id: paths of other spellings have no rule', () => {
		for (const p of ['/account/', '/Account', '/%61ccount', '/account/sign-in/link/abc', 'toString', '/staff']) expect(participantRuleForRoute(p), p).toBeNull();
		expect(participantRuleForRoute(null)).toBeNull();
		expect(isParticipantRoute('/accounts')).toBe(false);
	});

	it('recognises variants of a participant path that match no route, and not other paths', () => {
		for (const p of ['//account', '/account//sign-out', '/%61ccount', '/%2561ccount/x', '/Account/Sign-Out', '/ACCOUNT', '/account%2Fsign-out', '\\account'])
			expect(looksLikeParticipantPath(p), p).toBe(true);
		for (const p of ['/', '/status', '/staff/account', '/help/account']) expect(looksLikeParticipantPath(p), p).toBe(false);
	});
});

describe('requireParticipant', () => {
	const someone: ParticipantUser = { id: 'p', referralId: 'r', programmeId: 'gm-ips-primary-care', reference: 'ABCD-EFGH', email: null, phone: null, textConsent: false };
	const event = (routeId: string | null, who: 'participant' | 'staff' | null, method = 'GET') => ({
		route: { id: routeId },
		url: new URL('http://localhost/account/x?y=1'),
		request: new Request('http://localhost/account/x?y=1', { method }),
		locals: {
			participant: who === 'participant' ? someone : null,
			staff: who === 'staff' ? { id: 's', email: 's@example.org', name: 'S', role: 'admin', programmeIds: [] } : null,
			staffSession: null
		}
	});
	const outcome = (fn: () => unknown): number | string => {
		try {
			fn();
			return 'allowed';
		} catch (e) {
			if (isHttpError(e)) return e.status;
			if (isRedirect(e)) return `${e.status} ${e.location}`;
			throw e;
		}
	};

	it('admits a participant on every participant route, and sends anyone else to sign in', () => {
		for (const [id, rule] of Object.entries(PARTICIPANT_ROUTE_RULES)) {
			if (rule === 'public') continue;
			expect(outcome(() => requireParticipant(event(id, 'participant') as never)), id).toBe('allowed');
			expect(outcome(() => requireParticipant(event(id, null) as never)), id).toBe('303 /account/sign-in?next=%2Faccount%2Fx%3Fy%3D1');
			// A staff session is not a participant session, even an admin's.
			expect(outcome(() => requireParticipant(event(id, 'staff') as never)), id).toBe('303 /account/sign-in?next=%2Faccount%2Fx%3Fy%3D1');
			expect(outcome(() => requireParticipant(event(id, null, 'POST') as never)), id).toBe(401);
		}
	});

	it('refuses a route without a rule, no route, and a public route', () => {
		expect(outcome(() => requireParticipant(event('/account/not-in-table', 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event(null, 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event('/account/sign-in', 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event('/staff/(app)', 'participant') as never))).toBe(404);
	});

	it('returns only to paths under /account after signing in', () => {
		expect(safeAccountNext('/account/meetings?day=2027-03-30')).toBe('/account/meetings?day=2027-03-30');
		expect(safeAccountNext('/account')).toBe('/account');
		for (const bad of [null, '', 'https://evil.example/account', '//evil.example/account', '/\\evil.example', '/staff', '/accounts', '/account/../staff', '/account/%2e%2e/staff', 'account', '/account\\..\\staff'])
			expect(safeAccountNext(bad), String(bad)).toBe('/account');
	});
});

describe('participant route files', () => {
	it('have no universal load files (+page.ts or +layout.ts) that could bypass the guard', () => {
		expect(accountFiles.filter((f) => /\+(page|layout)\.(ts|js)$/.test(f))).toEqual([]);
	});

	it('give every participant page a server load', () => {
		const missing = accountFiles
			.filter((f) => f.endsWith('+page.svelte') && !isPublicAccountFile(f))
			.filter((f) => !accountFiles.includes(path.join(path.dirname(f), '+page.server.ts')));
		expect(missing).toEqual([]);
	});

	it('never mention requireParticipant on public pages, nor requireStaff anywhere', () => {
		for (const file of accountServerFiles) {
			const code = readFileSync(file, 'utf8');
			if (isPublicAccountFile(file)) expect(mentionsOf(code, 'requireParticipant'), file).toBe(0);
			expect(mentionsOf(code, 'requireStaff'), file).toBe(0);
		}
	});

	for (const file of accountServerFiles.filter((f) => !isPublicAccountFile(f))) {
		const rel = path.relative(process.cwd(), file);
		it(`${rel}: every load, action and handler starts with requireParticipant(event), and the guard is nowhere else`, () => {
			const result = checkSource(readFileSync(file, 'utf8'), file, PARTICIPANT_GUARD);
			if (file.endsWith('+page.server.ts')) expect(result.handlers.map(([n]) => n), 'a participant page must have a load').toContain('load');
			expect(result.handlers.length, 'a route file with nothing to guard').toBeGreaterThan(0);
			expect(result.importsGuard, 'requireParticipant must be the one from $lib/server/participants/guard').toBe(true);
			expect(result.handlers.filter(([, ok]) => !ok).map(([n]) => n), 'handlers without requireParticipant(event) first').toEqual([]);
			expect(result.strayMentions, 'requireParticipant used other than as the first call of a handler').toBe(0);
		});
	}
});

describe('the coverage check, with the participant guard', () => {
	const imp = `import { requireParticipant } from '$lib/server/participants/guard';\n`;
	const check = (code: string) => checkSource(code, 'x.ts', PARTICIPANT_GUARD);

	it('accepts requireParticipant(event) first, and only that guard', () => {
		expect(check(imp + `export const load = async (event) => { const me = requireParticipant(event); return {}; };`)).toEqual({
			handlers: [['load', true]],
			strayMentions: 0,
			importsGuard: true
		});
		expect(check(imp + `export const actions = { a: async (event) => { requireParticipant(event); }, b: async (e) => { requireParticipant(e); } };`).handlers).toEqual([
			['actions.a', true],
			['actions.b', true]
		]);
		// The staff guard does not count on a participant route.
		expect(check(`import { requireStaff } from '$lib/server/auth/guard';\nexport const load = async (event) => { requireStaff(event); };`)).toMatchObject({
			handlers: [['load', false]],
			importsGuard: false
		});
	});

	it('catches a handler without it, with it second, destructured, or from another module', () => {
		expect(check(imp + `export const load = async ({ locals }) => { requireParticipant(locals); };`)).toMatchObject({ handlers: [['load', false]], strayMentions: 1 });
		expect(check(imp + `export const actions = { a: async (event) => { await other(); requireParticipant(event); } };`)).toMatchObject({ handlers: [['actions.a', false]], strayMentions: 1 });
		expect(check(imp + `export const actions = { a: async (event) => redirect(303, '/') };`).handlers).toEqual([['actions.a', false]]);
		expect(check(`import { requireParticipant } from './mine';\nexport const load = async (event) => { requireParticipant(event); };`).importsGuard).toBe(false);
	});

	it('counts any mention on a public page', () => {
		expect(mentionsOf(imp + `export const load = async (event) => { requireParticipant(event); };`, 'requireParticipant')).toBe(2);
		expect(mentionsOf(`export const load = async () => ({});`, 'requireParticipant')).toBe(0);
	});
});
