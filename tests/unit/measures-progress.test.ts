import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { validateRaw, type FormDefinition, type RawValues } from '../../src/lib/domain/fields';
import { formatDate } from '../../src/lib/domain/uk-time';
import {
	CHARTED_INSTRUMENTS,
	DEFAULT_CONCERN_SETTINGS,
	DEFAULT_MEANINGFUL_CHANGE,
	DEFAULT_SCHEDULE,
	DIALOG_AREAS,
	INSTRUMENTS,
	NO_SCORE,
	SCORE_LINES,
	addMonthsIso,
	agreedActionsForm,
	areaFormValues,
	changeCategory,
	changeWords,
	checkInScheduleSchema,
	chooseAreasForm,
	compareRatings,
	countChanges,
	dialog,
	dialogAnswers,
	dialogArea,
	dialogAreaProgress,
	DID_NOT_APPLY,
	MEASURE_NAMES,
	NOT_ASKED,
	dialogAreaForm,
	dueCheckIns,
	dueDateOf,
	fallingTrend,
	formatScore,
	isComplete,
	lineValues,
	meaningfulChangeForm,
	meaningfulChangeFormValues,
	measureProgress,
	theirSentence,
	needsCrisisHelp,
	nextAreaToRate,
	openCheckIns,
	phq9,
	pointIdFor,
	previousRatingHint,
	progressByMeasure,
	providerReport,
	readMeaningfulChange,
	readSchedule,
	scheduleForm,
	scheduleFormValues,
	scheduleRows,
	scheduledCheckIns,
	scoreDialogRatings,
	scoreLines,
	sharesOf,
	swemwbs,
	wellbeingConcern,
	type AreaAnswer,
	type ChartedInstrument,
	type CheckInSchedule,
	type CompletedCheckIn,
	type DialogRatings,
	type DialogResult,
	type InstrumentId,
	type ScoredCheckIn
} from '../../src/lib/domain/measures';

// ---- helpers ----------------------------------------------------------------------------------------

/** Noon UTC: the same calendar day in the UK all year. */
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

function dialogAt(iso: string, lifeMean: number | null, treatmentMean: number | null = 5): ScoredCheckIn {
	const result: DialogResult = { lifeMean, treatmentMean, lifeAnswered: lifeMean === null ? 0 : 8, treatmentAnswered: treatmentMean === null ? 0 : 3 };
	return { instrument: 'dialog', at: at(iso), result };
}
const gad7At = (iso: string, total: number): ScoredCheckIn => ({ instrument: 'gad7', at: at(iso), result: { total, band: 'mild' } });
const phq9At = (iso: string, total: number): ScoredCheckIn => ({ instrument: 'phq9', at: at(iso), result: { total, band: 'mild', item9Alert: false } });
/** A SWEMWBS check-in scored by the registry from a raw total (answers piled up front). */
function swemwbsAt(iso: string, raw: number): ScoredCheckIn {
	let left = raw - 7;
	const answers = Array.from({ length: 7 }, () => {
		const extra = Math.min(4, left);
		left -= extra;
		return 1 + extra;
	});
	const result = swemwbs.score(answers);
	if (result.raw !== raw) throw new Error(`SWEMWBS answers for ${raw} add up to ${result.raw}`);
	return { instrument: 'swemwbs', at: at(iso), result };
}
const ons4At = (iso: string, scores: [number, number, number, number]): ScoredCheckIn => ({
	instrument: 'ons4',
	at: at(iso),
	result: INSTRUMENTS.ons4.score(scores)
});

function parse<T>(form: FormDefinition, raw: RawValues): { ok: true; values: T } | { ok: false; errors: Record<string, string> } {
	const result = validateRaw(form, raw);
	return result.ok ? { ok: true, values: result.values as T } : { ok: false, errors: result.errors };
}

function errorsOf(form: FormDefinition, raw: RawValues): Record<string, string> {
	const result = parse(form, raw);
	if (result.ok) throw new Error('expected the form to be refused');
	return result.errors;
}

// ---- schedules ------------------------------------------------------------------------------------

