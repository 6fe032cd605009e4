/**
 * Participant routes (src/routes/account) cannot forget their guard. Fails when a route under /account has
 * no rule in PARTICIPANT_ROUTE_RULES (or the table names a route that does not exist), or when a load, an
 * action or an endpoint of a 'participant' route does not start by calling `requireParticipant(event)` on
 * its own event. Also checks the guard itself: no session, a route without a rule, and a 'public' route.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { requireParticipant } from '../../src/lib/server/participants/guard';
import { PARTICIPANT_ROUTE_RULES, participantRuleForRoute } from '../../src/lib/server/participants/route-rules';

const ROUTES_ROOT = path.resolve('src/routes');
const ACCOUNT_ROOT = path.join(ROUTES_ROOT, 'account');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'fallback'];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

const routeIdOf = (file: string) => `/${path.relative(ROUTES_ROOT, path.dirname(file)).split(path.sep).join('/')}`;
const files = walk(ACCOUNT_ROOT);
const routeIds = [...new Set(files.filter((f) => /\+page\.svelte$|\+page\.server\.ts$|\+server\.ts$/.test(f)).map(routeIdOf))].sort();

/** Exported load, each action and each HTTP method handler, as nodes. */
function handlers(source: ts.SourceFile): { name: string; node: ts.Node | undefined }[] {
	const out: { name: string; node: ts.Node | undefined }[] = [];
	const unwrap = (e: ts.Expression | undefined) => {
		while (e && (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e))) e = e.expression;
		return e;
	};
	source.forEachChild((node) => {
		if (!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))) return;
		if (ts.isFunctionDeclaration(node) && node.name && (node.name.text === 'load' || HTTP_METHODS.includes(node.name.text))) out.push({ name: node.name.text, node });
		if (!ts.isVariableStatement(node)) return;
		for (const decl of node.declarationList.declarations) {
			if (!ts.isIdentifier(decl.name)) continue;
			const name = decl.name.text;
			if (name === 'load' || HTTP_METHODS.includes(name)) out.push({ name, node: unwrap(decl.initializer) });
			if (name !== 'actions') continue;
			const init = unwrap(decl.initializer);
			if (!init || !ts.isObjectLiteralExpression(init)) {
				out.push({ name: 'actions (not an object literal)', node: undefined });
				continue;
			}
			for (const prop of init.properties) {
				const label = `actions.${prop.name?.getText(source) ?? '?'}`;
				out.push({ name: label, node: ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : ts.isMethodDeclaration(prop) ? prop : undefined });
			}
		}
	});
	return out;
}

function guardCall(expr: ts.Expression | undefined, eventName: string): boolean {
	while (expr && (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
	return (
		!!expr &&
		ts.isCallExpression(expr) &&
		ts.isIdentifier(expr.expression) &&
		expr.expression.text === 'requireParticipant' &&
		expr.arguments.length === 1 &&
		ts.isIdentifier(expr.arguments[0]) &&
		expr.arguments[0].text === eventName
	);
}

/** The handler's first statement is `requireParticipant(event);` or `const participant = requireParticipant(event);`. */
function guardedFirst(node: ts.Node | undefined): boolean {
	if (!node || !(ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node))) return false;
	const param = node.parameters[0];
	if (!param || !ts.isIdentifier(param.name) || !node.body) return false;
	if (!ts.isBlock(node.body)) return guardCall(node.body, param.name.text);
	const first = node.body.statements[0];
	if (first && ts.isExpressionStatement(first)) return guardCall(first.expression, param.name.text);
	if (first && ts.isVariableStatement(first)) {
		const decls = first.declarationList.declarations;
		return decls.length === 1 && guardCall(decls[0].initializer, param.name.text);
	}
	return false;
}

describe('participant routes', () => {
	it('are found (the test looks in the right place)', () => {
		expect(routeIds).toContain('/account');
		expect(routeIds).toContain('/account/meetings/[id]/meeting.ics');
	});

	it('each have a rule, and the table names no route that does not exist', () => {
		expect(routeIds.filter((id) => participantRuleForRoute(id) === null)).toEqual([]);
		expect(Object.keys(PARTICIPANT_ROUTE_RULES).filter((id) => !routeIds.includes(id))).toEqual([]);
	});

	it("start every load, action and endpoint of a 'participant' route with requireParticipant(event)", () => {
		const unguarded: string[] = [];
		let checked = 0;
		for (const file of files.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f))) {
			if (participantRuleForRoute(routeIdOf(file)) !== 'participant') continue;
			const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
			for (const h of handlers(source)) {
				checked++;
				if (!guardedFirst(h.node)) unguarded.push(`${path.relative(ROUTES_ROOT, file)} ${h.name}`);
			}
		}
		expect(checked).toBeGreaterThan(10);
		expect(unguarded).toEqual([]);
	});

	it('recognise a guarded handler and refuse an unguarded one (the check can fail)', () => {
		const check = (code: string) => handlers(ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true)).map((h) => guardedFirst(h.node));
		expect(check('export const load = async (event) => { const participant = requireParticipant(event); return {}; };')).toEqual([true]);
		expect(check('export const load = async (event) => { const x = 1; requireParticipant(event); };')).toEqual([false]);
		expect(check('export const actions = { default: async (event) => { requireParticipant(other); } };')).toEqual([false]);
		expect(check('export const GET = async ({ locals }) => new Response("")')).toEqual([false]);
	});
});

describe('requireParticipant', () => {
	const user = { id: 'p', referralId: 'r', programmeId: 'x', reference: 'AAAA-AAAA', email: null, phone: null, textConsent: false };
	const event = (routeId: string | null, signedIn: boolean, method = 'GET') => ({
		route: { id: routeId },
		url: new URL('http://localhost/account/book?how=phone'),
		request: new Request('http://localhost/account/book', { method }),
		locals: { participant: signedIn ? user : null }
	});
	const outcome = (fn: () => unknown): number | string => {
		try {
			fn();
			return 'allowed';
		} catch (e) {
			if (isRedirect(e)) return `${e.status} ${e.location}`;
			if (isHttpError(e)) return e.status;
			throw e;
		}
	};

	it('admits a signed-in participant on a participant route, and sends others to sign in (GET) or refuses them (POST)', () => {
		expect(outcome(() => requireParticipant(event('/account/book', true) as never))).toBe('allowed');
		expect(outcome(() => requireParticipant(event('/account/book', false) as never))).toBe('303 /account/sign-in?next=%2Faccount%2Fbook%3Fhow%3Dphone');
		expect(outcome(() => requireParticipant(event('/account/book', false, 'POST') as never))).toBe(401);
	});

	it('refuses a route without a rule, even signed in', () => {
		expect(outcome(() => requireParticipant(event('/account/nothing', true) as never))).toBe(404);
		expect(outcome(() => requireParticipant(event(null, true) as never))).toBe(404);
	});
});
