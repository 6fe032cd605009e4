/**
 * A person's progress on one measure over time: the chart's series, the table, the CSV and the sentences
 * all come out of one function (`measureProgress`) from one list of rounded numbers, so they cannot
 * disagree. Existing tools chart one thing and export another; this is the guard against that.
 *
 * Change between the first and latest check-in is improved / maintained / reduced against a "meaningful
 * change" threshold per measure, which is a programme setting (defaults below, with where they come from).
 * The category is about wellbeing, not the raw number: for GAD-7, PHQ-9, PHQ-8 and ONS4 anxiety a lower
 * score is better, so a fall is "improved".
 */
import { z } from 'zod';
import { text, type Field, type FormDefinition, type RawValues } from '../fields';
import { formatDate, ukDate } from '../uk-time';
import type { DialogResult } from './dialog';
import { changeWords, DIALOG_AREAS, type DialogRatings } from './dialog-review';
import type { Gad7Result } from './gad7';
import type { InstrumentId } from './instrument';
import type { Ons4Result } from './ons4';
import type { PhqResult } from './phq9';
import { INSTRUMENT_TITLES, type InstrumentResult } from './registry';
import type { SwemwbsResult } from './swemwbs';

/** Measures with a score to chart. EQ-5D-5L's result is a health-state profile ("11223"), not a score. */
export const CHARTED_INSTRUMENTS = ['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9', 'phq8'] as const satisfies readonly InstrumentId[];
export type ChartedInstrument = (typeof CHARTED_INSTRUMENTS)[number];

export function isCharted(id: string): id is ChartedInstrument {
	return (CHARTED_INSTRUMENTS as readonly string[]).includes(id);
}

/**
 * What each charted measure is called on the progress pages: words first, the instrument's own name as a
 * note (never an abbreviation alone). `phrase` is how a sentence names it ("a check-in on your mood");
 * the heading is the phrase with a capital. Staff pages turn "your" into "their" (theirSentence).
 */
export const MEASURE_NAMES: Readonly<Record<ChartedInstrument, { phrase: string; note: string }>> = {
	dialog: { phrase: 'how things are going', note: 'DIALOG+: satisfaction with 8 areas of your life and 3 areas of your care, each rated from 1 to 7.' },
	swemwbs: { phrase: 'your wellbeing', note: 'The Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS): 7 questions about your thoughts and feelings.' },
	ons4: { phrase: 'your personal wellbeing', note: 'The Office for National Statistics personal wellbeing questions (ONS4): 4 questions, each scored on its own.' },
	gad7: { phrase: 'worry and anxiety', note: 'The Generalised Anxiety Disorder questionnaire (GAD-7): 7 questions about worry and anxiety.' },
	phq9: { phrase: 'your mood', note: 'The Patient Health Questionnaire (PHQ-9): 9 questions about your mood.' },
	phq8: { phrase: 'your mood', note: 'The Patient Health Questionnaire (PHQ-8): 8 questions about your mood.' }
};

