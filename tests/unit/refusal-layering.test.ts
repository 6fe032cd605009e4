/**
 * The layers and the error convention (docs/architecture.md, "Invariants"):
 * - nothing under src/lib/server or src/lib/domain imports '@sveltejs/kit' or src/lib/http (routes own HTTP);
 * - a server function refuses by throwing a `Refusal` (src/lib/server/refusal.ts), and every call a route
 *   (or src/lib/http, or the hooks) makes to a function that can refuse is wrapped in `orRefuse(...)`
 *   (src/lib/http/refusal.ts): an unwrapped Refusal would reach SvelteKit as a 500, not a 404 or 403.
 * Which functions can refuse is read from the code: a function of src/lib/server that constructs the
 * `Refusal` of src/lib/server/refusal.ts (`notFound`, `forbidden`, `assertProgramme` do), or calls a function
 * that can refuse (calls resolved through imports and re-exports, so a local `notFound` of the API is not it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isHttpError } from '@sveltejs/kit';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { orRefuse } from '../../src/lib/http/refusal';
import { Refusal, assertProgramme, forbidden, notFound } from '../../src/lib/server/refusal';

const SRC = path.resolve('src');
const HTTP_ROOT = path.join(SRC, 'lib/http');
const WRAPPER = 'orRefuse';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

const codeFiles = (dir: string) => walk(dir).filter((f) => /\.(ts|js|svelte)$/.test(f));
const rel = (file: string) => path.relative(process.cwd(), file);

function parse(file: string, code = readFileSync(file, 'utf8')): ts.SourceFile {
	// A .svelte file's script is checked as it stands in the file (imports are plain TypeScript).
	return ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
}

/** Every module a file names: imports, re-exports, `import(...)` and `require(...)`. */
function moduleSpecifiers(source: ts.SourceFile): string[] {
	const out: string[] = [];
	const visit = (node: ts.Node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
		if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
			const [arg] = node.arguments;
			if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
		}
		node.forEachChild(visit);
	};
	visit(source);
	return out;
}

/** Why a module named by `file` is outside its layer, or null. */
function layerBreach(file: string, specifier: string): string | null {
	if (specifier === '@sveltejs/kit' || specifier.startsWith('@sveltejs/kit/')) return 'imports @sveltejs/kit';
	const target = specifier.startsWith('$lib/') ? path.join(SRC, 'lib', specifier.slice('$lib/'.length)) : specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null;
	if (target && (target === HTTP_ROOT || target.startsWith(HTTP_ROOT + path.sep))) return 'imports src/lib/http';
	return null;
}

function breaches(files: string[]): string[] {
	return files.flatMap((file) =>
		moduleSpecifiers(parse(file))
			.map((s) => layerBreach(file, s))
			.filter((why): why is string => !!why)
			.map((why) => `${rel(file)} ${why}`)
	);
}

/** A module file named by `specifier` from `file` ('$lib/...' or relative), or null for a package. */
function resolveModule(file: string, specifier: string): string | null {
	const base = specifier.startsWith('$lib/') ? path.join(SRC, 'lib', specifier.slice('$lib/'.length)) : specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null;
	if (!base) return null;
	for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (moduleSources.has(candidate)) return candidate;
	return null;
}

/** What one server module declares: its functions (with what they call) and what it exports from elsewhere. */
interface ModuleInfo {
	/** Local function name -> the functions it calls, as `file#name` keys, or REFUSES for `new Refusal`. */
	functions: Map<string, Set<string>>;
	/** Exported (or imported) name -> [module, name there]. */
	links: Map<string, [string, string]>;
	/** Local name -> name exported (`export { a as b }`). */
	exportedAs: Map<string, string>;
	stars: string[];
}

const REFUSES = 'constructs a Refusal';
const REFUSAL_MODULE = path.join(SRC, 'lib/server/refusal.ts');
const moduleSources = new Map<string, string>();
const modules = new Map<string, ModuleInfo>();