describe('check-in schedules', () => {
	it('adds calendar months as people count them, ending on the last day of a short month', () => {
		expect(addMonthsIso('2027-03-12', 3)).toBe('2027-06-12');
		expect(addMonthsIso('2027-01-31', 1)).toBe('2027-02-28');
		expect(addMonthsIso('2028-01-31', 1)).toBe('2028-02-29');
		expect(addMonthsIso('2027-11-30', 3)).toBe('2028-02-29');
		expect(addMonthsIso('2027-10-15', 12)).toBe('2028-10-15');
		expect(addMonthsIso('2027-08-31', 0)).toBe('2027-08-31');
	});

	it('counts days, weeks and months from the start date', () => {
		expect(dueDateOf({ offset: { amount: 0, unit: 'days' } }, '2027-03-12')).toBe('2027-03-12');
		expect(dueDateOf({ offset: { amount: 10, unit: 'days' } }, '2027-03-25')).toBe('2027-04-04');
		expect(dueDateOf({ offset: { amount: 4, unit: 'weeks' } }, '2027-03-12')).toBe('2027-04-09');
		expect(dueDateOf({ offset: { amount: 12, unit: 'months' } }, '2027-03-12')).toBe('2028-03-12');
	});

	it('by default asks DIALOG, SWEMWBS and ONS4 at the start, after 3 months and after 6 months', () => {
		expect(checkInScheduleSchema.safeParse(DEFAULT_SCHEDULE).success).toBe(true);
		const all = scheduledCheckIns(DEFAULT_SCHEDULE, '2027-03-12', [], '2027-03-12');
		expect(all.map((c) => `${c.pointLabel} ${c.instrument} ${c.dueDateText}`)).toEqual([
			'Start dialog 12 March 2027',
			'Start swemwbs 12 March 2027',
			'Start ons4 12 March 2027',
			'3 months dialog 12 June 2027',
			'3 months swemwbs 12 June 2027',
			'3 months ons4 12 June 2027',
			'6 months dialog 12 September 2027',
			'6 months swemwbs 12 September 2027',
			'6 months ons4 12 September 2027'
		]);
		expect(all[0]).toMatchObject({ instrumentTitle: 'DIALOG', opensOn: '2027-03-12', closesOn: '2027-03-26', closesOnText: '26 March 2027' });
		expect(all[3]).toMatchObject({ opensOn: '2027-05-29', closesOn: '2027-06-26', opensOnText: '29 May 2027' });
	});

	it('moves each check-in from upcoming to due, overdue and missed, and done once completed', () => {
		const start = '2027-03-12';
		const status = (today: string, completed: CompletedCheckIn[] = []) =>
			scheduledCheckIns(DEFAULT_SCHEDULE, start, completed, today)
				.filter((c) => c.instrument === 'dialog')
				.map((c) => c.status);
		// The start check-in never opens before the start date, even with a window.
		expect(status('2027-03-11')).toEqual(['upcoming', 'upcoming', 'upcoming']);
		expect(status('2027-03-12')).toEqual(['due', 'upcoming', 'upcoming']);
		expect(status('2027-03-26')).toEqual(['due', 'upcoming', 'upcoming']);
		expect(status('2027-03-27')).toEqual(['overdue', 'upcoming', 'upcoming']);
		// Once the 3-month check-in opens, the start one is missed: asking both at once would confuse.
		expect(status('2027-05-28')).toEqual(['overdue', 'upcoming', 'upcoming']);
		expect(status('2027-05-29')).toEqual(['missed', 'due', 'upcoming']);
		expect(status('2027-06-26')).toEqual(['missed', 'due', 'upcoming']);
		// The last one stays overdue: there is no later check-in to replace it.
		expect(status('2028-01-01')).toEqual(['missed', 'missed', 'overdue']);
		const done: CompletedCheckIn[] = [{ pointId: 'start', instrument: 'dialog', at: at('2027-03-20') }];
		expect(status('2027-05-29', done)).toEqual(['done', 'due', 'upcoming']);
	});

	it('lists only the check-ins still to do, by due date, and matches completions per questionnaire', () => {
		const completed: CompletedCheckIn[] = [
			{ pointId: 'start', instrument: 'dialog', at: at('2027-03-12') },
			{ pointId: 'start', instrument: 'ons4', at: at('2027-03-12') },
			{ pointId: 'gone', instrument: 'swemwbs', at: at('2027-03-12') }
		];
		const due = dueCheckIns(DEFAULT_SCHEDULE, '2027-03-12', completed, '2027-03-13');
		expect(due.map((c) => `${c.pointId} ${c.instrument} ${c.status}`)).toEqual([
			'start swemwbs due',
			'3-months dialog upcoming',
			'3-months swemwbs upcoming',
			'3-months ons4 upcoming',
			'6-months dialog upcoming',
			'6-months swemwbs upcoming',
			'6-months ons4 upcoming'
		]);
		expect(openCheckIns(due).map((c) => c.instrument)).toEqual(['swemwbs']);
	});

	it('orders points by their due date whatever order they are stored in, and counts weeks and days', () => {
		const schedule: CheckInSchedule = {
			points: [
				{ id: 'end', label: 'End', offset: { amount: 12, unit: 'months' }, windowDays: 30, instruments: ['phq9'] },
				{ id: 'baseline', label: 'Baseline', offset: { amount: 0, unit: 'days' }, windowDays: 7, instruments: ['gad7', 'phq9'] },
				{ id: 'mid', label: 'Mid-point', offset: { amount: 26, unit: 'weeks' }, windowDays: 10, instruments: ['gad7'] }
			]
		};
		const all = scheduledCheckIns(schedule, '2027-01-04', [], '2027-01-04');
		expect(all.map((c) => `${c.pointId} ${c.instrument} ${c.dueDate}`)).toEqual([
			'baseline gad7 2027-01-04',
			'baseline phq9 2027-01-04',
			'mid gad7 2027-07-05',
			'end phq9 2028-01-04'
		]);
	});

	it('keeps its rules whatever the schedule and the day: windows around the due date, never before the start', () => {
		const point = fc.record({
			amount: fc.integer({ min: 0, max: 24 }),
			unit: fc.constantFrom('days' as const, 'weeks' as const, 'months' as const),
			windowDays: fc.integer({ min: 0, max: 90 }),
			instruments: fc.subarray(['dialog', 'swemwbs', 'ons4', 'gad7'] as InstrumentId[], { minLength: 1 })
		});
		fc.assert(
			fc.property(
				fc.array(point, { minLength: 1, maxLength: 6 }),
				fc.integer({ min: 0, max: 700 }),
				fc.integer({ min: -30, max: 900 }),
				fc.integer({ min: 0, max: 1000 }),
				(points, startOffset, todayOffset, seed) => {
					const start = dueDateOf({ offset: { amount: startOffset, unit: 'days' } }, '2027-01-01');
					const today = dueDateOf({ offset: { amount: todayOffset, unit: 'days' } }, start);
					const schedule: CheckInSchedule = {
						points: points.map((p, i) => ({ id: `p${i}`, label: `Point ${i}`, offset: { amount: p.amount, unit: p.unit }, windowDays: p.windowDays, instruments: p.instruments }))
					};
					const completed = schedule.points.flatMap((p, i) => ((seed >> i) & 1 ? [{ pointId: p.id, instrument: p.instruments[0], at: at(start) }] : []));
					const all = scheduledCheckIns(schedule, start, completed, today);
					expect(all).toHaveLength(points.reduce((n, p) => n + p.instruments.length, 0));
					for (let i = 1; i < all.length; i++) expect(all[i - 1].dueDate <= all[i].dueDate).toBe(true);
					for (const c of all) {
						expect(c.opensOn >= start).toBe(true);
						expect(c.opensOn <= c.dueDate && c.dueDate <= c.closesOn).toBe(true);
						expect(c.dueDateText).toBe(formatDate(c.dueDate));
						const done = completed.some((d) => d.pointId === c.pointId && d.instrument === c.instrument);
						if (done) expect(c.status).toBe('done');
						else if (today < c.opensOn) expect(c.status).toBe('upcoming');
						else if (today <= c.closesOn) expect(c.status).toBe('due');
						else expect(['overdue', 'missed']).toContain(c.status);
					}
					const due = dueCheckIns(schedule, start, completed, today);
					expect(due).toEqual(all.filter((c) => c.status !== 'done' && c.status !== 'missed'));
				}
			)
		);
	});

	it('reads a stored schedule, falling back to the default when it is not one', () => {
		expect(readSchedule(undefined)).toBe(DEFAULT_SCHEDULE);
		expect(readSchedule({ points: [{ id: 'x' }] })).toBe(DEFAULT_SCHEDULE);
		const duplicate = { points: [DEFAULT_SCHEDULE.points[0], { ...DEFAULT_SCHEDULE.points[1], id: 'start' }] };
		expect(checkInScheduleSchema.safeParse(duplicate).success).toBe(false);
		const sameName = { points: [DEFAULT_SCHEDULE.points[0], { ...DEFAULT_SCHEDULE.points[1], label: 'START' }] };
		expect(checkInScheduleSchema.safeParse(sameName).success).toBe(false);
		const empty = { points: [] };
		expect(readSchedule(empty)).toEqual(empty);
		const tooLong = { points: [{ ...DEFAULT_SCHEDULE.points[1], offset: { amount: 37, unit: 'months' } }] };
		expect(checkInScheduleSchema.safeParse(tooLong).success).toBe(false);
	});

	it('makes point ids from names, unique among the others', () => {
		expect(pointIdFor('3 months', [])).toBe('3-months');
		expect(pointIdFor('Mid-point!', [])).toBe('mid-point');
		expect(pointIdFor('3 Months', ['3-months', '3-months-2'])).toBe('3-months-3');
		expect(pointIdFor('***', [])).toBe('check-in');
	});
});

describe('the schedule editor form', () => {
	const available: InstrumentId[] = ['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9', 'phq8'];
	const filled = () => scheduleFormValues(DEFAULT_SCHEDULE);
	const rows = DEFAULT_SCHEDULE.points.length + 2;

	it('reads back the schedule it was filled from, ignoring the blank rows', () => {
		const values = filled();
		expect(values.pointRows).toBe(String(rows));
		expect(scheduleRows(new URLSearchParams({ pointRows: String(rows) }))).toBe(rows);
		const result = parse<CheckInSchedule>(scheduleForm(available, rows), values);
		expect(result).toEqual({ ok: true, values: DEFAULT_SCHEDULE });
	});

	it('draws a row of fields per point with the questionnaires the programme may use', () => {
		const form = scheduleForm(['dialog', 'gad7'], 1);
		expect(form.fields.map((f) => f.name)).toEqual(['pointRows', 'point-0-id', 'point-0-label', 'point-0-amount', 'point-0-unit', 'point-0-window', 'point-0-instruments']);
		const boxes = form.fields.find((f) => f.name === 'point-0-instruments');
		expect(boxes?.kind === 'checkboxes' && boxes.options.map((o) => o.label)).toEqual(['DIALOG', 'GAD-7']);
	});

	it('adds a point with a new id, keeps existing ids when names change, and sorts by when they are due', () => {
		const values = filled();
		values['point-1-label'] = 'Mid-point';
		Object.assign(values, { 'point-3-label': '12 months', 'point-3-amount': '12', 'point-3-unit': 'months', 'point-3-window': '30', 'point-3-instruments': ['phq9'] });
		Object.assign(values, { 'point-4-label': '2 weeks', 'point-4-amount': '2', 'point-4-unit': 'weeks', 'point-4-window': '3', 'point-4-instruments': ['gad7', 'gad7'] });
		const result = parse<CheckInSchedule>(scheduleForm(available, rows), values);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		expect(result.values.points.map((p) => `${p.id}:${p.label}`)).toEqual(['start:Start', '2-weeks:2 weeks', '3-months:Mid-point', '6-months:6 months', '12-months:12 months']);
		expect(result.values.points[1]).toEqual({ id: '2-weeks', label: '2 weeks', offset: { amount: 2, unit: 'weeks' }, windowDays: 3, instruments: ['gad7'] });
		expect(checkInScheduleSchema.safeParse(result.values).success).toBe(true);
	});

	it('gives a new point whose name matches an existing id a different id', () => {
		const values = filled();
		values['point-1-label'] = 'Quarter';
		Object.assign(values, { 'point-3-label': '3 months', 'point-3-amount': '100', 'point-3-unit': 'days', 'point-3-window': '7', 'point-3-instruments': ['dialog'] });
		const result = parse<CheckInSchedule>(scheduleForm(available, rows), values);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		expect(result.values.points.map((p) => p.id)).toEqual(['start', '3-months', '3-months-2', '6-months']);
	});

	it('says what is wrong with a row, field by field', () => {
		const values = filled();
		Object.assign(values, { 'point-3-label': '', 'point-3-amount': '37', 'point-3-unit': 'months', 'point-3-window': '91', 'point-3-instruments': [] });
		Object.assign(values, { 'point-4-label': 'start', 'point-4-amount': 'soon', 'point-4-unit': 'years', 'point-4-window': '', 'point-4-instruments': ['eq5d5l'] });
		const errors = errorsOf(scheduleForm(available, rows), values);
		expect(errors).toEqual({
			'point-3-label': 'Enter a name for check-in 4 (up to 60 characters)',
			'point-3-amount': 'How long after the start date for check-in 4 must be a whole number from 0 to 36',
			'point-3-window': 'Days either side for check-in 4 must be a whole number from 0 to 90',
			'point-3-instruments': 'Choose at least one questionnaire for check-in 4',
			'point-4-label': 'Check-in 5 has the same name as another check-in. Give each a different name',
			'point-4-unit': 'Choose days, weeks or months for check-in 5',
			'point-4-amount': 'How long after the start date for check-in 5 must be a whole number from 0 to 1095',
			'point-4-window': 'Days either side for check-in 5 must be a whole number from 0 to 90',
			'point-4-instruments': 'Choose questionnaires for check-in 5 from the list'
		});
	});

	it('refuses hidden characters in a name and bounds the rows a post can ask for', () => {
		const values = filled();
		values['point-0-label'] = 'Start\u0007';
		expect(errorsOf(scheduleForm(available, rows), values)['point-0-label']).toMatch(/hidden character/);
		expect(scheduleRows(new URLSearchParams({ pointRows: '9999' }))).toBe(12);
		expect(scheduleRows(new URLSearchParams({ pointRows: '-3' }))).toBe(0);
		expect(scheduleRows(new URLSearchParams())).toBe(0);
	});
});

