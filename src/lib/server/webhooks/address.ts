/**
 * Where webhooks may be sent. A webhook carries a whole referral, so the server must not be pointed at
 * itself or at its own network: loopback, private, link-local and unique-local ranges, cloud metadata
 * services, and the odd spellings of them (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`, which the URL
 * parser turns into the plain forms checked here). Plain http is refused too: the referral must be
 * encrypted on its way.
 *
 * The check runs twice: when a subscription is made (the address as typed: scheme, literal addresses and
 * names that are local by definition), and before every delivery, on every address the name resolves to
 * (deliver.ts then connects to the address it checked, so a second DNS answer cannot swap it).
 *
 * At creation the name is also looked up: one that does not resolve, or resolves inside the network, is
 * refused then (resolvedUrlProblem) rather than failing every delivery later.
 *
 * WEBHOOK_ALLOW_PRIVATE=true lifts both rules for local testing; cloud metadata addresses stay refused.
 */
import { BlockList, isIP } from 'node:net';

export type AddressClass =
	| 'public'
	| 'loopback'
	| 'private'
	| 'link-local'
	| 'unique-local'
	| 'unspecified'
	| 'metadata'
	| 'multicast'
	| 'broadcast'
	| 'reserved';

type Range = [address: string, prefix: number];

/** Checked in this order: the first list that holds the address names its class. */
const RANGES: [AddressClass, 'ipv4' | 'ipv6', Range[]][] = [
	['metadata', 'ipv4', [['169.254.169.254', 32], ['169.254.170.2', 32], ['100.100.100.200', 32]]],
	['metadata', 'ipv6', [['fd00:ec2::254', 128]]],
	['unspecified', 'ipv4', [['0.0.0.0', 8]]],
	['loopback', 'ipv4', [['127.0.0.0', 8]]],
	['private', 'ipv4', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]]],
	['link-local', 'ipv4', [['169.254.0.0', 16]]],
	['broadcast', 'ipv4', [['255.255.255.255', 32]]],
	['multicast', 'ipv4', [['224.0.0.0', 4]]],
	// IETF protocol assignments, documentation, benchmarking, and the old class E.
	['reserved', 'ipv4', [['192.0.0.0', 24], ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], ['198.18.0.0', 15], ['240.0.0.0', 4]]],
	['unspecified', 'ipv6', [['::', 128]]],
	['loopback', 'ipv6', [['::1', 128]]],
	['link-local', 'ipv6', [['fe80::', 10]]],
	['unique-local', 'ipv6', [['fc00::', 7]]],
	// The old site-local range and the local-use NAT64 prefix: inside someone's network.
	['private', 'ipv6', [['fec0::', 10], ['64:ff9b:1::', 48]]],
	['multicast', 'ipv6', [['ff00::', 8]]],
	// IPv4-compatible (deprecated), discard-only, Teredo, documentation.
	['reserved', 'ipv6', [['::', 96], ['100::', 64], ['2001::', 32], ['2001:db8::', 32]]]
];

const LISTS: [AddressClass, BlockList][] = RANGES.map(([cls, family, ranges]) => {
	const list = new BlockList();
	for (const [address, prefix] of ranges) list.addSubnet(address, prefix, family);
	return [cls, list];
});

/** The 16 bytes of an IPv6 address (no zone), or null when it is not one. */
function ipv6Bytes(ip: string): number[] | null {
	if (isIP(ip) !== 6) return null;
	let text = ip;
	const tail: number[] = [];
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const parts = dotted[1].split('.').map(Number);
		tail.push((parts[0] << 8) | parts[1], (parts[2] << 8) | parts[3]);
		text = text.slice(0, -dotted[1].length) + '0:0';
	}
	const [head, rest] = text.split('::') as [string, string | undefined];
	const words = (s: string) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
	const front = words(head);
	const back = rest === undefined ? [] : words(rest);
	const groups = [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
	if (tail.length) groups.splice(6, 2, ...tail);
	return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIPv4(ip: string): string | null {
	const b = ipv6Bytes(ip);
	if (!b) return null;
	const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
	if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join('.');
	if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12).join('.');
	if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join('.');
	return null;
}

/**
 * What kind of address an IP address is ("public" for one on the internet). Accepts IPv6 with or without
 * brackets and with a zone (`fe80::1%eth0`); anything that is not an IP address is "reserved".
 */
export function classifyAddress(address: string): AddressClass {
	const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
	const family = isIP(ip);
	if (family === 0) return 'reserved';
	if (family === 6) {
		const inner = embeddedIPv4(ip);
		if (inner) return classifyAddress(inner);
	}
	const type = family === 4 ? 'ipv4' : 'ipv6';
	for (const [cls, list] of LISTS) if (list.check(ip, type)) return cls;
	return 'public';
}

