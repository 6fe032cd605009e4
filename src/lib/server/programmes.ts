/**
 * Programmes: read for the checker and referrals, seeded from seed/programmes.json, and edited by admins
 * (every version kept in programme_revision, every change in the audit log).
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { RawValues } from '$lib/domain/fields';
import type { EditableProgramme } from '$lib/domain/programme-form';
import { programmeSchema, programmeSeedFileSchema, type Programme, type SeedProgramme } from '$lib/domain/programme';
import { readServiceSettings, type ServiceSettings } from '$lib/domain/service-hours';
import { recordAudit } from './audit';
import { isSourceCode } from '$lib/domain/sources';
import seedFile from '../../../seed/programmes.json' with { type: 'json' };
import { getDb, listenDb, whenDbCloses, type Db, type Tx } from './db';
import { programme, programmeRevision, referralLink, staff } from './db/schema';
import { log } from './log';

type ProgrammeRow = typeof programme.$inferSelect;

export function toProgramme(row: ProgrammeRow): Programme {
	return programmeSchema.parse({
		id: row.id,
		name: row.name,
		kind: row.kind,
		summary: row.summary,
		area: row.area,
		areaDescription: row.areaDescription,
		rules: row.rules,
		contactTargetWorkingDays: row.contactTargetWorkingDays,
		helpline: { phone: row.helplinePhone, hours: row.helplineHours },
		teamEmail: row.teamEmail,
		alternatives: row.alternatives
	});
}

function toRow(p: Programme | SeedProgramme, seedVersion: number) {
	return {
		...('service' in p && p.service ? { service: readServiceSettings(p.service) } : {}),
		id: p.id,
		name: p.name,
		kind: p.kind,
		summary: p.summary,
		area: p.area,
		areaDescription: p.areaDescription,
		rules: p.rules,
		contactTargetWorkingDays: p.contactTargetWorkingDays,
		helplinePhone: p.helpline.phone,
		helplineHours: p.helpline.hours,
		teamEmail: p.teamEmail,
		alternatives: p.alternatives,
		seedVersion,
		updatedAt: new Date()
	};
}

/**
 * Programmes change only when an admin saves one (or the seed or a command writes them), yet every public
 * page reads them: they are kept in memory, frozen, and dropped when the table changes. A trigger on the
 * table (migration 0009) sends NOTIFY programme_changed on commit of any write, which every instance
 * listens for (on PostgreSQL over a connection of its own, re-made after a break); the portal's own saves
 * also drop the copy at once, so the person who saved sees their change on the next page. A read that
 * began before a change does not keep its (older) rows.
 */
interface ProgrammeCache {
	list: readonly Programme[];
	byId: ReadonlyMap<string, Programme>;
	/** Opening hours, closed days and safety contacts, by programme id. */
	services: ReadonlyMap<string, ServiceSettings>;
}

let cache: ProgrammeCache | null = null;
let generation = 0;
let listening: Promise<boolean> | null = null;

/** Drops the programmes kept in memory; the next read loads them again. */
export function forgetProgrammes(): void {
	generation++;
	cache = null;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}

// A new connection listens afresh, and nothing kept from the old one is trusted.
whenDbCloses(() => {
	listening = null;
	forgetProgrammes();
});

/** True once this instance hears about changes; until then (or if listening failed) nothing is kept. */
function startListening(): Promise<boolean> {
	listening ??= listenDb('programme_changed', forgetProgrammes).then(
		() => true,
		(error) => {
			log.error('cannot listen for programme changes: programmes are read on every request', { error });
			listening = null;
			return false;
		}
	);
	return listening;
}

async function loadProgrammes(): Promise<ProgrammeCache> {
	if (cache) return cache;
	const canKeep = await startListening();
	const startedAt = generation;
	const rows = await (await getDb()).select().from(programme).orderBy(programme.name);
	const list = deepFreeze(rows.map(toProgramme));
	const services = new Map(rows.map((r) => [r.id, deepFreeze(readServiceSettings(r.service))]));
	const loaded: ProgrammeCache = { list, byId: new Map(list.map((p) => [p.id, p])), services };
	if (canKeep && startedAt === generation) cache = loaded;
	return loaded;
}

/** The programmes kept in memory, without asking the database (which may be down): empty when none are kept. */
export function keptProgrammes(): readonly Programme[] {
	return cache?.list ?? [];
}

/** Every programme, by name. The objects are shared and frozen: copy one before changing it. */
export async function listProgrammes(): Promise<readonly Programme[]> {
	return (await loadProgrammes()).list;
}

export async function getProgramme(id: string): Promise<Programme | null> {
	const found = (await loadProgrammes()).byId.get(id);
	if (found) return found;
	// Written since the copy was taken and not yet heard of: read it.
	const [row] = await (await getDb()).select().from(programme).where(eq(programme.id, id));
	return row ? toProgramme(row) : null;
}