// ---- progress ---------------------------------------------------------------------------------------

describe('progress on one measure', () => {
	it('charts DIALOG overall and care scores with UK dates in words, and says the change in words', () => {
		const p = measureProgress('dialog', [dialogAt('2027-06-12', 4.6, 5.33), dialogAt('2027-03-12', 3.4, 5)]);
		// Named in words, with the instrument's own name as a note.
		expect(p.title).toBe('How things are going');
		expect(p.note).toMatch(/^DIALOG\+: /);
		expect(p.dates).toEqual(['2027-03-12', '2027-06-12']);
		expect(p.chart).toEqual({
			labels: ['12 March 2027', '12 June 2027'],
			dates: ['2027-03-12', '2027-06-12'],
			datasets: [
				{ key: 'dialog-life', label: 'Overall score (8 life areas, average from 1 to 7)', data: [3.4, 4.6] },
				{ key: 'dialog-treatment', label: 'Care score (3 areas of support, average from 1 to 7)', data: [5, 5.33] }
			],
			panels: [{ key: 'dialog', title: null, axis: 'Score, 1 to 7: higher is better', min: 1, max: 7, datasets: [0, 1] }]
		});
		expect(p.table).toEqual({
			caption: 'How things are going: scores at each check-in',
			columns: ['Date', 'Overall score (8 life areas, average from 1 to 7)', 'Care score (3 areas of support, average from 1 to 7)'],
			rows: [
				{ date: '12 March 2027', cells: ['3.4', '5'] },
				{ date: '12 June 2027', cells: ['4.6', '5.33'] }
			]
		});
		expect(p.csv).toEqual({
			header: ['date', 'Overall score (8 life areas, average from 1 to 7)', 'Care score (3 areas of support, average from 1 to 7)'],
			rows: [
				['2027-03-12', '3.4', '5'],
				['2027-06-12', '4.6', '5.33']
			]
		});
		expect(p.sentences).toEqual([
			'Your overall score went up from 3.4 to 4.6 since 12 March 2027.',
			'Your score for your care and support stayed about the same, from 5 to 5.33, since 12 March 2027.'
		]);
		expect(p.lines.map((l) => l.change?.category)).toEqual(['improved', 'maintained']);
	});

	it('charts the scores the registry gives, rounded the same way', () => {
		const first = dialog.score([4, 5, 4, 4, 4, 4, 4, 4, 5, 5, 6]);
		expect(first.lifeMean).toBe(4.13);
		const p = measureProgress('dialog', [{ instrument: 'dialog', at: at('2027-03-12'), result: first }]);
		expect(p.chart.datasets[0].data).toEqual([4.13]);
		expect(p.table.rows[0].cells).toEqual(['4.13', '5.33']);
		expect(p.sentences[0]).toBe('Your overall score was 4.13 on 12 March 2027. After your next check-in on how things are going you will see how it has changed.');
	});

	it('counts exactly the threshold as a change, whatever binary fractions say (3.6 to 4.1 is 0.5)', () => {
		expect(4.1 - 3.6).toBeLessThan(0.5);
		const category = (a: number, b: number) => measureProgress('dialog', [dialogAt('2027-03-12', a), dialogAt('2027-06-12', b)]).lines[0].change?.category;
		expect(category(3.6, 4.1)).toBe('improved');
		expect(category(4.1, 3.6)).toBe('reduced');
		expect(category(4.1, 4.6)).toBe('improved');
		expect(category(4.1, 4.59)).toBe('maintained');
		expect(category(4.6, 4.1)).toBe('reduced');
		expect(category(4.6, 4.11)).toBe('maintained');
		const down = measureProgress('dialog', [dialogAt('2027-03-12', 4.6), dialogAt('2027-06-12', 4.1)]);
		expect(down.sentences[0]).toBe('Your overall score went down from 4.6 to 4.1 since 12 March 2027.');
		const same = measureProgress('dialog', [dialogAt('2027-03-12', 4), dialogAt('2027-06-12', 4)]);
		expect(same.sentences[0]).toBe('Your overall score stayed the same, at 4, since 12 March 2027.');
	});

	it('reads lower-is-better measures the right way round, and says what the change means', () => {
		const better = measureProgress('gad7', [gad7At('2027-03-12', 12), gad7At('2027-06-12', 7)]);
		expect(better.lines[0].change?.category).toBe('improved');
		expect(better.sentences).toEqual(['Your anxiety score went down from 12 to 7 since 12 March 2027, which means fewer symptoms.']);
		const worse = measureProgress('gad7', [gad7At('2027-03-12', 7), gad7At('2027-06-12', 12)]);
		expect(worse.lines[0].change?.category).toBe('reduced');
		expect(worse.sentences).toEqual(['Your anxiety score went up from 7 to 12 since 12 March 2027, which means more symptoms.']);
		// GAD-7 changes by 4 or more, PHQ-9 by 5 or more.
		expect(measureProgress('gad7', [gad7At('2027-03-12', 12), gad7At('2027-06-12', 9)]).lines[0].change?.category).toBe('maintained');
		expect(measureProgress('gad7', [gad7At('2027-03-12', 12), gad7At('2027-06-12', 8)]).lines[0].change?.category).toBe('improved');
		expect(measureProgress('phq9', [phq9At('2027-03-12', 15), phq9At('2027-06-12', 11)]).lines[0].change?.category).toBe('maintained');
		expect(measureProgress('phq9', [phq9At('2027-03-12', 15), phq9At('2027-06-12', 10)]).lines[0].change?.category).toBe('improved');
		expect(measureProgress('phq9', [phq9At('2027-03-12', 10), phq9At('2027-06-12', 15)]).sentences[0]).toBe(
			'Your depression score went up from 10 to 15 since 12 March 2027, which means more symptoms.'
		);
	});

	it('charts and compares SWEMWBS metric scores, never raw totals', () => {
		// Raw 20 to 24 is 4 raw points but 2.95 metric points: under the 3-point threshold.
		const p = measureProgress('swemwbs', [swemwbsAt('2027-03-12', 20), swemwbsAt('2027-06-12', 24)]);
		expect(p.chart.datasets).toEqual([{ key: 'swemwbs', label: 'Wellbeing score (7 to 35)', data: [18.59, 21.54] }]);
		expect(p.lines[0].change?.category).toBe('maintained');
		expect(p.sentences[0]).toBe('Your wellbeing score stayed about the same, from 18.59 to 21.54, since 12 March 2027.');
		const up = measureProgress('swemwbs', [swemwbsAt('2027-03-12', 20), swemwbsAt('2027-06-12', 25)]);
		expect(up.lines[0].change?.category).toBe('improved');
		expect(up.table.rows.map((r) => r.cells)).toEqual([['18.59'], ['22.35']]);
	});

	it('charts the four ONS4 questions as four lines, never summed, with anxiety lower-is-better', () => {
		const p = measureProgress('ons4', [ons4At('2027-03-12', [4, 5, 6, 6]), ons4At('2027-06-12', [7, 5, 7, 3])]);
		expect(p.chart.datasets.map((d) => [d.key, d.data])).toEqual([
			['ons4-life-satisfaction', [4, 7]],
			['ons4-worthwhile', [5, 5]],
			['ons4-happy', [6, 7]],
			['ons4-anxious', [6, 3]]
		]);
		expect(p.table.columns).toHaveLength(5);
		expect(p.lines.map((l) => l.change?.category)).toEqual(['improved', 'maintained', 'maintained', 'improved']);
		expect(p.sentences[3]).toBe('Your anxiety score went down from 6 to 3 since 12 March 2027, which means you felt less anxious.');
	});

	it('leaves a gap where a check-in has no score, and compares the first and latest that have one', () => {
		const p = measureProgress('dialog', [dialogAt('2027-03-12', 3, null), dialogAt('2027-06-12', 3.2, 4), dialogAt('2027-09-12', 3.2, null)]);
		expect(p.chart.datasets[1].data).toEqual([null, 4, null]);
		expect(p.table.rows.map((r) => r.cells[1])).toEqual([NO_SCORE, '4', NO_SCORE]);
		expect(p.csv.rows.map((r) => r[2])).toEqual(['', '4', '']);
		expect(p.sentences[1]).toBe('Your score for your care and support was 4 on 12 June 2027. After your next check-in on how things are going you will see how it has changed.');
		const skipped = measureProgress('dialog', [dialogAt('2027-03-12', 3, null)]);
		expect(skipped.sentences[1]).toBe('There is no score for your care and support yet, because those questions were skipped.');
		expect(measureProgress('gad7', []).sentences).toEqual(['You have not done a check-in on worry and anxiety yet.']);
		expect(measureProgress('gad7', []).table.rows).toEqual([]);
	});

	it('puts check-ins in date order, leaves out other measures and dates them in UK time', () => {
		const lateEvening = { instrument: 'gad7' as const, at: new Date('2027-06-30T23:30:00Z'), result: { total: 3, band: 'minimal' as const } };
		const p = measureProgress('gad7', [gad7At('2027-09-01', 9), phq9At('2027-01-01', 20), lateEvening, gad7At('2027-03-12', 5)]);
		expect(p.chart.labels).toEqual(['12 March 2027', '1 July 2027', '1 September 2027']);
		expect(p.chart.datasets[0].data).toEqual([5, 3, 9]);
		expect(p.csv.rows.map((r) => r[0])).toEqual(['2027-03-12', '2027-07-01', '2027-09-01']);
	});

	it('uses the programme’s meaningful change when it sets one', () => {
		const checkIns = [dialogAt('2027-03-12', 3.4), dialogAt('2027-06-12', 4.6)];
		expect(measureProgress('dialog', checkIns, { ...DEFAULT_MEANINGFUL_CHANGE, dialog: 1.5 }).lines[0].change?.category).toBe('maintained');
		expect(measureProgress('dialog', checkIns, { ...DEFAULT_MEANINGFUL_CHANGE, dialog: 1.2 }).lines[0].change?.category).toBe('improved');
	});

	it('gives progress for each measure the person has done, in registry order', () => {
		const all = progressByMeasure([gad7At('2027-03-12', 5), dialogAt('2027-03-12', 4), phq9At('2027-03-12', 4)]);
		expect(all.map((p) => p.instrument)).toEqual(['dialog', 'gad7', 'phq9']);
	});

	it('has a line for every charted measure, lower-is-better only for symptom scores and ONS4 anxiety', () => {
		expect(CHARTED_INSTRUMENTS).not.toContain('eq5d5l');
		expect(Object.values(SCORE_LINES).filter((l) => l.lowerIsBetter).map((l) => l.key)).toEqual(['ons4-anxious', 'gad7', 'phq9', 'phq8']);
		for (const line of Object.values(SCORE_LINES)) expect(line.lowerIsBetter).toBe(line.meaning !== undefined);
	});
});

