// `npm test`: every suite, with the independent steps side by side (a 2-core machine spends much of each
// step waiting): the type check beside the unit tests; then the integration tests (on PGlite, and on
// PostgreSQL when DATABASE_URL is set, themselves side by side) beside the production build; then the
// Playwright suite on that build. Each step's output is printed whole when it ends; the first failing
// phase stops the run with its exit code.
import { spawn } from 'node:child_process';

function step(label, command, args) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(command, args, { env: process.env });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('close', (code) => {
			const seconds = Math.round((Date.now() - started) / 1000);
			process.stdout.write(`\n== ${label}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds} s ==\n${out}`);
			resolve(code ?? 1);
		});
	});
}

async function phase(...steps) {
	const codes = await Promise.all(steps);
	const failed = codes.find((c) => c !== 0);
	if (failed !== undefined) process.exit(failed);
}

const started = Date.now();
// SvelteKit's generated types first, once: the type check and Vitest's SvelteKit plugin both write them, and
// on a fresh clone the two at once raced (one deleting files the other was walking: ENOENT). Once written,
// each later sync finds them unchanged.
// The same for the compiled messages (src/lib/paraglide): compiled once here, then only read until the build.
await phase(step('messages', 'node', ['scripts/i18n-compile.js']));
await phase(step('svelte-kit sync', 'npx', ['svelte-kit', 'sync']));
await phase(step('type check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json']), step('unit tests', 'npx', ['vitest', 'run', '--project', 'unit']));
await phase(step('integration tests', 'node', ['scripts/test-integration.js']), step('build', 'npx', ['vite', 'build']));
// Playwright prints as it goes: its run is the long one.
const code = await new Promise((resolve) => spawn('npx', ['playwright', 'test'], { stdio: 'inherit' }).on('close', (c) => resolve(c ?? 1)));
console.log(`\nnpm test ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(code);
