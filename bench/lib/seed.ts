/**
 * Data the benchmark needs, written straight into the portal's database (the same tables the portal
 * uses): copies of a draft that is ready to send, copies of a referral for the staff inbox, a signed-in
 * staff session and API keys. Copies are made in SQL from rows the portal itself wrote over HTTP, so
 * they have exactly the shape the portal expects.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export const token = () => encodeBase32LowerCaseNoPadding(randomBytes(20));
export const hash = (t: string) => createHash('sha256').update(t).digest('hex');

const ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

export async function openDb(target: { dataDir?: string; databaseUrl?: string }): Promise<{ query: Query; close: () => Promise<void> }> {
	if (target.databaseUrl) {
		const { default: postgres } = await import('postgres');
		const sql = postgres(target.databaseUrl, { max: 2, onnotice: () => {} });
		return { query: (text, params = []) => sql.unsafe(text, params as never[]) as unknown as Promise<Record<string, unknown>[]>, close: () => sql.end({ timeout: 5 }) };
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create({ dataDir: target.dataDir });
	return { query: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows, close: () => db.close() };
}

async function columns(query: Query, table: string, except: string[]): Promise<string[]> {
	const rows = await query(`select column_name from information_schema.columns where table_name = $1 and table_schema = current_schema() order by ordinal_position`, [table]);
	return rows.map((r) => String(r.column_name)).filter((c) => !except.includes(c));
}

/** `n` copies of the draft behind `draftToken`, each with its own browser token; returns the tokens. */
export async function cloneDrafts(query: Query, draftToken: string, n: number): Promise<string[]> {
	const tokens = Array.from({ length: n }, token);
	const cols = await columns(query, 'draft', ['id', 'token_hash', 'resume_token_hash', 'resume_token_expires_at']);
	const list = cols.map((c) => `"${c}"`).join(', ');
	const from = cols.map((c) => `d."${c}"`).join(', ');
	for (let i = 0; i < n; i += 2000) {
		const hashes = tokens.slice(i, i + 2000).map(hash);
		await query(`insert into draft (token_hash, ${list}) select h, ${from} from draft d, unnest($1::text[]) as h where d.token_hash = $2`, [hashes, hash(draftToken)]);
	}
	return tokens;
}

/** `n` copies of the referral `reference`, each with its own reference and draft id, spread over a month. */
export async function cloneReferrals(query: Query, reference: string, n: number): Promise<void> {
	const [template] = await query(`select id, reference from referral where reference = $1 or reference = $2`, [reference, reference.replace('-', '')]);
	if (!template) throw new Error(`no referral ${reference}`);
	const dash = String(template.reference).includes('-');
	const taken = new Set<string>();
	const refs: string[] = [];
	while (refs.length < n) {
		const chars = Array.from(randomBytes(8), (b) => ALPHABET[b % ALPHABET.length]).join('');
		const ref = dash ? `${chars.slice(0, 4)}-${chars.slice(4)}` : chars;
		if (!taken.has(ref)) taken.add(ref), refs.push(ref);
	}
	const cols = await columns(query, 'referral', ['id', 'reference', 'draft_id', 'submitted_at', 'status_changed_at']);
	const list = cols.map((c) => `"${c}"`).join(', ');
	const from = cols.map((c) => `r."${c}"`).join(', ');
	for (let i = 0; i < n; i += 2000) {
		await query(
			`insert into referral (reference, draft_id, submitted_at, status_changed_at, ${list})
			 select x.ref, gen_random_uuid(), now() - (x.i || ' minutes')::interval * 4, now() - (x.i || ' minutes')::interval * 4, ${from}
			 from referral r, unnest($1::text[]) with ordinality as x(ref, i) where r.id = $2`,
			[refs.slice(i, i + 2000), template.id]
		);
	}
	// What autovacuum does to a table soon after a bulk insert (statistics, and the visibility map that lets
	// the inbox's counts read only an index); the measurement should not depend on whether it has run yet.
	await query('vacuum analyze referral');
}

/** A signed-in (authenticator code accepted) staff session; returns the cookie token. */
export async function staffSession(query: Query, email: string): Promise<string> {
	const t = token();
	const rows = await query(
		`insert into session (id, staff_id, mfa_verified_at, expires_at) select $1, id, now(), now() + interval '8 hours' from staff where email = $2 returning id`,
		[hash(t), email]
	);
	if (!rows.length) throw new Error(`no staff member ${email}`);
	return t;
}

/** API keys for programmes (several, so the per-key rate limit of the pull API is not what is measured). */
export async function apiKeys(query: Query, n: number, programmeIds: string[]): Promise<string[]> {
	const keys = Array.from({ length: n }, () => `ips_${token()}`);
	for (const [i, key] of keys.entries())
		await query(`insert into api_key (name, prefix, key_hash, programme_ids) values ($1, $2, $3, $4::jsonb)`, [`bench ${i}`, key.slice(0, 12), hash(key), JSON.stringify(programmeIds)]);
	return keys;
}

export async function count(query: Query, sql: string, params: unknown[] = []): Promise<number> {
	const [row] = await query(sql, params);
	return Number(Object.values(row)[0]);
}
