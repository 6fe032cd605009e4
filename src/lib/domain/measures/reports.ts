/**
 * The provider's report (issue 10, DOMAIN.md section 6): for each measure, how many participants improved,
 * maintained or reduced between their first and latest check-in, with the same thresholds and the same
 * rounding as the participant's own progress page. People with only one check-in cannot have changed yet,
 * so they are counted apart and left out of the shares (as Shaw Trust's 67% / 16% / 17% add up to 100%).
 * Chart, table and CSV come from one function, like the progress page.
 */
import {
	CHANGE_CATEGORY_LABELS,
	CHARTED_INSTRUMENTS,
	DEFAULT_MEANINGFUL_CHANGE,
	changeCategory,
	formatScore,
	lineSeries,
	scoreLines,
	type ChangeCategory,
	type ChartedInstrument,
	type MeaningfulChange,
	type ScoreLine,
	type ScoredCheckIn
} from './progress';
import { INSTRUMENT_TITLES } from './registry';

/** One participant on one line: their first and latest score and how many check-ins had a value. */
export interface ParticipantScores {
	first: number;
	latest: number;
	checkIns: number;
}

export interface ChangeCounts {
	improved: number;
	maintained: number;
	reduced: number;
	/** Participants with a single check-in: nothing to compare yet. */
	onlyOne: number;
	/** Everyone counted: the three categories plus only one. */
	participants: number;
}

/** Whole percentages of those compared (two or more check-ins); null when nobody could be compared. */
export type ChangeShares = Record<ChangeCategory, number | null>;

export const CATEGORIES: readonly ChangeCategory[] = ['improved', 'maintained', 'reduced'];

/** Counts each participant once, by the same rule as their own progress page. */
export function countChanges(
	line: Pick<ScoreLine, 'instrument' | 'lowerIsBetter'>,
	participants: readonly ParticipantScores[],
	meaningful: Readonly<MeaningfulChange> = DEFAULT_MEANINGFUL_CHANGE
): ChangeCounts {
	const counts: ChangeCounts = { improved: 0, maintained: 0, reduced: 0, onlyOne: 0, participants: 0 };
	for (const p of participants) {
		if (p.checkIns < 1) continue;
		counts.participants++;
		if (p.checkIns < 2) counts.onlyOne++;
		else counts[changeCategory(line, p.first, p.latest, meaningful)]++;
	}
	return counts;
}

/**
 * Each category as a whole percentage of the participants compared, rounded half up. They are not forced
 * to add up to 100: each figure is the honest rounding of its own count (2/3 is 67%, 1/6 is 17%).
 */
export function sharesOf(counts: ChangeCounts): ChangeShares {
	const compared = counts.improved + counts.maintained + counts.reduced;
	const share = (n: number) => (compared === 0 ? null : Math.round((n * 100) / compared));
	return { improved: share(counts.improved), maintained: share(counts.maintained), reduced: share(counts.reduced) };
}

/** A participant's first and latest score on a line, or null when none of their check-ins has one. */
export function participantScores(line: ScoreLine, checkIns: readonly ScoredCheckIn[]): ParticipantScores | null {
	const series = lineSeries(line, checkIns);
	if (!series.length) return null;
	return { first: series[0].value, latest: series[series.length - 1].value, checkIns: series.length };
}

/** "SWEMWBS", "DIALOG: Overall score", "ONS4: Anxiety yesterday" */
export function reportLabel(line: ScoreLine): string {
	const title = INSTRUMENT_TITLES[line.instrument];
	if (scoreLines(line.instrument).length === 1) return title;
	return `${title}: ${line.name.replace(/\s*\([^)]*\)$/, '')}`;
}

export interface ReportRow {
	line: ScoreLine;
	label: string;
	counts: ChangeCounts;
	shares: ChangeShares;
}

export interface ProviderReport {
	rows: ReportRow[];
	/** For chart.js: one bar per measure line, one dataset per category, in percent. */
	chart: { labels: string[]; datasets: { key: ChangeCategory; label: string; data: (number | null)[] }[] };
	table: { caption: string; columns: string[]; rows: { label: string; cells: string[] }[] };
	csv: { header: string[]; rows: string[][] };
}

function countCell(count: number, share: number | null): string {
	return share === null ? String(count) : `${count} (${share}%)`;
}

/**
 * The report over participants (each the check-ins they made in the period asked for). Every line of the
 * given measures is a row, even with nobody in it, so a missing measure is visible rather than silent.
 */
export function providerReport(
	participants: readonly (readonly ScoredCheckIn[])[],
	instruments: readonly ChartedInstrument[] = CHARTED_INSTRUMENTS,
	meaningful: Readonly<MeaningfulChange> = DEFAULT_MEANINGFUL_CHANGE
): ProviderReport {
	const rows: ReportRow[] = instruments.flatMap((id) =>
		scoreLines(id).map((line) => {
			const scores = participants.map((p) => participantScores(line, p)).filter((s): s is ParticipantScores => s !== null);
			const counts = countChanges(line, scores, meaningful);
			return { line, label: reportLabel(line), counts, shares: sharesOf(counts) };
		})
	);
	return {
		rows,
		chart: {
			labels: rows.map((r) => r.label),
			datasets: CATEGORIES.map((key) => ({ key, label: `${CHANGE_CATEGORY_LABELS[key]} (%)`, data: rows.map((r) => r.shares[key]) }))
		},
		table: {
			caption: 'Change between first and latest check-in',
			columns: ['Measure', 'Participants', ...CATEGORIES.map((c) => CHANGE_CATEGORY_LABELS[c]), 'Only one check-in'],
			rows: rows.map((r) => ({
				label: r.label,
				cells: [String(r.counts.participants), ...CATEGORIES.map((c) => countCell(r.counts[c], r.shares[c])), String(r.counts.onlyOne)]
			}))
		},
		csv: {
			header: ['measure', 'participants', ...CATEGORIES.flatMap((c) => [c, `${c}_percent`]), 'only_one_check_in'],
			rows: rows.map((r) => [
				r.label,
				String(r.counts.participants),
				...CATEGORIES.flatMap((c) => [String(r.counts[c]), r.shares[c] === null ? '' : formatScore(r.shares[c])]),
				String(r.counts.onlyOne)
			])
		}
	};
}
