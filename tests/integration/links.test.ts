import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/lib/server/audit';
import { createLink, sourceForLink } from '../../src/lib/server/links';
import { dwpCategoryOf } from '../../src/lib/domain/sources';

const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'ips-cli-'));
const code = `gp-p8${Math.floor(1000 + Math.random() * 8999)}`;
let cli: { stdout: string; stderr: string };

/** The command runs in its own process, before this file opens the database (PGlite allows one process). */
function runCli(args: string[]) {
	return run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } });
}

beforeAll(async () => {
	cli = await runCli(['link', 'create', '--code', code, '--source', 'fit-note', '--ods', 'P84002', '--label', 'Fit Note, Example Surgery', '--out', path.join(out, 'qr.svg'), '--base-url', 'https://ips.example.org/']);
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run cli -- link create', () => {
	it('creates the link and writes its QR code as SVG', async () => {
		expect(cli.stdout).toContain(`https://ips.example.org/r/${code}`);
		const svg = readFileSync(path.join(out, 'qr.svg'), 'utf8');
		expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
		expect(svg.length).toBeGreaterThan(500);
	});

	it('makes /r/<code> record the Fit Note source and the practice', async () => {
		const source = await sourceForLink(code.toUpperCase());
		expect(source).toEqual({ code: 'fit-note', odsCode: 'P84002', linkCode: code });
		expect(dwpCategoryOf(source.code)).toBe('primary-care');
	});

	it('refuses a duplicate code, a bad ODS code and an unknown source', async () => {
		expect(await createLink({ code, sourceCode: 'fit-note', label: 'again' }, COMMAND_LINE)).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/already/) } });
		expect(await createLink({ code: `${code}-x`, sourceCode: 'fit-note', odsCode: 'X1', label: 'bad ods' }, COMMAND_LINE)).toMatchObject({ ok: false, errors: { odsCode: expect.stringMatching(/ODS/) } });
		expect(await createLink({ code: `${code}-y`, sourceCode: 'carrier-pigeon', label: 'bad source' }, COMMAND_LINE)).toMatchObject({ ok: false, errors: { sourceCode: expect.stringMatching(/source/) } });
	});
});

describe('unknown link codes', () => {
	it('still work, recorded as another campaign with the code kept', async () => {
		expect(await sourceForLink('bus-stop-poster')).toEqual({ code: 'other-campaign', linkCode: 'bus-stop-poster', detail: 'unknown link code' });
		expect(await sourceForLink('<script>')).toMatchObject({ code: 'other-campaign', linkCode: null });
	});
});