/** "Your wellbeing", "How things are going": a measure's heading. */
export function measureTitle(instrument: ChartedInstrument): string {
	const { phrase } = MEASURE_NAMES[instrument];
	return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** One completed check-in on one measure, as stored: when, and the result its scoring function gave. */
export type ScoredCheckIn = {
	[Id in ChartedInstrument]: { instrument: Id; at: Date; result: InstrumentResult<Id> };
}[ChartedInstrument];

// ---- the lines a measure draws ---------------------------------------------------------------------

export interface ScoreLine {
	key: string;
	instrument: ChartedInstrument;
	/** Column heading, chart legend and CSV header: what the number is and its range. */
	name: string;
	/** How a sentence names it: "Your {subject} went up ...". */
	subject: string;
	lowerIsBetter: boolean;
	/** For lower-is-better lines, what a fall and a rise mean in plain words. */
	meaning?: { fall: string; rise: string };
	min: number;
	max: number;
}

interface LineDefinition<R> extends Omit<ScoreLine, 'instrument'> {
	value(result: R): unknown;
}

const FEWER_SYMPTOMS = { fall: 'which means fewer symptoms', rise: 'which means more symptoms' };

const LINES: { [Id in ChartedInstrument]: LineDefinition<InstrumentResult<Id>>[] } = {
	dialog: [
		{
			key: 'dialog-life',
			name: 'Overall score (8 life areas, average from 1 to 7)',
			subject: 'overall score',
			lowerIsBetter: false,
			min: 1,
			max: 7,
			value: (r: DialogResult) => r.lifeMean
		},
		{
			key: 'dialog-treatment',
			name: 'Care score (3 areas of support, average from 1 to 7)',
			subject: 'score for your care and support',
			lowerIsBetter: false,
			min: 1,
			max: 7,
			value: (r: DialogResult) => r.treatmentMean
		}
	],
	// The metric score, never the raw total: the published conversion makes the scale even (DOMAIN.md section 6).
	swemwbs: [
		{ key: 'swemwbs', name: 'Wellbeing score (7 to 35)', subject: 'wellbeing score', lowerIsBetter: false, min: 7, max: 35, value: (r: SwemwbsResult) => r.metric }
	],
	// Four lines, never summed: ONS reports each question on its own.
	ons4: [
		{ key: 'ons4-life-satisfaction', name: 'Life satisfaction (0 to 10)', subject: 'life satisfaction score', lowerIsBetter: false, min: 0, max: 10, value: (r: Ons4Result) => r.scores[0] },
		{ key: 'ons4-worthwhile', name: 'Feeling the things you do are worthwhile (0 to 10)', subject: 'score for feeling the things you do are worthwhile', lowerIsBetter: false, min: 0, max: 10, value: (r: Ons4Result) => r.scores[1] },
		{ key: 'ons4-happy', name: 'Happiness yesterday (0 to 10)', subject: 'happiness score', lowerIsBetter: false, min: 0, max: 10, value: (r: Ons4Result) => r.scores[2] },
		{
			key: 'ons4-anxious',
			name: 'Anxiety yesterday (0 to 10)',
			subject: 'anxiety score',
			lowerIsBetter: true,
			meaning: { fall: 'which means you felt less anxious', rise: 'which means you felt more anxious' },
			min: 0,
			max: 10,
			value: (r: Ons4Result) => r.scores[3]
		}
	],
	gad7: [
		{ key: 'gad7', name: 'Anxiety score (GAD-7, 0 to 21)', subject: 'anxiety score', lowerIsBetter: true, meaning: FEWER_SYMPTOMS, min: 0, max: 21, value: (r: Gad7Result) => r.total }
	],
	phq9: [
		{ key: 'phq9', name: 'Depression score (PHQ-9, 0 to 27)', subject: 'depression score', lowerIsBetter: true, meaning: FEWER_SYMPTOMS, min: 0, max: 27, value: (r: PhqResult) => r.total }
	],
	phq8: [
		{ key: 'phq8', name: 'Depression score (PHQ-8, 0 to 24)', subject: 'depression score', lowerIsBetter: true, meaning: FEWER_SYMPTOMS, min: 0, max: 24, value: (r: PhqResult) => r.total }
	]
};

function definitionsOf(instrument: ChartedInstrument): LineDefinition<unknown>[] {
	return LINES[instrument] as LineDefinition<unknown>[];
}

/** The lines a measure draws, in order (DIALOG: overall then care; ONS4: its four questions). */
export function scoreLines(instrument: ChartedInstrument): ScoreLine[] {
	return definitionsOf(instrument).map(({ value: _value, ...line }) => ({ ...line, instrument }));
}

/** Every line of every charted measure, by key. */
export const SCORE_LINES: Readonly<Record<string, ScoreLine>> = Object.fromEntries(
	CHARTED_INSTRUMENTS.flatMap((id) => scoreLines(id)).map((line) => [line.key, line])
);

/**
 * The one rounding every number goes through before it is charted, tabled, compared or exported:
 * two decimal places, the precision the scoring functions give (DIALOG means, SWEMWBS metric scores).
 */
export function roundScore(value: number): number {
	return Math.round(value * 100) / 100;
}

/** A score as the table, CSV and sentences write it: the rounded number, no trailing zeros ("4.5", "12"). */
export function formatScore(value: number): string {
	return String(roundScore(value));
}

/** Each line's value for a stored result; null when the result has none (a DIALOG part all skipped). */
export function lineValues(checkIn: Pick<ScoredCheckIn, 'instrument' | 'result'>): (number | null)[] {
	return definitionsOf(checkIn.instrument).map((line) => {
		const value = line.value(checkIn.result);
		return typeof value === 'number' && Number.isFinite(value) ? roundScore(value) : null;
	});
}

export interface DatedScore {
	value: number;
	/** UK date, "YYYY-MM-DD" */
	date: string;
}

/** One line's values over a person's check-ins, oldest first, leaving out check-ins without a value. */
export function lineSeries(line: Pick<ScoreLine, 'key' | 'instrument'>, checkIns: readonly ScoredCheckIn[]): DatedScore[] {
	const index = scoreLines(line.instrument).findIndex((l) => l.key === line.key);
	return checkIns
		.filter((c) => c.instrument === line.instrument)
		.sort((a, b) => a.at.getTime() - b.at.getTime())
		.flatMap((c) => {
			const value = lineValues(c)[index];
			return value === null ? [] : [{ value, date: ukDate(c.at) }];
		});
}

// ---- meaningful change (a programme setting) --------------------------------------------------------

export type MeaningfulChange = Record<ChartedInstrument, number>;

/**
 * Default meaningful change per measure, in the measure's own points. A programme can change them.
 * - DIALOG 0.5 on the average of the 1-7 ratings: there is no published minimal important difference for
 *   one person's DIALOG change, so this is the portal's own default: half a step on the 7-point scale,
 *   averaged over the areas. It applies to both the overall and the care score. Providers that report
 *   improved / maintained / reduced (DOMAIN.md section 6) should set the rule their commissioner uses.
 * - SWEMWBS 3 metric points: Shah et al. 2018 (Health and Quality of Life Outcomes 16:239) found that a
 *   change of between 1 and 3 points meets the thresholds for a statistically important change for a
 *   person, depending on the standard; 3 (about 2.77 standard errors of measurement, 2.87 points) is the
 *   cautious end, so a "better" or "worse" is unlikely to be noise.
 * - ONS4 2 points on a 0-10 question: ONS publishes no individual threshold; 2 points is more than the
 *   one-point jitter of a single 0-10 answer. Applies to each of the four questions.
 * - GAD-7 4 points: minimal clinically important difference, Toussaint et al. 2020 (Journal of
 *   Affective Disorders 265:395-401).
 * - PHQ-9 5 points: a clinically significant change, Löwe et al. 2004 (Medical Care 42:1194-1201).
 *   PHQ-8 uses the same, as its scores differ from PHQ-9 only by item 9. (NHS Talking Therapies use 6 for
 *   "reliable" change; a programme reporting to them can set that.)
 */
export const DEFAULT_MEANINGFUL_CHANGE: Readonly<MeaningfulChange> = Object.freeze({
	dialog: 0.5,
	swemwbs: 3,
	ons4: 2,
	gad7: 4,
	phq9: 5,
	phq8: 5
});

export type ChangeCategory = 'improved' | 'maintained' | 'reduced';

/** Words for reports (the providers' and commissioners' terms). */
export const CHANGE_CATEGORY_LABELS: Record<ChangeCategory, string> = {
	improved: 'Improved',
	maintained: 'Maintained',
	reduced: 'Reduced'
};

/** In hundredths, so 4.1 to 4.6 is exactly 50 and meets a threshold of 0.5 (binary fractions would not). */
function hundredths(value: number): number {
	return Math.round(value * 100);
}

/** How far the score moved towards better, in hundredths of a point (negative: towards worse). */
export function betterBy(line: Pick<ScoreLine, 'lowerIsBetter'>, first: number, latest: number): number {
	const rise = hundredths(latest) - hundredths(first);
	return line.lowerIsBetter ? -rise : rise;
}

/** Improved or reduced when the score moved at least the threshold towards better or worse; else maintained. */
export function changeCategory(
	line: Pick<ScoreLine, 'lowerIsBetter' | 'instrument'>,
	first: number,
	latest: number,
	meaningful: Readonly<MeaningfulChange> = DEFAULT_MEANINGFUL_CHANGE
): ChangeCategory {
	const moved = betterBy(line, first, latest);
	const threshold = hundredths(meaningful[line.instrument]);
	if (moved >= threshold) return 'improved';
	if (-moved >= threshold) return 'reduced';
	return 'maintained';
}

// ---- one measure's progress ---------------------------------------------------------------------

export interface LineChange {
	category: ChangeCategory;
	first: { value: number; date: string };
	latest: { value: number; date: string };
}

export interface LineProgress extends ScoreLine {
	/** One per check-in, in check-in order; null where this check-in has no value for the line. */
	values: (number | null)[];
	/** Null with fewer than two values to compare. */
	change: LineChange | null;
	sentence: string;
}

/**
 * One chart: the lines it draws (indexes into `chart.datasets`), its y axis range and the axis title that
 * says which way is better. ONS4's four questions are four panels (anxiety is read the other way round);
 * every other measure is one.
 */
export interface ChartPanel {
	key: string;
	/** The panel's own heading when a measure has several; null when the measure's heading is enough. */
	title: string | null;
	/** "Score, 0 to 10: lower is better" */
	axis: string;
	min: number;
	max: number;
	datasets: number[];
}

export interface MeasureProgress {
	instrument: ChartedInstrument;
	/** The heading, in words: "Your wellbeing". */
	title: string;
	/** The instrument's own name, said under the heading. */
	note: string;
	/** The check-ins' UK dates ("YYYY-MM-DD"), oldest first. */
	dates: string[];
	lines: LineProgress[];
	/**
	 * For chart.js: labels in words, the same dates as "YYYY-MM-DD" for the time axis (so a 10-week gap is
	 * five times a 2-week one), one dataset per line, and the panels that draw them.
	 */
	chart: { labels: string[]; dates: string[]; datasets: { key: string; label: string; data: (number | null)[] }[]; panels: ChartPanel[] };
	/** The same numbers as the chart, in the same order, as text. */
	table: { caption: string; columns: string[]; rows: { date: string; cells: string[] }[] };
	/** The same numbers again for download: ISO dates, empty where there is no value. */
	csv: { header: string[]; rows: string[][] };
	/** One per line, in line order. */
	sentences: string[];
}

/** What a table cell says where a check-in has no value for a line (every DIALOG care area skipped). */
export const NO_SCORE = 'Not answered';

interface Ends {
	first: LineChange['first'];
	latest: LineChange['latest'];
	/** How many check-ins have a value for the line. */
	count: number;
}

/** The first and latest check-ins that have a value for the line; null when none has. */
function endsOf(values: readonly (number | null)[], dates: readonly string[]): Ends | null {
	const present = values.flatMap((value, i) => (value === null ? [] : [{ value, date: dates[i] }]));
	return present.length ? { first: present[0], latest: present[present.length - 1], count: present.length } : null;
}

/** "Your overall score went up from 3.4 to 4.6 since 12 March 2027." and its kin. */
export function changeSentence(line: ScoreLine, change: LineChange): string {
	const from = formatScore(change.first.value);
	const to = formatScore(change.latest.value);
	const since = `since ${formatDate(change.first.date)}`;
	const subject = `Your ${line.subject}`;
	if (change.category === 'maintained') {
		if (from === to) return `${subject} stayed the same, at ${to}, ${since}.`;
		return `${subject} stayed about the same, from ${from} to ${to}, ${since}.`;
	}
	const wentUp = change.latest.value > change.first.value;
	const meaning = line.meaning ? `, ${wentUp ? line.meaning.rise : line.meaning.fall}` : '';
	return `${subject} went ${wentUp ? 'up' : 'down'} from ${from} to ${to} ${since}${meaning}.`;
}

function lineSentence(line: ScoreLine, ends: Ends | null, change: LineChange | null, phrase: string, checkIns: number): string {
	if (change) return changeSentence(line, change);
	if (ends) {
		const { value, date } = ends.latest;
		return `Your ${line.subject} was ${formatScore(value)} on ${formatDate(date)}. After your next check-in on ${phrase} you will see how it has changed.`;
	}
	if (checkIns) return `There is no ${line.subject} yet, because those questions were skipped.`;
	return `You have not done a check-in on ${phrase} yet.`;
}

/** Measures whose lines are charted one per panel: each ONS4 question has its own chart. */
const PANEL_PER_LINE: readonly ChartedInstrument[] = ['ons4'];

function axisTitle(lines: readonly ScoreLine[]): string {
	const lower = lines.every((l) => l.lowerIsBetter);
	const min = Math.min(...lines.map((l) => l.min));
	const max = Math.max(...lines.map((l) => l.max));
	return `Score, ${min} to ${max}: ${lower ? 'lower' : 'higher'} is better`;
}

function chartPanels(instrument: ChartedInstrument, lines: readonly ScoreLine[]): ChartPanel[] {
	const groups = PANEL_PER_LINE.includes(instrument) ? lines.map((_, i) => [i]) : [lines.map((_, i) => i)];
	return groups.map((indexes) => {
		const mine = indexes.map((i) => lines[i]);
		return {
			key: indexes.length === 1 ? mine[0].key : instrument,
			title: groups.length > 1 ? mine[0].name : null,
			axis: axisTitle(mine),
			min: Math.min(...mine.map((l) => l.min)),
			max: Math.max(...mine.map((l) => l.max)),
			datasets: indexes
		};
	});
}

/**
 * A sentence or line name about the person's scores, as staff read it: "Their score for their care and
 * support went up ...", "which means they felt less anxious". "You" is then the member of staff ("After
 * their next check-in on how things are going you will see how it has changed").
 */
export function theirSentence(sentence: string): string {
	return sentence
		.replace(/\bYour\b/g, 'Their')
		.replace(/\byour\b/g, 'their')
		.replace(/\bthe things you do\b/gi, (m) => (m[0] === 'T' ? 'The things they do' : 'the things they do'))
		.replace(/\bwhich means you felt\b/g, 'which means they felt')
		.replace(/\b(Y|y)ou (rated|asked|did not ask)\b/g, (_, y: string, verb: string) => `${y === 'Y' ? 'They' : 'they'} ${verb}`)
		.replace(/^You have not done\b/, 'They have not done');
}

/**
 * A person's progress on one measure: chart, table, CSV and sentences from the same rounded numbers.
 * Check-ins for other measures are left out; the rest are put in date order (ties keep their order).
 */
export function measureProgress(
	instrument: ChartedInstrument,
	checkIns: readonly ScoredCheckIn[],
	meaningful: Readonly<MeaningfulChange> = DEFAULT_MEANINGFUL_CHANGE
): MeasureProgress {
	const mine = checkIns.filter((c) => c.instrument === instrument).sort((a, b) => a.at.getTime() - b.at.getTime());
	const dates = mine.map((c) => ukDate(c.at));
	const rows = mine.map(lineValues);
	const title = measureTitle(instrument);
	const { phrase, note } = MEASURE_NAMES[instrument];
	const lines: LineProgress[] = scoreLines(instrument).map((line, l) => {
		const values = rows.map((row) => row[l]);
		const ends = endsOf(values, dates);
		const change: LineChange | null =
			ends && ends.count >= 2
				? { category: changeCategory(line, ends.first.value, ends.latest.value, meaningful), first: ends.first, latest: ends.latest }
				: null;
		return { ...line, values, change, sentence: lineSentence(line, ends, change, phrase, mine.length) };
	});
	const labels = dates.map(formatDate);
	const cell = (value: number | null) => (value === null ? NO_SCORE : formatScore(value));
	return {
		instrument,
		title,
		note,
		dates,
		lines,
		chart: {
			labels,
			dates,
			datasets: lines.map((line) => ({ key: line.key, label: line.name, data: line.values })),
			panels: chartPanels(instrument, lines)
		},
		table: {
			caption: `${title}: scores at each check-in`,
			columns: ['Date', ...lines.map((line) => line.name)],
			rows: labels.map((date, i) => ({ date, cells: lines.map((line) => cell(line.values[i])) }))
		},
		csv: {
			header: ['date', ...lines.map((line) => line.name)],
			rows: dates.map((date, i) => [date, ...lines.map((line) => (line.values[i] === null ? '' : formatScore(line.values[i])))])
		},
		sentences: lines.map((line) => line.sentence)
	};
}

/** Progress on every charted measure the person has done, in registry order. */
export function progressByMeasure(checkIns: readonly ScoredCheckIn[], meaningful: Readonly<MeaningfulChange> = DEFAULT_MEANINGFUL_CHANGE): MeasureProgress[] {
	return CHARTED_INSTRUMENTS.filter((id) => checkIns.some((c) => c.instrument === id)).map((id) => measureProgress(id, checkIns, meaningful));
}

// ---- DIALOG+ area by area ---------------------------------------------------------------------------

/** One DIALOG+ check-in's answers, area by area, as stored. */
export interface DialogAreaCheckIn {
	at: Date;
	ratings: DialogRatings;
}

/** The 11 areas named short enough for a chart's axis, in questionnaire order. */
export const DIALOG_AREA_SHORT_NAMES: Readonly<Record<string, string>> = {
	'mental-health': 'Mental health',
	'physical-health': 'Physical health',
	'job-situation': 'Job situation',
	accommodation: 'Accommodation',
	'leisure-activities': 'Leisure activities',
	'partner-family': 'Partner or family',
	friendships: 'Friendships',
	'personal-safety': 'Personal safety',
	medication: 'Medication',
	'practical-help': 'Practical help',
	meetings: 'Meetings with staff'
};

/** What a table cell says for an area that did not apply (no rating, so "more help" was not asked). */
export const DID_NOT_APPLY = 'Did not apply';
export const NOT_ASKED = 'Not asked';

export interface DialogAreasProgress {
	/** The first and latest DIALOG+ check-ins' UK dates ("YYYY-MM-DD"); one date when there is one check-in. */
	dates: string[];
	/** In words: how many areas went up, down or stayed the same, and how many the person wants more help with. */
	sentences: string[];
	/** Area, rating(s), change and "more help" answer(s), one row per area in questionnaire order. */
	table: { caption: string; columns: string[]; rows: { area: string; cells: string[] }[] };
	/**
	 * The same ratings for a compact chart: one row per area (short names), a dataset for the first and one
	 * for the latest check-in. Null with one check-in: one set of ratings is a table, not a chart.
	 */
	chart: {
		labels: string[];
		/** Under each area's name: its "more help" answers, first then latest ("More help: yes → no"; "–" where not asked). */
		moreHelp: string[];
		datasets: { key: 'first' | 'latest'; label: string; data: (number | null)[] }[];
	} | null;
}

const yesNo = (answer: boolean | null | undefined) => (answer === true ? 'Yes' : answer === false ? 'No' : NOT_ASKED);
/** The "more help" answer as short as a chart label needs: yes, no, or a dash where it was not asked. */
const helpShort = (answer: boolean | null | undefined) => (answer === true ? 'yes' : answer === false ? 'no' : '–');
const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/**
 * How each of the 11 DIALOG+ areas and its "more help" answer changed from the first check-in to the
 * latest: the table, the chart and the sentences from one pass over the same ratings, so they cannot
 * disagree. Null with no DIALOG+ check-in.
 */
export function dialogAreaProgress(checkIns: readonly DialogAreaCheckIn[]): DialogAreasProgress | null {
	if (!checkIns.length) return null;
	const sorted = [...checkIns].sort((a, b) => a.at.getTime() - b.at.getTime());
	const first = sorted[0];
	const latest = sorted[sorted.length - 1];
	const both = sorted.length > 1;
	const dates = both ? [ukDate(first.at), ukDate(latest.at)] : [ukDate(first.at)];
	const [firstWords, latestWords] = [formatDate(dates[0]), formatDate(dates[dates.length - 1])];
	const areas = DIALOG_AREAS.map((area) => {
		const before = first.ratings[area.key];
		const after = latest.ratings[area.key];
		return {
			area,
			first: before?.rating ?? null,
			latest: after?.rating ?? null,
			firstHelp: before?.rating == null ? null : (before.moreHelp ?? null),
			latestHelp: after?.rating == null ? null : (after.moreHelp ?? null)
		};
	});
	const rating = (value: number | null) => (value === null ? DID_NOT_APPLY : String(value));
	const wantHelp = areas.filter((a) => a.latestHelp === true).length;
	const helpSentence =
		wantHelp === 0
			? `At your check-in on ${latestWords} you did not ask for more help with any area.`
			: `At your check-in on ${latestWords} you asked for more help with ${wantHelp === 1 ? '1 area' : `${wantHelp} areas`}.`;
	if (!both) {
		return {
			dates,
			sentences: [`You rated ${areas.filter((a) => a.latest !== null).length} of the 11 areas on ${latestWords}.`, helpSentence],
			table: {
				caption: 'Each area of how things are going',
				columns: ['Area', `Rating on ${latestWords}`, `More help on ${latestWords}`],
				rows: areas.map((a) => ({ area: a.area.label, cells: [rating(a.latest), yesNo(a.latestHelp)] }))
			},
			chart: null
		};
	}
	const compared = areas.filter((a) => a.first !== null && a.latest !== null);
	const up = compared.filter((a) => a.latest! > a.first!).length;
	const down = compared.filter((a) => a.latest! < a.first!).length;
	const count = (n: number) => (n === 1 ? '1 area' : `${n} areas`);
	return {
		dates,
		sentences: [
			`Since ${firstWords}, you rated ${count(up)} higher, ${count(down)} lower and ${count(compared.length - up - down)} the same.`,
			helpSentence
		],
		table: {
			caption: 'Each area of how things are going: first and latest check-in',
			columns: ['Area', `Rating on ${firstWords}`, `Rating on ${latestWords}`, 'Change', `More help on ${firstWords}`, `More help on ${latestWords}`],
			rows: areas.map((a) => ({
				area: a.area.label,
				cells: [rating(a.first), rating(a.latest), capitalised(changeWords(a.first, a.latest)), yesNo(a.firstHelp), yesNo(a.latestHelp)]
			}))
		},
		chart: {
			labels: areas.map((a) => DIALOG_AREA_SHORT_NAMES[a.area.key] ?? a.area.label),
			moreHelp: areas.map((a) => `More help: ${helpShort(a.firstHelp)} → ${helpShort(a.latestHelp)}`),
			datasets: [
				{ key: 'first', label: `First check-in, ${firstWords}`, data: areas.map((a) => a.first) },
				{ key: 'latest', label: `Latest check-in, ${latestWords}`, data: areas.map((a) => a.latest) }
			]
		}
	};
}

// ---- the settings form ----------------------------------------------------------------------------

/** The largest threshold a measure accepts: its whole range (a bigger one would mean "never changes"). */
const THRESHOLD_MAX: MeaningfulChange = { dialog: 6, swemwbs: 28, ons4: 10, gad7: 21, phq9: 27, phq8: 24 };

function thresholdField(id: ChartedInstrument): Field {
	return {
		kind: 'text',
		name: `meaningful-${id}`,
		label: `Meaningful change for ${INSTRUMENT_TITLES[id]}`,
		hint: `In points${id === 'dialog' ? ' on the average rating' : id === 'ons4' ? ' on each question' : ''}. Default ${DEFAULT_MEANINGFUL_CHANGE[id]}.`,
		width: 'short',
		inputmode: 'text',
		spellcheck: false,
		suffix: 'points'
	};
}

const threshold = (id: ChartedInstrument) =>
	text()
		.trim()
		.min(1, `Enter the meaningful change for ${INSTRUMENT_TITLES[id]}`)
		.refine((v) => /^\d{1,2}(\.\d{1,2})?$/.test(v), `Meaningful change for ${INSTRUMENT_TITLES[id]} must be a number, like ${DEFAULT_MEANINGFUL_CHANGE[id]}`)
		.transform(Number)
		.refine((n) => n > 0 && n <= THRESHOLD_MAX[id], `Meaningful change for ${INSTRUMENT_TITLES[id]} must be more than 0 and no more than ${THRESHOLD_MAX[id]}`);

/** The programme's meaningful-change settings form: one box per charted measure. */
export const meaningfulChangeForm: FormDefinition<z.ZodType<MeaningfulChange>> = {
	fields: CHARTED_INSTRUMENTS.map(thresholdField),
	schema: z
		.object(Object.fromEntries(CHARTED_INSTRUMENTS.map((id) => [`meaningful-${id}`, threshold(id)])))
		.transform((v) => Object.fromEntries(CHARTED_INSTRUMENTS.map((id) => [id, v[`meaningful-${id}`]])) as MeaningfulChange) as unknown as z.ZodType<MeaningfulChange>
};

export function meaningfulChangeFormValues(settings: Readonly<MeaningfulChange>): RawValues {
	return Object.fromEntries(CHARTED_INSTRUMENTS.map((id) => [`meaningful-${id}`, String(settings[id])]));
}

/** Stored settings, each missing or unreadable value falling back to its default. */
export function readMeaningfulChange(stored: unknown): MeaningfulChange {
	const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	return Object.fromEntries(
		CHARTED_INSTRUMENTS.map((id) => {
			const value = source[id];
			const ok = typeof value === 'number' && value > 0 && value <= THRESHOLD_MAX[id];
			return [id, ok ? value : DEFAULT_MEANINGFUL_CHANGE[id]];
		})
	) as MeaningfulChange;
}
