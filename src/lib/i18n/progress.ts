/**
 * The progress page's words in the request's language (issue 25): each measure's heading, note and hint,
 * the sentences, the table, the chart's labels and DIALOG+ area by area. measures/progress.ts makes them
 * in English (and staff pages read them so, turned to "their"); this module says them again from
 * messages/{locale}/account.json (key prefix `ap_`) from the same numbers, so the words cannot disagree
 * with the chart and table. English is never made here: the participant's English page and the staff
 * pages keep measureProgress's words exactly.
 *
 * Kept in English: DIALOG+'s areas (the questionnaire's own words) and each instrument's own name
 * (SWEMWBS, GAD-7); dates are the language's (locale-dates.ts), numbers as the table writes them.
 */
import { m } from '$lib/paraglide/messages';
import {
	DIALOG_AREAS,
	DIALOG_AREA_SHORT_NAMES,
	MEASURE_NAMES,
	formatScore,
	type ChangeCategory,
	type ChartedInstrument,
	type DialogAreaCheckIn,
	type DialogAreasProgress,
	type LineProgress,
	type MeasureProgress,
	type ScoreLine
} from '$lib/domain/measures';
import { ukDate } from '$lib/domain/uk-time';
import { accountLocale } from './account';
import { type Locale } from './locales';
import { localDate } from './locale-dates';

type Say = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/** Each score line (progress.ts LINES) by key: its name (column, legend) and how a sentence names it. */
const LINE_WORDS: Record<string, { name: Say; subject: Say }> = {
	'dialog-life': { name: m.ap_line_dialog_life, subject: m.ap_subject_dialog_life },
	'dialog-treatment': { name: m.ap_line_dialog_treatment, subject: m.ap_subject_dialog_treatment },
	swemwbs: { name: m.ap_line_swemwbs, subject: m.ap_subject_swemwbs },
	'ons4-life-satisfaction': { name: m.ap_line_ons4_life, subject: m.ap_subject_ons4_life },
	'ons4-worthwhile': { name: m.ap_line_ons4_worthwhile, subject: m.ap_subject_ons4_worthwhile },
	'ons4-happy': { name: m.ap_line_ons4_happy, subject: m.ap_subject_ons4_happy },
	'ons4-anxious': { name: m.ap_line_ons4_anxious, subject: m.ap_subject_ons4_anxious },
	gad7: { name: m.ap_line_gad7, subject: m.ap_subject_gad7 },
	phq9: { name: m.ap_line_phq9, subject: m.ap_subject_phq9 },
	phq8: { name: m.ap_line_phq8, subject: m.ap_subject_phq8 }
};

/** For lower-is-better lines: what a fall and a rise mean (progress.ts `meaning`, without "which means"). */
const MEANINGS: Record<string, { fall: Say; rise: Say }> = {
	'ons4-anxious': { fall: m.ap_meaning_less_anxious, rise: m.ap_meaning_more_anxious },
	gad7: { fall: m.ap_meaning_fewer_symptoms, rise: m.ap_meaning_more_symptoms },
	phq9: { fall: m.ap_meaning_fewer_symptoms, rise: m.ap_meaning_more_symptoms },
	phq8: { fall: m.ap_meaning_fewer_symptoms, rise: m.ap_meaning_more_symptoms }
};

/** Each measure's heading ("Your wellbeing"), how a sentence names it, the note naming the instrument, the hint. */
const MEASURE_WORDS: Record<ChartedInstrument, { title: Say; phrase: Say; note: Say; hint: Say }> = {
	dialog: { title: m.ap_title_dialog, phrase: m.ap_phrase_dialog, note: m.ap_note_dialog, hint: m.ap_hint_dialog },
	swemwbs: { title: m.ap_title_swemwbs, phrase: m.ap_phrase_swemwbs, note: m.ap_note_swemwbs, hint: m.ap_hint_swemwbs },
	ons4: { title: m.ap_title_ons4, phrase: m.ap_phrase_ons4, note: m.ap_note_ons4, hint: m.ap_hint_ons4 },
	gad7: { title: m.ap_title_gad7, phrase: m.ap_phrase_gad7, note: m.ap_note_gad7, hint: m.ap_hint_gad7 },
	phq9: { title: m.ap_title_phq9, phrase: m.ap_phrase_phq9, note: m.ap_note_phq9, hint: m.ap_hint_phq9 },
	phq8: { title: m.ap_title_phq8, phrase: m.ap_phrase_phq8, note: m.ap_note_phq8, hint: m.ap_hint_phq8 }
};

const CATEGORY_WORDS: Record<ChangeCategory, Say> = {
	improved: m.ap_category_improved,
	maintained: m.ap_category_maintained,
	reduced: m.ap_category_reduced
};

