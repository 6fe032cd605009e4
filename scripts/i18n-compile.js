// Compiles the message files (messages/{locale}/*.json) into typed functions in src/lib/paraglide, for the
// build, svelte-check, the tests and the command line. Skipped when the output was compiled from exactly
// these inputs (a stamp of their hash), because `npm run cli` runs it too and tests start the command line
// while other processes read the compiled files: a compile rewrites the whole folder.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

const inputs = ['project.inlang/settings.json', 'i18n.config.js', 'node_modules/@inlang/paraglide-js/package.json'];
for (const locale of readdirSync('messages', { withFileTypes: true }).filter((d) => d.isDirectory()))
	for (const file of readdirSync(path.join('messages', locale.name)).sort()) inputs.push(path.join('messages', locale.name, file));
const hash = createHash('sha256');
for (const file of inputs) hash.update(file).update(readFileSync(file));
const digest = hash.digest('hex');
const stamp = path.join(paraglideOptions.outdir, '.inputs-hash');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(path.join(paraglideOptions.outdir, 'messages.js'))) process.exit(0);
await compile(paraglideOptions);
writeFileSync(stamp, digest);