function moduleInfo(file: string): ModuleInfo {
	const known = modules.get(file);
	if (known) return known;
	const source = parse(file, moduleSources.get(file));
	const info: ModuleInfo = { functions: new Map(), links: new Map(), exportedAs: new Map(), stars: [] };
	modules.set(file, info);
	for (const node of source.statements) {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			const from = resolveModule(file, node.moduleSpecifier.text);
			const bindings = node.importClause?.namedBindings;
			if (from && bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) info.links.set(e.name.text, [from, (e.propertyName ?? e.name).text]);
		}
		if (ts.isExportDeclaration(node)) {
			const from = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? resolveModule(file, node.moduleSpecifier.text) : null;
			if (node.exportClause && ts.isNamedExports(node.exportClause))
				for (const e of node.exportClause.elements) {
					const original = (e.propertyName ?? e.name).text;
					if (from) info.links.set(e.name.text, [from, original]);
					else if (original !== e.name.text) info.exportedAs.set(e.name.text, original);
				}
			else if (from) info.stars.push(from);
		}
	}
	const callsIn = (body: ts.Node): Set<string> => {
		const names = new Set<string>();
		// A name the function declares itself (`const notFound = () => apiError(...)`) is not the module's.
		const own = new Set<string>();
		const visit = (node: ts.Node) => {
			if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) names.add(node.expression.text);
			if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) names.add(node.expression.text);
			if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isParameter(node)) && node.name && ts.isIdentifier(node.name)) own.add(node.name.text);
			node.forEachChild(visit);
		};
		visit(body);
		for (const name of own) names.delete(name);
		return names;
	};
	const add = (name: string, body: ts.Node) => info.functions.set(name, new Set([...(info.functions.get(name) ?? []), ...callsIn(body)]));
	// The module's own functions; what a nested function calls counts for the function it is in. The one
	// seed: constructing the `Refusal` of src/lib/server/refusal.ts (src/lib/server/api/status.ts has a
	// class of that name of its own, which it answers itself).
	for (const node of source.statements) {
		if (ts.isClassDeclaration(node) && node.name) info.functions.set(node.name.text, new Set(file === REFUSAL_MODULE && node.name.text === 'Refusal' ? [REFUSES] : []));
		if (ts.isFunctionDeclaration(node) && node.name && node.body) add(node.name.text, node.body);
		if (ts.isVariableStatement(node))
			for (const d of node.declarationList.declarations)
				if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) add(d.name.text, d.initializer.body);
	}
	return info;
}

/** The `file#name` of the function a module's name stands for, following imports and re-exports. */
function resolveName(file: string, name: string, seen = new Set<string>()): string | null {
	const key = `${file}#${name}`;
	if (seen.has(key)) return null;
	seen.add(key);
	const info = moduleInfo(file);
	const local = info.exportedAs.get(name) ?? name;
	if (info.functions.has(local)) return `${file}#${local}`;
	const link = info.links.get(local);
	if (link) return resolveName(link[0], link[1], seen);
	for (const star of info.stars) {
		const found = resolveName(star, name, seen);
		if (found) return found;
	}
	return null;
}

/**
 * The server functions (as `file#name`) that can throw a Refusal: those that construct one, and, to a
 * fixpoint, those that call one of them (calls resolved through the module's imports, not by name alone).
 */
function refusingFunctions(files: { file: string; code?: string }[]): Set<string> {
	moduleSources.clear();
	modules.clear();
	for (const { file, code } of files) moduleSources.set(file, code ?? readFileSync(file, 'utf8'));
	const calls = new Map<string, string[]>();
	for (const file of moduleSources.keys())
		for (const [name, called] of moduleInfo(file).functions)
			calls.set(
				`${file}#${name}`,
				[...called].map((c) => (c === REFUSES ? REFUSES : resolveName(file, c))).filter((k): k is string => !!k)
			);
	const refusing = new Set<string>();
	for (let grew = true; grew; ) {
		grew = false;
		for (const [key, called] of calls)
			if (!refusing.has(key) && called.some((c) => c === REFUSES || refusing.has(c))) {
				refusing.add(key);
				grew = true;
			}
	}
	return refusing;
}

const nameOf = (key: string) => key.slice(key.indexOf('#') + 1);

/** Is this the `f(...)` of `orRefuse(f(...))`? */
function wrapped(call: ts.CallExpression): boolean {
	let parent = call.parent;
	while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
	return !!parent && ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === WRAPPER && parent.arguments.some((a) => a === call || (ts.isParenthesizedExpression(a) && a.expression === call));
}

