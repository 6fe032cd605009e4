/**
 * A programme's job outcome settings (programme.outcomes: the sustainment points), read for the admin page
 * and saved like the other programme settings: the version raised, a programme_revision row and an audit
 * row naming what changed, in one transaction. Reminders and the staff jobs page read the points from then on;
 * points already recorded stay.
 */
import { eq } from 'drizzle-orm';
import { validateRaw, type RawValues } from '$lib/domain/fields';
import { outcomeSettingsForm, readOutcomeSettings, type OutcomeSettings } from '$lib/domain/jobs';
import { getDb } from '../db';
import { programme } from '../db/schema';
import { saveProgrammeSetting, type ProgrammeSettingResult } from '../programmes';

export async function outcomeSettingsPage(programmeId: string) {
	const db = await getDb();
	const [row] = await db.select({ id: programme.id, name: programme.name, version: programme.version, outcomes: programme.outcomes }).from(programme).where(eq(programme.id, programmeId));
	if (!row) return null;
	return { id: row.id, name: row.name, version: row.version, settings: readOutcomeSettings(row.outcomes), custom: row.outcomes !== null };
}

export async function saveOutcomeSettings(programmeId: string, raw: RawValues, actorId: string): Promise<ProgrammeSettingResult> {
	const parsed = validateRaw(outcomeSettingsForm, raw);
	if (!parsed.ok) return parsed;
	const settings: OutcomeSettings = { sustainmentWeeks: parsed.values.sustainmentWeeks };
	return saveProgrammeSetting({
		programmeId,
		column: 'outcomes',
		value: settings,
		expectedVersion: parsed.values.version,
		raw,
		actorId,
		changed: (row) => (JSON.stringify(readOutcomeSettings(row.outcomes).sustainmentWeeks) === JSON.stringify(settings.sustainmentWeeks) ? [] : ['outcomes.sustainmentWeeks']),
		// The defaults are written down the first time, so the programme keeps them if the defaults change.
		saveUnchanged: (row) => row.outcomes === null
	});
}
