/**
 * Authorization that cannot be forgotten, for both signed-in areas: staff (src/routes/staff, guard
 * `requireStaff`, table ROUTE_RULES) and participants (src/routes/account, guard `requireParticipant`, table
 * PARTICIPANT_ROUTE_RULES). The same checks run for each area (`AREAS` below). They read every route file
 * of the area and fail when:
 * - a route of the area (a folder with a page or an endpoint, by route id) has no rule in its table, or the
 *   table names a route that does not exist; or a rule breaks the area's policy (staff: only sign-in
 *   public, admin pages for admins, export for team leads and admins; participants: only the sign-in and
 *   signed-out pages public);
 * - a load, an action or an endpoint handler of a non-public route does not start by calling the area's
 *   guard on its own event (`requireStaff(event)`, `requireParticipant(event)` from '$lib/http/guard'),
 *   or passes anything else to it (the guard takes the rule from the table by route id);
 * - the guard appears anywhere else in a route file (a guard defined in a helper but never called), a
 *   public page names it at all, or an area names the other area's guard.
 * It also checks the guards themselves: requireStaff admits exactly the roles the table gives each route,
 * requireParticipant admits only a participant session, and both refuse a route without a rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { guardedActions, requireParticipant, requireStaff } from '../../src/lib/http/guard';
import {
	ADMINS,
	LEADS,
	PARTICIPANT_AREA,
	PARTICIPANT_ROUTE_RULES,
	ROUTE_RULES,
	STAFF_AREA,
	areaRule,
	inArea,
	isParticipantRoute,
	isStaffRoute,
	looksLikeParticipantPath,
	looksLikeStaffPath,
	participantRuleForRoute,
	ruleForRoute,
	safeAccountNext,
	safeNext,
	type AreaRules
} from '../../src/lib/server/auth/route-rules';
import type { ParticipantUser, StaffRole } from '../../src/lib/server/auth/sessions';

const ROUTES_ROOT = path.resolve('src/routes');
const STAFF_ROOT = path.join(ROUTES_ROOT, 'staff');
const ACCOUNT_ROOT = path.join(ROUTES_ROOT, 'account');

/** A guard every handler of an area calls first, and the one module it must come from. */
interface Guard {
	name: string;
	from: string;
}
const STAFF_GUARD: Guard = { name: 'requireStaff', from: '$lib/http/guard' };
const PARTICIPANT_GUARD: Guard = { name: 'requireParticipant', from: '$lib/http/guard' };
/** The helper for actions that differ only by name (src/lib/http/guard.ts), accepted in place of an object of actions. */
const GUARDED_ACTIONS = 'guardedActions';
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
					// The one helper that makes guarded actions: checked as a whole (guardedFirst).
					if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === GUARDED_ACTIONS) {
						out.push({ name: `actions (${GUARDED_ACTIONS})`, node: init });
						continue;
					}
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
function guardedFirst(node: ts.Node | undefined, guard: Guard, importsHelper = false): boolean {
	// `guardedActions(requireStaff, NAMES, run)`: every action it makes calls the guard first (tested on
	// the helper below), so it counts when it is the helper from the guard module given this area's guard.
	if (node && ts.isCallExpression(node)) {
		const [first] = node.arguments;
		return importsHelper && ts.isIdentifier(node.expression) && node.expression.text === GUARDED_ACTIONS && !!first && ts.isIdentifier(first) && first.text === guard.name;
	}
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
	let importsGuard = false;
	let importsHelper = false;
	for (const node of source.statements) {
		if (!ts.isImportDeclaration(node)) continue;
		const from = (node.moduleSpecifier as ts.StringLiteral).text;
		const named = node.importClause?.namedBindings;
		const imports = (name: string) => !!named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === name && !e.propertyName);
		if (imports(guard.name)) importsGuard = from === guard.from;
		if (imports(GUARDED_ACTIONS)) importsHelper = from === guard.from;
	}
	const checked = handlers(source).map((h) => [h.name, guardedFirst(h.node, guard, importsHelper)] as [string, boolean]);
	let mentions = 0;
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) return;
		if (ts.isIdentifier(node) && node.text === guard.name) mentions++;
		node.forEachChild(visit);
	};
	source.forEachChild(visit);
	const goodGuards = checked.filter(([, ok]) => ok).length;
	return { handlers: checked, strayMentions: mentions - goodGuards, importsGuard };
}

/** One signed-in area as the coverage checks see it. */
interface AreaUnderTest {
	rules: AreaRules<unknown, unknown>;
	root: string;
	guard: Guard;
	/** The other area's guard, which this area's route files must never name. */
	otherGuard: string;
	/** Routes the walk must find (the test is looking in the right place). */
	mustFind: string[];
}

