import { describe, expect, it } from 'vitest';
import { lookup as dnsLookup } from 'node:dns/promises';
import {
	addressAllowed,
	bareHost,
	classifyAddress,
	HTTPS_MESSAGE,
	INSIDE_MESSAGE,
	lookupFailedMessage,
	METADATA_MESSAGE,
	notFoundMessage,
	resolvedUrlProblem,
	webhookUrlProblem
} from '../../src/lib/server/webhooks/address';
import { INSIDE_ADDRESSES, METADATA_ADDRESSES } from '../support/webhook-addresses';

const STRICT = { allowPrivate: false };
const LOCAL = { allowPrivate: true };

/** The host as the deliverer sees it: through the WHATWG URL parser, as `new URL()` normalises it. */
const hostOf = (spelling: string) => bareHost(new URL(`https://${spelling}/hooks`));

describe('classifyAddress', () => {
	it.each([
		['127.0.0.1', 'loopback'],
		['127.255.255.254', 'loopback'],
		['::1', 'loopback'],
		['[::1]', 'loopback'],
		['0.0.0.0', 'unspecified'],
		['0.1.2.3', 'unspecified'],
		['::', 'unspecified'],
		['10.0.0.1', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.1', 'private'],
		['100.64.0.1', 'private'],
		['100.127.255.254', 'private'],
		['169.254.169.254', 'metadata'],
		['fd00:ec2::254', 'metadata'],
		['169.254.1.1', 'link-local'],
		['fe80::1', 'link-local'],
		['fe80::1%eth0', 'link-local'],
		['febf::1', 'link-local'],
		['fd00::1', 'unique-local'],
		['fc00::1', 'unique-local'],
		['224.0.0.1', 'multicast'],
		['239.255.255.250', 'multicast'],
		['ff02::1', 'multicast'],
		['255.255.255.255', 'broadcast'],
		['240.0.0.1', 'reserved'],
		['192.0.2.1', 'reserved'],
		['2001:db8::1', 'reserved'],
		// IPv4 inside IPv6: judged by the IPv4 address it carries.
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:7f00:1', 'loopback'],
		['[::ffff:127.0.0.1]', 'loopback'],
		['::ffff:10.0.0.1', 'private'],
		['::ffff:169.254.169.254', 'metadata'],
		['::ffff:a9fe:a9fe', 'metadata'],
		['0:0:0:0:0:ffff:7f00:1', 'loopback'],
		['64:ff9b::7f00:1', 'loopback'],
		['2002:7f00:1::1', 'loopback'],
		['2002:c0a8:101::1', 'private'],
		['::127.0.0.1', 'reserved'],
		['not an address', 'reserved']
	])('%s is %s', (address, expected) => {
		expect(classifyAddress(address)).toBe(expected);
	});

	it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1', '2a00:1450:4009:81f::200e', '::ffff:93.184.216.34', '64:ff9b::5db8:d822'])(
		'%s is public',
		(address) => {
			expect(classifyAddress(address)).toBe('public');
			expect(addressAllowed(classifyAddress(address), STRICT)).toBe(true);
		}
	);

	it.each([
		['127.0.0.1', '127.0.0.1'],
		['[::1]', '::1'],
		['0.0.0.0', '0.0.0.0'],
		['2130706433', '127.0.0.1'],
		['0x7f.1', '127.0.0.1'],
		['0177.0.0.1', '127.0.0.1'],
		['127.1', '127.0.0.1'],
		['0x7f000001', '127.0.0.1'],
		['10.0.0.1', '10.0.0.1'],
		['169.254.169.254', '169.254.169.254'],
		['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
		['[fe80::1]', 'fe80::1'],
		['[fd00::1]', 'fd00::1']
	])('the spelling %s reaches the check as %s, which is refused', (spelling, normalised) => {
		expect(hostOf(spelling)).toBe(normalised);
		expect(addressAllowed(classifyAddress(hostOf(spelling)), STRICT)).toBe(false);
	});

	it('allows private addresses for local testing, but never metadata services', () => {
		expect(addressAllowed('loopback', LOCAL)).toBe(true);
		expect(addressAllowed('private', LOCAL)).toBe(true);
		expect(addressAllowed('metadata', LOCAL)).toBe(false);
	});
});

describe('webhookUrlProblem', () => {
	it.each([
		...INSIDE_ADDRESSES,
		'https://LOCALHOST./hooks',
		'https://api.localhost/hooks',
		'https://crm.internal/hooks',
		'https://intranet/hooks'
	])('refuses %s: it points inside the network', (url) => {
		expect(webhookUrlProblem(url, STRICT)).toBe(INSIDE_MESSAGE);
		expect(INSIDE_MESSAGE).toContain('WEBHOOK_ALLOW_PRIVATE=true');
	});

	it.each(METADATA_ADDRESSES)(
		'refuses %s: a metadata service, without suggesting WEBHOOK_ALLOW_PRIVATE (it is refused even then)',
		(url) => {
			expect(webhookUrlProblem(url, STRICT)).toBe(METADATA_MESSAGE);
			expect(METADATA_MESSAGE).not.toContain('WEBHOOK_ALLOW_PRIVATE');
		}
	);

	it.each(['http://crm.example.org/hooks', 'http://127.0.0.1:8080/hooks', 'ftp://crm.example.org/hooks', 'not a url'])('refuses %s: not https', (url) => {
		expect(webhookUrlProblem(url, STRICT)).toBe(HTTPS_MESSAGE);
	});

	it.each(['https://crm.example.org/ips-webhooks', 'https://93.184.216.34/hooks', 'https://[2606:4700::1]/hooks', 'https://crm.example.org:8443/h?x=1'])('accepts %s', (url) => {
		expect(webhookUrlProblem(url, STRICT)).toBeNull();
	});

	it('allows http and local addresses with WEBHOOK_ALLOW_PRIVATE, but not metadata services', () => {
		expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', LOCAL)).toBeNull();
		expect(webhookUrlProblem('http://localhost:8080/hooks', LOCAL)).toBeNull();
		expect(webhookUrlProblem('https://10.0.0.1/hooks', LOCAL)).toBeNull();
		expect(webhookUrlProblem('http://169.254.169.254/latest/meta-data/', LOCAL)).toBe(METADATA_MESSAGE);
		expect(webhookUrlProblem('http://[fd00:ec2::254]/', LOCAL)).toBe(METADATA_MESSAGE);
		expect(webhookUrlProblem('http://metadata.google.internal/', LOCAL)).toBe(METADATA_MESSAGE);
		expect(webhookUrlProblem('ftp://127.0.0.1/', LOCAL)).toBe(HTTPS_MESSAGE);
	});
});

describe('resolvedUrlProblem (the name looked up when a subscription is made, with node:dns)', () => {
	it('refuses a name that does not resolve, saying so', async () => {
		expect(await resolvedUrlProblem('https://crm.example.invalid/hooks', STRICT, dnsLookup)).toBe(notFoundMessage('crm.example.invalid'));
		expect(await resolvedUrlProblem('https://crm.example.invalid/hooks', LOCAL, dnsLookup)).toBe(notFoundMessage('crm.example.invalid'));
	});

	it('refuses a name that resolves inside the network unless WEBHOOK_ALLOW_PRIVATE, and names it', async () => {
		expect(await resolvedUrlProblem('https://localhost/hooks', STRICT, dnsLookup)).toBe(INSIDE_MESSAGE);
		expect(await resolvedUrlProblem('http://localhost:8080/hooks', LOCAL, dnsLookup)).toBeNull();
	});

	it('does not look up literal addresses, and tells a failed look-up from a missing name', async () => {
		const never = async (): Promise<{ address: string }[]> => {
			throw new Error('looked up');
		};
		expect(await resolvedUrlProblem('https://93.184.215.14/hooks', STRICT, never)).toBeNull();
		const busy = async (): Promise<{ address: string }[]> => {
			throw Object.assign(new Error('queryA EAI_AGAIN'), { code: 'EAI_AGAIN' });
		};
		expect(await resolvedUrlProblem('https://crm.example.org/hooks', STRICT, busy)).toBe(lookupFailedMessage('crm.example.org'));
		const slow = () => new Promise<{ address: string }[]>(() => {});
		expect(await resolvedUrlProblem('https://crm.example.org/hooks', STRICT, slow, 50)).toBe(lookupFailedMessage('crm.example.org'));
	});
});
