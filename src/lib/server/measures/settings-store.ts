/**
 * A programme's measures settings as admins keep them (programme.measures): read for the admin page and
 * saved like the booking settings, with the programme's version raised, a programme_revision row and an
 * audit row naming what changed, all in one transaction.
 */
import { eq } from 'drizzle-orm';
import type { RawValues } from '$lib/domain/fields';
import { parseMeasuresSettings } from '$lib/domain/measures/settings-form';
import { readProgrammeMeasures, type ProgrammeMeasures } from '$lib/domain/measures/settings';
import { getDb } from '../db';
import { programme } from '../db/schema';
import { saveProgrammeSetting, type ProgrammeSettingResult } from '../programmes';

const KEYS: (keyof ProgrammeMeasures)[] = ['hidePreviousRatings', 'schedule', 'maxDueAtOnce', 'startSpread', 'meaningfulChange', 'eq5d5lLicence', 'healthDataInEvents'];

export async function measuresSettingsPage(programmeId: string) {
	const db = await getDb();
	const [row] = await db
		.select({ id: programme.id, name: programme.name, version: programme.version, measures: programme.measures })
		.from(programme)
		.where(eq(programme.id, programmeId));
	if (!row) return null;
	return { id: row.id, name: row.name, version: row.version, settings: readProgrammeMeasures(row.measures), custom: row.measures !== null };
}

export type SaveMeasuresResult = ProgrammeSettingResult;

export async function saveMeasuresSettings(programmeId: string, raw: RawValues, rows: number, actorId: string): Promise<SaveMeasuresResult> {
	const parsed = parseMeasuresSettings(raw, rows);
	if (!parsed.ok) return parsed;
	const settings = parsed.settings;
	return saveProgrammeSetting({
		programmeId,
		column: 'measures',
		value: settings,
		expectedVersion: parsed.version,
		raw,
		actorId,
		changed: (row) => {
			const before = readProgrammeMeasures(row.measures);
			return KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k])).map((k) => `measures.${k}`);
		},
		// The defaults are written down the first time, so the programme keeps them if the defaults change.
		saveUnchanged: (row) => row.measures === null,
		alsoKept: (row) => ({ booking: row.booking })
	});
}
