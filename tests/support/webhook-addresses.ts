/**
 * Webhook addresses the portal must refuse, shared by the unit test of the address check
 * (tests/unit/webhook-address.test.ts) and the integration test of subscriptions and delivery
 * (tests/integration/webhook-addresses.test.ts).
 */

/** Addresses inside the server's network: loopback, private and link-local, in their odd spellings too. */
export const INSIDE_ADDRESSES = [
	'https://127.0.0.1/hooks',
	'https://[::1]/hooks',
	'https://0.0.0.0/hooks',
	'https://2130706433/hooks',
	'https://0x7f.1/hooks',
	'https://10.0.0.1/hooks',
	'https://[::ffff:127.0.0.1]/hooks',
	'https://[fe80::1]/hooks',
	'https://[fd00::1]/hooks',
	'https://localhost/hooks'
];

/** Cloud metadata services: refused even where private addresses are allowed. */
export const METADATA_ADDRESSES = ['https://169.254.169.254/latest/meta-data/', 'https://metadata.google.internal/computeMetadata/v1/'];
