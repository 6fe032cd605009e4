// Page weight of the built client (run `npm run build` first): gzips every .js and .css file in
// build/client, prints a table, then starts the built server and fails if the JavaScript the start
// page references (script src, modulepreload, inline scripts) is over 40 KB gzipped.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT = 40 * 1024;
const CLIENT = 'build/client';
const gz = (data) => gzipSync(data).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const files = readdirSync(CLIENT, { recursive: true })
	.map(String)
	.filter((f) => /\.(js|css)$/.test(f))
	.map((f) => ({ file: f, raw: readFileSync(path.join(CLIENT, f)).length, gzipped: gz(readFileSync(path.join(CLIENT, f))) }));
console.table(files.map((f) => ({ file: f.file, raw: kb(f.raw), gzipped: kb(f.gzipped) })));
const sum = (ext) => files.filter((f) => f.file.endsWith(ext)).reduce((n, f) => n + f.gzipped, 0);
console.log(`total gzipped: JS ${kb(sum('.js'))}, CSS ${kb(sum('.css'))}`);

// What the start page really references, from the running build.
const port = await new Promise((resolve) => {
	const s = createServer().listen(0, '127.0.0.1', () => {
		const { port } = s.address();
		s.close(() => resolve(port));
	});
});
const dataDir = mkdtempSync(path.join(tmpdir(), 'ips-bench-'));
const server = spawn(process.execPath, ['build/index.js'], {
	env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://localhost:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
	stdio: ['ignore', 'ignore', 'inherit']
});
let html = null;
try {
	for (let i = 0; i < 300 && html === null && server.exitCode === null; i++) {
		html = await fetch(`http://127.0.0.1:${port}/`).then((r) => (r.ok ? r.text() : null), () => null);
		if (html === null) await new Promise((r) => setTimeout(r, 200));
	}
} finally {
	server.kill('SIGTERM');
	await new Promise((r) => (server.exitCode === null ? server.on('exit', r) : r()));
	rmSync(dataDir, { recursive: true, force: true });
}
if (html === null) {
	console.error('the built server did not serve the start page');
	process.exit(1);
}
const referenced = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => new URL(m[1] ?? m[2], 'http://x/').pathname);
const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const startJs = [...new Set(referenced)].reduce((n, p) => n + gz(readFileSync(path.join(CLIENT, p))), 0) + inline.reduce((n, s) => n + (s ? gz(s) : 0), 0);
console.log(`start page: ${referenced.length} script files, ${inline.length} inline scripts, ${kb(startJs)} gzipped JS (limit ${kb(LIMIT)})`);
if (startJs > LIMIT) {
	console.error('the start page references too much JavaScript');
	process.exit(1);
}