/** A score line's name in the language ("Wellbeing score (7 to 35)"). */
export function lineNameWords(key: string, locale?: string): string {
	return LINE_WORDS[key]?.name({}, { locale: accountLocale(locale) }) ?? key;
}

/** How a sentence names a score line in the language ("wellbeing score"). */
export function lineSubjectWords(key: string, locale?: string): string {
	return LINE_WORDS[key]?.subject({}, { locale: accountLocale(locale) }) ?? key;
}

/** What a fall or rise of a lower-is-better line means, in the language ("fewer symptoms"). */
export function meaningWords(key: string, way: 'fall' | 'rise', locale?: string): string {
	const meaning = MEANINGS[key];
	return meaning ? meaning[way]({}, { locale: accountLocale(locale) }) : '';
}

/** The heading of a measure in the language ("Your wellbeing"). */
export function measureTitleWords(instrument: ChartedInstrument, locale?: string): string {
	return MEASURE_WORDS[instrument].title({}, { locale: accountLocale(locale) });
}

/** A measure's words in the language, made from its progress (measureProgress) so they match its numbers. */
export interface MeasureWords {
	title: string;
	note: string;
	hint: string;
	sentences: string[];
	categories: (string | null)[];
	chart: MeasureProgress['chart'];
	table: MeasureProgress['table'];
}

/** "Your wellbeing score went up from 21 to 25 since 12 March 2027." and its kin (changeSentence, lineSentence). */
function lineSentence(line: LineProgress, dates: readonly string[], l: Locale): string {
	const o = { locale: l };
	const subject = lineSubjectWords(line.key, l);
	const phrase = MEASURE_WORDS[line.instrument].phrase({}, o);
	const change = line.change;
	if (change) {
		const from = formatScore(change.first.value);
		const to = formatScore(change.latest.value);
		const date = localDate(change.first.date, l);
		if (change.category === 'maintained') return from === to ? m.ap_stayed_same({ subject, to, date }, o) : m.ap_stayed_about_same({ subject, from, to, date }, o);
		const wentUp = change.latest.value > change.first.value;
		const words = { subject, from, to, date };
		if (MEANINGS[line.key]) {
			const meaning = meaningWords(line.key, wentUp ? 'rise' : 'fall', l);
			return wentUp ? m.ap_went_up_meaning({ ...words, meaning }, o) : m.ap_went_down_meaning({ ...words, meaning }, o);
		}
		return wentUp ? m.ap_went_up(words, o) : m.ap_went_down(words, o);
	}
	const last = line.values.flatMap((value, i) => (value === null ? [] : [{ value, date: dates[i] }])).at(-1);
	if (last) return m.ap_one_score({ subject, value: formatScore(last.value), date: localDate(last.date, l), phrase }, o);
	if (dates.length) return m.ap_no_score_skipped({ subject }, o);
	return m.ap_no_check_in({ phrase }, o);
}

/** "Score, 0 to 10: lower is better" for the lines a chart draws (progress.ts axisTitle). */
function axisWords(lines: readonly ScoreLine[], l: Locale): string {
	const words = { min: Math.min(...lines.map((x) => x.min)), max: Math.max(...lines.map((x) => x.max)) };
	return lines.every((x) => x.lowerIsBetter) ? m.ap_axis_lower(words, { locale: l }) : m.ap_axis_higher(words, { locale: l });
}

/** One measure's words in the language (never English: measureProgress's own words are the English). */
export function measureWords(progress: MeasureProgress, locale?: string): MeasureWords {
	const l = accountLocale(locale);
	const o = { locale: l };
	const words = MEASURE_WORDS[progress.instrument];
	const title = words.title({}, o);
	const names = progress.lines.map((line) => lineNameWords(line.key, l));
	const labels = progress.dates.map((date) => localDate(date, l));
	return {
		title,
		note: words.note({}, o),
		hint: words.hint({}, o),
		sentences: progress.lines.map((line) => lineSentence(line, progress.dates, l)),
		categories: progress.lines.map((line) => (line.change ? CATEGORY_WORDS[line.change.category]({}, o) : null)),
		chart: {
			...progress.chart,
			labels,
			datasets: progress.chart.datasets.map((d, i) => ({ ...d, label: names[i] })),
			panels: progress.chart.panels.map((panel) => ({
				...panel,
				title: panel.title === null ? null : names[panel.datasets[0]],
				axis: axisWords(
					panel.datasets.map((i) => progress.lines[i]),
					l
				)
			}))
		},
		table: {
			caption: m.ap_table_caption({ title }, o),
			columns: [m.ap_column_date({}, o), ...names],
			rows: progress.table.rows.map((row, i) => ({
				date: labels[i],
				cells: progress.lines.map((line) => {
					const value = line.values[i];
					return value === null ? m.ap_not_answered({}, o) : formatScore(value);
				})
			}))
		}
	};
}

