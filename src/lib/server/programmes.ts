import { eq, sql } from 'drizzle-orm';
import { programmeSchema, programmeSeedFileSchema, type Programme } from '$lib/domain/programme';
import { isSourceCode } from '$lib/domain/sources';
import seedFile from '../../../seed/programmes.json' with { type: 'json' };
import { getDb, type Db } from './db';
import { programme, referralLink } from './db/schema';
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

function toRow(p: Programme, seedVersion: number) {
	return {
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

export async function listProgrammes(db?: Db): Promise<Programme[]> {
	const rows = await (db ?? (await getDb())).select().from(programme).orderBy(programme.name);
	return rows.map(toProgramme);
}

export async function getProgramme(id: string): Promise<Programme | null> {
	const db = await getDb();
	const [row] = await db.select().from(programme).where(eq(programme.id, id));
	return row ? toProgramme(row) : null;
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
	log.info('demo programmes seeded', { version: file.version, programmes: file.programmes.length });
}