describe('progress in words and charts people can read', () => {
	it('names every measure in words, with the instrument’s own name as a note, never an abbreviation alone', () => {
		for (const id of CHARTED_INSTRUMENTS) {
			const p = measureProgress(id, []);
			expect(p.title, id).not.toMatch(/[A-Z]{3}|\d/);
			expect(p.title, id).toBe(MEASURE_NAMES[id].phrase.charAt(0).toUpperCase() + MEASURE_NAMES[id].phrase.slice(1));
			expect(p.note, id).toContain(INSTRUMENTS[id].title.replace('DIALOG', 'DIALOG+').replace('DIALOG++', 'DIALOG+'));
			for (const sentence of p.sentences) expect(sentence, id).not.toMatch(/\b(SWEMWBS|ONS4|GAD-7|PHQ-[89]|DIALOG)\b/);
		}
		expect(measureProgress('swemwbs', []).title).toBe('Your wellbeing');
		expect(measureProgress('swemwbs', []).note).toMatch(/Short Warwick-Edinburgh Mental Wellbeing Scale \(SWEMWBS\)/);
	});

	it('charts ONS4’s four questions apart, each axis saying which way is better (anxiety: lower)', () => {
		const p = measureProgress('ons4', [ons4At('2027-03-12', [4, 5, 6, 6]), ons4At('2027-06-12', [7, 5, 7, 3])]);
		expect(p.chart.panels.map((panel) => [panel.key, panel.datasets, panel.axis])).toEqual([
			['ons4-life-satisfaction', [0], 'Score, 0 to 10: higher is better'],
			['ons4-worthwhile', [1], 'Score, 0 to 10: higher is better'],
			['ons4-happy', [2], 'Score, 0 to 10: higher is better'],
			['ons4-anxious', [3], 'Score, 0 to 10: lower is better']
		]);
		expect(p.chart.panels.map((panel) => panel.title)).toEqual(p.lines.map((l) => l.name));
		expect(measureProgress('gad7', [gad7At('2027-03-12', 5)]).chart.panels).toEqual([
			{ key: 'gad7', title: null, axis: 'Score, 0 to 21: lower is better', min: 0, max: 21, datasets: [0] }
		]);
		// The time axis gets ISO dates, one per label.
		expect(p.chart.dates).toEqual(['2027-03-12', '2027-06-12']);
	});
});

/** DIALOG+ ratings for every area, from a list of 11 ratings (null: does not apply) and the areas wanting more help. */
function ratings(values: readonly (number | null)[], help: readonly string[] = []): DialogRatings {
	return Object.fromEntries(DIALOG_AREAS.map((a, i) => [a.key, { rating: values[i], moreHelp: values[i] === null ? null : help.includes(a.key) }]));
}

