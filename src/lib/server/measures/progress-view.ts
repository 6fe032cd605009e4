/**
 * What a progress section shows for one measure, for the participant's own progress page and the
 * specialist's view of a participant: sentences, chart data, table and the CSV link, all from one
 * measureProgress() call so they cannot disagree.
 */
import {
	CHANGE_CATEGORY_LABELS,
	CHARTED_INSTRUMENTS,
	dialogAreaProgress,
	isCharted,
	measureProgress,
	type ChartedInstrument,
	type DialogAreasProgress,
	type MeaningfulChange,
	type MeasureProgress
} from '$lib/domain/measures';
import { dialogAreaWords, measureWords } from '$lib/i18n/progress';
import { BASE_LOCALE } from '$lib/i18n/locales';
import type { CheckInRow } from '../db/schema';
import { ratingsOf, scoredCheckIns } from './check-ins';

/** What the numbers mean, in English (the words in other languages: $lib/i18n/progress). */
export const HINTS: Record<ChartedInstrument, string> = {
	dialog: 'Scores are averages of your ratings from 1 (totally dissatisfied) to 7 (totally satisfied). Higher is better.',
	swemwbs: 'Scores go from 7 to 35. Higher means better wellbeing.',
	ons4: 'Each question is scored from 0 to 10. For the first three, higher is better. For anxiety, lower is better.',
	gad7: 'Scores go from 0 to 21. Lower means fewer symptoms of anxiety.',
	phq9: 'Scores go from 0 to 27. Lower means fewer symptoms of depression.',
	phq8: 'Scores go from 0 to 24. Lower means fewer symptoms of depression.'
};

export interface MeasureView {
	instrument: ChartedInstrument;
	/** In words ("Your wellbeing"); `note` names the instrument. */
	title: string;
	note: string;
	chart: MeasureProgress['chart'];
	table: MeasureProgress['table'];
	sentences: string[];
	/** DIALOG+ only: each of the 11 areas and its "more help" answer, first and latest check-in. */
	areas: DialogAreasProgress | null;
	/** Per sentence (per line): improved, maintained or reduced since the first check-in; null with fewer than two scores. */
	categories: (string | null)[];
	/** What the numbers mean, said beside the chart and table. */
	hint: string;
	count: number;
}

/**
 * One view per measure: DIALOG always (so a person with no check-ins is told how to start), then every
 * other charted measure the person has done, in registry order. `locale` is the participant's language
 * (their own progress page only): staff read the English.
 */
export function progressViews(
	rows: readonly CheckInRow[],
	meaningful: Readonly<MeaningfulChange>,
	always: readonly ChartedInstrument[] = ['dialog'],
	locale: string = BASE_LOCALE
): MeasureView[] {
	const scored = scoredCheckIns(rows);
	const done = new Set(scored.map((c) => c.instrument));
	const instruments = CHARTED_INSTRUMENTS.filter((id) => always.includes(id) || done.has(id));
	const dialogCheckIns = () => rows.filter((r) => r.instrument === 'dialog').map((r) => ({ at: r.completedAt, ratings: ratingsOf(r) }));
	return instruments.map((instrument) => {
		const progress = measureProgress(instrument, scored, meaningful);
		const count = scored.filter((c) => c.instrument === instrument).length;
		if (locale !== BASE_LOCALE) {
			return { instrument, ...measureWords(progress, locale), areas: instrument === 'dialog' ? dialogAreaWords(dialogCheckIns(), locale) : null, count };
		}
		return {
			instrument,
			title: progress.title,
			note: progress.note,
			chart: progress.chart,
			table: progress.table,
			sentences: progress.sentences,
			areas: instrument === 'dialog' ? dialogAreaProgress(dialogCheckIns()) : null,
			hint: HINTS[instrument],
			categories: progress.lines.map((l) => (l.change ? CHANGE_CATEGORY_LABELS[l.change.category] : null)),
			count
		};
	});
}

/** The CSV rows for one measure: the same numbers as the table. */
export function progressCsv(rows: readonly CheckInRow[], instrument: string, meaningful: Readonly<MeaningfulChange>): MeasureProgress['csv'] | null {
	if (!isCharted(instrument)) return null;
	return measureProgress(instrument, scoredCheckIns(rows), meaningful).csv;
}