/**
 * Every mention, in an HTTP-side file, of a refusing function imported from src/lib/server that is not
 * `orRefuse(f(...))`: a bare call, or the function passed on as a value. Uses the modules last read by
 * `refusingFunctions`.
 */
function unwrappedCalls(file: string, refusing: Set<string>, code?: string): string[] {
	const source = parse(file, code);
	const local = new Set<string>();
	const namespaces = new Map<string, string>();
	for (const node of source.statements) {
		if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) continue;
		const from = resolveModule(file, node.moduleSpecifier.text);
		if (!from) continue;
		const bindings = node.importClause?.namedBindings;
		if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, from);
		if (bindings && ts.isNamedImports(bindings))
			for (const e of bindings.elements) {
				const key = resolveName(from, (e.propertyName ?? e.name).text);
				if (key && refusing.has(key) && key !== `${REFUSAL_MODULE}#Refusal`) local.add(e.name.text);
			}
	}
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		let mention: ts.Expression | null = null;
		if (ts.isIdentifier(node) && local.has(node.text) && !ts.isImportSpecifier(node.parent) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) mention = node;
		if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && namespaces.has(node.expression.text)) {
			const key = resolveName(namespaces.get(node.expression.text)!, node.name.text);
			if (key && refusing.has(key)) mention = node;
		}
		if (mention) {
			const call = mention.parent;
			const ok = ts.isCallExpression(call) && call.expression === mention && wrapped(call);
			if (!ok) found.push(`${rel(file)}:${source.getLineAndCharacterOfPosition(mention.getStart(source)).line + 1} ${mention.getText(source)}`);
			return;
		}
		node.forEachChild(visit);
	};
	source.forEachChild(visit);
	return found;
}

const serverFiles = codeFiles(path.join(SRC, 'lib/server')).filter((f) => f.endsWith('.ts'));
const serverModules = serverFiles.map((file) => ({ file }));
const refusing = (): Set<string> => refusingFunctions(serverModules);
const httpSideFiles = [...codeFiles(path.join(SRC, 'routes')), ...codeFiles(HTTP_ROOT), path.join(SRC, 'hooks.server.ts')].filter((f) => f.endsWith('.ts'));

// These read every server, domain and route file: seconds on a busy 2-core machine.
describe('layers', { timeout: 30_000 }, () => {
	it('nothing under src/lib/server or src/lib/domain imports @sveltejs/kit or src/lib/http', () => {
		const files = [...codeFiles(path.join(SRC, 'lib/server')), ...codeFiles(path.join(SRC, 'lib/domain'))];
		expect(files.length).toBeGreaterThan(50);
		expect(breaches(files)).toEqual([]);
	});

	it('the check sees each way of naming the forbidden modules', () => {
		const file = path.join(SRC, 'lib/server/casework/x.ts');
		expect(layerBreach(file, '@sveltejs/kit')).toBe('imports @sveltejs/kit');
		expect(layerBreach(file, '@sveltejs/kit/node')).toBe('imports @sveltejs/kit');
		expect(layerBreach(file, '$lib/http/guard')).toBe('imports src/lib/http');
		expect(layerBreach(file, '../../http/guard')).toBe('imports src/lib/http');
		expect(layerBreach(file, '../../http')).toBe('imports src/lib/http');
		expect(layerBreach(file, '../refusal')).toBeNull();
		expect(layerBreach(file, '$lib/server/refusal')).toBeNull();
		const source = parse(file, "import { error } from '@sveltejs/kit';\nexport { x } from '$lib/http/guard';\nconst m = await import('../../http/refusal');");
		expect(moduleSpecifiers(source)).toEqual(['@sveltejs/kit', '$lib/http/guard', '../../http/refusal']);
	});
});