describe('DIALOG+ area by area', () => {
	const first = { at: at('2027-03-12'), ratings: ratings([3, 4, 2, 5, 4, 4, 4, null, 5, 5, 6], ['job-situation', 'mental-health']) };
	const middle = { at: at('2027-04-12'), ratings: ratings([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) };
	const latest = { at: at('2027-06-12'), ratings: ratings([5, 4, 4, 5, 3, null, 4, 6, 5, 5, 7], ['job-situation']) };

	it('shows each area’s first and latest rating, the change and the “more help” answers, in words', () => {
		const p = dialogAreaProgress([latest, middle, first])!;
		expect(p.dates).toEqual(['2027-03-12', '2027-06-12']);
		expect(p.table.columns).toEqual(['Area', 'Rating on 12 March 2027', 'Rating on 12 June 2027', 'Change', 'More help on 12 March 2027', 'More help on 12 June 2027']);
		expect(p.table.rows.map((r) => r.area)).toEqual(DIALOG_AREAS.map((a) => a.label));
		expect(p.table.rows[0]).toEqual({ area: 'Your mental health', cells: ['3', '5', 'Up 2', 'Yes', 'No'] });
		expect(p.table.rows[2]).toEqual({ area: 'Your job situation', cells: ['2', '4', 'Up 2', 'Yes', 'Yes'] });
		expect(p.table.rows[4].cells).toEqual(['4', '3', 'Down 1', 'No', 'No']);
		expect(p.table.rows[5].cells).toEqual(['4', DID_NOT_APPLY, 'Not rated this time', 'No', NOT_ASKED]);
		expect(p.table.rows[7].cells).toEqual([DID_NOT_APPLY, '6', 'First rating', NOT_ASKED, 'No']);
		expect(p.sentences).toEqual([
			'Since 12 March 2027, you rated 3 areas higher, 1 area lower and 5 areas the same.',
			'At your check-in on 12 June 2027 you asked for more help with 1 area.'
		]);
		expect(p.sentences.map(theirSentence)).toEqual([
			'Since 12 March 2027, they rated 3 areas higher, 1 area lower and 5 areas the same.',
			'At their check-in on 12 June 2027 they asked for more help with 1 area.'
		]);
		expect(p.chart!.labels).toHaveLength(11);
		expect(p.chart!.datasets.map((d) => d.label)).toEqual(['First check-in, 12 March 2027', 'Latest check-in, 12 June 2027']);
	});

	it('with one check-in is a statement and a table, with no chart', () => {
		const p = dialogAreaProgress([first])!;
		expect(p.chart).toBeNull();
		expect(p.table.columns).toEqual(['Area', 'Rating on 12 March 2027', 'More help on 12 March 2027']);
		expect(p.table.rows[0].cells).toEqual(['3', 'Yes']);
		expect(p.sentences).toEqual(['You rated 10 of the 11 areas on 12 March 2027.', 'At your check-in on 12 March 2027 you asked for more help with 2 areas.']);
		expect(dialogAreaProgress([])).toBeNull();
	});

	it('the chart has exactly the table’s ratings, whatever the answers', () => {
		const rating = fc.option(fc.integer({ min: 1, max: 7 }), { nil: null });
		const checkIn = fc.record({
			day: fc.integer({ min: 0, max: 700 }),
			values: fc.array(rating, { minLength: 11, maxLength: 11 }),
			help: fc.subarray(DIALOG_AREAS.map((a) => a.key))
		});
		fc.assert(
			fc.property(fc.array(checkIn, { minLength: 2, maxLength: 6 }), (list) => {
				const p = dialogAreaProgress(list.map((c) => ({ at: new Date(Date.UTC(2027, 0, 1 + c.day, 12)), ratings: ratings(c.values, c.help) })))!;
				p.chart!.datasets.forEach((d, column) => {
					expect(d.data).toEqual(p.table.rows.map((r) => (r.cells[column] === DID_NOT_APPLY ? null : Number(r.cells[column]))));
				});
				const short = (cell: string) => (cell === NOT_ASKED ? '–' : cell.toLowerCase());
				expect(p.chart!.moreHelp).toEqual(p.table.rows.map((r) => `More help: ${short(r.cells[3])} → ${short(r.cells[4])}`));
			}),
			{ numRuns: 200 }
		);
	});
});

/** Valid answers for a charted instrument, skipping DIALOG areas now and then. */
function answersFor(id: ChartedInstrument): fc.Arbitrary<(number | null)[]> {
	return fc.tuple(
		...INSTRUMENTS[id].items.map((item) => {
			const value = fc.integer({ min: item.scale.min, max: item.scale.max });
			return item.skippable ? fc.option(value, { freq: 4 }) : value;
		})
	);
}

const checkInArb: fc.Arbitrary<ScoredCheckIn> = fc
	.constantFrom(...CHARTED_INSTRUMENTS)
	.chain((id) =>
		fc.record({
			id: fc.constant(id),
			answers: answersFor(id),
			time: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) })
		})
	)
	.map(({ id, answers, time }) => ({ instrument: id, at: new Date(time), result: INSTRUMENTS[id].score(answers) }) as ScoredCheckIn);

const meaningfulArb = fc.record({
	dialog: fc.constantFrom(0.25, 0.5, 1),
	swemwbs: fc.constantFrom(1, 2.87, 3),
	ons4: fc.constantFrom(1, 2),
	gad7: fc.constantFrom(3, 4),
	phq9: fc.constantFrom(5, 6),
	phq8: fc.constantFrom(5, 6)
});

// fast-check properties over whole schedules: seconds of CPU on a busy machine, so a timeout of their own.
describe('progress properties', { timeout: 60_000 }, () => {
	it('says every sentence and line name about the person to staff as "their", never "your"', () => {
		fc.assert(
			fc.property(fc.array(checkInArb, { maxLength: 8 }), meaningfulArb, (checkIns, meaningful) => {
				for (const id of CHARTED_INSTRUMENTS) {
					const p = measureProgress(id, checkIns, meaningful);
					for (const words of [p.title, p.note, p.table.caption, ...p.sentences, ...p.chart.datasets.map((d) => d.label)]) {
						const staff = theirSentence(words);
						expect(staff, words).not.toMatch(/\byour\b/i);
						// "You" left is the member of staff: "After their next check-in you will see how it has changed".
						expect(staff.replace(/ you will see how it has changed/, ''), words).not.toMatch(/\byou\b/i);
					}
				}
			}),
			{ numRuns: 200 }
		);
		expect(theirSentence('Your score for your care and support went down from 5 to 4 since 1 May 2027.')).toBe(
			'Their score for their care and support went down from 5 to 4 since 1 May 2027.'
		);
		expect(theirSentence('Your anxiety score went down from 6 to 2 since 1 May 2027, which means you felt less anxious.')).toBe(
			'Their anxiety score went down from 6 to 2 since 1 May 2027, which means they felt less anxious.'
		);
	}, 30_000);
	it('the chart, the table and the CSV always show the same numbers in the same order', () => {
		fc.assert(
			fc.property(fc.array(checkInArb, { maxLength: 12 }), meaningfulArb, (checkIns, meaningful) => {
				for (const p of progressByMeasure(checkIns, meaningful)) {
					const mine = checkIns.filter((c) => c.instrument === p.instrument).sort((a, b) => a.at.getTime() - b.at.getTime());
					expect(p.chart.labels).toEqual(p.table.rows.map((r) => r.date));
					expect(p.chart.labels).toEqual(p.csv.rows.map((r) => formatDate(r[0])));
					expect(p.table.columns.slice(1)).toEqual(p.chart.datasets.map((d) => d.label));
					expect(p.csv.header.slice(1)).toEqual(p.chart.datasets.map((d) => d.label));
					p.chart.datasets.forEach((dataset, l) => {
						expect(dataset.data).toHaveLength(mine.length);
						dataset.data.forEach((value, i) => {
							// The numbers are the scoring function's, rounded once.
							expect(value).toBe(lineValues(mine[i])[l]);
							const cell = p.table.rows[i].cells[l];
							const csv = p.csv.rows[i][l + 1];
							if (value === null) {
								expect(cell).toBe(NO_SCORE);
								expect(csv).toBe('');
							} else {
								expect(cell).toBe(formatScore(value));
								expect(Number(cell)).toBe(value);
								expect(csv).toBe(cell);
							}
						});
					});
				}
			}),
			{ numRuns: 300 }
		);
	}, 30_000);

	it('the sentence and the category agree with the first and latest numbers in the table', () => {
		fc.assert(
			fc.property(fc.array(checkInArb, { maxLength: 10 }), meaningfulArb, (checkIns, meaningful) => {
				for (const p of progressByMeasure(checkIns, meaningful)) {
					p.lines.forEach((line, l) => {
						const present = p.table.rows.map((r) => r.cells[l]).filter((c) => c !== NO_SCORE);
						if (present.length < 2) {
							expect(line.change).toBeNull();
							return;
						}
						const [first, latest] = [present[0], present[present.length - 1]];
						const change = line.change!;
						expect(formatScore(change.first.value)).toBe(first);
						expect(formatScore(change.latest.value)).toBe(latest);
						expect(line.sentence).toContain(latest);
						expect(line.sentence).toContain(`since ${formatDate(change.first.date)}`);
						const towardsBetter = (Number(latest) - Number(first)) * (line.lowerIsBetter ? -1 : 1);
						const threshold = meaningful[line.instrument];
						if (towardsBetter >= threshold + 1e-9) expect(change.category).toBe('improved');
						if (-towardsBetter >= threshold + 1e-9) expect(change.category).toBe('reduced');
						if (Math.abs(towardsBetter) < threshold - 1e-9) expect(change.category).toBe('maintained');
						const words = { improved: /went (up|down)/, reduced: /went (up|down)/, maintained: /stayed/ }[change.category];
						expect(line.sentence).toMatch(words);
						if (change.category !== 'maintained') expect(line.sentence).toContain(Number(latest) > Number(first) ? 'went up' : 'went down');
					});
				}
			}),
			{ numRuns: 300 }
		);
	}, 30_000);

	it('a change one way is the opposite category the other way, and lower-is-better flips it', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...Object.values(SCORE_LINES)),
				fc.integer({ min: 0, max: 3500 }),
				fc.integer({ min: 0, max: 3500 }),
				(line, a, b) => {
					const [x, y] = [a / 100, b / 100];
					const there = changeCategory(line, x, y);
					const back = changeCategory(line, y, x);
					const opposite = { improved: 'reduced', reduced: 'improved', maintained: 'maintained' } as const;
					expect(back).toBe(opposite[there]);
					expect(changeCategory({ ...line, lowerIsBetter: !line.lowerIsBetter }, x, y)).toBe(opposite[there]);
				}
			)
		);
	});
});

