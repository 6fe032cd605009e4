/**
 * Rate limits count an IPv6 client by its /64 (src/lib/server/rate-limit.ts rateLimitClient), and every
 * rate limit keyed by the client address goes through it: no route or module reads getClientAddress() for a
 * limit without it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rateLimitClient } from '../../src/lib/server/rate-limit';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

describe('rateLimitClient', () => {
	it('keeps IPv4 addresses and reads IPv4-mapped IPv6 as IPv4', () => {
		expect(rateLimitClient('192.0.2.7')).toBe('192.0.2.7');
		expect(rateLimitClient('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(rateLimitClient('::FFFF:198.51.100.1')).toBe('198.51.100.1');
	});

	it('counts every address of one /64 as one client, and different /64s apart', () => {
		const one = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:abcd::9', '2001:db8:1:2:0:0:0:0', '2001:db8:1:2::1%eth0', '2001:db8:1:2::192.0.2.1'];
		expect(new Set(one.map(rateLimitClient))).toEqual(new Set(['2001:db8:1:2::/64']));
		expect(rateLimitClient('2001:db8:1:3::1')).not.toBe(rateLimitClient('2001:db8:1:2::1'));
		expect(rateLimitClient('::1')).toBe('0:0:0:0::/64');
		expect(rateLimitClient('fe80::1')).toBe('fe80:0:0:0::/64');
		expect(rateLimitClient('2001:db8::')).toBe('2001:db8:0:0::/64');
	});

	it('leaves what is not an IP address as it is', () => {
		for (const v of ['unknown', '', 'localhost', '2001:db8::zz', '1.2.3']) expect(rateLimitClient(v)).toBe(v);
	});

	it('is used wherever the client address is read', () => {
		const files = walk(path.resolve('src')).filter((f) => /\.(ts|js|svelte)$/.test(f));
		const raw: string[] = [];
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			for (const m of text.matchAll(/getClientAddress\(\)/g)) {
				const before = text.slice(Math.max(0, m.index - 'rateLimitClient('.length - 6), m.index);
				if (!/rateLimitClient\((event\.)?$/.test(before)) raw.push(`${path.relative(process.cwd(), file)}: …${text.slice(m.index - 40, m.index + 20)}`);
			}
		}
		expect(raw).toEqual([]);
	});
});
