import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The real command line, as an auditor runs it (minus npm's banner), pointed at a database folder that
// does not exist: the command must score without ever creating or opening it.
const root = path.resolve(import.meta.dirname, '../..');
const parent = mkdtempSync(path.join(tmpdir(), 'ips-measures-'));
const dataDir = path.join(parent, 'never-created');

function cli(...args: string[]) {
	const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
	delete env.DATABASE_URL;
	const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { cwd: root, env, encoding: 'utf8' });
	return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('npm run cli -- measures score', () => {
	it('prints one JSON object for valid PHQ-9 answers and exits 0', () => {
		const run = cli('measures', 'score', 'phq9', '1,2,0,3,1,0,2,1,1');
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout.trim().split('\n')).toHaveLength(1);
		expect(JSON.parse(run.stdout)).toEqual({ instrument: 'phq9', total: 11, band: 'moderate', item9Alert: true });
		expect(existsSync(dataDir)).toBe(false);
	});
	it('reads empty places as skipped DIALOG items', () => {
		const run = cli('measures', 'score', 'dialog', '4,5,,6,7,7,7,7,,3,5');
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({ lifeMean: 6.14, treatmentMean: 4 });
	});
	it('prints SWEMWBS metric and ONS4 bands', () => {
		expect(JSON.parse(cli('measures', 'score', 'swemwbs', '3,3,3,3,3,3,4').stdout)).toEqual({ instrument: 'swemwbs', raw: 22, metric: 19.98 });
		expect(JSON.parse(cli('measures', 'score', 'ons4', '4,6,8,1').stdout)).toEqual({
			instrument: 'ons4',
			scores: [4, 6, 8, 1],
			bands: ['low', 'medium', 'high', 'very low']
		});
	});
	it('refuses an out-of-range answer, a wrong count and an unknown instrument with a message and a non-zero exit', () => {
		const range = cli('measures', 'score', 'gad7', '0,0,4,0,0,0,0');
		expect(range.code).not.toBe(0);
		expect(range.stdout).toBe('');
		expect(range.stderr.trim()).toBe('Item 3 of GAD-7 must be a whole number from 0 to 3, got 4.');

		const count = cli('measures', 'score', 'phq9', '0,0,0,0,0,0,0,0');
		expect(count.code).not.toBe(0);
		expect(count.stderr.trim()).toBe('PHQ-9 needs 9 answers, got 8.');

		const unknown = cli('measures', 'score', 'PHQ-9', '0');
		expect(unknown.code).not.toBe(0);
		expect(unknown.stderr).toContain('Unknown instrument "PHQ-9". Use one of: dialog, swemwbs, ons4, gad7, phq9, phq8, eq5d5l.');

		const skipped = cli('measures', 'score', 'swemwbs', '5,5,,5,5,5,5');
		expect(skipped.code).not.toBe(0);
		expect(skipped.stderr.trim()).toBe('Item 3 of SWEMWBS needs an answer (it cannot be skipped).');
		expect(existsSync(dataDir)).toBe(false);
	});
});
