/**
 * A programme's measures settings as admins keep them (programme.measures): read for the admin page and
 * saved like the booking settings, with the programme's version raised, a programme_revision row and an
 * audit row naming what changed, all in one transaction.
 */
import { eq } from 'drizzle-orm';
import type { RawValues } from '$lib/domain/fields';
import { parseMeasuresSettings } from '$lib/domain/measures/settings-form';
import { readProgrammeMeasures, type ProgrammeMeasures } from '$lib/domain/measures/settings';
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { programme, programmeRevision } from '../db/schema';
import { toProgramme } from '../programmes';

const KEYS: (keyof ProgrammeMeasures)[] = ['hidePreviousRatings', 'schedule', 'meaningfulChange', 'eq5d5lLicence', 'healthDataInEvents'];

export async function measuresSettingsPage(programmeId: string) {
	const db = await getDb();
	const [row] = await db
		.select({ id: programme.id, name: programme.name, version: programme.version, measures: programme.measures })
		.from(programme)
		.where(eq(programme.id, programmeId));
	if (!row) return null;
	return { id: row.id, name: row.name, version: row.version, settings: readProgrammeMeasures(row.measures), custom: row.measures !== null };
}

export type SaveMeasuresResult =
	| { ok: true; version: number; changed: string[] }
	| { ok: false; notFound: true }
	| { ok: false; raw: RawValues; errors: Record<string, string> };

export async function saveMeasuresSettings(programmeId: string, raw: RawValues, rows: number, actorId: string): Promise<SaveMeasuresResult> {
	const parsed = parseMeasuresSettings(raw, rows);
	if (!parsed.ok) return parsed;
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(programme).where(eq(programme.id, programmeId)).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		if (parsed.version !== undefined && row.version !== parsed.version)
			return {
				ok: false,
				raw: { ...raw, version: String(row.version) },
				errors: {
					version: `Someone else saved version ${row.version} of this programme after you opened it. Check your changes below against theirs (open the programme in a new tab), then save again to replace it.`
				}
			} as const;
		const before = readProgrammeMeasures(row.measures);
		const settings = parsed.settings;
		const changed = KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k])).map((k) => `measures.${k}`);
		if (!changed.length && row.measures !== null) return { ok: true, version: row.version, changed } as const;
		const version = row.version + 1;
		const current = { ...toProgramme(row), caseloadCap: row.caseloadCap, booking: row.booking };
		await tx
			.insert(programmeRevision)
			.values({ programmeId, version: row.version, data: { ...current, measures: row.measures, seedVersion: row.seedVersion }, staffId: null, at: row.updatedAt })
			.onConflictDoNothing();
		await tx.update(programme).set({ measures: settings, version, seedVersion: null, updatedAt: new Date() }).where(eq(programme.id, programmeId));
		await tx.insert(programmeRevision).values({ programmeId, version, data: { ...current, measures: settings }, staffId: actorId });
		await recordAudit({ staffId: actorId, action: 'programme.updated', programmeId, detail: { version, changed } }, tx);
		return { ok: true, version, changed } as const;
	});
}
