/**
 * The admin form for a programme's measures settings (/staff/admin/programmes/<id>/measures): three
 * yes/no settings, the meaningful-change thresholds (progress.ts), how many questionnaires are asked at
 * once (pacing.ts) and the check-in schedule (schedule.ts), read and checked together. EQ-5D-5L is offered in the schedule only with the licence box.
 */
import { z } from 'zod';
import { validateRaw, type Field, type RawValues } from '../fields';
import type { InstrumentId } from './instrument';
import { pacingForm, pacingFormValues } from './pacing';
import { meaningfulChangeForm, meaningfulChangeFormValues } from './progress';
import { INSTRUMENT_IDS } from './registry';
import { scheduleForm, scheduleFormValues, scheduleRows, BLANK_POINT_ROWS } from './schedule';
import type { ProgrammeMeasures } from './settings';

export const MEASURE_FLAGS = ['hidePreviousRatings', 'eq5d5lLicence', 'healthDataInEvents'] as const;
export type MeasureFlag = (typeof MEASURE_FLAGS)[number];

const FLAG_FIELDS: Record<MeasureFlag, Field> = {
	hidePreviousRatings: {
		kind: 'checkboxes',
		name: 'hidePreviousRatings',
		label: 'Earlier DIALOG+ ratings',
		options: [
			{
				value: 'yes',
				label: 'Hide previous ratings while rating',
				hint: 'People re-rate without seeing their earlier scores, and see the comparison after sending.'
			}
		]
	},
	eq5d5lLicence: {
		kind: 'checkboxes',
		name: 'eq5d5lLicence',
		label: 'EQ-5D-5L',
		options: [
			{
				value: 'yes',
				label: 'We hold a EuroQol licence for EQ-5D-5L',
				hint: 'Only then can EQ-5D-5L be part of the schedule. After ticking this, save, and EQ-5D-5L appears in the list of questionnaires.'
			}
		]
	},
	healthDataInEvents: {
		kind: 'checkboxes',
		name: 'healthDataInEvents',
		label: 'Scores in webhooks and the API',
		options: [
			{
				value: 'yes',
				label: 'Send scores to our case system in checkin.completed',
				hint: 'Left unticked, the event carries only a link, and the case system fetches the check-in with an API key.'
			}
		]
	}
};

/** The questionnaires a programme may put in its schedule: EQ-5D-5L only with a licence. */
export function availableInstruments(licence: boolean): InstrumentId[] {
	return INSTRUMENT_IDS.filter((id) => licence || id !== 'eq5d5l');
}

/** Every field of the page, in order: version, yes/no settings, thresholds, pacing, then the schedule rows. */
export function measuresSettingsFields(licence: boolean, rows: number): Field[] {
	return [
		{ kind: 'hidden', name: 'version' },
		...MEASURE_FLAGS.map((f) => FLAG_FIELDS[f]),
		...meaningfulChangeForm.fields,
		...pacingForm.fields,
		...scheduleForm(availableInstruments(licence), rows).fields
	];
}

export const FLAG_FIELD_LIST: readonly Field[] = MEASURE_FLAGS.map((f) => FLAG_FIELDS[f]);
export const THRESHOLD_FIELDS: readonly Field[] = meaningfulChangeForm.fields;
export const PACING_FIELD_LIST: readonly Field[] = pacingForm.fields;

export function measuresSettingsValues(measures: ProgrammeMeasures, version: number): RawValues {
	const values: RawValues = { version: String(version) };
	for (const f of MEASURE_FLAGS) values[f] = measures[f] ? ['yes'] : [];
	return {
		...values,
		...meaningfulChangeFormValues(measures.meaningfulChange),
		...pacingFormValues(measures),
		...scheduleFormValues(measures.schedule)
	};
}

/** Whether a posted yes/no box was ticked. */
function ticked(raw: RawValues, name: string): boolean {
	const v = raw[name];
	return Array.isArray(v) && v.length === 1 && v[0] === 'yes';
}

export type MeasuresSettingsResult =
	| { ok: true; settings: ProgrammeMeasures; version: number | undefined }
	| { ok: false; raw: RawValues; errors: Record<string, string> };

/** The rows a post offered (its hidden pointRows), so every row typed is read back. */
export function postedRows(form: FormData | URLSearchParams): number {
	return scheduleRows(form) || BLANK_POINT_ROWS;
}

/** Checks a posted form; errors are keyed by field name, so each shows beside its field. */
export function parseMeasuresSettings(raw: RawValues, rows: number): MeasuresSettingsResult {
	const errors: Record<string, string> = {};
	for (const f of MEASURE_FLAGS) {
		const v = raw[f];
		if (Array.isArray(v) && v.some((x) => x !== 'yes')) errors[f] = 'Tick the box or leave it empty';
	}
	const licence = ticked(raw, 'eq5d5lLicence');
	const thresholds = validateRaw(meaningfulChangeForm, raw);
	if (!thresholds.ok) Object.assign(errors, thresholds.errors);
	const pacing = validateRaw(pacingForm, raw);
	if (!pacing.ok) Object.assign(errors, pacing.errors);
	const scheduleDef = scheduleForm(availableInstruments(true), rows);
	const schedule = validateRaw(scheduleDef, raw);
	if (!schedule.ok) Object.assign(errors, schedule.errors);
	// EQ-5D-5L chosen without the licence: say so beside that check-in's questionnaires.
	for (let i = 0; i < rows; i++) {
		const name = `point-${i}-instruments`;
		const list = raw[name];
		if (!licence && Array.isArray(list) && list.includes('eq5d5l') && !errors[name])
			errors[name] = `EQ-5D-5L needs a EuroQol licence: untick it for check-in ${i + 1}, or tick "We hold a EuroQol licence for EQ-5D-5L"`;
	}
	const versionText = typeof raw.version === 'string' ? raw.version.trim() : '';
	const version = z.string().regex(/^\d{1,9}$/).safeParse(versionText).success ? Number(versionText) : undefined;
	if (Object.keys(errors).length || !thresholds.ok || !pacing.ok || !schedule.ok) return { ok: false, raw, errors };
	return {
		ok: true,
		version,
		settings: {
			hidePreviousRatings: ticked(raw, 'hidePreviousRatings'),
			eq5d5lLicence: licence,
			healthDataInEvents: ticked(raw, 'healthDataInEvents'),
			meaningfulChange: thresholds.values,
			maxDueAtOnce: pacing.values.maxDueAtOnce,
			startSpread: pacing.values.startSpread,
			schedule: schedule.values
		}
	};
}
