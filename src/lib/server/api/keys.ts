/**
 * API keys for the pull API (docs/api.md). A key is "ips_" followed by 32 random base32 characters (160
 * bits). It is shown once, when it is made; only its SHA-256 and its first 12 characters (the prefix, to
 * tell keys apart) are stored. A key covers the programmes it was made for and nothing else, and can be
 * revoked; every request sends it as `Authorization: Bearer <key>`.
 */
import { DATA_SCOPES, readScopes, type DataScope } from '../events/minimise';
import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { COMMAND_LINE, recordAudit, type Actor } from '../audit';
import { getDb, type Tx } from '../db';
import { apiKey, programme } from '../db/schema';
import { generateToken, hashToken } from '../tokens';
import { API_BAD_KEY_LIMIT, apiError, rateLimited } from './errors';

export const API_KEY_PREFIX = 'ips_';
const KEY_PATTERN = /^ips_[a-z2-7]{32}$/;
const PREFIX_LENGTH = 12;
/** last_used_at is written at most this often per key, so busy clients do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What a request authenticated with an API key may act as. */
export interface ApiKeyPrincipal {
	id: string;
	name: string;
	prefix: string;
	programmeIds: string[];
	/** read-only keys may not change anything (403 read_only_key). */
	access: ApiKeyAccess;
	/** Beyond the core: "health", "equality" (events/minimise.ts). */
	dataScopes: DataScope[];
}

export const API_KEY_ACCESS = ['read-write', 'read-only'] as const;
export type ApiKeyAccess = (typeof API_KEY_ACCESS)[number];

export interface ApiKeySummary extends ApiKeyPrincipal {
	revokedAt: Date | null;
	lastUsedAt: Date | null;
	createdAt: Date;
}


export type CreateKeyResult =
	| { ok: true; key: string; apiKey: ApiKeySummary }
	| { ok: false; errors: Partial<Record<'name' | 'programmeIds' | 'dataScopes', string>> };

function summary(row: typeof apiKey.$inferSelect): ApiKeySummary {
	return {
		id: row.id,
		name: row.name,
		prefix: row.prefix,
		programmeIds: [...row.programmeIds],
		access: row.access,
		dataScopes: readScopes(row.dataScopes),
		revokedAt: row.revokedAt,
		lastUsedAt: row.lastUsedAt,
		createdAt: row.createdAt
	};
}

/** Makes a key for the programmes given. The key itself is returned here and never again. */
export async function createApiKey(
	input: { name: string; programmeIds: string[]; access?: ApiKeyAccess; dataScopes?: string[] },
	actor: Actor = COMMAND_LINE
): Promise<CreateKeyResult> {
	const access: ApiKeyAccess = input.access ?? 'read-write';
	const dataScopes = readScopes(input.dataScopes ?? []);
	const name = input.name.trim();
	const programmeIds = [...new Set(input.programmeIds.map((p) => p.trim()).filter(Boolean))];
	const errors: Partial<Record<'name' | 'programmeIds' | 'dataScopes', string>> = {};
	const unknownScopes = (input.dataScopes ?? []).filter((s) => !(DATA_SCOPES as readonly string[]).includes(s));
	if (unknownScopes.length) errors.dataScopes = `There is no data scope ${unknownScopes.join(', ')}. Give health, equality or both (the referral and contact details always go)`;
	if (!name) errors.name = 'Enter a name for the key, like the case system that will use it';
	else if (name.length > 100) errors.name = 'The name must be 100 characters or fewer';
	const db = await getDb();
	if (!programmeIds.length) errors.programmeIds = 'Name at least one programme the key covers';
	else {
		const found = await db.select({ id: programme.id }).from(programme).where(inArray(programme.id, programmeIds));
		const unknown = programmeIds.filter((id) => !found.some((f) => f.id === id));
		if (unknown.length) errors.programmeIds = `No programme with the id ${unknown.join(', ')}`;
	}
	if (Object.keys(errors).length) return { ok: false, errors };

	const key = `${API_KEY_PREFIX}${generateToken()}`;
	const row = await db.transaction(async (tx) => {
		const [created] = await tx.insert(apiKey).values({ name, prefix: key.slice(0, PREFIX_LENGTH), keyHash: hashToken(key), programmeIds, access, dataScopes }).returning();
		await recordAudit(
			{ actor, action: 'api_key.created', detail: { apiKeyId: created.id, name, prefix: created.prefix, programmeIds, access, dataScopes } },
			tx
		);
		return created;
	});
	return { ok: true, key, apiKey: summary(row) };
}

