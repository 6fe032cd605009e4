// Runs the integration tests against embedded PGlite, then again against PostgreSQL when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';

function run(label, env) {
	console.log(`\n== integration tests on ${label} ==`);
	const result = spawnSync('npx', ['vitest', 'run', '--project', 'integration'], { stdio: 'inherit', env });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const { DATABASE_URL, ...withoutDb } = process.env;
run('PGlite', withoutDb);
if (DATABASE_URL) run('PostgreSQL', { ...process.env });
else console.log('DATABASE_URL is not set: skipping the PostgreSQL run (.ci/run sets it).');