/**
 * dialogAreaProgress (progress.ts) in the language: the same counts, table and chart, from the same
 * check-ins. The areas' own names stay in English (the questionnaire's words).
 */
export function dialogAreaWords(checkIns: readonly DialogAreaCheckIn[], locale?: string): DialogAreasProgress | null {
	if (!checkIns.length) return null;
	const l = accountLocale(locale);
	const o = { locale: l };
	const sorted = [...checkIns].sort((a, b) => a.at.getTime() - b.at.getTime());
	const first = sorted[0];
	const latest = sorted[sorted.length - 1];
	const both = sorted.length > 1;
	const dates = both ? [ukDate(first.at), ukDate(latest.at)] : [ukDate(first.at)];
	const [firstWords, latestWords] = [localDate(dates[0], l), localDate(dates[dates.length - 1], l)];
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
	const rating = (value: number | null) => (value === null ? m.ap_did_not_apply({}, o) : String(value));
	const yesNo = (answer: boolean | null) => (answer === true ? m.ap_yes({}, o) : answer === false ? m.ap_no({}, o) : m.ap_not_asked({}, o));
	const helpShort = (answer: boolean | null) => (answer === true ? m.ap_help_short_yes({}, o) : answer === false ? m.ap_help_short_no({}, o) : '–');
	const wantHelp = areas.filter((a) => a.latestHelp === true).length;
	const helpSentence =
		wantHelp === 0
			? m.ap_areas_help_none({ date: latestWords }, o)
			: wantHelp === 1
				? m.ap_areas_help_one({ date: latestWords }, o)
				: m.ap_areas_help_many({ date: latestWords, n: wantHelp }, o);
	if (!both) {
		return {
			dates,
			sentences: [m.ap_areas_rated({ n: areas.filter((a) => a.latest !== null).length, date: latestWords }, o), helpSentence],
			table: {
				caption: m.ap_areas_caption_one({}, o),
				columns: [m.ap_column_area({}, o), m.ap_column_rating_on({ date: latestWords }, o), m.ap_column_help_on({ date: latestWords }, o)],
				rows: areas.map((a) => ({ area: a.area.label, cells: [rating(a.latest), yesNo(a.latestHelp)] }))
			},
			chart: null
		};
	}
	const compared = areas.filter((a) => a.first !== null && a.latest !== null);
	const up = compared.filter((a) => a.latest! > a.first!).length;
	const down = compared.filter((a) => a.latest! < a.first!).length;
	const count = (n: number) => (n === 1 ? m.ap_area_count_one({}, o) : m.ap_area_count({ n }, o));
	const capitalised = (words: string) => words.charAt(0).toLocaleUpperCase(l) + words.slice(1);
	const change = (a: (typeof areas)[number]) => {
		if (a.first === null && a.latest === null) return m.ap_change_not_rated({}, o);
		if (a.latest === null) return m.ap_change_not_now({}, o);
		if (a.first === null) return m.ap_change_first({}, o);
		const by = a.latest - a.first;
		return by === 0 ? m.ap_change_same({}, o) : by > 0 ? m.ap_change_up({ n: by }, o) : m.ap_change_down({ n: -by }, o);
	};
	return {
		dates,
		sentences: [m.ap_areas_since({ date: firstWords, up: count(up), down: count(down), same: count(compared.length - up - down) }, o), helpSentence],
		table: {
			caption: m.ap_areas_caption_two({}, o),
			columns: [
				m.ap_column_area({}, o),
				m.ap_column_rating_on({ date: firstWords }, o),
				m.ap_column_rating_on({ date: latestWords }, o),
				m.ap_column_change({}, o),
				m.ap_column_help_on({ date: firstWords }, o),
				m.ap_column_help_on({ date: latestWords }, o)
			],
			rows: areas.map((a) => ({
				area: a.area.label,
				cells: [rating(a.first), rating(a.latest), capitalised(change(a)), yesNo(a.firstHelp), yesNo(a.latestHelp)]
			}))
		},
		chart: {
			labels: areas.map((a) => DIALOG_AREA_SHORT_NAMES[a.area.key] ?? a.area.label),
			moreHelp: areas.map((a) => m.ap_more_help_note({ first: helpShort(a.firstHelp), latest: helpShort(a.latestHelp) }, o)),
			datasets: [
				{ key: 'first', label: m.ap_first_check_in({ date: firstWords }, o), data: areas.map((a) => a.first) },
				{ key: 'latest', label: m.ap_latest_check_in({ date: latestWords }, o), data: areas.map((a) => a.latest) }
			]
		}
	};
}

/** For the tests: the messages that say measures/progress.ts's English again. */
export const SAID_AGAIN = { LINE_WORDS, MEANINGS, MEASURE_WORDS, CATEGORY_WORDS, MEASURE_NAMES };