export type RevokeResult = { ok: true; apiKey: ApiKeySummary } | { ok: false; reason: 'not-found' | 'ambiguous' | 'already-revoked' };

/**
 * Revokes a key, named by the 12-character prefix printed when it was made (e.g. "ips_k3m9x2ab"), its id,
 * or the whole key. A shorter prefix is not accepted, so a typo cannot revoke the wrong key.
 */
export async function revokeApiKey(prefixOrId: string, actor: Actor = COMMAND_LINE, now = new Date()): Promise<RevokeResult> {
	const db = await getDb();
	const value = prefixOrId.trim();
	const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
	const isKey = KEY_PATTERN.test(value);
	const isPrefix = value.length === PREFIX_LENGTH && value.startsWith(API_KEY_PREFIX);
	if (!isId && !isKey && !isPrefix) return { ok: false, reason: 'not-found' };
	return db.transaction(async (tx: Tx) => {
		const rows = await tx
			.select()
			.from(apiKey)
			.where(isId ? eq(apiKey.id, value.toLowerCase()) : isKey ? eq(apiKey.keyHash, hashToken(value)) : eq(apiKey.prefix, value))
			.for('update');
		if (!rows.length) return { ok: false, reason: 'not-found' } as const;
		if (rows.length > 1) return { ok: false, reason: 'ambiguous' } as const;
		const [row] = rows;
		if (row.revokedAt) return { ok: false, reason: 'already-revoked' } as const;
		const [updated] = await tx.update(apiKey).set({ revokedAt: now }).where(eq(apiKey.id, row.id)).returning();
		await recordAudit({ actor, action: 'api_key.revoked', detail: { apiKeyId: row.id, name: row.name, prefix: row.prefix } }, tx);
		return { ok: true, apiKey: summary(updated) } as const;
	});
}

export async function listApiKeys(): Promise<ApiKeySummary[]> {
	const db = await getDb();
	return (await db.select().from(apiKey).orderBy(asc(apiKey.createdAt), asc(apiKey.id))).map(summary);
}

export type AuthResult = { ok: true; key: ApiKeyPrincipal } | { ok: false; response: Response };

/**
 * The first thing every /api/v1 handler does. Reads `Authorization: Bearer <key>` and answers with a JSON
 * error when it is missing (401 unauthorized), not a key the portal made (401 invalid_key) or revoked
 * (401 revoked_key), or when the key or the client address sends too many requests (429 rate_limited).
 */
export async function authenticate(request: Request, clientAddress = 'unknown', now = new Date()): Promise<AuthResult> {
	const header = request.headers.get('authorization');
	if (!header) return { ok: false, response: apiError('unauthorized', 'Send your API key in the Authorization header: "Authorization: Bearer <key>"') };
	const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
	if (!match) return { ok: false, response: apiError('unauthorized', 'The Authorization header must be "Bearer <key>"') };
	const token = match[1];

	const db = await getDb();
	const [row] = KEY_PATTERN.test(token) ? await db.select().from(apiKey).where(eq(apiKey.keyHash, hashToken(token))) : [];
	if (!row || row.revokedAt) {
		// Wrong keys are counted per client address, to slow anyone trying keys.
		const limited = await rateLimited(`api-bad-key:${clientAddress}`, API_BAD_KEY_LIMIT);
		if (limited) return { ok: false, response: limited };
		if (!row) return { ok: false, response: apiError('invalid_key', 'This API key is not valid') };
		return { ok: false, response: apiError('revoked_key', 'This API key was revoked') };
	}
	const limited = await rateLimited(`api-key:${row.id}`);
	if (limited) return { ok: false, response: limited };

	const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
	await db
		.update(apiKey)
		.set({ lastUsedAt: now })
		.where(and(eq(apiKey.id, row.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, stale))));
	return { ok: true, key: { id: row.id, name: row.name, prefix: row.prefix, programmeIds: [...row.programmeIds], access: row.access, dataScopes: readScopes(row.dataScopes) } };
}

/**
 * Null when the key covers the referral's programme, else exactly the answer for a reference that does not
 * exist (404 not_found), so a key cannot learn which references exist in other programmes.
 */
export function programmeRefusal(key: ApiKeyPrincipal, programmeId: string): Response | null {
	return key.programmeIds.includes(programmeId) ? null : apiError('not_found', 'No referral has this reference');
}