describe('the meaningful change settings form', () => {
	it('reads the defaults back and refuses values that are not a sensible number of points', () => {
		expect(parse(meaningfulChangeForm, meaningfulChangeFormValues(DEFAULT_MEANINGFUL_CHANGE))).toEqual({ ok: true, values: { ...DEFAULT_MEANINGFUL_CHANGE } });
		const values = meaningfulChangeFormValues(DEFAULT_MEANINGFUL_CHANGE);
		expect(parse(meaningfulChangeForm, { ...values, 'meaningful-dialog': '0.75' })).toMatchObject({ ok: true, values: { dialog: 0.75 } });
		expect(errorsOf(meaningfulChangeForm, { ...values, 'meaningful-dialog': '0', 'meaningful-gad7': 'four', 'meaningful-phq9': '', 'meaningful-ons4': '11' })).toEqual({
			'meaningful-dialog': 'Meaningful change for DIALOG must be more than 0 and no more than 6',
			'meaningful-ons4': 'Meaningful change for ONS4 must be more than 0 and no more than 10',
			'meaningful-gad7': 'Meaningful change for GAD-7 must be a number, like 4',
			'meaningful-phq9': 'Enter the meaningful change for PHQ-9'
		});
	});

	it('reads stored settings, keeping the default for anything missing or out of range', () => {
		expect(readMeaningfulChange(null)).toEqual(DEFAULT_MEANINGFUL_CHANGE);
		expect(readMeaningfulChange({ dialog: 1, gad7: -1, phq9: '6' })).toEqual({ ...DEFAULT_MEANINGFUL_CHANGE, dialog: 1 });
	});
});

// ---- wellbeing concern ---------------------------------------------------------------------------------

describe('wellbeing concern', () => {
	it('flags a steep fall between the latest two check-ins, in plain words', () => {
		expect(wellbeingConcern([dialogAt('2027-03-12', 4.6), dialogAt('2027-06-12', 3.1)], 0)).toEqual({
			concern: true,
			reasons: ['The DIALOG overall score fell by 1.5 points (worse) between 12 March 2027 and 12 June 2027.']
		});
		expect(wellbeingConcern([dialogAt('2027-03-12', 4.6), dialogAt('2027-06-12', 3.11)], 0)).toEqual({ concern: false, reasons: [] });
		expect(wellbeingConcern([phq9At('2027-03-12', 10), phq9At('2027-06-12', 15)], 0).reasons).toEqual([
			'The PHQ-9 depression score rose by 5 points (worse) between 12 March 2027 and 12 June 2027.'
		]);
		expect(wellbeingConcern([phq9At('2027-03-12', 15), phq9At('2027-06-12', 10)], 5).concern).toBe(false);
		// SWEMWBS on metric scores: 27.03 to 22.35 is 4.68; to 21.54 is 5.49.
		expect(wellbeingConcern([swemwbsAt('2027-03-12', 30), swemwbsAt('2027-06-12', 25)], 0).concern).toBe(false);
		expect(wellbeingConcern([swemwbsAt('2027-03-12', 30), swemwbsAt('2027-06-12', 24)], 0).reasons).toEqual([
			'The SWEMWBS wellbeing score fell by 5.49 points (worse) between 12 March 2027 and 12 June 2027.'
		]);
		expect(wellbeingConcern([gad7At('2027-03-12', 4), gad7At('2027-06-12', 9)], 0).concern).toBe(true);
		expect(wellbeingConcern([ons4At('2027-03-12', [8, 8, 8, 2]), ons4At('2027-06-12', [5, 8, 8, 2])], 0).reasons).toEqual([
			'The ONS4 life satisfaction score fell by 3 points (worse) between 12 March 2027 and 12 June 2027.'
		]);
	});

	it('looks at how someone is now: an old fall since recovered does not flag', () => {
		expect(wellbeingConcern([dialogAt('2027-01-12', 5), dialogAt('2027-03-12', 3), dialogAt('2027-06-12', 4.5)], 0).concern).toBe(false);
	});

	it('does not watch DIALOG care, ONS4 happiness or worthwhile for steep falls', () => {
		expect(wellbeingConcern([dialogAt('2027-03-12', 4, 7), dialogAt('2027-06-12', 4, 1)], 0).concern).toBe(false);
		expect(wellbeingConcern([ons4At('2027-03-12', [7, 10, 10, 0]), ons4At('2027-06-12', [7, 0, 0, 0])], 0).concern).toBe(false);
	});

	it('flags a falling trend only together with missed meetings', () => {
		const falling = [swemwbsAt('2027-01-12', 25), swemwbsAt('2027-03-12', 24), swemwbsAt('2027-06-12', 23)];
		expect(wellbeingConcern(falling, 0)).toEqual({ concern: false, reasons: [] });
		expect(wellbeingConcern(falling, 1)).toEqual({
			concern: true,
			reasons: ['The SWEMWBS wellbeing score got worse at each of the last 3 check-ins (12 January 2027, 12 March 2027, 12 June 2027), and 1 meeting was missed.']
		});
		expect(wellbeingConcern(falling, 2).reasons[0]).toMatch(/and 2 meetings were missed\.$/);
		const level = [swemwbsAt('2027-01-12', 25), swemwbsAt('2027-03-12', 24), swemwbsAt('2027-06-12', 24)];
		expect(wellbeingConcern(level, 3).concern).toBe(false);
		const rising = [gad7At('2027-01-12', 5), gad7At('2027-03-12', 6), gad7At('2027-06-12', 8)];
		expect(wellbeingConcern(rising, 1).reasons).toEqual([
			'The GAD-7 anxiety score got worse at each of the last 3 check-ins (12 January 2027, 12 March 2027, 12 June 2027), and 1 meeting was missed.'
		]);
		// Only the latest three count.
		const recovered = [...falling, swemwbsAt('2027-09-12', 26)];
		expect(wellbeingConcern(recovered, 4).concern).toBe(false);
	});

	it('follows the programme’s settings', () => {
		const falling = [dialogAt('2027-01-12', 5), dialogAt('2027-03-12', 4.8), dialogAt('2027-06-12', 4.6)];
		expect(wellbeingConcern(falling, 1).concern).toBe(true);
		expect(wellbeingConcern(falling, 1, { ...DEFAULT_CONCERN_SETTINGS, trendCheckIns: 4 }).concern).toBe(false);
		expect(wellbeingConcern(falling, 1, { ...DEFAULT_CONCERN_SETTINGS, missedMeetingsWithTrend: 2 }).concern).toBe(false);
		expect(wellbeingConcern(falling, 0, { ...DEFAULT_CONCERN_SETTINGS, steepFall: { 'dialog-life': 0.2 } }).reasons).toEqual([
			'The DIALOG overall score fell by 0.2 points (worse) between 12 March 2027 and 12 June 2027.'
		]);
		expect(fallingTrend(SCORE_LINES['dialog-life'], [{ value: 5, date: '2027-01-01' }], 1)).toBeNull();
	});

	it('never puts answers in its reasons: only measure names, points and dates', () => {
		fc.assert(
			fc.property(fc.array(checkInArb, { maxLength: 8 }), fc.integer({ min: 0, max: 5 }), (checkIns, missed) => {
				const { concern, reasons } = wellbeingConcern(checkIns, missed);
				expect(concern).toBe(reasons.length > 0);
				for (const reason of reasons) {
					expect(reason).toMatch(/^The (DIALOG|SWEMWBS|ONS4|GAD-7|PHQ-9|PHQ-8) [a-z ]+ score (fell|rose|got worse)/);
					for (const item of Object.values(INSTRUMENTS).flatMap((i) => i.items)) expect(reason).not.toContain(item.text);
				}
			})
		);
	}, 30_000);
});