/** Names that are the server's own or its network's by definition; a public receiver never has one. */
export function isLocalName(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.+$/, '');
	if (!name.includes('.')) return true; // "localhost", "metadata", or a name the server's search domains complete
	if (['metadata.google.internal', 'metadata.goog'].includes(name)) return true;
	return /\.(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(name);
}

export interface AddressPolicy {
	/** WEBHOOK_ALLOW_PRIVATE: http and addresses inside the server's network, for local testing. */
	allowPrivate: boolean;
}

/** Whether an address of this class may be sent to under the policy. Metadata services never are. */
export function addressAllowed(cls: AddressClass, policy: AddressPolicy): boolean {
	if (cls === 'public') return true;
	return policy.allowPrivate && cls !== 'metadata';
}

/** A name the metadata services are known by: refused even when private addresses are allowed. */
function isMetadataName(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.+$/, '');
	return name === 'metadata.google.internal' || name === 'metadata.goog' || name === 'metadata' || name === 'instance-data' || name.startsWith('instance-data.');
}

export const HTTPS_MESSAGE = 'Enter an https address, like https://crm.example.org/ips-webhooks: referrals must be encrypted on their way to the case system';
export const INSIDE_MESSAGE =
	"This address points inside the server's own network, where webhooks cannot be sent. Enter the case system's public https address, like https://crm.example.org/ips-webhooks. (To test with a receiver on this machine, start the portal and the command line with WEBHOOK_ALLOW_PRIVATE=true.)";
export const METADATA_MESSAGE =
	"This address points inside the server's own network, at a cloud metadata service, where webhooks are never sent. Enter the case system's public https address, like https://crm.example.org/ips-webhooks";

/** The host name could not be found: nothing could ever be delivered there. */
export function notFoundMessage(host: string): string {
	return `No address could be found for ${host}: check it is spelt correctly. Enter the case system's public https address, like https://crm.example.org/ips-webhooks`;
}

/** The look-up itself failed (no answer in time, a DNS server error): the name may be fine. */
export function lookupFailedMessage(host: string): string {
	return `${host} could not be looked up just now, so the address could not be checked. Try again in a few minutes`;
}

/** The host part of a URL as a bare name or address (IPv6 without brackets). */
export function bareHost(url: URL): string {
	return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why a receiver address may not be used, in words for the person who typed it; null when it may. Only
 * what the address itself says is checked (scheme, literal address, local names): what a name resolves
 * to is checked before every delivery.
 */
export function webhookUrlProblem(value: string, policy: AddressPolicy): string | null {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return HTTPS_MESSAGE;
	}
	if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) return HTTPS_MESSAGE;
	const host = bareHost(url);
	if (isIP(host)) return addressProblem(classifyAddress(host), policy);
	if (isMetadataName(host)) return METADATA_MESSAGE;
	if (!policy.allowPrivate && isLocalName(host)) return INSIDE_MESSAGE;
	return null;
}

function addressProblem(cls: AddressClass, policy: AddressPolicy): string | null {
	if (addressAllowed(cls, policy)) return null;
	return cls === 'metadata' ? METADATA_MESSAGE : INSIDE_MESSAGE;
}

/** Look-up errors that mean the name does not exist (rather than that the look-up could not be made). */
const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA', 'NXDOMAIN']);

/**
 * Why a receiver address that passed webhookUrlProblem may still not be used, after looking its name up
 * (as the deliverer will before every delivery): a name that does not resolve, or one that resolves to an
 * address inside the server's network. Null when every address it has may be sent to, or for a literal
 * address (already checked). `lookup` is node:dns/promises' own.
 */
export async function resolvedUrlProblem(
	value: string,
	policy: AddressPolicy,
	lookup: (host: string, options: { all: true; verbatim: true }) => Promise<{ address: string }[]>,
	timeoutMs = 5000
): Promise<string | null> {
	let host: string;
	try {
		host = bareHost(new URL(value));
	} catch {
		return null; // webhookUrlProblem has the words for an address that does not parse
	}
	if (isIP(host)) return null;
	let addresses: { address: string }[];
	let timer: NodeJS.Timeout | undefined;
	try {
		addresses = await Promise.race([
			lookup(host, { all: true, verbatim: true }),
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), timeoutMs);
			})
		]);
	} catch (error) {
		return NOT_FOUND_CODES.has((error as { code?: string }).code ?? '') ? notFoundMessage(host) : lookupFailedMessage(host);
	} finally {
		clearTimeout(timer);
	}
	if (!addresses.length) return notFoundMessage(host);
	for (const a of addresses) {
		const problem = addressProblem(classifyAddress(a.address), policy);
		if (problem) return problem;
	}
	return null;
}

/**
 * Why a host may not be looked up at all before a delivery; null when it may. Only metadata names are
 * refused by name here: every other name is judged by the addresses it resolves to.
 */
export function hostNameProblem(host: string): string | null {
	return isMetadataName(host) ? `${host} is a cloud metadata name` : null;
}
