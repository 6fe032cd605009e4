/**
 * The contract matches the server (issue 19 part 4). Every operation in the served OpenAPI document is
 * called on the built portal with a key given every scope, without a key, with a read-only key without
 * data scopes, with a key of another programme, and with a method the address does not take. Each answer's
 * status must be one the document lists for that operation, its content type one the document gives for
 * that status, and the headers the document names (Cache-Control's value, WWW-Authenticate on 401, Allow on
 * 405) must be there. Every operation must also answer 2xx to one of them, so the happy path is checked too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from './support/server';

const run = promisify(execFile);

type Json = Record<string, unknown>;
interface Seeded {
	reference: string;
	checkInId: string;
	concernId: string;
	keys: { full: string; limited: string; other: string };
}

let dataDir: string;
let server: RunningServer;
let seeded: Seeded;

test.beforeAll(async () => {
	test.setTimeout(300_000);
	dataDir = mkdtempSync(path.join(tmpdir(), 'ips-e2e-contract-'));
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/e2e/support/seed-api-contract.ts'], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'warn' }
	});
	seeded = JSON.parse(stdout.trim().split('\n').at(-1)!);
	server = await startServer({}, dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus && server) console.log(`----- server ${server.url} -----\n${server.output().slice(-20_000)}`);
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) expect(await server.stop()).toBe(0);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Follows a local `$ref` (#/components/...) in the document. */
function resolve(doc: Json, value: unknown): Json {
	let v = value as Json;
	while (v && typeof v.$ref === 'string') {
		v = (v.$ref as string)
			.slice(2)
			.split('/')
			.reduce<Json>((node, part) => node[part] as Json, doc);
	}
	return v;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

test('every operation answers only the statuses, content types and headers its OpenAPI document lists', async () => {
	const docResponse = await fetch(`${server.url}/api/v1/openapi.json`);
	expect(docResponse.status).toBe(200);
	const doc = (await docResponse.json()) as Json;
	const paths = doc.paths as Record<string, Record<string, Json>>;
	const problems: string[] = [];
	const calls: string[] = [];

	for (const [template, item] of Object.entries(paths)) {
		const url =
			`${server.url}/api/v1` +
			template.replace('{reference}', seeded.reference).replace('{id}', template.startsWith('/check-ins') ? seeded.checkInId : seeded.concernId);
		for (const method of METHODS) {
			const op = item[method];
			if (!op) continue;
			const responses = op.responses as Record<string, Json>;
			const name = `${method.toUpperCase()} ${template}`;
			const attempts: { who: string; method: string; key: string | null }[] = [
				{ who: 'a key with every scope', method, key: seeded.keys.full },
				{ who: 'no key', method, key: null },
				{ who: 'a read-only key without data scopes', method, key: seeded.keys.limited },
				{ who: 'a key of another programme', method, key: seeded.keys.other },
				{ who: 'a wrong method', method: 'delete', key: seeded.keys.full }
			];
			let succeeded = false;
			for (const attempt of attempts) {
				const headers: Record<string, string> = attempt.key ? { authorization: `Bearer ${attempt.key}` } : {};
				let body: string | undefined;
				if (attempt.method === 'post') {
					headers['content-type'] = 'application/json';
					headers['idempotency-key'] = crypto.randomUUID();
					body = JSON.stringify({ status: 'contacted' });
				}
				const res = await fetch(url, { method: attempt.method.toUpperCase(), headers, body, redirect: 'manual' });
				await res.arrayBuffer();
				const status = String(res.status);
				const where = `${name} with ${attempt.who}: ${status}`;
				calls.push(where);
				if (res.status < 300) succeeded = true;
				const documented = responses[status] ? resolve(doc, responses[status]) : responses.default ? resolve(doc, responses.default) : null;
				if (!documented) {
					problems.push(`${where} is not documented (documented: ${Object.keys(responses).join(', ')})`);
					continue;
				}
				const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
				const content = documented.content as Json | undefined;
				if (content && !(contentType in content)) problems.push(`${where} came as ${contentType || 'no content type'}; documented: ${Object.keys(content).join(', ')}`);
				for (const [header, definition] of Object.entries((documented.headers ?? {}) as Json)) {
					const h = resolve(doc, definition);
					const value = res.headers.get(header);
					const constant = (h.schema as Json | undefined)?.const;
					if (h.required && value === null) problems.push(`${where} has no ${header} header`);
					if (constant !== undefined && value !== constant) problems.push(`${where} has ${header}: ${value}; documented: ${String(constant)}`);
				}
			}
			if (!succeeded) problems.push(`${name} never answered 2xx`);
		}
	}
	expect(problems, calls.join('\n')).toEqual([]);
	// Every operation was called: two public documents and the seven that need a key.
	expect(calls.length).toBe(9 * 5);
});