const AREAS: AreaUnderTest[] = [
	{
		rules: STAFF_AREA as AreaRules<unknown, unknown>,
		root: STAFF_ROOT,
		guard: STAFF_GUARD,
		otherGuard: PARTICIPANT_GUARD.name,
		mustFind: ['/staff/(app)/admin', '/staff/(app)/export/referrals.csv']
	},
	{
		rules: PARTICIPANT_AREA as AreaRules<unknown, unknown>,
		root: ACCOUNT_ROOT,
		guard: PARTICIPANT_GUARD,
		otherGuard: STAFF_GUARD.name,
		mustFind: ['/account', '/account/sign-in', '/account/sign-in/code', '/account/sign-in/link/[token]', '/account/sign-out', '/account/meetings/[id]/meeting.ics']
	}
];

for (const area of AREAS) {
	const files = walk(area.root);
	const serverFiles = files.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f));
	const routeIds = [...new Set(files.filter(isRouteFile).map(routeIdOf))].sort();
	const isPublicFile = (file: string) => areaRule(area.rules, routeIdOf(file)) === 'public';
	const guard = area.guard.name;

	describe(`the ${area.rules.name} area: route table and route files`, () => {
		it('finds the routes (the test is looking in the right place)', () => {
			expect(serverFiles.length).toBeGreaterThan(3);
			expect(routeIds).toEqual(expect.arrayContaining(area.mustFind));
		});

		it('has a rule for every route of the area, and none for a route that does not exist', () => {
			expect(routeIds.filter((id) => areaRule(area.rules, id) === null)).toEqual([]);
			expect(Object.keys(area.rules.rules).filter((id) => !routeIds.includes(id))).toEqual([]);
			for (const id of Object.keys(area.rules.rules)) expect(inArea(area.rules, id), id).toBe(true);
		});

		it('has no universal load files (+page.ts or +layout.ts) that could bypass the guard', () => {
			expect(files.filter((f) => /\+(page|layout)\.(ts|js)$/.test(f))).toEqual([]);
		});

		it('gives every page that is not public a server load', () => {
			const missing = files
				.filter((f) => f.endsWith('+page.svelte') && !isPublicFile(f))
				.filter((f) => !files.includes(path.join(path.dirname(f), '+page.server.ts')));
			expect(missing).toEqual([]);
		});

		it(`never mentions ${guard} on public pages (the guard refuses a public route), nor ${area.otherGuard} anywhere`, () => {
			for (const file of serverFiles) {
				const code = readFileSync(file, 'utf8');
				if (isPublicFile(file)) expect(mentionsOf(code, guard), file).toBe(0);
				expect(mentionsOf(code, area.otherGuard), file).toBe(0);
			}
		});

		it('checks many handlers (a walk that finds none cannot pass)', () => {
			const checked = serverFiles.filter((f) => !isPublicFile(f)).flatMap((f) => checkSource(readFileSync(f, 'utf8'), f, area.guard).handlers);
			expect(checked.length).toBeGreaterThan(10);
		});

		for (const file of serverFiles.filter((f) => !isPublicFile(f))) {
			const rel = path.relative(process.cwd(), file);
			it(`${rel}: every load, action and handler starts with ${guard}(event), and the guard is nowhere else`, () => {
				const result = checkSource(readFileSync(file, 'utf8'), file, area.guard);
				if (file.endsWith('+page.server.ts')) expect(result.handlers.map(([n]) => n), 'a page must have a load').toContain('load');
				expect(result.handlers.length, 'a route file with nothing to guard').toBeGreaterThan(0);
				expect(result.importsGuard, `${guard} must be the one from ${area.guard.from}`).toBe(true);
				expect(result.handlers.filter(([, ok]) => !ok).map(([n]) => n), `handlers without ${guard}(event) first`).toEqual([]);
				expect(result.strayMentions, `${guard} used other than as the first call of a handler (a guard defined but not called?)`).toBe(0);
			});
		}
	});
}

describe('the staff route table', () => {
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
		expect(isStaffRoute('/staffing')).toBe(false);
	});

	it('recognises variants of a staff path that match no route, and not other paths', () => {
		for (const p of ['//staff/admin', '/staff//admin', '/%73taff/admin', '/Staff/Admin', '/STAFF', '/staff%2Fadmin', '/%2573taff/admin', '/staff/%E0', '\\staff'])
			expect(looksLikeStaffPath(p), p).toBe(true);
		for (const p of ['/', '/status', '/r/gp-p84001', '/api/v1/referrals', '/help/staff']) expect(looksLikeStaffPath(p), p).toBe(false);
	});

	it('returns only to paths under /staff after signing in', () => {
		expect(safeNext('/staff/meetings?day=2027-03-30')).toBe('/staff/meetings?day=2027-03-30');
		expect(safeNext('/staff')).toBe('/staff');
		expect(safeNext('/staff?x=1')).toBe('/staff?x=1');
		for (const bad of [null, '', 'https://evil.example/staff', '//evil.example/staff', '/\\evil.example', '/account', '/staffing', '/staff/../account', '/staff/%2e%2e/account', 'staff'])
			expect(safeNext(bad), String(bad)).toBe('/staff');
	});
});