/**
 * A programme's opening hours, closed days and safety settings (the defaults when it has none or is not
 * found). Frozen. Inside a transaction pass it as `conn`: on PGlite a query outside an open transaction
 * waits for it to end, so a cold copy is then read through the transaction itself.
 */
export async function getServiceSettings(id: string, conn?: Db | Tx): Promise<ServiceSettings> {
	const found = (conn ? cache : await loadProgrammes())?.services.get(id);
	if (found) return found;
	const [row] = await (conn ?? (await getDb())).select({ service: programme.service }).from(programme).where(eq(programme.id, id));
	return deepFreeze(readServiceSettings(row?.service ?? null));
}

/**
 * Writes the demo programmes and links from seed/programmes.json. Programmes are inserted, or updated when
 * the file's version is newer than the one they were written from; rows an admin edited are left alone.
 */
export async function seedProgrammes(input: unknown = seedFile): Promise<void> {
	const file = programmeSeedFileSchema.parse(input);
	const db = await getDb();
	await db.transaction(async (tx) => {
		// Several instances may start together on one PostgreSQL: seed one at a time.
		await tx.execute(sql`select pg_advisory_xact_lock(7215015)`);
		for (const p of file.programmes) {
			const [existing] = await tx.select({ seedVersion: programme.seedVersion }).from(programme).where(eq(programme.id, p.id));
			if (!existing) await tx.insert(programme).values(toRow(p, file.version));
			else if (existing.seedVersion !== null && existing.seedVersion < file.version)
				await tx.update(programme).set(toRow(p, file.version)).where(eq(programme.id, p.id));
		}
		for (const link of file.links) {
			if (!isSourceCode(link.sourceCode)) throw new Error(`Seed link ${link.code}: unknown source code "${link.sourceCode}"`);
			await tx
				.insert(referralLink)
				.values({ code: link.code, sourceCode: link.sourceCode, odsCode: link.odsCode ?? null, programmeId: link.programmeId ?? null, label: link.label })
				.onConflictDoNothing();
		}
	});
	forgetProgrammes();
	log.info('demo programmes seeded', { version: file.version, programmes: file.programmes.length });
}

export async function listProgrammesForAdmin() {
	const db = await getDb();
	return db
		.select({ id: programme.id, name: programme.name, kind: programme.kind, version: programme.version, updatedAt: programme.updatedAt, seedVersion: programme.seedVersion })
		.from(programme)
		.orderBy(asc(programme.name));
}

export async function getEditableProgramme(id: string): Promise<{ programme: EditableProgramme; version: number; seedVersion: number | null } | null> {
	const db = await getDb();
	const [row] = await db.select().from(programme).where(eq(programme.id, id));
	if (!row) return null;
	return { programme: { ...toProgramme(row), caseloadCap: row.caseloadCap, retentionYears: row.retentionYears }, version: row.version, seedVersion: row.seedVersion };
}

export async function listRevisions(programmeId: string) {
	const db = await getDb();
	return db
		.select({ version: programmeRevision.version, at: programmeRevision.at, staffName: staff.name, staffEmail: staff.email, data: programmeRevision.data })
		.from(programmeRevision)
		.leftJoin(staff, eq(staff.id, programmeRevision.staffId))
		.where(eq(programmeRevision.programmeId, programmeId))
		.orderBy(desc(programmeRevision.version));
}

