/**
 * The check-ins' own words in the request's language (issue 25): start pages, captions, the crisis help
 * after PHQ-9 question 9, "Check your answers", the results and the app's own error messages. Other
 * modules give these words in English (measures/questionnaire.ts, dialog-review.ts, service-hours.ts);
 * this module says them again from messages/{locale}/account.json (key prefix `ap_`). For English it
 * gives exactly what those modules give, so English pages do not change.
 *
 * The questionnaires' own words (DIALOG+ areas and scale, SWEMWBS, ONS4, GAD-7, PHQ-9/8, EQ-5D-5L items,
 * answers, instructions and licence notices) are never translated here: only a translation their owners
 * have checked may be used (account.ts, questionnaireInEnglish). Pages mark them `lang="en-GB"`.
 */
import { m } from '$lib/paraglide/messages';
import {
	QUESTIONNAIRE_ABOUT,
	isCharted,
	lineValues,
	resultSentences,
	scoreLines,
	formatScore,
	changeWords,
	REVIEW_OUTCOME_WORDS,
	type InstrumentId,
	type QuestionnaireId,
	type ReviewOutcome
} from '$lib/domain/measures';
import { openingHoursWords, teamAvailability, whenTeamSeesIt, type ServiceCalendar, type ServiceSettings } from '$lib/domain/service-hours';
import { ukClockReaches, ukDate } from '$lib/domain/uk-time';
import { accountLocale } from './account';
import { BASE_LOCALE, LOCALE_INFO, type Locale } from './locales';
import { localDay, localTime } from './locale-dates';
import { lineSubjectWords, meaningWords } from './progress';

type Say = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/**
 * A value in running text (a number, an English name) isolated on a right-to-left page with Unicode's
 * first-strong isolate, so "116 123" does not read "123 116" in Urdu; as it is on left-to-right pages.
 * For words in a message the page cannot wrap in `<bdi>` (a button, an error message).
 */
export function isolated(value: string, locale?: string): string {
	return LOCALE_INFO[accountLocale(locale)].dir === 'rtl' ? `\u2068${value}\u2069` : value;
}

// ---- start pages ---------------------------------------------------------------------------------

const ABOUT: Record<QuestionnaireId, { heading: Say; about: Say }> = {
	swemwbs: { heading: m.ap_about_swemwbs_heading, about: m.ap_about_swemwbs },
	ons4: { heading: m.ap_about_ons4_heading, about: m.ap_about_ons4 },
	gad7: { heading: m.ap_about_gad7_heading, about: m.ap_about_gad7 },
	phq9: { heading: m.ap_about_phq9_heading, about: m.ap_about_phq9 },
	phq8: { heading: m.ap_about_phq8_heading, about: m.ap_about_phq8 },
	eq5d5l: { heading: m.ap_about_eq5d5l_heading, about: m.ap_about_eq5d5l }
};

/** QUESTIONNAIRE_ABOUT (the start page's heading and what the questionnaire is) in the language. */
export function questionnaireAboutWords(id: QuestionnaireId, locale?: string): { heading: string; about: string } {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return QUESTIONNAIRE_ABOUT[id];
	const o = { locale: l };
	return { heading: ABOUT[id].heading({}, o), about: ABOUT[id].about({}, o) };
}

/**
 * How many questions and how long, then the questionnaire's instructions. The instructions are the
 * questionnaire's own words: in another language they are left to each question page, where they stand
 * beside the question, marked as English.
 */
export function questionCountWords(questions: number, instructions: string, locale?: string): { count: string; instructions: string } {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return { count: `There ${questions === 1 ? 'is 1 question' : `are ${questions} questions`}, one on each page. It takes a few minutes.`, instructions: ` ${instructions}` };
	const o = { locale: l };
	return { count: questions === 1 ? m.ap_start_questions_one({}, o) : m.ap_start_questions({ n: questions }, o), instructions: '' };
}

// ---- one question a page ---------------------------------------------------------------------------

/** "Question 2 of 9", "Area 3 of 11", "Last time's actions: 1 of 2". */
export function stepCaption(kind: 'question' | 'area' | 'action', n: number, total: number, locale?: string): string {
	const o = { locale: accountLocale(locale) };
	const say = kind === 'question' ? m.ap_question_of : kind === 'area' ? m.ap_area_of : m.ap_actions_of;
	return say({ n, total }, o);
}

/** The check-ins' error messages (questionnaire.ts, dialog-review.ts), English as they are, by pattern. */
const ERRORS: readonly { english: RegExp; say: (match: RegExpExecArray, o: { locale: Locale }) => string }[] = [
	{ english: /^Choose the answer that fits you best$/, say: (_, o) => m.ap_error_choose_answer({}, o) },
	{ english: /^Enter a whole number from (\d+) to (\d+)$/, say: (x, o) => m.ap_error_whole_number({ min: x[1], max: x[2] }, o) },
	// DIALOG+'s area is in English on the page (its heading): the message says "this area".
	{ english: /^Choose how satisfied you are with .+, or that it does not apply to you$/, say: (_, o) => m.ap_error_rating({}, o) },
	{ english: /^Choose yes if you want more help with .+, or no$/, say: (_, o) => m.ap_error_more_help({}, o) },
	{ english: /^Choose areas from the list$/, say: (_, o) => m.ap_error_areas_list({}, o) },
	{ english: /^Choose up to (\d+) areas to talk about$/, say: (x, o) => m.ap_error_areas_max({ max: x[1] }, o) },
	{ english: /^Choose whether you did this, did some of it, or not yet$/, say: (_, o) => m.ap_error_review({}, o) }
];

