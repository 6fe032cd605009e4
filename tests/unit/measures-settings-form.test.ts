/** The measures settings form: flags, thresholds, pacing and schedule read together; EQ-5D-5L only with the licence. */
import { describe, expect, it } from 'vitest';
import { readRaw } from '../../src/lib/domain/fields';
import { DEFAULT_PROGRAMME_MEASURES } from '../../src/lib/domain/measures/settings';
import { availableInstruments, measuresSettingsFields, measuresSettingsValues, parseMeasuresSettings } from '../../src/lib/domain/measures/settings-form';

const ROWS = DEFAULT_PROGRAMME_MEASURES.schedule.points.length + 2;

function post(values: Record<string, string | string[]>): URLSearchParams {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(values)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
	return params;
}

const defaults = () => measuresSettingsValues(DEFAULT_PROGRAMME_MEASURES, 3) as Record<string, string | string[]>;

describe('measures settings form', () => {
	it('reads the defaults back unchanged, with the version', () => {
		const raw = readRaw(measuresSettingsFields(false, ROWS), post(defaults()));
		const parsed = parseMeasuresSettings(raw, ROWS);
		expect(parsed).toEqual({ ok: true, version: 3, settings: { ...DEFAULT_PROGRAMME_MEASURES } });
	});

	it('offers EQ-5D-5L only with the licence', () => {
		expect(availableInstruments(false)).not.toContain('eq5d5l');
		expect(availableInstruments(true)).toContain('eq5d5l');
	});

	it('refuses EQ-5D-5L without the licence, beside that check-in, and accepts it with the licence', () => {
		const values = { ...defaults(), 'point-0-instruments': ['dialog', 'eq5d5l'] };
		const refused = parseMeasuresSettings(readRaw(measuresSettingsFields(true, ROWS), post(values)), ROWS);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.errors).toEqual({ 'point-0-instruments': expect.stringContaining('EQ-5D-5L needs a EuroQol licence') });
		const accepted = parseMeasuresSettings(readRaw(measuresSettingsFields(true, ROWS), post({ ...values, eq5d5lLicence: 'yes' })), ROWS);
		expect(accepted.ok && accepted.settings.schedule.points[0].instruments).toEqual(['dialog', 'eq5d5l']);
		expect(accepted.ok && accepted.settings.eq5d5lLicence).toBe(true);
	});

	it('turns the yes/no boxes off when unticked and refuses other values', () => {
		const values = defaults();
		delete values.hidePreviousRatings;
		const off = parseMeasuresSettings(readRaw(measuresSettingsFields(false, ROWS), post(values)), ROWS);
		expect(off.ok && off.settings.hidePreviousRatings).toBe(false);
		const odd = parseMeasuresSettings(readRaw(measuresSettingsFields(false, ROWS), post({ ...defaults(), healthDataInEvents: 'sure' })), ROWS);
		expect(odd.ok ? {} : odd.errors).toEqual({ healthDataInEvents: 'Tick the box or leave it empty' });
	});

	it('reads how many questionnaires are asked at once and the start spread, refusing numbers out of range beside their fields', () => {
		expect(defaults()).toMatchObject({ maxDueAtOnce: '2', startSpread: '1' });
		const changed = parseMeasuresSettings(readRaw(measuresSettingsFields(false, ROWS), post({ ...defaults(), maxDueAtOnce: '3', startSpread: '2' })), ROWS);
		expect(changed.ok && [changed.settings.maxDueAtOnce, changed.settings.startSpread]).toEqual([3, 2]);
		const wrong = parseMeasuresSettings(readRaw(measuresSettingsFields(false, ROWS), post({ ...defaults(), maxDueAtOnce: '0', startSpread: 'lots' })), ROWS);
		expect(wrong.ok ? {} : wrong.errors).toEqual({
			maxDueAtOnce: 'Most questionnaires asked at once must be a whole number from 1 to 7',
			startSpread: 'Meetings to spread the first check-in over must be a whole number from 1 to 6'
		});
		expect(!wrong.ok && wrong.raw.startSpread).toBe('lots');
	});

	it('keeps every typed value and reports each mistake by its field', () => {
		const values = { ...defaults(), 'meaningful-swemwbs': '99', 'point-1-label': 'Start', 'point-3-amount': 'soon' };
		const parsed = parseMeasuresSettings(readRaw(measuresSettingsFields(false, ROWS), post(values)), ROWS);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(Object.keys(parsed.errors).sort()).toEqual(['meaningful-swemwbs', 'point-1-label', 'point-3-amount', 'point-3-label', 'point-3-instruments'].sort());
		expect(parsed.raw['meaningful-swemwbs']).toBe('99');
		expect(parsed.raw['point-3-amount']).toBe('soon');
	});
});
