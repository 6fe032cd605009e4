// Summarises a V8 CPU profile (node --cpu-prof, or `BENCH_PROFILE=1 npm run bench`): self time by
// function and by where the code lives. Usage: node bench/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
	if (!url) return '(native)';
	const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (nm) return nm[1];
	const chunk = /build\/server\/(.*)$/.exec(url);
	if (chunk) return `build/server/${chunk[1]}`;
	if (url.startsWith('node:')) return 'node internals';
	return url;
};
const fns = new Map();
const places = new Map();
for (const [id, us] of self) {
	const n = byId.get(id);
	const cf = n.callFrame;
	const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;
	fns.set(key, (fns.get(key) ?? 0) + us);
	const p = where(cf.url);
	places.set(p, (places.get(p) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nBy place:`);
for (const [k, v] of [...places].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
console.log('\nBy function (self time):');
for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
