/**
 * Wellbeing concern rules (DOMAIN.md sections 6 and 7): a steep fall between two check-ins, or a falling
 * trend together with missed meetings, flags the person to their specialist ("clients of wellbeing
 * concern"). PHQ-9 item 9 answered above 0 is a separate, immediate crisis response.
 *
 * The rules look at the latest check-ins only: the flag is about how someone is now, so a fall a year ago
 * that has since recovered must not keep raising it. Reasons are plain words for the specialist's inbox:
 * which measure, how far and when, never the answers themselves.
 */
import { formatDate } from '../uk-time';
import { PHQ9_SELF_HARM_INDEX, phq9 } from './phq9';
import { betterBy, formatScore, lineSeries, SCORE_LINES, type DatedScore, type ScoreLine, type ScoredCheckIn } from './progress';
import { INSTRUMENT_TITLES } from './registry';

export interface ConcernSettings {
	/** A fall towards worse between two consecutive check-ins at least this big (points) is steep. By line key. */
	steepFall: Readonly<Record<string, number>>;
	/** A falling trend is this many check-ins in a row, each worse than the one before. */
	trendCheckIns: number;
	/** A falling trend raises a concern only with at least this many missed meetings (disengagement). */
	missedMeetingsWithTrend: number;
}

/**
 * Defaults. Each steep fall is well beyond the measure's meaningful change (progress.ts), so ordinary
 * ups and downs between check-ins do not raise it:
 * - DIALOG overall score down 1.5: three times the 0.5 meaningful change on the 1-7 average.
 * - SWEMWBS down 5 metric points: above the 1-3 point statistically important change (Shah et al. 2018)
 *   and more than one standard deviation in their clinical sample (3.9).
 * - ONS4 life satisfaction down 3 on 0-10: above the 2-point meaningful change; the other ONS4 questions
 *   ask about yesterday only and swing too much day to day to flag on.
 * - PHQ-9 and PHQ-8 up 5: the clinically significant change (Löwe et al. 2004) within one interval.
 * - GAD-7 up 5: above its 4-point minimal clinically important difference (Toussaint et al. 2020).
 * DIALOG's care score is not watched: it is satisfaction with the service, not the person's wellbeing.
 * A trend is three check-ins each worse than the last ("a falling trend", DOMAIN.md section 6) and needs
 * one missed meeting with it: a trend with full attendance is already in front of the specialist.
 */
export const DEFAULT_CONCERN_SETTINGS: Readonly<ConcernSettings> = Object.freeze({
	steepFall: Object.freeze({ 'dialog-life': 1.5, swemwbs: 5, 'ons4-life-satisfaction': 3, gad7: 5, phq9: 5, phq8: 5 }),
	trendCheckIns: 3,
	missedMeetingsWithTrend: 1
});

export interface WellbeingConcern {
	concern: boolean;
	reasons: string[];
}

/** How much worse `later` is than `earlier`, in hundredths of a point as progress.ts compares (so 4.6 - 3.1 is exactly 1.5). */
function worseBy(line: ScoreLine, earlier: number, later: number): number {
	return -betterBy(line, earlier, later);
}

/** "The PHQ-9 depression score" */
function measureWords(line: ScoreLine): string {
	return `The ${INSTRUMENT_TITLES[line.instrument]} ${line.subject}`;
}

function pointsWord(hundredthsOfPoints: number): string {
	const n = formatScore(hundredthsOfPoints / 100);
	return `${n} ${n === '1' ? 'point' : 'points'}`;
}

/** The latest two check-ins, when the second is at least the line's steep fall worse than the first. */
export function steepFall(line: ScoreLine, series: readonly DatedScore[], threshold: number): string | null {
	if (series.length < 2) return null;
	const [before, after] = series.slice(-2);
	const worse = worseBy(line, before.value, after.value);
	if (worse < Math.round(threshold * 100)) return null;
	const verb = line.lowerIsBetter ? 'rose' : 'fell';
	return `${measureWords(line)} ${verb} by ${pointsWord(worse)} (worse) between ${formatDate(before.date)} and ${formatDate(after.date)}.`;
}

/** The latest `length` check-ins, when each is worse than the one before. */
export function fallingTrend(line: ScoreLine, series: readonly DatedScore[], length: number): DatedScore[] | null {
	if (length < 2 || series.length < length) return null;
	const latest = series.slice(-length);
	return latest.every((p, i) => i === 0 || worseBy(line, latest[i - 1].value, p.value) > 0) ? latest : null;
}

function trendReason(line: ScoreLine, trend: readonly DatedScore[], missedMeetings: number): string {
	const dates = trend.map((p) => formatDate(p.date)).join(', ');
	const missed = missedMeetings === 1 ? '1 meeting was missed' : `${missedMeetings} meetings were missed`;
	return `${measureWords(line)} got worse at each of the last ${trend.length} check-ins (${dates}), and ${missed}.`;
}

/**
 * Whether a person is of wellbeing concern: a steep fall on any watched measure, or a falling trend on
 * one together with at least the set number of missed meetings (counted by the caller over the same time).
 */
export function wellbeingConcern(
	checkIns: readonly ScoredCheckIn[],
	missedMeetings: number,
	settings: Readonly<ConcernSettings> = DEFAULT_CONCERN_SETTINGS
): WellbeingConcern {
	const reasons: string[] = [];
	for (const [key, threshold] of Object.entries(settings.steepFall)) {
		const line = SCORE_LINES[key];
		if (!line) continue;
		const series = lineSeries(line, checkIns);
		const steep = steepFall(line, series, threshold);
		if (steep) reasons.push(steep);
		else if (missedMeetings >= settings.missedMeetingsWithTrend) {
			const trend = fallingTrend(line, series, settings.trendCheckIns);
			if (trend) reasons.push(trendReason(line, trend, missedMeetings));
		}
	}
	return { concern: reasons.length > 0, reasons };
}

/**
 * PHQ-9 item 9 ("thoughts that you would be better off dead or of hurting yourself") answered above 0:
 * show crisis help at once, before anything else, and alert the specialist. Works on answers so far (one
 * question per page), in item order or by item key, and errs towards help: a number given as text counts.
 */
export function needsCrisisHelp(instrument: string, answers: readonly unknown[] | Readonly<Record<string, unknown>>): boolean {
	if (instrument !== 'phq9') return false;
	const value = Array.isArray(answers)
		? answers[PHQ9_SELF_HARM_INDEX]
		: (answers as Readonly<Record<string, unknown>>)[phq9.items[PHQ9_SELF_HARM_INDEX].key];
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	return n > 0;
}