/** One check-in error message in the language; a message not known here as it is (t() may know it). */
export function checkInErrorWords(english: string, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return english;
	for (const { english: pattern, say } of ERRORS) {
		const match = pattern.exec(english);
		if (match) return say(match, { locale: l });
	}
	return english;
}

/** A step's errors (field name -> message) in the language; the same object in English. */
export function checkInErrors(errors: Record<string, string>, locale?: string): Record<string, string> {
	if (accountLocale(locale) === BASE_LOCALE) return errors;
	return Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, checkInErrorWords(message, locale)]));
}

const REVIEW_WORDS: Record<ReviewOutcome, Say> = {
	done: m.ap_review_done,
	partly: m.ap_review_partly,
	'not-done': m.ap_review_not_done
};

/** REVIEW_OUTCOME_WORDS ("Yes, I did this") in the language. */
export function reviewOutcomeWords(outcome: ReviewOutcome, locale?: string): string {
	const l = accountLocale(locale);
	return l === BASE_LOCALE ? REVIEW_OUTCOME_WORDS[outcome] : REVIEW_WORDS[outcome]({}, { locale: l });
}

// ---- results ---------------------------------------------------------------------------------------

/** resultSentences (questionnaire.ts) in the language: each score with its range and which way is better. */
export function resultWords(instrument: InstrumentId, result: unknown, locale?: string): string[] {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return resultSentences(instrument, result);
	const o = { locale: l };
	if (isCharted(instrument)) {
		const values = lineValues({ instrument, result } as Parameters<typeof lineValues>[0]);
		return scoreLines(instrument).flatMap((line, i) => {
			const value = values[i];
			if (value === null) return [];
			const words = { subject: lineSubjectWords(line.key, l), value: formatScore(value), min: line.min, max: line.max };
			return [line.lowerIsBetter ? m.ap_result_lower({ ...words, meaning: meaningWords(line.key, 'fall', l) }, o) : m.ap_result_higher(words, o)];
		});
	}
	if (instrument === 'eq5d5l') {
		const vas = (result as { vas?: unknown } | null)?.vas;
		return typeof vas === 'number' ? [m.ap_result_eq5d5l({ vas }, o)] : [];
	}
	return [];
}

/** changeWords (dialog-review.ts: "up 2", "same", "first rating") in the language. */
export function changeWordsIn(previous: number | null, now: number | null, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return changeWords(previous, now);
	const o = { locale: l };
	if (previous === null && now === null) return m.ap_change_not_rated({}, o);
	if (now === null) return m.ap_change_not_now({}, o);
	if (previous === null) return m.ap_change_first({}, o);
	const change = now - previous;
	if (change === 0) return m.ap_change_same({}, o);
	return change > 0 ? m.ap_change_up({ n: change }, o) : m.ap_change_down({ n: -change }, o);
}

// ---- the team's hours (crisis help) -----------------------------------------------------------------

const WEEKDAYS: readonly Say[] = [m.ap_weekday_1, m.ap_weekday_2, m.ap_weekday_3, m.ap_weekday_4, m.ap_weekday_5, m.ap_weekday_6, m.ap_weekday_7];

/** A wall-clock time ("09:00") as a time of day in the language: any date reads it the same. */
const clockWords = (time: string, l: Locale) => localTime(ukClockReaches('2026-01-05', time), l);

/** whenTeamSeesIt (service-hours.ts) in the language: when the team will see it, never "soon". */
export function whenTeamSeesItWords(calendar: ServiceCalendar, now: Date, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return whenTeamSeesIt(calendar, now);
	const o = { locale: l };
	const availability = teamAvailability(calendar, now);
	if (availability.open) return m.ap_help_open_now({ time: localTime(availability.closesAt, l) }, o);
	if (!availability.opensAt) return m.ap_help_closed_no_opening({}, o);
	const when = m.ap_help_opening_when({ day: localDay(ukDate(availability.opensAt), l), time: localTime(availability.opensAt, l) }, o);
	return m.ap_help_closed_until({ when }, o);
}

/** openingHoursWords (service-hours.ts) in the language: "Monday to Friday, 9am to 5pm". */
export function openingHoursIn(settings: ServiceSettings, locale?: string): string[] {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return openingHoursWords(settings);
	const o = { locale: l };
	const days = [...settings.openingHours].sort((a, b) => a.weekday - b.weekday);
	if (!days.length) return [m.ap_hours_closed({}, o)];
	const same = days.every((d) => d.open === days[0].open && d.close === days[0].close);
	const consecutive = days.every((d, i) => i === 0 || d.weekday === days[i - 1].weekday + 1);
	const day = (weekday: number) => WEEKDAYS[weekday - 1]({}, o);
	if (same && consecutive && days.length > 1) {
		const first = days[0];
		return [m.ap_hours_days({ first: day(first.weekday), last: day(days.at(-1)!.weekday), open: clockWords(first.open, l), close: clockWords(first.close, l) }, o)];
	}
	return days.map((d) => m.ap_hours_day({ day: day(d.weekday), open: clockWords(d.open, l), close: clockWords(d.close, l) }, o));
}

/** For the tests: the messages that say another module's English again. */
export const SAID_AGAIN = { ABOUT, REVIEW_WORDS, WEEKDAYS };