describe('crisis help for PHQ-9 item 9', () => {
	it('is needed when item 9 is answered above 0, in order or by key, even part-way through', () => {
		expect(needsCrisisHelp('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(false);
		expect(needsCrisisHelp('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe(true);
		expect(needsCrisisHelp('phq9', [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 3])).toBe(true);
		expect(needsCrisisHelp('phq9', [3, 3, 3, 3, 3, 3, 3, 3])).toBe(false);
		expect(needsCrisisHelp('phq9', { 'self-harm': 2 })).toBe(true);
		expect(needsCrisisHelp('phq9', { 'self-harm': '1' })).toBe(true);
		expect(needsCrisisHelp('phq9', { 'self-harm': '0' })).toBe(false);
		expect(needsCrisisHelp('phq9', { interest: 3 })).toBe(false);
		expect(needsCrisisHelp('phq8', [3, 3, 3, 3, 3, 3, 3, 3])).toBe(false);
		expect(needsCrisisHelp('gad7', [3, 3, 3, 3, 3, 3, 3, 3, 3])).toBe(false);
	});

	it('agrees with the PHQ-9 scoring alert for every valid set of answers', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (answers) => {
				expect(needsCrisisHelp('phq9', answers)).toBe(phq9.score(answers).item9Alert);
			})
		);
	});
});

// ---- DIALOG+ check-in -----------------------------------------------------------------------------

function ratingsOf(values: (number | null)[], moreHelp: (boolean | null)[] = []): DialogRatings {
	return Object.fromEntries(DIALOG_AREAS.map((a, i) => [a.key, { rating: values[i], moreHelp: values[i] === null ? null : (moreHelp[i] ?? false) }]));
}

describe('the DIALOG+ check-in', () => {
	it('has the eleven areas with the questionnaire’s words, eight about life and three about care', () => {
		expect(DIALOG_AREAS).toHaveLength(11);
		expect(DIALOG_AREAS[0]).toEqual({ key: 'mental-health', index: 0, phrase: 'your mental health', label: 'Your mental health', part: 'life' });
		expect(DIALOG_AREAS[9].label).toBe('The practical help you receive');
		expect(DIALOG_AREAS.map((a) => a.part).join(',')).toBe('life,life,life,life,life,life,life,life,treatment,treatment,treatment');
		expect(dialogArea('medication')?.index).toBe(8);
		expect(dialogArea('nothing')).toBeUndefined();
	});

	it('asks one area per page: a rating or "does not apply", and "more help?" when rated', () => {
		const area = DIALOG_AREAS[0];
		const form = dialogAreaForm(area);
		expect(form.fields.map((f) => f.label)).toEqual(['How satisfied are you with your mental health?', 'Do you want more help in this area?']);
		const rating = form.fields[0];
		expect(rating.kind === 'radios' && rating.options.map((o) => o.label)).toEqual([
			'1 - Totally dissatisfied',
			'2 - Very dissatisfied',
			'3 - Fairly dissatisfied',
			'4 - In the middle',
			'5 - Fairly satisfied',
			'6 - Very satisfied',
			'7 - Totally satisfied',
			'This does not apply to me'
		]);
		expect(parse<AreaAnswer>(form, { rating: '5', moreHelp: 'yes' })).toEqual({ ok: true, values: { rating: 5, moreHelp: true } });
		expect(parse<AreaAnswer>(form, { rating: '1', moreHelp: 'no' })).toEqual({ ok: true, values: { rating: 1, moreHelp: false } });
		expect(parse<AreaAnswer>(form, { rating: 'does-not-apply', moreHelp: '' })).toEqual({ ok: true, values: { rating: null, moreHelp: null } });
		expect(parse<AreaAnswer>(form, { rating: 'does-not-apply', moreHelp: 'yes' })).toEqual({ ok: true, values: { rating: null, moreHelp: null } });
		expect(errorsOf(form, { rating: '', moreHelp: '' })).toEqual({ rating: 'Choose how satisfied you are with your mental health, or that it does not apply to you' });
		expect(errorsOf(form, { rating: '8', moreHelp: 'no' })).toEqual({ rating: 'Choose how satisfied you are with your mental health, or that it does not apply to you' });
		expect(errorsOf(form, { rating: '4', moreHelp: 'maybe' })).toEqual({ moreHelp: 'Choose yes if you want more help with your mental health, or no' });
	});

	it('fills the page back in from an earlier answer', () => {
		const form = dialogAreaForm(DIALOG_AREAS[3]);
		for (const answer of [{ rating: 6, moreHelp: true }, { rating: 2, moreHelp: false }, { rating: null, moreHelp: null }] as AreaAnswer[]) {
			expect(parse(form, areaFormValues(answer))).toEqual({ ok: true, values: answer });
		}
		expect(areaFormValues(undefined)).toEqual({ rating: '', moreHelp: '' });
	});

	it('shows the previous rating while rating only when the programme allows it', () => {
		const previous = ratingsOf([4, null, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
		expect(previousRatingHint(DIALOG_AREAS[0], previous, false)).toBeUndefined();
		expect(previousRatingHint(DIALOG_AREAS[0], null, true)).toBeUndefined();
		expect(previousRatingHint(DIALOG_AREAS[0], previous, true)).toBe('Last time you rated this 4 (in the middle).');
		expect(previousRatingHint(DIALOG_AREAS[1], previous, true)).toBe('Last time you said this did not apply to you.');
		expect(dialogAreaForm(DIALOG_AREAS[0], 'Last time you rated this 4 (in the middle).').fields[0].hint).toBe('Last time you rated this 4 (in the middle).');
	});

	it('walks the areas in order and scores the finished check-in with the registry', () => {
		const partial: Record<string, AreaAnswer> = {};
		expect(nextAreaToRate(partial)?.key).toBe('mental-health');
		partial['mental-health'] = { rating: 3, moreHelp: true };
		partial['job-situation'] = { rating: null, moreHelp: null };
		expect(nextAreaToRate(partial)?.key).toBe('physical-health');
		expect(isComplete(partial)).toBe(false);
		expect(() => dialogAnswers(partial)).toThrow(/your physical health has no answer/);
		const values = [3, 4, null, 5, 6, 7, 2, 4, null, 5, 6];
		const ratings = ratingsOf(values);
		expect(isComplete(ratings)).toBe(true);
		expect(nextAreaToRate(ratings)).toBeNull();
		expect(dialogAnswers(ratings)).toEqual(values);
		expect(scoreDialogRatings(ratings)).toEqual(dialog.score(values));
	});

	it('lets people choose up to three rated areas to talk about', () => {
		const ratings = ratingsOf([3, 4, null, 5, 6, 7, 2, 4, null, 5, 6], [true, false, null, false, false, false, true]);
		const form = chooseAreasForm(ratings);
		const boxes = form.fields[0];
		expect(boxes.label).toBe('Choose up to 3 areas to talk about');
		if (boxes.kind !== 'checkboxes') throw new Error('expected checkboxes');
		expect(boxes.options.map((o) => o.value)).not.toContain('job-situation');
		expect(boxes.options).toHaveLength(9);
		expect(boxes.options[0]).toEqual({ value: 'mental-health', label: 'Your mental health', hint: 'You rated this 3 (fairly dissatisfied) and want more help.' });
		expect(boxes.options[1].hint).toBe('You rated this 4 (in the middle).');
		expect(parse(form, { areas: ['friendships', 'mental-health'] })).toEqual({ ok: true, values: ['mental-health', 'friendships'] });
		expect(parse(form, { areas: [] })).toEqual({ ok: true, values: [] });
		expect(parse(form, { areas: ['friendships', 'friendships', 'friendships', 'mental-health'] })).toEqual({ ok: true, values: ['mental-health', 'friendships'] });
		expect(errorsOf(form, { areas: ['mental-health', 'physical-health', 'accommodation', 'friendships'] })).toEqual({ areas: 'Choose up to 3 areas to talk about' });
		expect(errorsOf(form, { areas: ['job-situation'] })).toEqual({ areas: 'Choose areas from the list' });
		expect(errorsOf(form, { areas: ['not-an-area'] })).toEqual({ areas: 'Choose areas from the list' });
	});

	it('records what was agreed for each chosen area', () => {
		const form = agreedActionsForm(['mental-health', 'friendships', 'nonsense']);
		expect(form.fields.map((f) => [f.name, f.label])).toEqual([
			['action-mental-health', 'What was agreed about their mental health'],
			['action-friendships', 'What was agreed about their friendships']
		]);
		expect(parse(form, { 'action-mental-health': '  Ask GP about a review  ', 'action-friendships': '' })).toEqual({
			ok: true,
			values: [{ area: 'mental-health', action: 'Ask GP about a review' }]
		});
		expect(errorsOf(form, { 'action-mental-health': 'x'.repeat(1001), 'action-friendships': '' })).toEqual({
			'action-mental-health': 'What was agreed about their mental health must be 1000 characters or fewer'
		});
	});

	it('compares each area with last time in words', () => {
		const previous = ratingsOf([3, 4, 5, null, 6, null, 2, 4, 4, 5, 6]);
		const now = ratingsOf([5, 4, 4, 5, null, null, 3, 4, 4, 5, 7], [true]);
		const comparison = compareRatings(previous, now);
		expect(comparison.map((c) => c.words)).toEqual(['up 2', 'same', 'down 1', 'first rating', 'not rated this time', 'not rated', 'up 1', 'same', 'same', 'same', 'up 1']);
		expect(comparison[0]).toEqual({ key: 'mental-health', label: 'Your mental health', previous: 3, now: 5, change: 2, words: 'up 2', moreHelp: true });
		expect(compareRatings(null, now)[0]).toMatchObject({ previous: null, now: 5, change: null, words: 'first rating' });
	});

	it('words every change so that it can be read back', () => {
		const rating = fc.option(fc.integer({ min: 1, max: 7 }), { freq: 4 });
		fc.assert(
			fc.property(rating, rating, (before, after) => {
				const words = changeWords(before, after);
				if (before !== null && after !== null) {
					const change = after - before;
					expect(words).toBe(change === 0 ? 'same' : change > 0 ? `up ${change}` : `down ${-change}`);
				} else expect(['first rating', 'not rated this time', 'not rated']).toContain(words);
			})
		);
	});
});

// ---- provider report ---------------------------------------------------------------------------------

describe('the provider report', () => {
	// Hand-computed fixture. DIALOG overall score, first -> latest, meaningful change 0.5:
	//   A 3 -> 4 improved; B 4 -> 4.5 improved (exactly 0.5); C 4 -> 4.49 maintained; D 5 -> 4.5 reduced;
	//   E 2 -> 4 improved (via 1.5 in between); F one check-in; G one check-in; H no DIALOG at all.
	//   Compared 5: improved 3 (60%), maintained 1 (20%), reduced 1 (20%); only one 2; participants 7.
	// DIALOG care score: A 5 -> 5, B..E 5 -> 5 (maintained 5, 100%), F and G only one.
	// GAD-7 (lower is better, 4 points): A 12 -> 7 improved; B 8 -> 12 reduced; C 10 -> 12 maintained:
	//   1 (33%) each. PHQ-9: nobody.
	const participants: ScoredCheckIn[][] = [
		[dialogAt('2027-03-01', 3), dialogAt('2027-06-01', 4), gad7At('2027-03-01', 12), gad7At('2027-06-01', 7)],
		[dialogAt('2027-06-01', 4.5), dialogAt('2027-03-01', 4), gad7At('2027-03-01', 8), gad7At('2027-06-01', 12)],
		[dialogAt('2027-03-01', 4), dialogAt('2027-06-01', 4.49), gad7At('2027-03-01', 10), gad7At('2027-06-01', 12)],
		[dialogAt('2027-03-01', 5), dialogAt('2027-06-01', 4.5)],
		[dialogAt('2027-03-01', 2), dialogAt('2027-04-01', 1.5), dialogAt('2027-06-01', 4)],
		[dialogAt('2027-03-01', 6)],
		[dialogAt('2027-03-01', 1)],
		[swemwbsAt('2027-03-01', 20)]
	];

	it('matches the hand-computed figures', () => {
		const report = providerReport(participants, ['dialog', 'gad7', 'phq9']);
		expect(report.rows.map((r) => [r.label, r.counts, r.shares])).toEqual([
			['DIALOG: Overall score', { improved: 3, maintained: 1, reduced: 1, onlyOne: 2, participants: 7 }, { improved: 60, maintained: 20, reduced: 20 }],
			['DIALOG: Care score', { improved: 0, maintained: 5, reduced: 0, onlyOne: 2, participants: 7 }, { improved: 0, maintained: 100, reduced: 0 }],
			['GAD-7', { improved: 1, maintained: 1, reduced: 1, onlyOne: 0, participants: 3 }, { improved: 33, maintained: 33, reduced: 33 }],
			['PHQ-9', { improved: 0, maintained: 0, reduced: 0, onlyOne: 0, participants: 0 }, { improved: null, maintained: null, reduced: null }]
		]);
		expect(report.table.columns).toEqual(['Measure', 'Participants', 'Improved', 'Maintained', 'Reduced', 'Only one check-in']);
		expect(report.table.rows).toEqual([
			{ label: 'DIALOG: Overall score', cells: ['7', '3 (60%)', '1 (20%)', '1 (20%)', '2'] },
			{ label: 'DIALOG: Care score', cells: ['7', '0 (0%)', '5 (100%)', '0 (0%)', '2'] },
			{ label: 'GAD-7', cells: ['3', '1 (33%)', '1 (33%)', '1 (33%)', '0'] },
			{ label: 'PHQ-9', cells: ['0', '0', '0', '0', '0'] }
		]);
		expect(report.csv.header).toEqual(['measure', 'participants', 'improved', 'improved_percent', 'maintained', 'maintained_percent', 'reduced', 'reduced_percent', 'only_one_check_in']);
		expect(report.csv.rows[0]).toEqual(['DIALOG: Overall score', '7', '3', '60', '1', '20', '1', '20', '2']);
		expect(report.csv.rows[3]).toEqual(['PHQ-9', '0', '0', '', '0', '', '0', '', '0']);
		expect(report.chart.labels).toEqual(['DIALOG: Overall score', 'DIALOG: Care score', 'GAD-7', 'PHQ-9']);
		expect(report.chart.datasets).toEqual([
			{ key: 'improved', label: 'Improved (%)', data: [60, 0, 33, null] },
			{ key: 'maintained', label: 'Maintained (%)', data: [20, 100, 33, null] },
			{ key: 'reduced', label: 'Reduced (%)', data: [20, 0, 33, null] }
		]);
	});

	it('rounds each share on its own, as people would by hand', () => {
		expect(sharesOf({ improved: 4, maintained: 1, reduced: 1, onlyOne: 9, participants: 15 })).toEqual({ improved: 67, maintained: 17, reduced: 17 });
		expect(sharesOf({ improved: 1, maintained: 0, reduced: 1, onlyOne: 0, participants: 2 })).toEqual({ improved: 50, maintained: 0, reduced: 50 });
	});

	it('names every line, ONS4 by its four questions', () => {
		expect(providerReport([]).rows.map((r) => r.label)).toEqual([
			'DIALOG: Overall score',
			'DIALOG: Care score',
			'SWEMWBS',
			'ONS4: Life satisfaction',
			'ONS4: Feeling the things you do are worthwhile',
			'ONS4: Happiness yesterday',
			'ONS4: Anxiety yesterday',
			'GAD-7',
			'PHQ-9',
			'PHQ-8'
		]);
	});

	it('puts each participant in the category their own progress page shows, and the table and chart agree', () => {
		fc.assert(
			fc.property(fc.array(fc.array(checkInArb, { maxLength: 6 }), { maxLength: 8 }), meaningfulArb, (people, meaningful) => {
				const report = providerReport(people, CHARTED_INSTRUMENTS, meaningful);
				const pages = people.map((person) => new Map(CHARTED_INSTRUMENTS.map((id) => [id, measureProgress(id, person, meaningful)])));
				for (const row of report.rows) {
					const expected = { improved: 0, maintained: 0, reduced: 0, onlyOne: 0, participants: 0 };
					for (const page of pages) {
						const line = page.get(row.line.instrument)!.lines.find((l) => l.key === row.line.key)!;
						const values = line.values.filter((v) => v !== null);
						if (!values.length) continue;
						expected.participants++;
						if (line.change) expected[line.change.category]++;
						else expected.onlyOne++;
					}
					expect(row.counts).toEqual(expected);
					expect(countChanges(row.line, [], meaningful).participants).toBe(0);
				}
				report.rows.forEach((row, i) => {
					expect(report.table.rows[i].label).toBe(report.chart.labels[i]);
					expect(report.csv.rows[i][0]).toBe(report.chart.labels[i]);
					report.chart.datasets.forEach((dataset, c) => {
						const share = dataset.data[i];
						const count = row.counts[dataset.key];
						expect(report.table.rows[i].cells[c + 1]).toBe(share === null ? String(count) : `${count} (${share}%)`);
						expect(report.csv.rows[i][2 + c * 2]).toBe(String(count));
						expect(report.csv.rows[i][3 + c * 2]).toBe(share === null ? '' : String(share));
					});
				});
			}),
			{ numRuns: 100 }
		);
	}, 30_000);
});

describe('score lines', () => {
	it('lists DIALOG overall then care, and one line each for the single-score measures', () => {
		expect(scoreLines('dialog').map((l) => l.key)).toEqual(['dialog-life', 'dialog-treatment']);
		expect(scoreLines('swemwbs').map((l) => l.key)).toEqual(['swemwbs']);
		expect(scoreLines('ons4')).toHaveLength(4);
	});
});
