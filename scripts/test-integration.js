// Runs the integration tests against embedded PGlite and, when DATABASE_URL is set, against PostgreSQL too.
// The two runs go side by side (each waits on its database much of the time); each run's output is printed
// as it finishes, one after the other, so it reads as two whole reports.
import { spawn } from 'node:child_process';

function run(label, env) {
	return new Promise((resolve) => {
		const child = spawn('npx', ['vitest', 'run', '--project', 'integration'], { env: { ...env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('close', (code) => {
			process.stdout.write(`\n== integration tests on ${label} ==\n${out}`);
			resolve(code ?? 1);
		});
	});
}

const { DATABASE_URL, ...withoutDb } = process.env;
const runs = [run('PGlite', withoutDb)];
if (DATABASE_URL) runs.push(run('PostgreSQL', { ...process.env }));
else console.log('DATABASE_URL is not set: skipping the PostgreSQL run (.ci/run sets it).');
const codes = await Promise.all(runs);
process.exit(codes.find((c) => c !== 0) ?? 0);