/** Dotted names of the fields that differ, e.g. ["contactTargetWorkingDays", "rules.minAge"]. */
export function changedFields(before: EditableProgramme, after: EditableProgramme): string[] {
	const flat = (p: EditableProgramme): Record<string, unknown> => ({
		name: p.name,
		summary: p.summary,
		'area.postcodes': p.area.postcodes,
		'area.gpPractices': p.area.gpPractices,
		areaDescription: p.areaDescription,
		...Object.fromEntries(Object.entries(p.rules).map(([k, v]) => [`rules.${k}`, v])),
		contactTargetWorkingDays: p.contactTargetWorkingDays,
		caseloadCap: p.caseloadCap,
		retentionYears: p.retentionYears,
		'helpline.phone': p.helpline.phone,
		'helpline.hours': p.helpline.hours,
		teamEmail: p.teamEmail,
		alternatives: p.alternatives
	});
	const a = flat(before);
	const b = flat(after);
	return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export type UpdateResult =
	| { ok: true; version: number; changed: string[] }
	| { ok: false; reason: 'not-found' | 'stale'; currentVersion?: number };

/**
 * Saves an edited programme in one transaction: locks the row, refuses it if someone saved a newer
 * version since the form was opened, raises the version, clears seed_version (so a newer seed file no
 * longer overwrites it), keeps the new data in programme_revision and writes `programme.updated` to the
 * audit log with the changed fields. The version before the first admin edit is kept as a revision too.
 * Nothing is written when nothing changed.
 */
export async function updateProgramme(id: string, next: EditableProgramme, staffId: string, expectedVersion?: number): Promise<UpdateResult> {
	const db = await getDb();
	const result = await db.transaction(async (tx) => {
		const [row] = await tx.select().from(programme).where(eq(programme.id, id)).for('update');
		if (!row) return { ok: false, reason: 'not-found' } as const;
		if (expectedVersion !== undefined && row.version !== expectedVersion) return { ok: false, reason: 'stale', currentVersion: row.version } as const;
		const before: EditableProgramme = { ...toProgramme(row), caseloadCap: row.caseloadCap, retentionYears: row.retentionYears };
		const data: EditableProgramme = { ...next, id: row.id, kind: row.kind };
		const changed = changedFields(before, data);
		if (!changed.length) return { ok: true, version: row.version, changed } as const;
		const version = row.version + 1;
		await tx
			.insert(programmeRevision)
			.values({ programmeId: id, version: row.version, data: { ...before, booking: row.booking, seedVersion: row.seedVersion }, staffId: null, at: row.updatedAt })
			.onConflictDoNothing();
		await tx
			.update(programme)
			.set({
				name: data.name,
				summary: data.summary,
				area: data.area,
				areaDescription: data.areaDescription,
				rules: data.rules,
				contactTargetWorkingDays: data.contactTargetWorkingDays,
				caseloadCap: data.caseloadCap,
				retentionYears: data.retentionYears,
				helplinePhone: data.helpline.phone,
				helplineHours: data.helpline.hours,
				teamEmail: data.teamEmail,
				alternatives: data.alternatives,
				version,
				seedVersion: null,
				updatedAt: new Date()
			})
			.where(eq(programme.id, id));
		await tx.insert(programmeRevision).values({ programmeId: id, version, data: { ...data, booking: row.booking }, staffId });
		await recordAudit({ staffId, action: 'programme.updated', programmeId: id, detail: { version, changed } }, tx);
		return { ok: true, version, changed } as const;
	});
	if (result.ok && result.changed.length) forgetProgrammes();
	return result;
}

export type ProgrammeSettingResult =
	| { ok: true; version: number; changed: string[] }
	| { ok: false; notFound: true }
	| { ok: false; raw: RawValues; errors: Record<string, string> };

/**
 * Saves one settings column of a programme (`booking`, `measures`) the way programme edits are saved, in one
 * transaction: the row is locked, a version saved since the form was opened is refused (with the newer
 * version in `raw`, so a second save overwrites it knowingly), the version goes up, seed_version is cleared,
 * the version before and the new one are kept in programme_revision, and `programme.updated` is audited
 * with the changed fields. Nothing is written when nothing changed, unless `saveUnchanged` says so.
 */
export async function saveProgrammeSetting<K extends 'booking' | 'measures' | 'service' | 'outcomes'>(input: {
	programmeId: string;
	column: K;
	value: NonNullable<ProgrammeRow[K]>;
	expectedVersion: number | undefined;
	raw: RawValues;
	actorId: string;
	/** Dotted names of the fields that differ from the stored value (`booking.meetingMinutes`, ...). */
	changed: (row: ProgrammeRow) => string[];
	saveUnchanged?: (row: ProgrammeRow) => boolean;
	/** Other columns the revision rows carry besides the programme itself and this column. */
	alsoKept?: (row: ProgrammeRow) => Record<string, unknown>;
	/** More work in the same transaction once the new value is written (not when nothing changed). */
	afterSave?: (tx: Tx, before: ProgrammeRow) => Promise<void>;
}): Promise<ProgrammeSettingResult> {
	const { programmeId, column, value, actorId } = input;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(programme).where(eq(programme.id, programmeId)).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		if (input.expectedVersion !== undefined && row.version !== input.expectedVersion)
			return {
				ok: false,
				raw: { ...input.raw, version: String(row.version) },
				errors: {
					version: `Someone else saved version ${row.version} of this programme after you opened it. Check your changes below against theirs (open the programme in a new tab), then save again to replace it.`
				}
			} as const;
		const changed = input.changed(row);
		if (!changed.length && !input.saveUnchanged?.(row)) return { ok: true, version: row.version, changed } as const;
		const version = row.version + 1;
		const current = { ...toProgramme(row), caseloadCap: row.caseloadCap, ...input.alsoKept?.(row) };
		await tx
			.insert(programmeRevision)
			.values({ programmeId, version: row.version, data: { ...current, [column]: row[column], seedVersion: row.seedVersion }, staffId: null, at: row.updatedAt })
			.onConflictDoNothing();
		await tx
			.update(programme)
			.set({ [column]: value, version, seedVersion: null, updatedAt: new Date() })
			.where(eq(programme.id, programmeId));
		await tx.insert(programmeRevision).values({ programmeId, version, data: { ...current, [column]: value }, staffId: actorId });
		await recordAudit({ staffId: actorId, action: 'programme.updated', programmeId, detail: { version, changed } }, tx);
		await input.afterSave?.(tx, row);
		return { ok: true, version, changed } as const;
	}).then((result) => {
		if (result.ok && result.changed.length) forgetProgrammes();
		return result;
	});
}