describe('requireStaff', () => {
	const event = (routeId: string | null, role: StaffRole | null, method = 'GET') => ({
		route: { id: routeId },
		url: new URL('http://localhost/staff/x'),
		request: new Request('http://localhost/staff/x', { method }),
		locals: { staff: role ? { id: 'x', email: 'x@example.org', name: 'X', role, programmeIds: [] } : null, staffSession: null, participant: null }
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

	it('refuses a route without a rule, no route, a public route and a participant route', () => {
		expect(outcome(() => requireStaff(event('/staff/(app)/not-in-table', 'admin') as never))).toBe(404);
		expect(outcome(() => requireStaff(event(null, 'admin') as never))).toBe(404);
		expect(outcome(() => requireStaff(event('/staff/sign-in', 'admin') as never))).toBe(404);
		expect(outcome(() => requireStaff(event('/account', 'admin') as never))).toBe(404);
	});

	it('sends a GET without a session to the staff sign-in page, coming back afterwards', () => {
		try {
			requireStaff(event('/staff/(app)', null) as never);
			expect.unreachable();
		} catch (e) {
			expect(isRedirect(e) && e.location).toBe('/staff/sign-in?next=%2Fstaff%2Fx');
		}
	});
});

describe('the participant route table', () => {
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

	it('returns only to paths under /account after signing in', () => {
		expect(safeAccountNext('/account/meetings?day=2027-03-30')).toBe('/account/meetings?day=2027-03-30');
		expect(safeAccountNext('/account')).toBe('/account');
		for (const bad of [null, '', 'https://evil.example/account', '//evil.example/account', '/\\evil.example', '/staff', '/accounts', '/account/../staff', '/account/%2e%2e/staff', 'account', '/account\\..\\staff'])
			expect(safeAccountNext(bad), String(bad)).toBe('/account');
	});
});

describe('requireParticipant', () => {
	const someone: ParticipantUser = { id: 'p', referralId: 'r', programmeId: 'gm-ips-primary-care', reference: 'ABCD-EFGH', email: null, phone: null, textConsent: false };
	const event = (routeId: string | null, who: 'participant' | 'staff' | null, method = 'GET', at = 'http://localhost/account/x?y=1') => ({
		route: { id: routeId },
		url: new URL(at),
		request: new Request(at, { method }),
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

	it('admits a signed-in participant on a participant route, and sends others to sign in (GET) or refuses them (POST)', () => {
		const at = 'http://localhost/account/book?how=phone';
		expect(outcome(() => requireParticipant(event('/account/book', 'participant', 'GET', at) as never))).toBe('allowed');
		expect(outcome(() => requireParticipant(event('/account/book', null, 'GET', at) as never))).toBe('303 /account/sign-in?next=%2Faccount%2Fbook%3Fhow%3Dphone');
		expect(outcome(() => requireParticipant(event('/account/book', null, 'POST', at) as never))).toBe(401);
	});

	it('refuses a route without a rule, no route, a public route and a staff route', () => {
		expect(outcome(() => requireParticipant(event('/account/not-in-table', 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event('/account/nothing', 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event(null, 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event('/account/sign-in', 'participant') as never))).toBe(404);
		expect(outcome(() => requireParticipant(event('/staff/(app)', 'participant') as never))).toBe(404);
	});
});

describe('the coverage check itself', () => {
	const imp = `import { requireStaff } from '$lib/http/guard';\n`;
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
		// The old home of the guard no longer counts.
		expect(checkSource(`import { requireStaff } from '$lib/server/auth/guard';\nexport const load = async (event) => { requireStaff(event); };`).importsGuard).toBe(false);
	});
});

describe('guardedActions', () => {
	const event = (routeId: string, role: StaffRole | null, method = 'POST') => ({
		route: { id: routeId },
		url: new URL('http://localhost/staff/x'),
		request: new Request('http://localhost/staff/x', { method }),
		locals: { staff: role ? { id: 'x', email: 'x@example.org', name: 'X', role, programmeIds: [] } : null, staffSession: null, participant: null }
	});
	const ran: string[] = [];
	const actions = guardedActions(requireStaff, ['one', 'two'], (name, user) => ran.push(`${name} by ${user.role}`));
	const outcome = async (fn: () => Promise<unknown>): Promise<number | 'allowed'> => {
		try {
			await fn();
			return 'allowed';
		} catch (e) {
			if (isHttpError(e) || isRedirect(e)) return e.status;
			throw e;
		}
	};

	it('makes one action per name, each calling the guard before its body', async () => {
		expect(Object.keys(actions)).toEqual(['one', 'two']);
		for (const name of ['one', 'two'] as const) {
			expect(await outcome(() => actions[name](event('/staff/(app)/admin', null) as never)), `anonymous ${name}`).toBe(401);
			expect(await outcome(() => actions[name](event('/staff/(app)/admin', null, 'GET') as never)), `anonymous GET ${name}`).toBe(303);
			expect(await outcome(() => actions[name](event('/staff/(app)/admin', 'specialist') as never)), `specialist ${name}`).toBe(403);
			expect(await outcome(() => actions[name](event('/staff/(app)/not-in-table', 'admin') as never)), `no rule ${name}`).toBe(404);
		}
		expect(ran).toEqual([]);
		expect(await outcome(() => actions.two(event('/staff/(app)/admin', 'admin') as never))).toBe('allowed');
		expect(ran).toEqual(['two by admin']);
	});

	it('is accepted by the coverage check only from the guard module, with the area’s own guard', () => {
		const imp = `import { guardedActions, requireStaff } from '$lib/http/guard';\n`;
		expect(checkSource(imp + `export const load = async (event) => { requireStaff(event); };\nexport const actions = guardedActions(requireStaff, NAMES, run);`)).toEqual({
			handlers: [
				['load', true],
				['actions (guardedActions)', true]
			],
			strayMentions: 0,
			importsGuard: true
		});
		expect(checkSource(imp + `export const actions = guardedActions(requireParticipant, NAMES, run);`).handlers).toEqual([['actions (guardedActions)', false]]);
		expect(checkSource(imp + `export const actions = guardedActions((event) => requireStaff(event), NAMES, run);`)).toMatchObject({ handlers: [['actions (guardedActions)', false]], strayMentions: 1 });
		expect(checkSource(imp + `export const actions = guardedActions(NAMES, run);`).handlers).toEqual([['actions (guardedActions)', false]]);
		expect(checkSource(`import { requireStaff } from '$lib/http/guard';\nimport { guardedActions } from './mine';\nexport const actions = guardedActions(requireStaff, NAMES, run);`).handlers).toEqual([
			['actions (guardedActions)', false]
		]);
		expect(checkSource(`import { requireStaff } from '$lib/http/guard';\nconst guardedActions = (g, n, r) => ({});\nexport const actions = guardedActions(requireStaff, NAMES, run);`).handlers).toEqual([
			['actions (guardedActions)', false]
		]);
		// On a participant route, only the participant guard counts.
		expect(checkSource(imp + `export const actions = guardedActions(requireStaff, NAMES, run);`, 'x.ts', PARTICIPANT_GUARD).handlers).toEqual([['actions (guardedActions)', false]]);
		expect(checkSource(imp + `export const actions = guardedActions(requireParticipant, NAMES, run);`, 'x.ts', PARTICIPANT_GUARD).handlers).toEqual([['actions (guardedActions)', true]]);
	});
});

describe('the coverage check, with the participant guard', () => {
	const imp = `import { requireParticipant } from '$lib/http/guard';\n`;
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
		expect(check(`import { requireStaff } from '$lib/http/guard';\nexport const load = async (event) => { requireStaff(event); };`)).toMatchObject({
			handlers: [['load', false]],
			importsGuard: false
		});
	});

	it('catches a handler without it, with it second, destructured, or from another module', () => {
		expect(check(imp + `export const load = async ({ locals }) => { requireParticipant(locals); };`)).toMatchObject({ handlers: [['load', false]], strayMentions: 1 });
		expect(check(imp + `export const actions = { a: async (event) => { await other(); requireParticipant(event); } };`)).toMatchObject({ handlers: [['actions.a', false]], strayMentions: 1 });
		expect(check(imp + `export const load = async (event) => { const x = 1; requireParticipant(event); };`).handlers).toEqual([['load', false]]);
		expect(check(imp + `export const actions = { default: async (event) => { requireParticipant(other); } };`).handlers).toEqual([['actions.default', false]]);
		expect(check(imp + `export const actions = { a: async (event) => redirect(303, '/') };`).handlers).toEqual([['actions.a', false]]);
		expect(check(imp + `export const GET = async ({ locals }) => new Response("")`).handlers).toEqual([['GET', false]]);
		expect(check(`import { requireParticipant } from './mine';\nexport const load = async (event) => { requireParticipant(event); };`).importsGuard).toBe(false);
	});

	it('counts any mention on a public page', () => {
		expect(mentionsOf(imp + `export const load = async (event) => { requireParticipant(event); };`, 'requireParticipant')).toBe(2);
		expect(mentionsOf(`export const load = async () => ({});`, 'requireParticipant')).toBe(0);
	});
});