describe('refusals', { timeout: 30_000 }, () => {
	it('finds the server functions that can refuse, through the functions they call', () => {
		const names = new Set([...refusing()].map(nameOf));
		for (const name of [
			'findInProgramme',
			'getReferralForStaff',
			'claimReferral',
			'assignReferral',
			'changeStatus',
			'logContactAttempt',
			'recordWithdrawal',
			'withdrawOwnReferral',
			'acknowledgeConcern',
			'concernForStaff',
			'resolveConcern',
			'checkInsForStaff',
			'checkInsCsvForStaff',
			'saveAgreedActions',
			'meetingsForStaff',
			'recordOutcome',
			'referralMeetingsAndTasks',
			'completeTask'
		])
			expect(names, name).toContain(name);
		expect(names).not.toContain('openTasksFor');
		// The API's own `notFound` (a JSON answer, src/lib/server/api/measures.ts) and `Refusal` (api/status.ts) are not these.
		expect(names).not.toContain('checkInResponse');
		expect(names).not.toContain('statusResponse');
	});

	it('every route call of a server function that can refuse is wrapped in orRefuse', () => {
		const found = refusing();
		expect(httpSideFiles.length).toBeGreaterThan(50);
		expect(httpSideFiles.flatMap((f) => unwrappedCalls(f, found))).toEqual([]);
	});

	it('the check finds a bare call, a call through a namespace, an alias or a re-export, and a function passed on', () => {
		const a = path.join(SRC, 'lib/server/a.ts');
		const server = [
			{ file: path.join(SRC, 'lib/server/refusal.ts'), code: "export class Refusal extends Error {}\nexport function notFound(): never { throw new Refusal(404, 'Not found'); }" },
			{
				file: a,
				code: "import { notFound } from './refusal';\nexport async function find(id: string) { if (!id) notFound(); return id; }\nexport function quiet() { const notFound = () => 1; return notFound(); }"
			},
			{ file: path.join(SRC, 'lib/server/b/view.ts'), code: "import { find as lookUp } from '../a';\nexport const view = async (id: string) => ({ row: await lookUp(id) });" },
			{ file: path.join(SRC, 'lib/server/b/index.ts'), code: "export { view as look } from './view';\nexport * from './view';" }
		];
		const found = refusingFunctions(server);
		expect([...found].map((k) => path.relative(SRC, k)).sort()).toEqual(['lib/server/a.ts#find', 'lib/server/b/view.ts#view', 'lib/server/refusal.ts#Refusal', 'lib/server/refusal.ts#notFound']);
		const route = path.join(SRC, 'routes/x/+page.server.ts');
		const code = [
			"import { find, quiet } from '$lib/server/a';",
			"import * as b from '$lib/server/b';",
			"import { look, view as seen } from '../../lib/server/b';",
			"import { orRefuse } from '$lib/http/refusal';",
			'export const load = async () => {',
			"  await orRefuse(find('1'));",
			"  await orRefuse((seen('1')));",
			'  quiet();',
			"  await find('2');",
			"  await seen('3');",
			"  await b.view('4');",
			"  await look('5');",
			"  await Promise.all(['6'].map(find));",
			'};'
		].join('\n');
		expect(unwrappedCalls(route, found, code).map((f) => f.replace(/^.*:(\d+) /, '$1 '))).toEqual(['9 find', '10 seen', '11 b.view', '12 look', '13 find']);
	});

	it('orRefuse answers a Refusal with its status and message, and passes everything else on', async () => {
		const refused = await orRefuse(Promise.reject(new Refusal(404, 'Not found'))).catch((e: unknown) => e);
		expect(isHttpError(refused, 404)).toBe(true);
		expect(refused).toMatchObject({ status: 404, body: { message: 'Not found' } });
		const forbade = await orRefuse((async () => forbidden('Only a team lead can do that'))()).catch((e: unknown) => e);
		expect(isHttpError(forbade, 403)).toBe(true);
		expect(forbade).toMatchObject({ body: { message: 'Only a team lead can do that' } });
		const fault = new Error('boom');
		await expect(orRefuse(Promise.reject(fault))).rejects.toBe(fault);
		await expect(orRefuse(Promise.resolve(7))).resolves.toBe(7);
	});

	it('a Refusal carries its status (integration tests read it) and assertProgramme refuses with 404', () => {
		expect(() => notFound()).toThrow(Refusal);
		expect(() => notFound()).toThrow(expect.objectContaining({ status: 404, message: 'Not found' }));
		const user = { programmeIds: ['gm-ips-primary-care'] };
		expect(() => assertProgramme(user, 'gm-ips-secondary-care')).toThrow(expect.objectContaining({ status: 404 }));
		expect(() => assertProgramme(user, 'gm-ips-primary-care')).not.toThrow();
	});
});
